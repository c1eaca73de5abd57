"""Family export jobs, learner deletion receipts, blob deletions still to do, purge
tombstones for devices, and the school's retention setting.

None of these tables keeps a deleted child's personal data: a receipt and a tombstone hold
the learner's former id (not a foreign key: the user row is gone) and, on the receipt only,
their initials so an admin can match it to their own paper trail.
"""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models._base import BigId, utcnow


class RecordExport(db.Model):
    """One family export of a learner's whole record: a zip made in the background."""

    __tablename__ = "record_exports"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="queued")  # running, done, failed
    percent: Mapped[int] = mapped_column(Integer, default=0)
    stage: Mapped[str] = mapped_column(String(80), default="")
    message: Mapped[str] = mapped_column(Text, default="")  # why it failed, in words
    result_key: Mapped[str | None] = mapped_column(String(80))  # zip in the blob store
    size: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class DeletionReceipt(db.Model):
    """What one deletion removed: counts per kind, blobs, when and by whom."""

    __tablename__ = "deletion_receipts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    learner_ref: Mapped[int] = mapped_column(Integer)  # the former user id; not a key
    initials: Mapped[str] = mapped_column(String(8), default="")
    scope: Mapped[str] = mapped_column(String(16), default="learner")  # or "photos"
    reason: Mapped[str] = mapped_column(String(16), default="admin")  # or "retention"
    deleted_by: Mapped[int | None] = mapped_column(Integer)  # an admin's id, or none
    deleted_by_name: Mapped[str] = mapped_column(String(120), default="")
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    blob_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BlobDeletion(db.Model):
    """A stored file to delete once the rows that named it are gone (retried until done)."""

    __tablename__ = "blob_deletions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(120))
    variant: Mapped[str] = mapped_column(String(16))  # original, thumb, exports, partial
    receipt_id: Mapped[str | None] = mapped_column(ForeignKey("deletion_receipts.id"),
                                                   index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PurgedLearner(db.Model):
    """A deleted learner's tombstone: devices pulling past `version` wipe that learner."""

    __tablename__ = "purged_learners"
    learner_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    version: Mapped[int] = mapped_column(BigId, index=True)
    purged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RetentionSetting(db.Model):
    """How long a school keeps a learner's data after they leave (None = until deleted)."""

    __tablename__ = "retention_settings"
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    photo_years: Mapped[int | None] = mapped_column(Integer)
    record_years: Mapped[int | None] = mapped_column(Integer)
    updated_by: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)


class FamilySharing(db.Model):
    """What a family agreed a learner's credentials may carry (issue 17: "with the family's
    consent setting honoured"). No row: the school's setting (`credential_evidence` in its
    settings, links by default). A guardian sets it; credentials issued after the change
    follow it (a signed credential cannot change)."""

    __tablename__ = "family_sharing"
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    # may a credential link to the learner's approved evidence files (behind sign-in)?
    credential_evidence: Mapped[bool] = mapped_column(db.Boolean)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                             onupdate=utcnow)
