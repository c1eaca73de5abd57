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
    ProfileEntry,
    ProfileObservation,
    ProfileSection,
    Rating,
    SelfAssessment,
    SuggestionDecline,
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
    # data keys the library writes only when set (not in its defaults): left out while empty
    optional: tuple = ()

    def to_row(self, obj) -> dict:
        """The library's row for a stored object (or a Core row of its table)."""
        data = {}
        convert = self.from_column
        for key, column in self.columns.items():
            value = getattr(obj, column)
            if key in self.optional and value in ("", None):
                continue
            data[key] = convert[key](value) if key in convert else value
        if self.meta_column:
            data.update(getattr(obj, self.meta_column) or {})
        deleted = bool(getattr(obj, self.deleted_column)) if self.deleted_column else False
        return {"type": None, "id": obj.id, "version": obj.version, "deleted": deleted,
                "data": data}

    def values(self, row: dict) -> dict:
        """The column values a library row writes: its id and the data keys it has."""
        data = row["data"]
        values = {"id": row["id"]}
        convert = self.to_column
        for key, column in self.columns.items():
            if key in data:
                values[column] = convert[key](data[key]) if key in convert else data[key]
        if self.meta_column:
            values[self.meta_column] = {k: v for k, v in data.items() if k[:1] == "_"}
        if self.deleted_column:
            values[self.deleted_column] = bool(row["deleted"])
        return values


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
                 "caption_version", "reviewed", "reflection"),
         "submitted": "is_submitted", "edited_after_review": "is_edited_after_review",
         "highlight": "is_highlight"},
        meta_column="merge_meta", deleted_column="is_deleted",
        optional=("reflection",),  # an educator's transfer reflection (microcredentials)
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
    # the Personal Learner Profile (issue 18; sync/merge/profile.py)
    "profile_section": Codec(
        ProfileSection, _same("student_id", "section", "text", "choices", "author_id", "hlc",
                              "alternatives"),
        meta_column="merge_meta",
    ),
    "profile_entry": Codec(
        ProfileEntry, _same("student_id", "section", "text", "choices", "author_id", "hlc"),
    ),
    "profile_observation": Codec(
        ProfileObservation, _same("student_id", "teacher_id", "section", "text", "response",
                                  "reply"),
        meta_column="merge_meta",
    ),
    # "not for me" (issue 18 item 3; sync/merge/declines.py)
    "suggestion_decline": Codec(
        SuggestionDecline, _same("student_id", "activity_id", "declined", "hlc"),
    ),
}
MODEL_TYPES = {codec.model: name for name, codec in CODECS.items()}


def to_row(row_type: str, obj) -> dict:
    row = CODECS[row_type].to_row(obj)
    row["type"] = row_type
    return row


def column_values(row: dict, student_id: int | None) -> dict:
    """Every column a library row writes, derived columns included (the version, and the
    created/updated times, are the writer's: backend/sync_server/store.py)."""
    row_type = row["type"]
    values = CODECS[row_type].values(row)
    if row_type == "history":
        values["student_id"] = student_id
    elif row_type == "event":
        values["assessed_on"] = _hlc_day(row["data"].get("hlc"))
    elif row_type == "evidence":
        values["review_status"] = evidence_status(row["data"])
    return values


def evidence_status(data: dict) -> str:
    """draft, submitted (waiting for review), approved or returned — what the learner sees."""
    reviewed = data.get("reviewed")
    if reviewed and not data.get("edited_after_review"):
        return reviewed["decision"]
    return "submitted" if data.get("submitted") else "draft"
