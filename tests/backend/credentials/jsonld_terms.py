"""Which properties of a JSON-LD document its contexts do not define (so that they would
only expand through the VC 2.0 context's issuer-dependent @vocab).

A small term resolver over the contexts vendored in tests/fixtures (ob3/, clr2/): the
document loader maps each context URL to its file and refuses every other URL, so nothing
is ever fetched. It follows the JSON-LD 1.1 rules that matter here: embedded "@context"
(arrays, in order), type-scoped contexts (for the typed node's own keys, not propagated)
and property-scoped contexts (for the property's value, propagated), and "@context": null.
"""

import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": FIXTURES / "ob3" / "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json":
        FIXTURES / "ob3" / "context-3.0.3.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json":
        FIXTURES / "clr2" / "context-2.0.1.json",
}
KEYWORDS = {"@protected", "@version", "@vocab", "@base", "@language", "@propagate"}


def load_document(url: str) -> dict:
    """The vendored context for `url`; any other URL is an error (never fetched)."""
    if url not in CONTEXTS:
        raise LookupError(f"no vendored context for {url}; nothing is fetched")
    return json.loads(CONTEXTS[url].read_text())


def merge(active: dict, local) -> dict:
    if local is None:
        return {}
    if isinstance(local, list):
        for item in local:
            active = merge(active, item)
        return active
    if isinstance(local, str):
        return merge(active, load_document(local)["@context"])
    out = dict(active)
    out.update({k: v for k, v in local.items() if k not in KEYWORDS})
    return out


def _types(node: dict) -> list[str]:
    kind = node.get("type", node.get("@type"))
    return [kind] if isinstance(kind, str) else [t for t in kind or [] if isinstance(t, str)]


def undefined_terms(node, active: dict | None = None, path: str = "$") -> list[str]:
    """Paths of keys no context in force defines."""
    active = {} if active is None else active
    if isinstance(node, list):
        return [p for i, item in enumerate(node)
                for p in undefined_terms(item, active, f"{path}[{i}]")]
    if not isinstance(node, dict):
        return []
    if "@context" in node:
        active = merge(active, node["@context"])
    local = dict(active)
    for kind in _types(node):
        term = active.get(kind)
        if isinstance(term, dict) and "@context" in term:
            local = merge(local, term["@context"])
    missing = []
    for key, value in node.items():
        if key.startswith("@"):
            continue
        term = local.get(key)
        if term is None:
            missing.append(f"{path}.{key}")
            continue
        child = active
        if isinstance(term, dict) and "@context" in term:
            child = merge(local, term["@context"])
        missing += undefined_terms(value, child, f"{path}.{key}")
    return missing
