"""Babel extractors for Waypoint's two call shapes that Babel's own extractors misread.

- JS `t("Saved")` is a message; JS `t({one: "{n} change waiting", other: "{n} changes
  waiting", n})` is a plural. Babel's JavaScript extractor would take the first string of the
  object as a plain msgid (and any string in a params object as well), so `extract_js` reads
  the tokens itself: a string first argument is a msgid, an object literal with `one` and
  `other` string values is a msgid/msgid_plural pair. `obj.t(...)` (a method, not ours) and
  template strings with `${...}` are skipped.
- Python is read from the syntax tree: `t`, `gettext`, `N_` take one msgid, `tn`,
  `ngettext` and `N_(singular, plural)` a singular and a plural; only literal strings count.

Registered in babel.cfg's [extractors] section, so `pybabel extract -F babel.cfg -k ...` and
`python -m backend.i18n_catalogs` see the same messages.
"""

from __future__ import annotations

import ast

from babel.messages.jslexer import tokenize, unquote_string

# the keywords passed to every extractor (the plural JS form is reported as "ngettext")
KEYWORDS = {"t": None, "gettext": None, "N_": None, "tn": (1, 2), "ngettext": (1, 2)}


def _literal(token) -> str | None:
    """The text of a string token, or of a template string without substitutions."""
    if token.type == "string":
        return unquote_string(token.value)
    if token.type == "template_string" and "${" not in token.value:
        return token.value[1:-1]
    return None


def _plural(tokens, start: int) -> tuple[str, str] | None:
    """`{one: "...", other: "...", ...}` from tokens[start] (the `{`): the two strings."""
    depth, found, i = 0, {}, start
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "operator" and tok.value in "{[(":
            depth += 1
        elif tok.type == "operator" and tok.value in "}])":
            depth -= 1
            if depth == 0:
                break
        elif depth == 1 and tok.type in ("name", "string") and i + 2 < len(tokens):
            key = tok.value if tok.type == "name" else unquote_string(tok.value)
            colon, value = tokens[i + 1], tokens[i + 2]
            if key in ("one", "other") and colon.value == ":" and _literal(value) is not None:
                found[key] = _literal(value)
                i += 2
        i += 1
    if "one" in found and "other" in found:
        return found["one"], found["other"]
    return None


def extract_js(fileobj, keywords, comment_tags, options):
    """Babel extractor: (lineno, funcname, messages, comments) for each `t(` call."""
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    tokens = [tok for tok in tokenize(source, jsx=True, dotted=False, template_string=True)
              if tok.type not in ("linecomment", "multilinecomment")]
    for i, tok in enumerate(tokens[:-2]):
        if tok.type != "name" or tok.value != "t" or tokens[i + 1].value != "(":
            continue
        if i > 0 and tokens[i - 1].type == "operator" and tokens[i - 1].value in (".", "?."):
            continue
        first = tokens[i + 2]
        if first.type == "operator" and first.value == "{":
            pair = _plural(tokens, i + 2)
            if pair:
                yield tok.lineno, "ngettext", pair, []
        elif _literal(first) is not None:
            yield tok.lineno, "gettext", _literal(first), []


def _call_name(func) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def extract_py(fileobj, keywords, comment_tags, options):
    """Python calls whose message arguments are string literals, read from the syntax tree
    (Babel's tokenizing extractor also took strings from inside other arguments, e.g.
    `ngettext(s["msgid"], s["plural"], n)` gave a msgid "msgid"). `N_(singular, plural)`
    marks a plural pair. The caller's `extract` must know the names: `keywords=KEYWORDS`."""
    tree = ast.parse(fileobj.read())
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _call_name(node.func) not in KEYWORDS:
            continue
        name = _call_name(node.func)
        args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                for a in node.args]
        if name in ("tn", "ngettext") or (name == "N_" and len(args) == 2):
            if len(args) >= 2 and args[0] and args[1]:
                found.append((node.lineno, "ngettext", (args[0], args[1]), []))
        elif args and args[0]:
            found.append((node.lineno, "gettext", args[0], []))
    yield from sorted(found, key=lambda item: item[0])
