"""CASE 1.1 curriculum import: a CFPackage becomes content areas, topics and learning targets.

Items are placed by their `isChildOf` associations and mapped by their CFItemType
(`CFItemType`, or the title of `CFItemTypeURI`), compared without regard to case:

* content area ← Content Area, Subject, Discipline, Domain
* measurement topic ← Measurement Topic, Cluster, Strand, Topic
* learning target ← Learning Target, Standard, Element, Learning Objective, Indicator,
  Benchmark, Skill

A content area sits under the CFDocument, a topic inside a content area, a target inside
a topic; a target under a target (an Element of a Standard) joins the same topic, right
after its parent.

Any other type, a cycle, an item with no place in the tree, or one in the wrong place
refuses the package as a whole. The target's scale level (2.0 foundational, 3.0 target,
4.0 beyond) is `extensions.scaleLevel` when given, else 3.0; a topic's level is the first
number in its `educationLevel` (KG = 0), else 1. A content area is academic unless
`extensions.isAcademic` (on the item or the CFDocument) says false or its name says
"Lifelong Learning" or "Habits of". CFRubrics criteria become the descriptors (scores 0–4)
of the target their `CFItemURI` names.

Identifiers are kept (`case_identifier`), so importing a newer version of a document
updates everything in place; targets it no longer lists are retired (soft-deleted, their
evidence and events kept), topics and areas it no longer lists are kept and reported. A
version older than the one imported before is refused.
"""

import re
from datetime import UTC

from sqlalchemy import func, select

from backend.extensions import db
from backend.interop.case_json import (
    WORDS,
    Item,
    Package,
    load_json,
    parse_when,
    read_package,
)
from backend.interop.problems import ImportReport, Problems
from backend.models import (
    ContentArea,
    InteropRecord,
    LearningTarget,
    MeasurementTopic,
    RubricDescriptor,
)
from backend.models._base import utcnow

SYSTEM = "case"
MODELS = {"area": ContentArea, "topic": MeasurementTopic, "target": LearningTarget}
NON_ACADEMIC = re.compile(r"lifelong learning|habits of", re.I)
ENTITY = {"area": "content areas", "topic": "measurement topics", "target": "learning targets"}


def import_case(data: bytes | list[tuple[str, bytes]], *, school_id: int,
                dry_run: bool = False, source: str = "upload", progress=None,
                audience: str = "learner") -> ImportReport:
    """Check every package in `data` (one file's bytes, or [(name, bytes)] for several),
    then apply them all in one transaction (rolled back for a dry run).

    Raises ImportRefused, naming every problem, when anything is wrong. `audience`
    "educator" puts the areas into the district's catalog of teacher microcredentials.
    """
    files = [(source, data)] if isinstance(data, bytes) else data
    problems = Problems()
    seen: set[str] = set()
    packages = []
    for name, content in files:
        raw = load_json(content, name, problems)
        packages += [p for n, r in enumerate(raw)
                     if (p := read_package(r, name, n if len(raw) > 1 else None, problems,
                                           seen))]
    problems.raise_if_any("CASE import")
    if progress:
        progress("checking against the curriculum", 0, len(packages))
    for package in packages:
        _check_against_database(package, school_id, problems)
    problems.raise_if_any("CASE import")
    if progress:  # the last word before the write transaction (see backend.interop.jobs)
        progress("applying changes", 0, len(packages))
    report = ImportReport("case", dry_run)
    try:
        for package in packages:
            _Apply(package, school_id, report, audience).run()
        db.session.flush()
    except Exception:
        db.session.rollback()
        raise
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return report


def _existing(kind: str, identifier: str):
    model = MODELS[kind]
    return db.session.scalar(select(model).where(model.case_identifier == identifier))


def _school_of(row) -> int:
    if isinstance(row, ContentArea):
        return row.school_id
    if isinstance(row, MeasurementTopic):
        return row.content_area.school_id
    return row.topic.content_area.school_id


def _check_against_database(package: Package, school_id: int, problems: Problems) -> None:
    """Same identifier, same kind and same school; and never an older version."""
    for item in package.items.values():
        for kind in MODELS:
            row = _existing(kind, item.identifier)
            if row is None:
                continue
            if kind != item.kind:
                problems.add(package.path, None, f"item {item.identifier} was imported as a "
                             f"{WORDS[kind]} and is now a {WORDS[item.kind]}; Waypoint cannot "
                             "turn one into the other", item.path)
            elif _school_of(row) != school_id:
                problems.add(package.path, None, f"item {item.identifier} was imported into "
                             "another school", item.path)
    rec = db.session.get(InteropRecord, (SYSTEM, package.identifier))
    if rec and rec.date_last_modified and package.changed_at:
        before = rec.date_last_modified
        before = before if before.tzinfo else before.replace(tzinfo=UTC)
        if package.changed_at < before:
            problems.add(package.path, None, f"this version of {package.document['title']!r} "
                         f"({package.changed_at:%Y-%m-%d}) is older than the one already "
                         f"imported ({before:%Y-%m-%d})", "CFDocument.lastChangeDateTime")


def _number(levels) -> int:
    for value in levels or []:
        text = str(value).strip().upper()
        if text in ("KG", "K", "PK"):
            return 0
        match = re.search(r"\d+", text)
        if match:
            return int(match.group())
    return 1


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Apply:
    def __init__(self, package: Package, school_id: int, report: ImportReport,
                 audience: str = "learner"):
        self.p = package
        self.school_id = school_id
        self.audience = audience
        self.report = report
        self.doc_academic = (package.document.get("extensions") or {}).get("isAcademic")

    def run(self) -> None:
        next_position = (db.session.scalar(select(func.max(ContentArea.position)).where(
            ContentArea.school_id == self.school_id)) or 0) + 1
        for n, area_item in enumerate(self.p.roots()):
            area = self._area(area_item, next_position + n)
            for t, topic_item in enumerate(sorted(area_item.children, key=lambda i: i.sequence)):
                topic = self._topic(topic_item, area, t)
                targets = self._flatten(topic_item)
                for position, target_item in enumerate(targets):
                    self._target(target_item, topic, position)
        self._retire()
        self._remember(self.p.identifier, "document", None, self.p.changed_at)

    def _flatten(self, topic_item: Item) -> list[Item]:
        out = []

        def walk(node: Item):
            for child in sorted(node.children, key=lambda i: i.sequence):
                out.append(child)
                walk(child)

        walk(topic_item)
        return out

    def _remember(self, identifier: str, kind: str, local_id: int | None, when) -> None:
        rec = db.session.get(InteropRecord, (SYSTEM, identifier))
        if rec is None:
            rec = InteropRecord(system=SYSTEM, identifier=identifier)
            db.session.add(rec)
        rec.kind, rec.local_id, rec.document = kind, local_id, self.p.identifier
        rec.status = "active"
        rec.date_last_modified = when

    def _save(self, kind: str, item: Item, wanted: dict, label: str):
        """Create or update one row by its CASE identifier; report what changed."""
        row = _existing(kind, item.identifier)
        entity = ENTITY[kind]
        if row is None:
            row = MODELS[kind](case_identifier=item.identifier, **wanted)
            db.session.add(row)
            self.report.change(entity, "create", f"create {WORDS[kind]} {label}")
        else:
            changed = sorted(k for k, v in wanted.items() if getattr(row, k) != v)
            for key in changed:
                setattr(row, key, wanted[key])
            if changed:
                self.report.change(entity, "update", f"update {WORDS[kind]} {label}: "
                                   f"{', '.join(changed)}")
            else:
                self.report.change(entity, "unchanged")
        db.session.flush()
        self._remember(item.identifier, kind, row.id,
                       parse_when(item.raw.get("lastChangeDateTime")))
        return row

    def _area(self, item: Item, position: int) -> ContentArea:
        raw = item.raw
        name = _clip(raw.get("abbreviatedStatement") or raw["fullStatement"], 120)
        flag = (raw.get("extensions") or {}).get("isAcademic", self.doc_academic)
        is_academic = bool(flag) if flag is not None else not NON_ACADEMIC.search(name)
        if self.audience == "educator":
            is_academic = False  # teacher microcredentials are never averaged with academics
        existing = _existing("area", item.identifier)
        return self._save("area", item, {
            "school_id": self.school_id, "name": name, "is_academic": is_academic,
            "audience": self.audience,
            "position": existing.position if existing else position}, name)

    def _topic(self, item: Item, area: ContentArea, position: int) -> MeasurementTopic:
        raw = item.raw
        name = _clip(raw.get("abbreviatedStatement") or raw["fullStatement"], 160)
        return self._save("topic", item, {
            "content_area_id": area.id, "name": name, "description": raw["fullStatement"],
            "level": _number(raw.get("educationLevel")), "position": position}, name)

    def _target(self, item: Item, topic: MeasurementTopic, position: int) -> None:
        raw = item.raw
        code = _clip(raw.get("humanCodingScheme") or raw.get("listEnumeration")
                     or item.identifier[:8], 40)
        scale = float((raw.get("extensions") or {}).get("scaleLevel", 3.0))
        title = _clip(raw["fullStatement"], 300)
        if title != " ".join(str(raw["fullStatement"]).split()):
            self.report.warn(f"target {code}: statement shortened to 300 characters")
        target = self._save("target", item, {
            "topic_id": topic.id, "code": code, "title": title, "scale_level": scale,
            "position": position, "deleted_at": None}, code)
        if item.identifier in self.p.rubrics:
            self._rubric(target, self.p.rubrics[item.identifier])

    def _rubric(self, target: LearningTarget, levels: list[tuple[int, str]]) -> None:
        """Descriptors updated in place by score, so (target, score) stays unique mid-flush."""
        have = {d.score: d for d in db.session.scalars(
            select(RubricDescriptor).where(RubricDescriptor.target_id == target.id))}
        changed = False
        for score, text in levels:
            if score in have:
                if have[score].text != text:
                    have[score].text, changed = text, True
            else:
                db.session.add(RubricDescriptor(target_id=target.id, score=score, text=text))
                changed = True
        for score in set(have) - {s for s, _ in levels}:
            db.session.delete(have[score])
            changed = True
        self.report.change("rubric descriptors", "update" if changed else "unchanged",
                           f"rubric of {target.code}: {len(levels)} levels" if changed else None)

    def _retire(self) -> None:
        """What an earlier version of this document listed and this one does not."""
        gone = db.session.scalars(select(InteropRecord).where(
            InteropRecord.system == SYSTEM, InteropRecord.document == self.p.identifier,
            InteropRecord.kind.in_(tuple(MODELS)),
            InteropRecord.identifier.not_in(list(self.p.items)),
            InteropRecord.status == "active")).all()
        for rec in gone:
            row = _existing(rec.kind, rec.identifier)
            if row is None:
                continue
            if rec.kind == "target":
                row.deleted_at = utcnow()
                rec.status = "tobedeleted"
                self.report.change("learning targets", "retire", f"retire learning target "
                                   f"{row.code} (evidence and events kept)")
            else:
                self.report.warn(f"{WORDS[rec.kind]} {row.name} is no longer in "
                                 f"{self.p.document['title']!r}; kept")
