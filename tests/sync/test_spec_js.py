"""The JS twin of the library: its generated spec is fresh, its files mirror sync/ file for
file, and every reason code either side gives is in the one table (sync/reasons.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sync.reasons import APPLIED_CODES, CONFLICT_CODES, REASONS, fill, render, shown
from sync.spec_js import FILES

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "sync"
JS = ROOT / "assets" / "sync"

# Library modules with no JS twin, and why. Everything else in sync/ has one at the same path
# under assets/sync/ (sync/merge/rows.py ↔ assets/sync/merge/rows.js).
NO_TWIN = {
    # package files: they only re-export; the JS core's one entry point is assets/sync/merge.js
    "__init__.py",
    "merge/__init__.py",
    # the generator of assets/sync/spec.js and caps.js (it runs at build time, not on devices)
    "spec_js.py",
    # the server's first-sync pages (which rows a cursor brings); a device only follows the
    # cursors it is given (assets/sync/pull.js)
    "phases.py",
}


@pytest.mark.parametrize("path", sorted(FILES), ids=lambda p: p.name)
def test_the_generated_js_is_what_the_generator_writes(path):
    assert path.read_text(encoding="utf-8") == FILES[path](), (
        f"{path.relative_to(ROOT)} is stale: run `python -m sync.spec_js`")


def test_every_library_module_has_a_js_twin_at_the_same_path():
    modules = sorted(p.relative_to(LIBRARY).as_posix() for p in LIBRARY.rglob("*.py"))
    assert "merge/rows.py" in modules and "fields.py" in modules  # the walk sees the library
    missing = [m for m in modules if m not in NO_TWIN and not (JS / m).with_suffix(".js").exists()]
    assert not missing, f"library modules without a JS twin under assets/sync/: {missing}"
    assert all((LIBRARY / m).exists() for m in NO_TWIN), "an exception names no module"


def _codes_given(text: str) -> set[str]:
    """Reason codes written as the first argument of an error or an outcome's code."""
    pattern = (r'(?:SyncError|ClockError|InvalidMutation|NotAuthorized|NotFound|CapExceeded)'
               r'\(\s*f?["`]([a-z_]+\.[a-z_{}$.A-Za-z]+)["`]|code[=:]\s*["`]([a-z_]+\.[a-z_]+)["`]')
    return {a or b for a, b in re.findall(pattern, text)}


def _expand(code: str) -> set[str]:
    if "{" not in code:
        return {code}
    prefix = code.split("{")[0].split("$")[0]
    return {c for c in REASONS if c.startswith(prefix)}


@pytest.mark.parametrize("side", ["sync", "assets/sync"])
def test_every_code_given_is_in_the_table(side):
    files = [p for p in (ROOT / side).rglob("*.py" if side == "sync" else "*.js")
             if p.name not in ("spec.js", "reasons.py")]
    given = set()
    for path in files:
        for code in _codes_given(path.read_text(encoding="utf-8")):
            expanded = _expand(code)
            assert expanded and expanded <= set(REASONS), (path.name, code)
            given |= expanded
    assert len(given) > 40, sorted(given)  # the scan finds the library's refusals


def test_the_table_is_dotted_codes_with_named_braces():
    for code, template in REASONS.items():
        assert re.fullmatch(r"[a-z_]+\.[a-z0-9_]+", code), code
        assert template.strip() == template and "{}" not in template, code
    assert set(REASONS) >= CONFLICT_CODES | APPLIED_CODES


def test_a_template_is_filled_with_its_params_and_names_fall_back_to_ids():
    said = render("auth.not_your_learner", {"student_id": 7, "student": "7"})
    assert said == "You do not teach 7."
    assert render("rating.stale_base", {"teacher_ids": [3, 4], "teachers": "Ana, Bo"}).startswith(
        "Ana, Bo rated this learning target")
    assert fill("{a} and {b}", {"a": [1, 2.0, None, True]}) == "1, 2, null, true and {b}"


def test_an_offending_value_is_kept_short_and_as_text():
    assert shown("x" * 200) == "x" * 80 + "…"
    assert shown(5.0) == "5" and shown(3.5) == "3.5" and shown(None) == "null"
    assert shown({"a": [1, "b"]}) == '{"a":[1,"b"]}'


def test_the_protocol_documents_every_reason_code():
    text = (LIBRARY / "PROTOCOL.md").read_text(encoding="utf-8")
    assert "## Reason codes" in text
    missing = [code for code in REASONS if f"| `{code}` |" not in text]
    assert not missing, f"sync/PROTOCOL.md lacks: {missing}"
