"""QR sign-in cards for young learners, and the shared class devices they work on.

A card (like Clever Badges) is a printed QR code plus a short typed code. Neither is kept
in the clear: `secret_hash` and `code_hash` are keyed digests (HMAC-SHA256 with the app's
secret, backend/services/sign_in_cards.py), so a copy of the database signs nobody in and
a short code cannot be brute-forced offline from it. A learner has at most one live card;
printing a class's cards again makes new ones and retires the old (the secret cannot be
printed twice: it was never stored).

A card works only on a device the school marked as a shared class device: a teacher or
admin signed in on it asked for a device token, which the browser keeps in an httpOnly
cookie; only its digest is stored here.
"""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models._base import utcnow


class SignInCard(db.Model):
    """One learner's card; `invalidated_at` set = refused from that moment on."""

    __tablename__ = "sign_in_cards"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[int] = mapped_column(Integer)
    invalidated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    invalidated_by: Mapped[int | None] = mapped_column(Integer)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SharedDevice(db.Model):
    """A device a teacher or admin marked as a shared class device (cards work on it)."""

    __tablename__ = "shared_devices"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[int] = mapped_column(Integer)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
