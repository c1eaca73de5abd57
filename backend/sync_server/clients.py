"""A device's page of a pull, with its bookkeeping: which pull the cursor asks for (plain,
or a first sync's current or history phase), the device's last acknowledged seq and when it
last pulled (SyncClient, for the admin's sync health), the access log's note that the caller
read these learners, and the server's clock. The HTTP view (backend/api/sync/resources.py)
only parses and answers.

The pull's one write (the bookkeeping and the access log together, one commit) takes the
same turn as a push on SQLite (push.one_writer), so it never sleeps in SQLite's busy
handler behind a push, nor a push behind it."""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from backend.models import SyncClient, User
from backend.services.access_log import commit_keeping_loaded, learners_in_changes, record_read
from backend.sync_server.phases import pull_current, pull_history
from backend.sync_server.pull import pull
from backend.sync_server.push import one_writer, server_hlc


def pull_page(session: Session, user: User, args: dict, client_id: str | None) -> dict:
    """One page for `user`'s device `client_id` (args: cursor, limit, phase, computed)."""
    page = _page(session, user, args)
    page["last_seq"] = None
    page["server_hlc"] = server_hlc()
    client = session.get(SyncClient, client_id) if client_id else None
    if client is not None and client.user_id != user.id:
        client = None
    if client is not None:
        page["last_seq"] = client.last_seq
    read = learners_in_changes(page["changes"])
    if client is not None or read:
        with one_writer(session):
            record_read(user, read, "sync", commit=False)  # never raises
            if client is not None:
                client.last_pull_at = datetime.now(UTC)
            commit_keeping_loaded()
    return page


def _page(session: Session, user: User, args: dict) -> dict:
    if args["phase"] == "current":
        page = pull_current(session, user, args["cursor"], args["limit"],
                            computed=args["computed"])
    elif args["phase"] == "history":
        page = pull_history(session, user, args["cursor"], args["limit"])
    else:
        page = pull(session, user, args["cursor"], args["limit"], computed=args["computed"])
    return page
