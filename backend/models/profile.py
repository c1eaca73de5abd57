"""The Personal Learner Profile (issue 18): the learner's sections in their own words, every
text each section has had, and the teacher's "I've noticed…" observations.

Rows are written by the sync library's merge rules (sync/merge/profile.py) through
backend/sync_server (codecs.py); every pull carries them to the learner, their teachers and
their guardians (visibility.py: every learner-owned row type).
"""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models._base import Timestamped, Versioned, utcnow


class ProfileSection(Timestamped, Versioned, db.Model):
    """One section of one learner's profile: the text shown and any texts written at the
    same time elsewhere (`alternatives`) that the learner has not chosen between yet."""

    __tablename__ = "profile_sections"
    __table_args__ = (Index("ix_profile_sections_student_version", "student_id", "version"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # from (learner, section)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    section: Mapped[str] = mapped_column(String(24))
    text: Mapped[str] = mapped_column(Text, default="")
    choices: Mapped[list] = mapped_column(JSON, default=list)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hlc: Mapped[str | None] = mapped_column(String(64))
    alternatives: Mapped[list] = mapped_column(JSON, default=list)
    merge_meta: Mapped[dict] = mapped_column(JSON, default=dict)  # the stamps replaced


class ProfileEntry(Versioned, db.Model):
    """Every text a section was given, who wrote it and when: "how I have changed"."""

    __tablename__ = "profile_entries"
    __table_args__ = (Index("ix_profile_entries_student_version", "student_id", "version"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # from (client, seq)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    section: Mapped[str] = mapped_column(String(24))
    text: Mapped[str] = mapped_column(Text, default="")
    choices: Mapped[list] = mapped_column(JSON, default=list)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hlc: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProfileObservation(Timestamped, Versioned, db.Model):
    """A teacher's "I've noticed…" about a learner, and the learner's answer."""

    __tablename__ = "profile_observations"
    __table_args__ = (
        Index("ix_profile_observations_student_version", "student_id", "version"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the device's row id
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    section: Mapped[str] = mapped_column(String(24), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    response: Mapped[str] = mapped_column(String(10), default="open")  # accepted | discuss
    reply: Mapped[str] = mapped_column(Text, default="")
    merge_meta: Mapped[dict] = mapped_column(JSON, default=dict)  # per-field stamps
