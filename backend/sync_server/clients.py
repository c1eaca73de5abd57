"""A device's page of a pull, with its bookkeeping: which pull the cursor asks for (plain,
or a first sync's current or history phase), the device's last acknowledged seq and when it
last pulled (SyncClient, for the admin's sync health), and the server's clock. The HTTP
view (backend/api/sync/resources.py) only parses and answers."""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from backend.models import SyncClient, User
from backend.sync_server.phases import pull_current, pull_history
from backend.sync_server.pull import pull
from backend.sync_server.push import server_hlc


def pull_page(session: Session, user: User, args: dict, client_id: str | None) -> dict:
    """One page for `user`'s device `client_id` (args: cursor, limit, phase, computed)."""
    if args["phase"] == "current":
        page = pull_current(session, user, args["cursor"], args["limit"],
                            computed=args["computed"])
    elif args["phase"] == "history":
        page = pull_history(session, user, args["cursor"], args["limit"])
    else:
        page = pull(session, user, args["cursor"], args["limit"], computed=args["computed"])
    page["last_seq"] = None
    page["server_hlc"] = server_hlc()
    client = session.get(SyncClient, client_id) if client_id else None
    if client is not None and client.user_id == user.id:
        page["last_seq"] = client.last_seq
        client.last_pull_at = datetime.now(UTC)
        session.commit()
    return page
