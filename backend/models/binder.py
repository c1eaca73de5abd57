"""A learner's binder: goals, picks, evidence, reviews, assessment events, ratings, conflicts.

Rows that devices create offline have client-generated UUID string ids. Every row carries
the server `version` it was last written at (pull cursors) and, where fields merge by
last-writer-wins, the hybrid-logical-clock stamp of each field's winning write and of the
last put and delete (`merge_meta`, owned by the sync library's merge rules).
"""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models._base import BigId, Timestamped, Versioned, utcnow

LEVEL_CHECK = (
    "{col} IS NULL OR ({col} >= 0 AND {col} <= 4 AND {col} * 2 = CAST({col} * 2 AS INTEGER))"
)


class Goal(Timestamped, Versioned, db.Model):
    __tablename__ = "goals"
    # pull: "this learner's rows after version v" stays one index range at any history size
    __table_args__ = (Index("ix_goals_student_version", "student_id", "version"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    target_ids: Mapped[list] = mapped_column(JSON, default=list)
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="active")
    reflection: Mapped[str] = mapped_column(Text, default="")
    merge_meta: Mapped[dict] = mapped_column(JSON, default=dict)  # per-field stamps, tombstone
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Pick(Timestamped, Versioned, db.Model):
    """A learner's choice of an activity from a playlist; one row per pick, never clobbered."""

    __tablename__ = "picks"
    # pull: "this learner's rows after version v" stays one index range at any history size
    __table_args__ = (Index("ix_picks_student_version", "student_id", "version"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"))
    status: Mapped[str] = mapped_column(String(16), default="picked")
    merge_meta: Mapped[dict] = mapped_column(JSON, default=dict)  # per-field stamps, tombstone
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class Evidence(Timestamped, Versioned, db.Model):
    __tablename__ = "evidence"
    # pull: "this learner's rows after version v" stays one index range at any history size
    __table_args__ = (Index("ix_evidence_student_version", "student_id", "version"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    caption: Mapped[str] = mapped_column(Text, default="")
    target_ids: Mapped[list] = mapped_column(JSON, default=list)
    blob_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    url: Mapped[str | None] = mapped_column(String(2000))
    text: Mapped[str | None] = mapped_column(Text)
    is_submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    # draft → submitted (waiting for review) → approved | returned; derived from `reviewed`
    review_status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    caption_version: Mapped[int] = mapped_column(Integer, default=1)
    # the latest review: teacher_id, decision, caption_version, blob_sha256, hlc
    reviewed: Mapped[dict | None] = mapped_column(JSON)
    is_edited_after_review: Mapped[bool] = mapped_column(Boolean, default=False)
    # the learner starred it to show at their conference (issue 18; sync/caps.py highlights)
    is_highlight: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # an educator's reflection on transfer to classroom practice (teacher microcredentials)
    reflection: Mapped[str] = mapped_column(Text, default="", server_default="")
    merge_meta: Mapped[dict] = mapped_column(JSON, default=dict)  # per-field stamps, tombstone
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class EvidenceReview(Versioned, db.Model):
    __tablename__ = "evidence_reviews"
    # pull: "this learner's rows after version v" stays one index range at any history size
    __table_args__ = (Index("ix_evidence_reviews_student_version", "student_id", "version"),)
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    evidence_id: Mapped[str] = mapped_column(ForeignKey("evidence.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[float | None] = mapped_column(Float)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("learning_targets.id"))
    blob_sha256: Mapped[str | None] = mapped_column(String(64))
    caption_version: Mapped[int] = mapped_column(Integer)
    hlc: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AssessmentEvent(Versioned, db.Model):
    """One score on one learning target at one date. Append-only: never updated or deleted."""

    __tablename__ = "assessment_events"
    __table_args__ = (
        CheckConstraint(LEVEL_CHECK.format(col="score"), name="score_halves"),
        Index("ix_assessment_events_student_version", "student_id", "version"),
    )
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("learning_targets.id"), index=True)
    # None = missing or excused: skipped by every calculation, never a zero
    score: Mapped[float | None] = mapped_column(Float)
    assessed_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(8))  # teacher | self | peer
    evidence_id: Mapped[str | None] = mapped_column(ForeignKey("evidence.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    hlc: Mapped[str | None] = mapped_column(String(64))
    # which mutation appended it (rating.put, evidence.review, …) or "import" / "seed"
    origin: Mapped[str] = mapped_column(String(24), default="import")
    conflict_id: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SelfAssessment(Versioned, db.Model):
    """The learner's own current view of a target (LWW register across their devices)."""

    __tablename__ = "self_assessments"
    __table_args__ = (
        UniqueConstraint("student_id", "target_id"),
        Index("ix_self_assessments_student_version", "student_id", "version"),
    )
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("learning_targets.id"))
    level: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    hlc: Mapped[str] = mapped_column(String(64))


class Rating(Versioned, db.Model):
    """One register per teacher per learner per target; concurrent teachers never overwrite."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("student_id", "target_id", "teacher_id"),
        Index("ix_ratings_student_version", "student_id", "version"),
    )
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("learning_targets.id"))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    level: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    hlc: Mapped[str] = mapped_column(String(64))
    base_version: Mapped[int] = mapped_column(BigId, default=0)
    client_id: Mapped[str | None] = mapped_column(String(64))
    rated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Conflict(Timestamped, Versioned, db.Model):
    """Two teachers rated the same target for the same learner without seeing each other."""

    __tablename__ = "conflicts"
    # pull: "this learner's rows after version v" stays one index range at any history size
    __table_args__ = (Index("ix_conflicts_student_version", "student_id", "version"),)
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("learning_targets.id"))
    members: Mapped[list] = mapped_column(JSON, default=list)  # each: teacher_id, level, hlc
    winner_teacher_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hlc: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    resolved_level: Mapped[float | None] = mapped_column(Float)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_hlc: Mapped[str | None] = mapped_column(String(64))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class FieldHistory(Versioned, db.Model):
    """Values that lost a last-writer-wins merge: kept, never silently dropped."""

    __tablename__ = "field_history"
    # pull: "this learner's rows after version v" stays one index range at any history size
    __table_args__ = (Index("ix_field_history_student_version", "student_id", "version"),)
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    row_type: Mapped[str] = mapped_column(String(24))
    row_id: Mapped[str] = mapped_column(String(120), index=True)
    field: Mapped[str] = mapped_column(String(40))
    value: Mapped[dict | list | str | float | int | None] = mapped_column(JSON)
    hlc: Mapped[str] = mapped_column(String(64))
    winner_hlc: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
