"""Caps over the real push: over-cap writes are refused with a reason code and words a
learner understands; nothing else in the batch is lost; nothing acknowledged is dropped."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from backend.extensions import db
from backend.models import Evidence, Goal, User
from backend.sync_server import push as sync_push
from sync.caps import Caps
from tests.backend.sync.world import World, standard_world
from tests.conftest import table_counts

CLIENT = "caps-s1-tablet"


def _m(seq: int, name: str, args: dict, node: str = "d1") -> dict:
    return {"seq": seq, "name": name, "args": args,
            "hlc": f"{1_700_000_000_000 + seq:013d}-0000-{node}"}


def _gid(n: int) -> str:
    return str(uuid.UUID(int=0x0190A0A1_0000_7000_8000_000000000000 + n))


def _new_goal(seq: int, n: int, student: str = "s1", **extra) -> dict:
    return _m(seq, "goal.put", {"id": _gid(n), "student_id": student, "title": f"Goal {n}",
                                **extra})


def _evidence(seq: int, n: int, **extra) -> dict:
    return _m(seq, "evidence.put", {"id": str(uuid.UUID(int=0x0190E0E1 << 96 | n)),
                                    "student_id": "s1", "kind": "text", "text": "my work",
                                    **extra})


@pytest.fixture
def world(make_app):
    return World.build(make_app(seeded=False), standard_world())


@pytest.fixture
def http(world):
    return world.app.test_client()


def _push(world, http, batch, user="s1", client=CLIENT) -> list[dict]:
    resp = world.push(http, user, client, batch)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["results"]


def _active_goals(world) -> int:
    with world.app.app_context():
        n = db.session.scalar(select(func.count()).select_from(Goal).where(
            Goal.student_id == world.users["s1"], Goal.status == "active",
            Goal.is_deleted.is_(False)))
        db.session.remove()
    return n


def test_the_501st_active_goal_is_refused_and_the_rest_of_its_batch_applies(world, http):
    first = [_new_goal(seq, seq) for seq in range(1, 501)]
    assert {r["status"] for r in _push(world, http, first)} == {"applied"}
    assert _active_goals(world) == 500
    results = _push(world, http, [
        _new_goal(501, 501),  # one too many
        _m(502, "goal.put", {"id": _gid(1), "student_id": "s1", "title": "Renamed"}),
        _m(503, "goal.put", {"id": _gid(2), "student_id": "s1", "title": "Goal 2",
                             "status": "done"}),  # frees a place
        _new_goal(504, 504),  # takes it
        _new_goal(505, 505),  # full again
        _new_goal(506, 506, status="done"),  # a finished goal never counts
        _m(507, "goal.put", {"id": _gid(2), "student_id": "s1", "title": "Goal 2",
                             "status": "active"}),  # reopening counts
    ])
    assert [r["status"] for r in results] == ["rejected", "applied", "applied", "applied",
                                              "rejected", "applied", "rejected"]
    capped = results[0]
    assert capped["code"] == "cap.active_goals"
    assert capped["params"] == {"count": 500, "limit": 500}
    assert capped["reason"].startswith("You have 500 active goals. Finish or archive some")
    assert results[4]["code"] == results[6]["code"] == "cap.active_goals"
    assert _active_goals(world) == 500
    rows = {r["id"]: r for r in world.pull_all(http) if r["type"] == "goal"}
    assert rows[_gid(1)]["data"]["title"] == "Renamed"
    assert _gid(501) not in rows and _gid(505) not in rows and _gid(504) in rows


def test_a_cap_never_changes_the_answer_to_a_resent_seq_nor_deletes_a_row(world, http):
    """A device re-sends what it already sent (lost answer): same answers, even though the
    learner is at the cap now, and the goals already stored stay."""
    first = [_new_goal(seq, seq) for seq in range(1, 501)]
    answers = _push(world, http, first)
    over = _push(world, http, [_new_goal(501, 501)])
    assert over[0]["code"] == "cap.active_goals"
    counts = table_counts(world.app)
    assert _push(world, http, first[-3:] + [_new_goal(501, 501)]) == answers[-3:] + over
    assert table_counts(world.app) == counts
    assert _active_goals(world) == 500


def test_a_teacher_is_capped_for_the_learner_and_finishing_goals_is_never_capped(world, http):
    _push(world, http, [_new_goal(seq, seq) for seq in range(1, 501)])
    refused = _push(world, http, [_new_goal(1, 900)], user="t1", client="caps-t1-laptop")
    assert refused[0]["code"] == "cap.active_goals"
    done = [_m(501 + i, "goal.put", {"id": _gid(i + 1), "student_id": "s1",
                                     "title": f"Goal {i + 1}", "status": "done"})
            for i in range(10)]
    assert {r["status"] for r in _push(world, http, done)} == {"applied"}
    assert _active_goals(world) == 490


def test_another_learner_gets_no_count_of_someone_elses_goals(world, http):
    """Authorization comes first: s2 writing s1's goals hears "belongs to another learner"."""
    _push(world, http, [_new_goal(seq, seq) for seq in range(1, 501)])
    result = _push(world, http, [_new_goal(1, 777)], user="s2", client="caps-s2-tablet")[0]
    assert result["status"] == "rejected" and result["code"] == "auth.not_own_record"
    assert "active goals" not in result["reason"]


def _push_direct(world, batch, caps: Caps, user="s1"):
    """The adapter with smaller caps (callers pass caps in; the API uses the defaults)."""
    with world.app.app_context():
        real = [world.real_mutation(m) for m in batch]
        answer = sync_push.push(db.session, db.session.get(User, world.users[user]),
                                   CLIENT, real, caps=caps)
        db.session.remove()
    return answer["results"]


def test_evidence_caps_count_open_items_and_new_items_per_day(world):
    caps = Caps(open_evidence=3, evidence_per_day=5)
    results = _push_direct(world, [_evidence(1, 1), _evidence(2, 2), _evidence(3, 3),
                                   _evidence(4, 4)], caps)
    assert [r.get("code") for r in results] == [None, None, None, "cap.open_evidence"]
    assert "drafts or waiting for review" in results[3]["reason"]
    # deleting one frees a place among the open ones, not among today's additions
    results = _push_direct(world, [
        _m(5, "evidence.delete", {"id": str(uuid.UUID(int=0x0190E0E1 << 96 | 1))}),
        _evidence(6, 6), _evidence(7, 7), _evidence(8, 8)], caps)
    assert [r.get("code") for r in results] == [None, None, "cap.open_evidence",
                                                "cap.open_evidence"]
    results = _push_direct(world, [
        _m(9, "evidence.delete", {"id": str(uuid.UUID(int=0x0190E0E1 << 96 | 2))}),
        _evidence(10, 10),  # the fifth of the day
        _m(11, "evidence.delete", {"id": str(uuid.UUID(int=0x0190E0E1 << 96 | 3))}),
        _evidence(12, 12)], caps)
    assert [r.get("code") for r in results] == [None, None, None, "cap.evidence_per_day"]
    assert results[3]["params"] == {"count": 5, "limit": 5}
    assert "Add more tomorrow" in results[3]["reason"]
    with world.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Evidence)) == 5
        db.session.remove()


def test_a_batch_over_the_cap_is_refused_whole_with_its_code(world, http, assert_error):
    batch = [_new_goal(seq, seq) for seq in range(1, 502)]
    counts = table_counts(world.app)
    body = assert_error(world.push(http, "s1", CLIENT, batch), 413, code="cap.batch")
    assert body["message"] == "Send at most 500 changes at a time."
    assert table_counts(world.app) == counts
