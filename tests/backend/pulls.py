"""Test helper: every page of a sync pull, as a device takes them."""

from backend.extensions import db
from backend.sync_server.pull import pull


def pull_all(user, computed=True, limit=200) -> list[dict]:
    """Every change `user`'s device would get from an empty cursor, page after page."""
    rows, cursor = [], None
    while True:
        page = pull(db.session, user, cursor, limit, computed=computed)
        rows += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return rows
