"""A new device's first sync in phases over the database: the current state, then history.

sync/phases.py is the design (cursors, what "current" means per role, why no row is skipped)
and its reference form in plain Python; this module runs the same rule as SQL, learner by
learner, so a page costs what it carries and never a scan of the learner's whole past:

* the current phase reads reference rows by version (keyset) and then, per learner in id
  order, only the rows the rule names (open goals, open and recent evidence, registers,
  open conflicts, recent events; for staff the review queue), each with the (student_id,
  version) indexes; computed levels come once per learner, not once per page of events;
* history pages walk each learner's rows newest first with `version < before` on the same
  indexes (a keyset: no OFFSET).

A page holds whole learners in the current phase (so it may pass `limit` by one learner's
current state, which the caps of sync/caps.py bound); history pages hold exactly `limit`.
"""

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from backend.auth import learner_ids_for
from backend.errors import AppError
from backend.models import User
from backend.services.versions import current_version
from backend.sync_server.codecs import CODECS, to_row
from backend.sync_server.computed import computed_rows
from backend.sync_server.pull import MAX_LIMIT, make_cursor
from backend.sync_server.reasons import say
from backend.sync_server.visibility import binder_owners, sources
from sync.phases import (
    LEARNER_TYPES,
    RECENT,
    REFERENCE_TYPES,
    STAFF_ROLES,
    BadCursor,
    current_cursor,
    history_cursor,
    parse_current,
    parse_history,
)

STUDENT, UPTO, BEFORE, IDS = (bindparam("student"), bindparam("upto"), bindparam("before"),
                              bindparam("ids", expanding=True))
TRIGGERS = ("event", "rating", "conflict")


def _bad(error: BadCursor) -> AppError:
    # the code's words in the caller's language (sync/reasons.py), as every sync refusal
    return AppError(say(error.code, error.params), status=400, code="bad_cursor")


def _model(row_type: str):
    return CODECS[row_type].model


def _live(model):
    return model.is_deleted.is_(False)


def _current_queries(role: str) -> dict[str, list]:
    """Per learner row type, the statements of the current phase (sync.phases.current_rule
    as SQL). Bound: student, upto."""
    mine = {t: select(_model(t)).where(_model(t).student_id == STUDENT,
                                       _model(t).version <= UPTO)
            for t in LEARNER_TYPES}
    goal, pick, evidence, conflict, event = (_model(t) for t in (
        "goal", "pick", "evidence", "conflict", "event"))
    registers = {"self_assessment": [mine["self_assessment"]], "rating": [mine["rating"]],
                 "conflict": [mine["conflict"].where(conflict.status == "open")],
                 # the learner profile: every row is current (sync.phases.PROFILE_RULE)
                 **{t: [mine[t]] for t in ("profile_section", "profile_entry",
                                           "profile_observation", "suggestion_decline")}}
    if role in STAFF_ROLES:  # the review queue, the grid's registers, open conflicts
        return {"evidence": [mine["evidence"].where(
            _live(evidence), evidence.review_status == "submitted")], **registers}
    return {  # a learner's or a guardian's binder
        "goal": [mine["goal"].where(_live(goal), goal.status != "done")],
        "pick": [mine["pick"].where(_live(pick), pick.status != "done")],
        "evidence": [mine["evidence"].where(_live(evidence), evidence.review_status != "approved"),
                     mine["evidence"].where(_live(evidence)).order_by(
                         evidence.version.desc()).limit(RECENT["evidence"])],
        **registers,
        "event": [mine["event"].order_by(event.version.desc()).limit(RECENT["event"])],
    }


_QUERIES: dict[str, dict] = {}
_REVIEWS = select(_model("review")).where(_model("review").evidence_id.in_(IDS),
                                          _model("review").version <= UPTO)
_TRIGGER_VERSIONS = {
    t: select(_model(t).target_id, func.max(_model(t).version)).where(
        _model(t).student_id == STUDENT, _model(t).version <= UPTO).group_by(_model(t).target_id)
    for t in TRIGGERS}
_HISTORY = {t: select(_model(t)).where(_model(t).student_id == STUDENT,
                                       _model(t).version < BEFORE).order_by(
    _model(t).version.desc()) for t in LEARNER_TYPES}


def _queries(role: str) -> dict[str, list]:
    key = "staff" if role in STAFF_ROLES else "binder"
    if key not in _QUERIES:
        _QUERIES[key] = _current_queries(role)
    return _QUERIES[key]


def _learner_current(session: Session, role: str, student_id: int, watermark: int) -> list:
    """One learner's current rows (version ≤ watermark), each once."""
    params = {"student": student_id, "upto": watermark}
    rows: dict[tuple[str, str], dict] = {}
    for row_type, statements in _queries(role).items():
        for statement in statements:
            for obj in session.scalars(statement, params):
                rows[(row_type, str(obj.id))] = to_row(row_type, obj)
    evidence_ids = [row_id for (row_type, row_id) in rows if row_type == "evidence"]
    if evidence_ids:
        for obj in session.scalars(_REVIEWS, {"ids": evidence_ids, "upto": watermark}):
            rows[("review", str(obj.id))] = to_row("review", obj)
    return list(rows.values())


def _triggers(session: Session, student_id: int, watermark: int) -> list[dict]:
    """Stand-ins for what makes a learner's computed rows: per target with an event, rating
    or conflict, the highest such version ≤ the watermark (as a plain pull would stamp)."""
    params = {"student": student_id, "upto": watermark}
    triggers: dict[int, int] = {}
    for statement in _TRIGGER_VERSIONS.values():
        for target_id, version in session.execute(statement, params):
            triggers[target_id] = max(triggers.get(target_id, 0), version)
    return [{"type": "event", "deleted": False, "version": version,
             "data": {"student_id": student_id, "target_id": target_id}}
            for target_id, version in triggers.items()]


def _with_levels(session: Session, user: User, page: list[dict], stand_ins: list[dict]
                 ) -> list[dict]:
    """The page plus the computed rows of its learners, worked out together (one query for
    their targets and topics; a learner's own pull also gets its recommendations)."""
    first = user.role == "student"
    if stand_ins or first:
        page.extend(computed_rows(session, stand_ins, user=user, first=first))
    return page


def _references(session: Session, user: User, watermark: int, after: int, limit: int):
    """Reference rows in (after, watermark] by version: (rows, more?)."""
    pages, _probe = sources(user.role)
    learners = learner_ids_for(user)
    params = {"school": user.school_id, "learners": sorted(learners),
              "owners": sorted(binder_owners(user, learners)),
              "caller": user.id, "after": after, "upto": watermark}
    rows = []
    for row_type, _unused, query, build in pages:
        if row_type in REFERENCE_TYPES:
            rows.extend(build(obj) for obj in session.scalars(query.limit(limit + 1), params))
    rows.sort(key=lambda r: r["version"])
    return rows[:limit], len(rows) > limit


def history_total(session: Session, learners: list[int], watermark: int) -> int:
    """How many learner rows the history phase will send (for the device's progress)."""
    if not learners:
        return 0
    total = 0
    for row_type in LEARNER_TYPES:
        model = _model(row_type)
        total += session.scalar(select(func.count()).select_from(model).where(
            model.student_id.in_(learners), model.version <= watermark)) or 0
    return total


def pull_current(session: Session, user: User, cursor: str | None, limit: int,
                 computed: bool = False) -> dict:
    """One page of the current phase. The last page (`has_more` false) answers the plain
    cursor `v1.<W>` to pull changes after it, and `history` {cursor, total}."""
    try:
        parsed = parse_current(cursor)
    except BadCursor as error:
        raise _bad(error) from error
    limit = max(1, min(limit, MAX_LIMIT))
    watermark, stage, after = parsed or (current_version(session), "r", 0)
    page: list[dict] = []
    if stage == "r":
        page, more = _references(session, user, watermark, after, limit)
        if more:
            return _current_page(page, current_cursor(watermark, "r", page[-1]["version"]))
        stage, after = "l", -1
    learners = sorted(binder_owners(user))  # a staff member's own binder too
    todo = [s for s in learners if s > after]
    stand_ins: list[dict] = []
    for index, student_id in enumerate(todo):
        # a staff member's own binder (teacher microcredentials) follows the binder's rule
        role = "student" if student_id == user.id else user.role
        page.extend(_learner_current(session, role, student_id, watermark))
        if computed:
            stand_ins.extend(_triggers(session, student_id, watermark))
        if len(page) + len(stand_ins) >= limit and index + 1 < len(todo):
            if computed:
                _with_levels(session, user, page, stand_ins)
            return _current_page(page, current_cursor(watermark, "l", student_id))
    if computed:
        _with_levels(session, user, page, stand_ins)
    answer = _current_page(page, make_cursor(watermark), has_more=False)
    answer["history"] = {
        "cursor": history_cursor(watermark, learners[0], watermark + 1) if learners else None,
        "total": history_total(session, learners, watermark)}
    return answer


def _current_page(page: list[dict], cursor: str, has_more: bool = True) -> dict:
    page.sort(key=lambda r: r["version"])
    return {"changes": page, "cursor": cursor, "has_more": has_more, "phase": "current"}


def pull_history(session: Session, user: User, cursor: str | None, limit: int) -> dict:
    """One page of history: each learner's rows at or below the watermark, newest first,
    learner by learner. `cursor` is None once the last page is sent."""
    try:
        watermark, learner, before = parse_history(cursor)
    except BadCursor as error:
        raise _bad(error) from error
    limit = max(1, min(limit, MAX_LIMIT))
    before = min(before, watermark + 1)
    todo = [s for s in sorted(binder_owners(user)) if s >= learner]
    page: list[dict] = []
    for index, student_id in enumerate(todo):
        below = before if student_id == learner else watermark + 1
        need = limit - len(page)
        rows = []
        for row_type, statement in _HISTORY.items():
            rows.extend(to_row(row_type, obj) for obj in session.scalars(
                statement.limit(need + 1), {"student": student_id, "before": below}))
        rows.sort(key=lambda r: -r["version"])
        if len(rows) > need:
            page.extend(rows[:need])
            return _history_page(page, history_cursor(watermark, student_id,
                                                      page[-1]["version"]))
        page.extend(rows)
        if len(page) >= limit and index + 1 < len(todo):
            return _history_page(page, history_cursor(watermark, todo[index + 1],
                                                      watermark + 1))
    return _history_page(page, None)


def _history_page(page: list[dict], cursor: str | None) -> dict:
    return {"changes": page, "cursor": cursor, "has_more": cursor is not None,
            "phase": "history"}
