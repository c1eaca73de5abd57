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
        if not rows:
            return
        last = allocate_versions(session, len(rows))
        for offset, obj in enumerate(rows):
            obj.version = last - len(rows) + 1 + offset
