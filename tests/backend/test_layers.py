"""The layering of the backend (issue 16's layout): the domain (services, reports, interop,
sync_server, mastery, models) never imports the HTTP layer (backend.api), and the interop
blueprint's route modules import only its shared `blueprint` module, never one another.
Read from the source with ast, so a lazy import inside a function counts too."""

import ast
import re
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[2] / "backend"
DOMAIN = ["services", "reports", "interop", "sync_server", "mastery", "models"]


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_the_domain_never_imports_the_api_layer():
    offenders = {}
    for package in DOMAIN:
        for path in sorted((BACKEND / package).rglob("*.py")):
            api = sorted(m for m in _imports(path) if m == "backend.api"
                         or m.startswith("backend.api."))
            if api:
                offenders[str(path.relative_to(BACKEND.parent))] = api
    assert not offenders, offenders


def test_interop_route_modules_share_only_the_blueprint_module():
    routes = {"resources", "exports", "reports"}
    for name in routes:
        imported = _imports(BACKEND / "api" / "interop" / f"{name}.py")
        siblings = {m.rsplit(".", 1)[-1] for m in imported
                    if m.startswith("backend.api.interop.")} - {"blueprint", "schemas"}
        assert not siblings & routes, (name, siblings)


# ---- the sync layout (issue 16, item 4): one home per job, no import cycles ---------------

ASSETS_SYNC = BACKEND.parent / "assets" / "sync"
JS_IMPORT = re.compile(r"""(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+["'](\.{1,2}/[^"']+)["']""")


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of `graph` (name -> names it imports), or None."""
    state: dict[str, int] = {}

    def visit(node, path):
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path + [node, nxt]
            if nxt not in state and (found := visit(nxt, path + [node])):
                return found
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node, [])):
            return found
    return None


def test_the_server_side_of_sync_has_no_import_cycle():
    modules = {p.stem for p in (BACKEND / "sync_server").glob("*.py")} - {"__init__"}
    graph = {name: {m.rsplit(".", 1)[-1] for m in _imports(BACKEND / "sync_server" / f"{name}.py")
                    if m.startswith("backend.sync_server.")} & modules for name in modules}
    assert _cycle(graph) is None, _cycle(graph)


def test_the_pull_pages_and_leaves_visibility_and_computed_rows_to_their_modules():
    pull = _imports(BACKEND / "sync_server" / "pull.py")
    # who reads what is visibility.py's, the levels and suggestions computed.py's
    assert not {m for m in pull if m.startswith(("backend.services.levels",
                                                 "backend.services.pace",
                                                 "backend.services.recommendations"))}
    assert "backend.sync_server.visibility" in pull and "backend.sync_server.computed" in pull
    for name in ("visibility", "computed"):
        assert "backend.sync_server.pull" not in _imports(BACKEND / "sync_server" / f"{name}.py")


def _js_graph() -> dict[str, set[str]]:
    graph = {}
    for path in sorted(ASSETS_SYNC.rglob("*.js")):
        name = path.relative_to(ASSETS_SYNC).as_posix()
        graph[name] = {(path.parent / rel).resolve().relative_to(ASSETS_SYNC.resolve()).as_posix()
                       for rel in JS_IMPORT.findall(path.read_text())}
    return graph


def test_the_js_core_has_no_import_cycle():
    graph = _js_graph()
    assert {"engine.js", "transport.js", "scheduling.js", "store.js", "database.js"} <= set(graph)
    assert _cycle(graph) is None, _cycle(graph)


def test_the_engines_parts_are_installed_on_it_and_never_import_it():
    graph = _js_graph()
    for part in ("transport.js", "scheduling.js", "push.js", "pull.js", "uploads.js",
                 "purge.js"):
        assert "engine.js" not in graph[part], part
    # the database knows nothing of the replica over it
    assert not graph["database.js"] & {"store.js", "engine.js", "merge.js"}
