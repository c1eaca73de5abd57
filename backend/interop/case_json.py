"""Read CASE 1.1 JSON: check each CFPackage, map item types, build the isChildOf tree.

The mapping and its rules are described in backend/interop/case.py."""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from backend.input_limits import MAX_JSON_DEPTH, json_too_deep
from backend.interop.problems import Problems

KINDS = {
    "area": ("content area", "subject", "discipline", "domain"),
    "topic": ("measurement topic", "cluster", "strand", "topic"),
    "target": ("learning target", "standard", "element", "learning objective", "indicator",
               "benchmark", "skill"),
}
KIND_OF_TYPE = {name: kind for kind, names in KINDS.items() for name in names}
WORDS = {"area": "content area", "topic": "measurement topic", "target": "learning target"}


@dataclass
class Item:
    identifier: str
    kind: str
    path: str  # where it is in the JSON, for problems
    raw: dict
    parent: str | None = None
    sequence: float = 0
    children: list["Item"] = field(default_factory=list)


@dataclass
class Package:
    path: str
    document: dict
    items: dict[str, Item]
    rubrics: dict[str, list[tuple[int, str]]]  # target identifier -> [(score, text)]
    changed_at: datetime | None

    @property
    def identifier(self) -> str:
        return self.document["identifier"]

    def roots(self) -> list[Item]:
        return sorted((i for i in self.items.values() if i.parent == self.identifier),
                      key=lambda i: i.sequence)


def load_json(data: bytes, source: str, problems: Problems) -> list[dict]:
    """The packages in an upload: one CFPackage object, or a JSON array of them."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        problems.add(source, line, f"is not UTF-8 text (byte 0x{data[err.start]:02x}); CASE "
                     "JSON is always UTF-8")
        return []
    if json_too_deep(data):  # the decoder would recurse past Python's limit
        problems.add(source, None, f"nests arrays and objects more than {MAX_JSON_DEPTH} "
                     "levels deep; a CASE package needs far fewer")
        return []
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as err:
        problems.add(source, err.lineno, f"is not valid JSON ({err.msg}, column {err.colno})")
        return []
    packages = parsed if isinstance(parsed, list) else [parsed]
    if not packages or not all(isinstance(p, dict) for p in packages):
        problems.add(source, None, "must be a CFPackage object or an array of them")
        return []
    return packages


def _type_name(raw: dict) -> str:
    uri = raw.get("CFItemTypeURI")
    name = raw.get("CFItemType") or (uri.get("title") if isinstance(uri, dict) else "") or ""
    return str(name).strip()


def _node(value) -> str | None:
    return value.get("identifier") if isinstance(value, dict) else None


def parse_when(value) -> datetime | None:
    """An ISO 8601 date-time (UTC when no zone is given), or None."""
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def read_package(raw: dict, source: str, index: int, problems: Problems,
                 seen: set[str]) -> Package | None:
    """Check one CFPackage: document, items, tree, rubrics. Problems are collected."""
    where = source if index is None else f"{source} [package {index + 1}]"
    before = len(problems.items)
    doc = raw.get("CFDocument")
    if not isinstance(doc, dict) or not doc.get("identifier") or not doc.get("title"):
        problems.add(where, None, "needs a CFDocument with an identifier and a title",
                     "CFDocument")
        return None
    items: dict[str, Item] = {}
    for n, item in enumerate(raw.get("CFItems") or []):
        path = f"CFItems[{n}]"
        ident = item.get("identifier") if isinstance(item, dict) else None
        if not isinstance(ident, str) or not ident or len(ident) > 64:
            problems.add(where, None, "needs an identifier of at most 64 characters", path)
            continue
        if ident in items or ident in seen:
            problems.add(where, None, f"repeats the identifier {ident}", path)
            continue
        type_name = _type_name(item)
        kind = KIND_OF_TYPE.get(type_name.lower())
        if kind is None:
            problems.add(where, None, f"has CFItemType {type_name or '(none)'!r}, which Waypoint "
                         "cannot map (known: " + ", ".join(sorted(
                             {n.title() for n in KIND_OF_TYPE})) + ")", f"{path}.CFItemType")
            continue
        if not str(item.get("fullStatement") or "").strip():
            problems.add(where, None, "has no fullStatement", f"{path}.fullStatement")
        scale = (item.get("extensions") or {}).get("scaleLevel")
        if scale is not None and scale not in (2, 3, 4, 2.0, 3.0, 4.0):
            problems.add(where, None, f"scaleLevel must be 2.0, 3.0 or 4.0, not {scale!r}",
                         f"{path}.extensions.scaleLevel")
        items[ident] = Item(ident, kind, path, item)
    _place(items, raw.get("CFAssociations") or [], doc["identifier"], where, problems)
    rubrics = _rubrics(raw.get("CFRubrics") or [], items, where, problems)
    if len(problems.items) > before:
        return None
    seen.update(items)
    return Package(where, doc, items, rubrics, parse_when(doc.get("lastChangeDateTime")))


def _place(items: dict[str, Item], associations: list, doc_id: str, where: str,
           problems: Problems) -> None:
    """Parents from isChildOf; then no cycles, nothing unplaced, each kind in its place."""
    for n, assoc in enumerate(associations):
        if not isinstance(assoc, dict) or assoc.get("associationType") != "isChildOf":
            continue  # other associations (isRelatedTo, exactMatchOf, …) are not the tree
        path = f"CFAssociations[{n}]"
        child, parent = _node(assoc.get("originNodeURI")), _node(assoc.get("destinationNodeURI"))
        if child not in items:
            problems.add(where, None, f"isChildOf starts at unknown item {child!r}",
                         f"{path}.originNodeURI")
            continue
        if parent != doc_id and parent not in items:
            problems.add(where, None, f"isChildOf points to unknown item {parent!r}",
                         f"{path}.destinationNodeURI")
            continue
        item = items[child]
        if item.parent is not None and item.parent != parent:
            problems.add(where, None, f"gives item {child} a second parent (Waypoint needs one)",
                         path)
            continue
        item.parent = parent
        item.sequence = assoc.get("sequenceNumber") or n
    for item in items.values():
        if item.parent is None:
            problems.add(where, None, f"item {item.identifier} has no isChildOf association, so "
                         "it has no place in the tree", item.path)
            continue
        chain, node = [item.identifier], item
        while node.parent in items:
            node = items[node.parent]
            if node.identifier in chain:
                loop = " → ".join(chain[chain.index(node.identifier):] + [node.identifier])
                problems.add(where, None, f"isChildOf associations form a cycle: {loop}",
                             item.path)
                break
            chain.append(node.identifier)
        else:
            _check_place(item, items, doc_id, where, problems)


def _check_place(item: Item, items: dict[str, Item], doc_id: str, where: str,
                 problems: Problems) -> None:
    parent = items.get(item.parent)
    allowed = {"area": (None,), "topic": ("area",), "target": ("topic", "target")}[item.kind]
    got = parent.kind if parent else None
    if got not in allowed:
        inside = "the document itself" if parent is None else f"a {WORDS[got]}"
        needs = " or ".join("the document" if a is None else f"a {WORDS[a]}" for a in allowed)
        problems.add(where, None, f"{WORDS[item.kind]} {item.identifier} sits inside {inside}; "
                     f"it belongs inside {needs}", item.path)
    elif parent is not None:
        parent.children.append(item)


def _rubrics(rubrics: list, items: dict[str, Item], where: str,
             problems: Problems) -> dict[str, list[tuple[int, str]]]:
    out: dict[str, list[tuple[int, str]]] = {}
    for r, rubric in enumerate(rubrics):
        for c, criterion in enumerate((rubric or {}).get("CFRubricCriteria") or []):
            path = f"CFRubrics[{r}].CFRubricCriteria[{c}]"
            target = _node(criterion.get("CFItemURI"))
            if target not in items or items[target].kind != "target":
                problems.add(where, None, f"rubric criterion names {target!r}, which is not a "
                             "learning target of this package", f"{path}.CFItemURI")
                continue
            levels = []
            for n, level in enumerate(criterion.get("CFRubricCriterionLevels") or []):
                score = level.get("score")
                text = str(level.get("description") or level.get("quality") or "").strip()
                if (isinstance(score, bool) or not isinstance(score, int | float)
                        or score != int(score) or not 0 <= score <= 4):
                    problems.add(where, None, f"score must be a whole number from 0 to 4, not "
                                 f"{score!r}", f"{path}.CFRubricCriterionLevels[{n}].score")
                elif not text:
                    problems.add(where, None, "has no description",
                                 f"{path}.CFRubricCriterionLevels[{n}]")
                elif int(score) in {s for s, _ in levels}:
                    problems.add(where, None, f"repeats score {int(score)}",
                                 f"{path}.CFRubricCriterionLevels[{n}]")
                else:
                    levels.append((int(score), text))
            out[target] = sorted(levels)
    return out
