"""Pull: every row the caller may read that changed after their cursor, in version order.

Versions come from one counter whose row lock is held until commit (services/versions.py),
so the committed counter value V means every version ≤ V is already committed. A pull
reads V first and pages through (cursor, V]: no row can appear later with a version at or
below a cursor already handed out.

Who may read which rows is visibility.py; the computed rows a page carries (`computed=True`:
levels, topic progress, a learner's suggestions) are computed.py. This module pages.
"""

from sqlalchemy.orm import Session

from backend.auth import learner_ids_for
from backend.errors import AppError
from backend.models import User
from backend.services.versions import current_version
from backend.sync_server.computed import computed_rows
from backend.sync_server.reasons import say
from backend.sync_server.visibility import binder_owners, sources

CURSOR_PREFIX = "v1."
MAX_LIMIT = 1000


def parse_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    digits = cursor[len(CURSOR_PREFIX):]
    # versions are BIGINT: a longer number was never handed out (and would overflow a query)
    if not cursor.startswith(CURSOR_PREFIX) or not digits.isdigit() or int(digits) >= 2**63:
        raise AppError(say("cursor.unknown", {}), status=400, code="bad_cursor")
    return int(digits)


def make_cursor(version: int) -> str:
    return f"{CURSOR_PREFIX}{version}"


def _changed(session: Session, probe, params: dict) -> set[str]:
    """Which row types have anything in (after, upto] for this caller: one round trip.

    Most pulls find changes in a few types only; the others then cost no query at all.
    """
    return set(session.scalars(probe, params))


def pull(session: Session, user: User, cursor: str | None, limit: int,
         computed: bool = False) -> dict:
    """One page of changes after `cursor`; `has_more` says to pull again at once.

    `computed=True` adds `level`, `topic_progress` and (a learner's own pull)
    `recommendation` rows (computed.py).
    """
    after = parse_cursor(cursor)
    limit = max(1, min(limit, MAX_LIMIT))
    upto = current_version(session)
    learners = learner_ids_for(user)
    pages, probe = sources(user.role)
    params = {"school": user.school_id, "learners": sorted(learners), "caller": user.id,
              "owners": sorted(binder_owners(user, learners)), "after": after, "upto": upto}
    changed = _changed(session, probe, params) if upto > after else set()
    candidates = []
    for row_type, _model, query, build in pages:
        if row_type in changed:
            candidates.extend(build(obj) for obj in session.scalars(query.limit(limit + 1),
                                                                    params))
    candidates.sort(key=lambda r: r["version"])
    page = candidates[:limit]
    has_more = len(candidates) > limit
    next_cursor = page[-1]["version"] if has_more else max(upto, after)
    if computed:
        extra = computed_rows(session, page, user=user, first=after == 0)
        page = sorted(page + extra, key=lambda r: r["version"])
    # deleted learners' ids since the cursor: the device wipes them (PROTOCOL "Purged learners")
    from backend.services.deletion import purged_since

    return {"changes": page, "cursor": make_cursor(next_cursor), "has_more": has_more,
            "purged_learners": purged_since(user.school_id, after, upto)}
