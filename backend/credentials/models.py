"""Tables of the credentials area: issuer keys, issued credentials, imported credentials."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models._base import utcnow


class CredentialKey(db.Model):
    """One Ed25519 signing key of a school's issuer. The private half never leaves the
    server (never served, never in a credential); a retired key stays published so the
    credentials it signed still verify."""

    __tablename__ = "credential_keys"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the JWS `kid`
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    public_jwk: Mapped[dict] = mapped_column(JSON)
    private_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LearnerCredential(db.Model):
    """An OpenBadgeCredential issued to a learner for a measurement topic.

    `active_key` is "learner:topic" while the credential stands and NULL once revoked, so
    the unique constraint keeps one standing credential per learner and achievement on
    SQLite and PostgreSQL alike (NULLs never collide)."""

    __tablename__ = "learner_credentials"
    __table_args__ = (UniqueConstraint("school_id", "status_index"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("measurement_topics.id"), index=True)
    active_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    status_index: Mapped[int] = mapped_column(Integer)
    key_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    jwt: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str] = mapped_column(Text, default="")


class CredentialStatusCounter(db.Model):
    """The next free index of a school's status list. It only ever grows: an index once
    given is never given again, even after its credential's row is deleted with its learner
    (a reused index would make revoking the new credential revoke the old one too)."""

    __tablename__ = "credential_status_counters"
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    next_index: Mapped[int] = mapped_column(Integer)


class ImportedCredential(db.Model):
    """An Open Badges 3.0 credential earned elsewhere, uploaded into a person's record,
    kept as uploaded with the verification result it got at upload."""

    __tablename__ = "imported_credentials"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    raw: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(300), default="")
    issuer_name: Mapped[str] = mapped_column(String(300), default="")
    verdict: Mapped[str] = mapped_column(String(24))
    result: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MicrocredentialAward(db.Model):
    """What an admin recorded for an educator's microcredential: the stipend paid and the
    recertification hours granted (one record per credential, audit-logged on change)."""

    __tablename__ = "microcredential_awards"
    credential_id: Mapped[str] = mapped_column(ForeignKey("learner_credentials.id"),
                                               primary_key=True)
    stipend_cents: Mapped[int | None] = mapped_column(Integer)
    recert_hours: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
