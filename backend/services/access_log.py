"""The one home of the access log (who read a learner's record, and why: FERPA 34 CFR 99.32's
record of disclosures) and the audit log (who changed what, as an admin).

Read paths call `record_read(reader, learner_ids, kind)`; admin write paths call
`record_admin_write(actor, action, target_type, target_id, change)` just before their own
commit, so the write and its audit row stand or fall together.

Why the access log stays small and cheap: one row per reader × learner × kind × period,
with a count (an upsert), so a teacher who opens a binder forty times in an hour costs one
row. The period is an hour for reads of one learner, and a day for the kinds that carry many
learners at once (BULK_KINDS: a device's sync, the review queue, a class grid), so a
teacher's phone syncing all day costs one row per learner per day, not per hour. A read is
never refused because its log row could not be written, but that failure is logged as an
error with the row it meant to write, never swallowed.

Deleting a learner (services of the deletion duty) calls `purge_learner`: it writes a
purge marker, which is the only thing the append-only triggers (backend/models/audit.py)
let through, then deletes the learner's access rows and the audit rows about them. The
deletion receipt stands in for them from then on.
"""

import logging
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from backend.extensions import db
from backend.i18n import N_
from backend.models import AccessEntry, AccessLogPurge, AuditEntry, Enrollment, SchoolClass, User

log = logging.getLogger(__name__)

# what was read; the words for each are in app-facing `KIND_WORDS` below
KINDS = ("binder", "target", "goals", "playlists", "progress", "evidence", "evidence_file",
         "report", "export", "sync", "grid", "ready", "plan")
# reads that carry many learners at once: coalesced per day rather than per hour
BULK_KINDS = frozenset({"sync", "evidence", "grid", "ready"})
RELATIONS = ("self", "teacher", "guardian", "admin", "other")

# User-facing words, marked for the catalog; the API translates them for its reader.
KIND_WORDS = {
    "binder": N_("Looked at the binder"),
    "target": N_("Looked at a learning target and its evidence"),
    "goals": N_("Looked at the goals"),
    "playlists": N_("Looked at the playlists"),
    "progress": N_("Looked at progress and recent work"),
    "evidence": N_("Looked at evidence waiting for review"),
    "evidence_file": N_("Opened an evidence photo or file"),
    "report": N_("Made a report"),
    "export": N_("Exported the record to a spreadsheet or another system"),
    "sync": N_("Copied the record to a device (sync)"),
    "grid": N_("Looked at levels in a class grid"),
    "ready": N_("Looked at requests to demonstrate a target"),
    "plan": N_("Looked at the learning plan and suggested next steps"),
}
RELATION_WORDS = {
    "self": N_("The learner"),
    "teacher": N_("Teacher"),
    "guardian": N_("Guardian"),
    "admin": N_("School admin"),
    "other": N_("School staff"),
}
ACTION_WORDS = {
    "user.create": N_("Created an account"),
    "user.update": N_("Changed an account"),
    "user.deactivate": N_("Deactivated an account"),
    "user.password": N_("Set a new password"),
    "user.let_in": N_("Let someone sign in again after wrong passwords"),
    "class.create": N_("Created a class"),
    "class.update": N_("Changed a class"),
    "class.delete": N_("Deleted a class"),
    "enrollment.create": N_("Enrolled a learner"),
    "enrollment.delete": N_("Took a learner out of a class"),
    "guardian_link.create": N_("Linked a guardian"),
    "guardian_link.delete": N_("Unlinked a guardian"),
    "settings.update": N_("Changed the school's settings"),
    "import.oneroster": N_("Imported a roster (OneRoster)"),
    "import.case": N_("Imported curriculum (CASE)"),
    "curriculum.create": N_("Added to the curriculum"),
    "curriculum.update": N_("Changed the curriculum"),
    "curriculum.delete": N_("Removed from the curriculum"),
    "export.results": N_("Exported results (OneRoster)"),
    "export.binder_csv": N_("Exported binders (spreadsheet)"),
    "learner.delete": N_("Deleted a learner's record"),
    "settings.retention": N_("Changed how long records are kept"),
    "card.create": N_("Printed new sign-in cards"),
    "card.invalidate": N_("Stopped a sign-in card from working"),
    "card.sign_in": N_("Signed in with a card"),
    "device.shared": N_("Marked a device as a shared class device"),
    "device.revoke": N_("Stopped a shared class device taking cards"),
    "credential.revoke": N_("Withdrew a learner's credential"),  # issue 17
    "credential.key_rotate": N_("Replaced the school's credential signing key"),
}
TEACHER_OF = N_("Teacher ({classes})")
FORMER_ACCOUNT = N_("A former account")
SECRET_SET = "(set)"

# Keys whose values never enter the audit log, whatever a caller passes.
_SECRET_WORDS = ("password", "secret", "token", "hash")
_CHUNK = 500  # rows per upsert statement: far below every driver's parameter limit


def _now() -> datetime:
    return datetime.now(UTC)


def _reasons(reader: User, learner_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Why `reader` may read each learner: (relation, detail), worked out in one query."""
    if reader.role == "teacher":
        classes: dict[int, list[str]] = {}
        rows = db.session.execute(
            select(Enrollment.student_id, SchoolClass.name)
            .join(SchoolClass, SchoolClass.id == Enrollment.class_id)
            .where(SchoolClass.teacher_id == reader.id,
                   Enrollment.student_id.in_(learner_ids))
            .order_by(SchoolClass.name))
        for student_id, name in rows:
            classes.setdefault(student_id, []).append(name)
        return {lid: ("teacher", ", ".join(classes.get(lid, []))[:200]) for lid in learner_ids}
    relation = {"guardian": "guardian", "admin": "admin"}.get(reader.role, "other")
    return {lid: ("self", "") if lid == reader.id else (relation, "") for lid in learner_ids}


def _upsert(dialect: str, rows: list[dict]):
    """INSERT … ON CONFLICT DO UPDATE: count one more read of an existing (reader, learner,
    kind, period) row, or start it. Both dialects the app runs on speak it."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = AccessEntry.__table__
    stmt = insert(table).values(rows)
    return stmt.on_conflict_do_update(
        index_elements=["reader_id", "learner_id", "kind", "period"],
        set_={"times": table.c.times + 1, "last_at": stmt.excluded.last_at})


def record_read(reader: User | None, learner_ids: Iterable[int | None], kind: str, *,
                commit: bool = True) -> None:
    """Note that `reader` read these learners' records (`kind`: one of KINDS).

    Call it after the authorization check and before loading the record. `commit=False`
    when the caller commits its own transaction right after (the sync pull). Never raises.
    """
    if reader is None:
        return
    ids = sorted({int(i) for i in learner_ids if i is not None})  # sorted: no lock cycles
    if not ids:
        return
    try:
        now = _now()
        period = now.replace(minute=0, second=0, microsecond=0)
        if kind in BULK_KINDS:
            period = period.replace(hour=0)
        reasons = _reasons(reader, ids)
        rows = [{"period": period, "reader_id": reader.id, "learner_id": lid,
                 "school_id": reader.school_id, "kind": kind, "relation": reasons[lid][0],
                 "detail": reasons[lid][1], "first_at": now, "last_at": now, "times": 1}
                for lid in ids]
        dialect = db.session.get_bind().dialect.name
        with db.session.begin_nested():
            for start in range(0, len(rows), _CHUNK):
                db.session.execute(_upsert(dialect, rows[start:start + _CHUNK]))
        if commit:
            commit_keeping_loaded()
    except Exception:
        # the read goes on; the failure is an error in the server log with what was lost
        log.exception("access log: could not record a %s read by user %s of learners %s",
                      kind, getattr(reader, "id", None), ids[:50])
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - already reported above
            log.exception("access log: rollback failed")


def commit_keeping_loaded() -> None:
    """Commit without expiring what the read already loaded: the log row touches none of
    it, and expiring would make the read load the learner (and more) a second time."""
    session = db.session()
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


def learners_in_changes(changes: Iterable[dict]) -> set[int]:
    """The learners whose own rows a sync page carries (reference rows carry none)."""
    out = set()
    for change in changes:
        student_id = (change.get("data") or {}).get("student_id")
        if student_id is not None:
            try:
                out.add(int(student_id))
            except (TypeError, ValueError):
                continue
    return out


def _clean(change: dict | None) -> dict:
    """The change as it may be kept: values made JSON-plain, and a secret (a key naming a
    password, secret, token or hash) replaced by the words "(set)": never its value."""
    out = {}
    for key, value in (change or {}).items():
        key = str(key)
        if any(word in key.lower() for word in _SECRET_WORDS):
            out[key] = SECRET_SET
        elif isinstance(value, dict):
            out[key] = _clean(value)
        elif value is None or isinstance(value, (bool, int, float, str)):
            out[key] = value if not isinstance(value, str) else value[:500]
        elif isinstance(value, (list, tuple, set)):
            out[key] = [v if isinstance(v, (bool, int, float, str)) else str(v)
                        for v in value][:100]
        else:
            out[key] = str(value)[:500]
    return out


_TARGET_TYPES = {"classes": "class", "guardian_links": "guardian_link",
                 "content_areas": "content_area", "measurement_topics": "topic",
                 "learning_targets": "target", "activities": "activity"}


def _target(target) -> tuple[str, str]:
    """(type, id) of what was written: a learner's account is "learner" (so a purge finds
    it), any other account "user", another row its table's name, or a (type, id) pair."""
    if target is None:
        return "school", ""
    if isinstance(target, tuple):
        kind, ident = target
        return str(kind)[:24], "" if ident is None else str(ident)[:64]
    if isinstance(target, User):
        kind = "learner" if target.role == "student" else "user"
    else:
        table = getattr(target, "__tablename__", type(target).__name__.lower())
        kind = _TARGET_TYPES.get(table, table)
    ident = getattr(target, "id", None)
    return kind[:24], "" if ident is None else str(ident)[:64]


def record_admin_write(actor: User, action: str, target=None, change: dict | None = None,
                       *, commit: bool = False) -> AuditEntry:
    """Add an audit row for a write `actor` makes (`action` like "user.update").

    Call it before the write's own commit, so both stand or fall together; after the commit
    of a create (its id known only then) pass `commit=True`. `target`: the row written
    (a model instance) or a (type, id) pair; None for the school's own settings. `change`:
    a small dict of what changed; passwords and other secrets are kept only as "(set)".
    """
    target_type, target_id = _target(target)
    entry = AuditEntry(at=_now(), actor_id=actor.id, school_id=actor.school_id,
                       action=action[:40], target_type=target_type, target_id=target_id,
                       change=_clean(change))
    db.session.add(entry)
    if commit:
        try:
            db.session.commit()
        except Exception:
            log.exception("audit log: could not record %s by user %s on %s %s", action,
                          actor.id, target_type, target_id)
            db.session.rollback()
    return entry


def account_action(body: dict) -> str:
    """The audit action of an account edit: a password reset and a deactivation stand out."""
    if "password" in body:
        return "user.password"
    if body.get("is_active") is False:
        return "user.deactivate"
    return "user.update"


def purge_learner(session, learner_id: int, *, by: int | None = None) -> int:
    """Delete a deleted learner's access rows and the audit rows about them; how many.

    The append-only triggers let a DELETE through only for rows a purge marker covers, so
    this first writes the marker (ids and a time, no name). Runs in the caller's
    transaction: the deletion commits or rolls back as one. Record the deletion itself
    AFTER this call and not as a "learner" target, so it is kept, and with no name, e.g.
    `record_admin_write(admin, "learner.delete", ("deleted_learner", id), {"receipt": …})`.
    """
    session.add(AccessLogPurge(learner_id=learner_id, purged_at=_now(), purged_by=by))
    session.flush()
    removed = session.execute(
        delete(AccessEntry).where(AccessEntry.learner_id == learner_id)).rowcount or 0
    removed += session.execute(delete(AuditEntry).where(
        AuditEntry.target_type == "learner",
        AuditEntry.target_id == str(learner_id))).rowcount or 0
    return removed


def record_export(actor: User, learner_ids: Iterable[int], action: str,
                  change: dict | None = None) -> None:
    """An export of learners' records: one audit row and their access rows, committed
    together. Never raises (as `record_read`)."""
    ids = sorted({int(i) for i in learner_ids})
    try:
        record_admin_write(actor, action, ("learners", ""),
                           {**(change or {}), "learners": len(ids)})
        record_read(actor, ids, "export", commit=False)
        db.session.commit()
    except Exception:
        log.exception("audit log: could not record %s by user %s of learners %s",
                      action, getattr(actor, "id", None), ids[:50])
        db.session.rollback()


def record_import(actor: User, job) -> None:
    """An import an admin started (or, waited for, finished): kept once it is accepted, so
    an import refused whole leaves nothing behind, not even its audit row. A dry run
    changes nothing, so it is not an admin write either."""
    if job.kind not in ("oneroster", "case") or job.is_dry_run:
        return  # report batches are reads: the access log has them
    record_admin_write(actor, f"import.{job.kind}", ("import", job.id),
                       {"filename": job.filename, "dry_run": job.is_dry_run,
                        "status": job.status}, commit=True)
