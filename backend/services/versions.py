"""The server version counter that pull cursors are built on.

Every flush that writes a versioned row takes fresh numbers from one counter row with
`UPDATE … RETURNING`. The update holds the row lock until commit (PostgreSQL) or the write
lock (SQLite), so a later commit can never carry a smaller version than a cursor already
handed out: readers never skip a row.
"""

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from backend.models._base import Versioned


def allocate_versions(session: Session, count: int) -> int:
    """Reserve `count` consecutive versions; returns the last one."""
    value = session.execute(
        text("UPDATE version_counter SET value = value + :n WHERE id = 1 RETURNING value"),
        {"n": count},
    ).scalar()
    if value is None:
        session.execute(
            text("INSERT INTO version_counter (id, value) VALUES (1, :n)"), {"n": count}
        )
        value = count
    return int(value)


def reserve_versions(session: Session, count: int) -> None:
    """Take a block of versions up front for a batch of writes in this transaction.

    Call it only in the outermost transaction (never inside a savepoint: a savepoint
    rolled back would give the numbers back to the counter while the pool kept them).
    Unused numbers are simply skipped; versions only need to grow, not to be dense.
    """
    last = allocate_versions(session, count)
    session.info["version_pool"] = [last - count + 1, last]


def take_versions(session: Session, count: int) -> int:
    """The first of `count` versions: from the reserved pool if it has room, else fresh.

    The version hook below stamps what the ORM flushes; writers that bypass the ORM (the
    sync push's batched INSERT … ON CONFLICT, backend/sync_server/store.py) stamp their
    rows with this, from the same pool.
    """
    pool = session.info.get("version_pool")
    if pool and pool[1] - pool[0] + 1 >= count:
        first = pool[0]
        pool[0] += count
        return first
    return allocate_versions(session, count) - count + 1


def current_version(session: Session) -> int:
    value = session.execute(text("SELECT value FROM version_counter WHERE id = 1")).scalar()
    return int(value or 0)


def install_version_hook(session_factory) -> None:
    """Stamp every new or changed versioned row with a fresh version at flush time."""

    @event.listens_for(session_factory, "before_flush")
    def _stamp(session: Session, _ctx, _instances):
        rows = [
            obj
            for obj in list(session.new) + list(session.dirty)
            if isinstance(obj, Versioned)
            and (obj in session.new or session.is_modified(obj, include_collections=False))
        ]
        # a row pulled with its members (a class with its enrollments) moves with them
        for obj in list(session.new) + list(session.dirty) + list(session.deleted):
            owner = obj.version_owner(session) if hasattr(obj, "version_owner") else None
            if owner is not None and owner not in rows and owner not in session.deleted:
                rows.append(owner)
        if not rows:
            return
        first = take_versions(session, len(rows))
        for offset, obj in enumerate(rows):
            obj.version = first + offset

    @event.listens_for(session_factory, "after_transaction_end")
    def _forget_pool(session: Session, transaction):
        if transaction.parent is None:  # the outermost transaction ended
            session.info.pop("version_pool", None)
