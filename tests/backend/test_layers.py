"""The layering of the backend (issue 16's layout): the domain (services, reports, interop,
sync_server, mastery, models) never imports the HTTP layer (backend.api), and the interop
blueprint's route modules import only its shared `blueprint` module, never one another.
Read from the source with ast, so a lazy import inside a function counts too."""

import ast
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
