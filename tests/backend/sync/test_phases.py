"""A new device's first sync in phases (sync/phases.py, backend/sync_server/phases.py): the current
state first, history after, nothing skipped, and the device's own writes never wait."""

from __future__ import annotations

import pytest

from backend.i18n import translations
from sync.phases import DeviceRows, current_rows, history_order
from sync.reasons import REASONS
from tests.backend.sync.world import PULL, World, standard_world

NOW = 1_700_000_000_000
GOAL = "0190a0a1-0000-7000-8000-0000000{:05d}"
EVIDENCE = "0190e0e1-0000-7000-8000-0000000{:05d}"


def _m(seq: int, name: str, args: dict, node: str = "d1") -> dict:
    return {"seq": seq, "name": name, "args": args, "hlc": f"{NOW + seq:013d}-0000-{node}"}


def _year(student: str, goals: int, done: int) -> list[dict]:
    """A learner's past: `goals` goals of which `done` finished and two dropped, evidence
    (some approved later by t1), self-assessments and the events they append."""
    out = []
    for n in range(goals):
        out.append(("goal.put", {"id": GOAL.format(n), "student_id": student,
                                 "title": f"Goal {n}",
                                 "status": "done" if n < done else
                                 "dropped" if n < done + 2 else "active"}))
    for n in range(6):
        out.append(("evidence.put", {"id": EVIDENCE.format(n), "student_id": student,
                                     "kind": "text", "text": f"work {n}", "submitted": True,
                                     "target_ids": ["lt1"]}))
    for n in range(8):
        out.append(("self_assessment.put", {"student_id": student,
                                            "target_id": "lt1" if n % 2 else "lt2",
                                            "level": (n % 5) / 1.0}))
    return [_m(seq, name, args) for seq, (name, args) in enumerate(out, 1)]


@pytest.fixture
def school(make_app):
    app = make_app(seeded=False)
    world = World.build(app, standard_world())
    http = app.test_client()
    resp = world.push(http, "s1", "phase-s1-tablet", _year("s1", goals=40, done=34))
    assert resp.status_code == 200
    approvals = [_m(seq, "evidence.review", {"evidence_id": EVIDENCE.format(n),
                                             "decision": "approved", "level": 3.0,
                                             "target_id": "lt1"}, node="t1p")
                 for seq, n in enumerate(range(4), 1)]
    assert world.push(http, "t1", "phase-t1-laptop", approvals).status_code == 200
    return world, http


def _get(world, http, user, **query):
    resp = http.get(PULL, query_string=query, headers=world.headers(user))
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def first_sync(world, http, user, limit=25, computed=True) -> tuple[list, list, dict]:
    """Every current page, then every history page: (current rows, history rows, last
    current page)."""
    current, cursor = [], None
    while True:
        query = {"phase": "current", "limit": limit, "computed": int(computed)}
        page = _get(world, http, user, **query, **({"cursor": cursor} if cursor else {}))
        current.extend(page["changes"])
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    last, history, hcursor = page, [], page["history"]["cursor"]
    while hcursor:
        page = _get(world, http, user, phase="history", cursor=hcursor, limit=limit)
        assert page["phase"] == "history"
        history.extend(page["changes"])
        hcursor = page["cursor"]
    return current, history, last


def _keyed(rows):
    return {(r["type"], str(r["id"])): r for r in rows}


def test_a_learner_gets_open_goals_first_and_done_goals_with_history(school):
    world, http = school
    current, history, last = first_sync(world, http, "s1")
    goals = [r for r in current if r["type"] == "goal"]
    # every goal the goals screen counts as current (active or dropped), so its count is
    # final when this phase ends; only done goals wait for history
    assert sorted(g["data"]["status"] for g in goals) == ["active"] * 4 + ["dropped"] * 2
    assert {r["type"] for r in current} >= {"target", "goal", "evidence", "self_assessment",
                                            "level", "topic_progress", "recommendation"}
    # approved evidence is recent (the last 30), so it comes too, with its reviews
    assert len([r for r in current if r["type"] == "evidence"]) == 6
    assert len([r for r in current if r["type"] == "review"]) == 4
    assert last["cursor"].startswith("v1.")
    assert last["history"]["total"] == len(history)
    assert len([r for r in history if r["type"] == "goal"]) == 40
    assert len(_keyed(history)) == len(history)  # no row twice in history


def test_current_and_history_together_are_exactly_the_plain_pull(school):
    world, http = school
    for user in ("s1", "t1", "g1", "a1"):
        current, history, _ = first_sync(world, http, user, limit=7)
        device = DeviceRows()
        device.apply(current)
        device.apply(history)
        plain = _keyed(world.pull_all(http, user))
        got = {k: r for k, r in device.rows.items()
               if r["type"] not in ("level", "topic_progress", "recommendation")}
        assert got == plain, user


def test_the_current_phase_is_the_reference_rule_as_sql(school):
    world, http = school
    for user in ("s1", "t1", "g1"):
        current, _history, last = first_sync(world, http, user, computed=False)
        watermark = int(last["cursor"][3:])
        everything = world.pull_all(http, user)
        want = _keyed(current_rows(everything, world.role(user), watermark,
                                   world.users[user]))
        assert _keyed(current) == want, user


def test_a_teachers_own_binder_follows_the_binders_rule_in_the_current_phase(school):
    """Teacher microcredentials: a teacher's own goals and drafts come in the current phase
    (the binder's rule), not only the review queue's submitted evidence."""
    world, http = school
    own = [_m(n + 1, "goal.put", {"id": GOAL.format(900 + n), "student_id": "t1",
                                  "title": f"Microcredential {n}",
                                  "status": "done" if n == 0 else "active"}, node="t1p")
           for n in range(3)]
    own.append(_m(4, "evidence.put", {"id": EVIDENCE.format(900), "student_id": "t1",
                                      "kind": "text", "text": "A draft"}, node="t1p"))
    resp = world.push(http, "t1", "phase-t1-phone", own)
    assert resp.status_code == 200
    assert {r["status"] for r in resp.get_json()["results"]} == {"applied"}
    current, _history, last = first_sync(world, http, "t1", computed=False)
    watermark = int(last["cursor"][3:])
    everything = world.pull_all(http, "t1")
    want = _keyed(current_rows(everything, "teacher", watermark, world.users["t1"]))
    assert _keyed(current) == want
    mine = {r["id"] for r in current if r["type"] in ("goal", "evidence")
            and r["data"]["student_id"] == world.users["t1"]}
    assert mine == {GOAL.format(901), GOAL.format(902), EVIDENCE.format(900)}


def test_history_pages_follow_the_reference_order(school):
    world, http = school
    _current, history, last = first_sync(world, http, "t1", limit=5)
    watermark = int(last["cursor"][3:])
    assert history == history_order(world.pull_all(http, "t1"), watermark)


def test_a_teacher_gets_the_review_queue_not_the_learners_goals(school):
    world, http = school
    current, _history, _last = first_sync(world, http, "t1")
    types = {r["type"] for r in current}
    assert "goal" not in types and "learner" in types and "level" in types
    waiting = [r for r in current if r["type"] == "evidence"]
    assert len(waiting) == 2  # six submitted, four approved
    assert all(not r["data"].get("reviewed") for r in waiting)


def test_rows_changed_during_the_first_sync_come_with_the_changes_after_it(school):
    """A write after the watermark is not in history; the plain cursor brings it."""
    world, http = school
    page = _get(world, http, "s1", phase="current", limit=5)
    assert page["has_more"]
    edit = [_m(1, "goal.put", {"id": GOAL.format(1), "student_id": "s1",
                               "title": "Renamed while syncing"}, node="d2")]
    edit[0]["hlc"] = f"{NOW + 500:013d}-0000-d2"
    assert world.push(http, "s1", "phase-s1-phone", edit).status_code == 200
    rows, cursor = list(page["changes"]), page["cursor"]
    while True:
        page = _get(world, http, "s1", phase="current", limit=5, cursor=cursor)
        rows.extend(page["changes"])
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    history, hcursor = [], page["history"]["cursor"]
    while hcursor:
        hpage = _get(world, http, "s1", phase="history", cursor=hcursor, limit=50)
        history.extend(hpage["changes"])
        hcursor = hpage["cursor"]
    assert all(r["data"].get("title") != "Renamed while syncing" for r in rows + history)
    after = _get(world, http, "s1", cursor=cursor)
    assert [r["data"]["title"] for r in after["changes"] if r["type"] == "goal"] == [
        "Renamed while syncing"]


@pytest.mark.parametrize("query", [
    {"phase": "current", "cursor": "v1.3"},
    {"phase": "current", "cursor": "c1.9.x4"},
    {"phase": "history", "cursor": "h1.9.1"},
    {"phase": "history"},
    {"cursor": "h1.9.1.10"},
    {"phase": "later"},
])
def test_cursors_the_server_never_gave_are_refused(school, assert_error, query):
    world, http = school
    resp = http.get(PULL, query_string=query, headers=world.headers("s1"))
    assert_error(resp, 400 if "cursor" in query or query["phase"] == "history" else 422)


def test_a_refused_cursor_is_said_in_the_callers_language(school, assert_error):
    """The cursor codes (sync/reasons.py) through the catalog, not the library's English."""
    world, http = school
    spanish = {**world.headers("s1"), "Accept-Language": "es-MX"}
    for query, msgid in (({"phase": "current", "cursor": "c1.9.x4"}, REASONS["cursor.unknown"]),
                         ({"cursor": "nonsense"}, REASONS["cursor.unknown"])):
        body = assert_error(http.get(PULL, query_string=query, headers=spanish), 400,
                            code="bad_cursor")
        words = translations("es").gettext(msgid)
        assert words != msgid and body["message"] == words, body


def test_an_old_client_still_pulls_everything_with_v1_cursors(school):
    world, http = school
    rows = world.pull_all(http, "s1", limit=10)
    assert len([r for r in rows if r["type"] == "goal"]) == 40


def test_an_approval_during_a_teachers_first_sync_is_answered_at_once_and_arrives(school):
    """The issue's teacher: an approval tapped while the review queue loads is applied and
    answered between two pull pages (the device pushes before each page), not after them;
    the queue the device ends with shows it approved."""
    world, http = school
    page = _get(world, http, "t1", phase="current", limit=2, computed=1)
    assert page["has_more"]
    waiting = EVIDENCE.format(5)
    approval = [_m(10, "evidence.review", {"evidence_id": waiting, "decision": "approved",
                                           "level": 3.0, "target_id": "lt1"}, node="t1p")]
    approval[0]["seq"] = 5  # the teacher's laptop sent seqs 1-4 in the fixture
    resp = world.push(http, "t1", "phase-t1-laptop", approval)
    assert resp.status_code == 200 and resp.get_json()["results"][0]["status"] == "applied"
    device = DeviceRows()
    device.apply(page["changes"])
    cursor = page["cursor"]
    while page["has_more"]:
        page = _get(world, http, "t1", phase="current", limit=2, computed=1, cursor=cursor)
        device.apply(page["changes"])
        cursor = page["cursor"]
    after = _get(world, http, "t1", cursor=cursor, computed=1)
    device.apply(after["changes"])
    evidence = device.rows[("evidence", waiting)]["data"]
    assert evidence["reviewed"]["decision"] == "approved"
    assert ("review", next(r["id"] for r in after["changes"] if r["type"] == "review")) in (
        device.rows)


def test_the_current_phase_levels_are_the_plain_pulls_levels(school):
    """Levels come once per learner in the current phase: the same rows (level, stamp) a
    device that pulled everything the old way ends with."""
    world, http = school
    for user in ("s1", "t1"):
        current, _history, _last = first_sync(world, http, user, limit=5)
        plain, cursor = {}, None
        while True:
            page = _get(world, http, user, limit=5, computed=1,
                        **({"cursor": cursor} if cursor else {}))
            for row in page["changes"]:
                if row["type"] in ("level", "topic_progress"):
                    plain[(row["type"], row["id"])] = row
            cursor = page["cursor"]
            if not page["has_more"]:
                break
        mine = {(r["type"], r["id"]): r for r in current
                if r["type"] in ("level", "topic_progress")}
        assert mine and mine == plain, user
