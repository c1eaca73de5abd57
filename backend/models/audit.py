"""The access log (who read which learner's record: FERPA 34 CFR 99.32's record of
disclosures), the audit log (who changed what, as an admin) and the purge markers that let
a deleted learner's log go with them.

Both logs are append-only, and the database itself holds that line, not only the API:
triggers (SQLite and PostgreSQL alike, created with the tables by `create_all` and by
migration 0007 from the one list in `trigger_sql`) refuse

* any UPDATE of an audit row;
* any UPDATE of an access row other than the coalescing one: `times` up, `last_at` later;
* any DELETE, except of rows that a purge marker covers: a learner deleted under the
  school's deletion duty (services/access_log.py `purge_learner`) first writes an
  `access_log_purges` row, and only rows of that learner first written before the marker
  may then be deleted. The marker holds ids and a time, no name, so it can stay.

Learner and reader ids are plain integers, not foreign keys: the log must never stop a
learner's deletion, and it outlives the read of an account that was later removed.
"""

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models._base import BigId, utcnow


class AccessEntry(db.Model):
    """Reads of one learner's record by one person, of one kind, within one period (UTC):
    an hour, or a day for the kinds that read many learners at once (a sync, a class grid).

    Coalesced so a year of use stays bounded: a teacher opening a binder forty times in an
    hour is one row with `times` = 40, not forty rows.
    """

    __tablename__ = "access_log"
    __table_args__ = (
        UniqueConstraint("reader_id", "learner_id", "kind", "period",
                         name="uq_access_log_reader_learner_kind_period"),
        Index("ix_access_log_learner_last", "learner_id", "last_at"),
        Index("ix_access_log_school_last", "school_id", "last_at"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    period: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # its start
    reader_id: Mapped[int] = mapped_column(Integer, index=True)
    learner_id: Mapped[int] = mapped_column(Integer)
    school_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(24))
    # why: teacher, guardian, admin or self; `detail` the classes that link a teacher
    relation: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(String(200), default="")
    first_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    times: Mapped[int] = mapped_column(Integer, default=1)


class AuditEntry(db.Model):
    """One write by an admin (or staff): who, when, what, on what, and a small diff."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_school_at", "school_id", "at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int] = mapped_column(Integer, index=True)
    school_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40), index=True)
    target_type: Mapped[str] = mapped_column(String(24))
    target_id: Mapped[str] = mapped_column(String(64), default="")
    # never a password: services/access_log.py drops secret-looking keys before writing
    change: Mapped[dict] = mapped_column(JSON, default=dict)


class AccessLogPurge(db.Model):
    """A learner's record was deleted: their log rows written before `purged_at` may go."""

    __tablename__ = "access_log_purges"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    learner_id: Mapped[int] = mapped_column(Integer, index=True)
    purged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    purged_by: Mapped[int | None] = mapped_column(Integer)


_REFUSED = "The access and audit logs are append-only."
# an access row may only count another read: every other column stays as written
_FIXED = ("id", "period", "reader_id", "learner_id", "school_id", "kind", "relation", "detail",
          "first_at")
_PURGED = ("EXISTS (SELECT 1 FROM access_log_purges p WHERE p.learner_id = {learner} "
           "AND {first} <= p.purged_at)")

_SQLITE = [
    "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log WHEN "
    + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _FIXED)
    + f" OR NEW.times < OLD.times OR NEW.last_at < OLD.last_at "
      f"BEGIN SELECT RAISE(ABORT, '{_REFUSED}'); END",
    "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log WHEN NOT "
    + _PURGED.format(learner="OLD.learner_id", first="OLD.first_at")
    + f" BEGIN SELECT RAISE(ABORT, '{_REFUSED}'); END",
    f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, '{_REFUSED}'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log WHEN NOT "
    "(OLD.target_type = 'learner' AND "
    + _PURGED.format(learner="CAST(OLD.target_id AS INTEGER)", first="OLD.at")
    + f") BEGIN SELECT RAISE(ABORT, '{_REFUSED}'); END",
    f"CREATE TRIGGER access_log_purges_no_update BEFORE UPDATE ON access_log_purges "
    f"BEGIN SELECT RAISE(ABORT, '{_REFUSED}'); END",
    f"CREATE TRIGGER access_log_purges_no_delete BEFORE DELETE ON access_log_purges "
    f"BEGIN SELECT RAISE(ABORT, '{_REFUSED}'); END",
]

_PG_ACCESS = (
    "CREATE OR REPLACE FUNCTION waypoint_access_log_guard() RETURNS trigger AS $$\n"
    "BEGIN\n"
    "  IF TG_OP = 'DELETE' THEN\n"
    "    IF " + _PURGED.format(learner="OLD.learner_id", first="OLD.first_at")
    + " THEN RETURN OLD; END IF;\n"
    f"    RAISE EXCEPTION '{_REFUSED}';\n"
    "  END IF;\n"
    "  IF " + " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in _FIXED)
    + " OR NEW.times < OLD.times OR NEW.last_at < OLD.last_at THEN\n"
    f"    RAISE EXCEPTION '{_REFUSED}';\n"
    "  END IF;\n"
    "  RETURN NEW;\n"
    "END $$ LANGUAGE plpgsql"
)
_PG_AUDIT = (
    "CREATE OR REPLACE FUNCTION waypoint_audit_log_guard() RETURNS trigger AS $$\n"
    "BEGIN\n"
    "  IF TG_OP = 'DELETE' AND OLD.target_type = 'learner' AND OLD.target_id ~ '^[0-9]+$' "
    "AND " + _PURGED.format(learner="CAST(OLD.target_id AS INTEGER)", first="OLD.at")
    + " THEN RETURN OLD; END IF;\n"
    f"  RAISE EXCEPTION '{_REFUSED}';\n"
    "END $$ LANGUAGE plpgsql"
)
_PG_FROZEN = (
    "CREATE OR REPLACE FUNCTION waypoint_frozen_guard() RETURNS trigger AS $$\n"
    f"BEGIN RAISE EXCEPTION '{_REFUSED}'; END $$ LANGUAGE plpgsql"
)
_POSTGRES = [
    _PG_ACCESS, _PG_AUDIT, _PG_FROZEN,
    "CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log "
    "FOR EACH ROW EXECUTE FUNCTION waypoint_access_log_guard()",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION waypoint_audit_log_guard()",
    "CREATE TRIGGER access_log_purges_append_only BEFORE UPDATE OR DELETE ON "
    "access_log_purges FOR EACH ROW EXECUTE FUNCTION waypoint_frozen_guard()",
]
_PG_DROP = [
    "DROP FUNCTION IF EXISTS waypoint_access_log_guard() CASCADE",
    "DROP FUNCTION IF EXISTS waypoint_audit_log_guard() CASCADE",
    "DROP FUNCTION IF EXISTS waypoint_frozen_guard() CASCADE",
]


def trigger_sql(dialect: str) -> list[str]:
    """The statements that make the three tables append-only on this database.

    Run after all three tables exist (migration 0007, and `create_all` through the
    after_create hook below); SQLite and PostgreSQL only, other dialects get none.
    """
    return {"sqlite": _SQLITE, "postgresql": _POSTGRES}.get(dialect, [])


def drop_sql(dialect: str) -> list[str]:
    """What `trigger_sql` leaves behind after the tables are dropped (PostgreSQL's functions)."""
    return _PG_DROP if dialect == "postgresql" else []


_TABLES = {"access_log", "audit_log", "access_log_purges"}


def _create_triggers(_metadata, connection, tables=(), **_kw) -> None:
    """After `create_all`: once all three tables exist, make them append-only."""
    if {t.name for t in tables} >= _TABLES:
        for statement in trigger_sql(connection.dialect.name):
            connection.exec_driver_sql(statement)


def _drop_functions(_metadata, connection, tables=(), **_kw) -> None:
    if {t.name for t in tables} >= _TABLES:
        for statement in drop_sql(connection.dialect.name):
            connection.exec_driver_sql(statement)


event.listen(db.metadata, "after_create", _create_triggers)
event.listen(db.metadata, "after_drop", _drop_functions)
