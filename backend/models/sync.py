"""Sync bookkeeping: devices and their last seq, the version counter, evidence blobs."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models._base import utcnow


class VersionCounter(db.Model):
    """A single row; incremented under a row lock so versions follow commit order."""

    __tablename__ = "version_counter"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class SyncClient(db.Model):
    """One browser profile of one user: its last applied seq and when it was last seen."""

    __tablename__ = "sync_clients"
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    # the latest stamp accepted from this device, so clamped stamps stay distinct and ordered
    last_hlc: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_push_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_pull_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SyncMutation(db.Model):
    """The answer given to each mutation, so a replayed seq gets the same answer."""

    __tablename__ = "sync_mutations"
    client_id: Mapped[str] = mapped_column(
        ForeignKey("sync_clients.client_id"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    hlc: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Blob(db.Model):
    """A finished evidence file addressed by its sha256, stored once however many accounts
    sent it. Who sent it (and so who may cite and read it) is `BlobUpload`
    (backend/models/blobs.py); since migration 0006 a row here is always complete, and
    `uploader_id` is the first account to finish it."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    uploader_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    length: Mapped[int | None] = mapped_column(BigInteger)
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    is_complete: Mapped[bool] = mapped_column(Boolean, default=False)
    content_type: Mapped[str | None] = mapped_column(String(80))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
