"""Translate between the sync library's plain rows and the typed SQLAlchemy models.

The library speaks rows `{"type", "id", "version", "deleted", "data"}`; the database keeps
typed columns so the binder, reports and dashboards can query them. Each codec names the
data keys that are columns (with a column name where it differs) and where the library's
own bookkeeping (keys starting with "_") is kept.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from backend.models import (
    AssessmentEvent,
    Conflict,
    Evidence,
    EvidenceReview,
    FieldHistory,
    Goal,
    Pick,
    Rating,
    SelfAssessment,
)


def _to_date(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def _from_date(value):
    return value.isoformat() if isinstance(value, date) else value


def _hlc_day(hlc: str | None) -> date:
    """The day a device made a change, from its (clamped) HLC wall clock."""
    if not hlc:
        return datetime.now(UTC).date()
    return datetime.fromtimestamp(int(hlc.split("-", 1)[0]) / 1000, UTC).date()


@dataclass(frozen=True)
class Codec:
    model: type
    columns: dict  # data key → column name
    meta_column: str | None = None  # JSON column for "_…" bookkeeping keys
    deleted_column: str | None = None
    to_column: dict = field(default_factory=dict)  # data key → converter into the column
    from_column: dict = field(default_factory=dict)

    def to_row(self, obj) -> dict:
        """The library's row for a stored object."""
        data = {}
        for key, column in self.columns.items():
            value = getattr(obj, column)
            data[key] = self.from_column.get(key, lambda v: v)(value)
        if self.meta_column:
            data.update(getattr(obj, self.meta_column) or {})
        deleted = bool(getattr(obj, self.deleted_column)) if self.deleted_column else False
        return {"type": None, "id": obj.id, "version": obj.version, "deleted": deleted,
                "data": data}

    def apply(self, obj, row: dict) -> None:
        """Write a row from the library onto a (new or stored) object."""
        data = row["data"]
        for key, column in self.columns.items():
            if key in data:
                setattr(obj, column, self.to_column.get(key, lambda v: v)(data[key]))
        if self.meta_column:
            setattr(obj, self.meta_column, {k: v for k, v in data.items() if k.startswith("_")})
        if self.deleted_column:
            setattr(obj, self.deleted_column, bool(row["deleted"]))


def _same(*names: str) -> dict:
    return {name: name for name in names}


CODECS: dict[str, Codec] = {
    "goal": Codec(
        Goal, _same("student_id", "title", "target_ids", "due_on", "status", "reflection"),
        meta_column="merge_meta", deleted_column="is_deleted",
        to_column={"due_on": _to_date}, from_column={"due_on": _from_date},
    ),
    "pick": Codec(
        Pick, _same("student_id", "activity_id", "status"),
        meta_column="merge_meta", deleted_column="is_deleted",
    ),
    "evidence": Codec(
        Evidence,
        {**_same("student_id", "kind", "caption", "target_ids", "blob_sha256", "url", "text",
                 "caption_version", "reviewed"),
         "submitted": "is_submitted", "edited_after_review": "is_edited_after_review"},
        meta_column="merge_meta", deleted_column="is_deleted",
    ),
    "review": Codec(
        EvidenceReview,
        _same("evidence_id", "student_id", "comment", "level", "target_id", "teacher_id",
              "decision", "caption_version", "blob_sha256", "hlc"),
    ),
    "self_assessment": Codec(
        SelfAssessment, _same("student_id", "target_id", "level", "note", "hlc"),
    ),
    "rating": Codec(
        Rating, _same("student_id", "target_id", "teacher_id", "level", "note", "hlc",
                      "base_version"),
    ),
    "conflict": Codec(
        Conflict,
        _same("student_id", "target_id", "status", "members", "winner_teacher_id", "opened_by",
              "hlc", "resolved_level", "resolved_by", "resolved_hlc"),
    ),
    "event": Codec(
        AssessmentEvent,
        {**_same("student_id", "target_id", "source", "author_id", "hlc", "origin", "note",
                 "evidence_id", "conflict_id", "assessed_on"), "level": "score"},
        # the date assessed (events order by it); the library's own rows leave it to upsert
        to_column={"assessed_on": _to_date}, from_column={"assessed_on": _from_date},
    ),
    "history": Codec(
        FieldHistory, _same("row_type", "row_id", "field", "value", "hlc", "winner_hlc"),
    ),
}
MODEL_TYPES = {codec.model: name for name, codec in CODECS.items()}


def to_row(row_type: str, obj) -> dict:
    row = CODECS[row_type].to_row(obj)
    row["type"] = row_type
    return row


def upsert(session, row: dict, student_id: int, now: datetime, existing=None) -> object:
    """Create or update the object for a library row (the version is stamped at flush).

    `existing` is the stored object when the caller already looked it up (None: new row).
    """
    codec = CODECS[row["type"]]
    obj = existing
    if obj is None:
        obj = codec.model(id=row["id"])
        session.add(obj)
    codec.apply(obj, row)
    if row["type"] == "history":
        obj.student_id = student_id
    elif row["type"] == "event":
        obj.assessed_on = _hlc_day(row["data"].get("hlc"))
    elif row["type"] == "evidence":
        obj.review_status = evidence_status(row["data"])
    elif row["type"] == "conflict" and row["data"].get("status") == "resolved":
        obj.resolved_at = obj.resolved_at or now
    return obj


def evidence_status(data: dict) -> str:
    """draft, submitted (waiting for review), approved or returned — what the learner sees."""
    reviewed = data.get("reviewed")
    if reviewed and not data.get("edited_after_review"):
        return reviewed["decision"]
    return "submitted" if data.get("submitted") else "draft"
