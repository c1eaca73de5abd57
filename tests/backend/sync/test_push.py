"""POST /api/sync/push: duplicates, gaps, per-mutation atomicity, authorization, bad input."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from backend.extensions import db
from tests.backend.sync.world import PUSH, World, standard_world
from tests.conftest import IS_POSTGRES, table_counts

GOAL = "0190a0a1-0000-7000-8000-000000000001"
GOAL2 = "0190a0a1-0000-7000-8000-000000000002"
EVIDENCE = "0190e0e1-0000-7000-8000-000000000001"


@pytest.fixture(autouse=True)
def _server_time(monkeypatch):
    """The server's clock in the stamps' era (as the vectors run): stamps more than 400 days
    behind it would be clamped (sync/clock.py), which these tests are not about."""
    from backend.sync_server import push as sync_push

    monkeypatch.setattr(sync_push, "now_ms", lambda: 1_700_000_600_000)


def _m(seq: int, name: str, args, node: str = "d1") -> dict:
    hlc = f"{1_700_000_000_000 + seq:013d}-0000-{node}"
    return {"seq": seq, "name": name, "args": args, "hlc": hlc}


def _goal(seq: int, student: str = "s1", goal: str = GOAL, title: str = "Ratios") -> dict:
    return _m(seq, "goal.put", {"id": goal, "student_id": student, "title": title})


@pytest.fixture
def world(make_app):
    app = make_app(seeded=False)
    return World.build(app, standard_world())


@pytest.fixture
def http(world):
    return world.app.test_client()


def _results(resp) -> list[dict]:
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["results"]


def test_a_replayed_batch_gets_the_same_answers_and_changes_nothing(world, http):
    batch = [_goal(1), _m(2, "rating.put", {"student_id": "s1", "target_id": "lt1", "level": 3,
                                            "base_version": 0}), _goal(3, goal=GOAL2)]
    first = world.push(http, "s1", "device-s1-tablet", batch).get_json()
    assert [r["status"] for r in first["results"]] == ["applied", "rejected", "applied"]
    before = world.pull_all(http)
    counts = table_counts(world.app)  # after the pull: reading is logged (access_log)
    again = world.push(http, "s1", "device-s1-tablet", batch)
    assert again.get_json()["results"] == first["results"]
    assert again.get_json()["last_seq"] == 3
    assert table_counts(world.app) == counts
    assert world.pull_all(http) == before
    # a batch overlapping what was applied: old seqs answered again, the new one applied
    mixed = _results(world.push(http, "s1", "device-s1-tablet", [batch[2], _goal(4, title="x")]))
    assert mixed == [first["results"][2], {"seq": 4, "status": "applied"}]


def test_a_gap_is_refused_with_the_expected_seq_and_nothing_applies(world, http, assert_error):
    first = _results(world.push(http, "s1", "device-s1-tablet", [_goal(1)]))
    assert first[0]["status"] == "applied"
    counts = table_counts(world.app)
    resp = world.push(http, "s1", "device-s1-tablet", [_goal(2, goal=GOAL2), _goal(4)])
    body = assert_error(resp, 409, code="seq_gap")
    assert body["expected_seq"] == 3
    assert table_counts(world.app) == counts
    # a new device must start at 1
    body = assert_error(world.push(http, "s1", "device-s1-laptop", [_goal(2)]), 409)
    assert body["expected_seq"] == 1
    assert table_counts(world.app) == counts


def test_a_rejected_mutation_does_not_undo_the_others(world, http):
    batch = [_goal(1), _m(2, "goal.put", {"id": GOAL2, "student_id": "s1", "title": "x",
                                          "target_ids": [999_999]}), _goal(3, goal=GOAL2)]
    results = _results(world.push(http, "s1", "device-s1-tablet", batch))
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert (results[1]["code"], results[1]["params"]) == ("ref.no_target", {"target_id": 999_999})
    goals = {r["id"]: r for r in world.pull_all(http) if r["type"] == "goal"}
    assert set(goals) == {GOAL, GOAL2} and goals[GOAL2]["data"]["target_ids"] == []


@pytest.mark.parametrize("user", ["g1", "a1"])
def test_guardians_and_admins_cannot_push(world, http, user, assert_error):
    counts = table_counts(world.app)
    resp = world.push(http, user, f"device-{user}-phone", [_goal(1)])
    assert_error(resp, 403)
    assert table_counts(world.app) == counts


LEARNER_REFUSALS = [
    (_m(1, "rating.put", {"student_id": "s1", "target_id": "lt1", "level": 3,
                          "base_version": 0}), "auth.learner_cannot"),
    (_m(1, "evidence.review", {"evidence_id": EVIDENCE, "decision": "approved"}),
     "auth.learner_cannot"),
    (_m(1, "conflict.resolve", {"conflict_id": EVIDENCE, "level": 3}), "auth.learner_cannot"),
    (_goal(1, student="s2"), "auth.not_own_record"),
    (_m(1, "self_assessment.put", {"student_id": "s2", "target_id": "lt1", "level": 2}),
     "auth.not_own_record"),
    (_m(1, "evidence.put", {"id": EVIDENCE, "student_id": "s2", "kind": "text", "text": "hi"}),
     "auth.not_own_record"),
    (_m(1, "pick.put", {"id": GOAL, "student_id": "s2", "activity_id": "a1",
                        "status": "picked"}), "auth.not_own_record"),
]


@pytest.mark.parametrize(("mutation", "code"), LEARNER_REFUSALS,
                         ids=[f"{m['name']}-{c}" for m, c in LEARNER_REFUSALS])
def test_a_learner_is_refused_what_is_not_theirs_to_do(world, http, mutation, code):
    counts = table_counts(world.app)
    (result,) = _results(world.push(http, "s1", "device-s1-tablet", [mutation]))
    assert result["status"] == "rejected" and result["code"] == code, result
    after = table_counts(world.app)
    assert {k: v for k, v in after.items() if not k.startswith("sync_")} == {
        k: v for k, v in counts.items() if not k.startswith("sync_")}


def test_a_learner_cannot_touch_another_learners_existing_rows(world, http):
    s2 = [_goal(1, student="s2"),
          _m(2, "evidence.put", {"id": EVIDENCE, "student_id": "s2", "kind": "text", "text": "a"})]
    assert [r["status"] for r in _results(world.push(http, "s2", "device-s2-tablet", s2))] == [
        "applied", "applied"]
    attempts = [_m(1, "goal.delete", {"id": GOAL}), _m(2, "evidence.delete", {"id": EVIDENCE}),
                _m(3, "evidence.put", {"id": EVIDENCE, "student_id": "s1", "kind": "text",
                                       "text": "mine now"})]
    results = _results(world.push(http, "s1", "device-s1-tablet", attempts))
    assert [r["status"] for r in results] == ["rejected"] * 3, results


def test_a_teacher_of_another_class_is_refused(world, http):
    # t2 teaches s1 only
    batch = [_m(1, "rating.put", {"student_id": "s2", "target_id": "lt1", "level": 3,
                                  "base_version": 0}, "t2p"),
             _goal(2, student="s2"),
             _m(3, "rating.put", {"student_id": "s1", "target_id": "lt1", "level": 3,
                                  "base_version": 0}, "t2p")]
    results = _results(world.push(http, "t2", "device-t2-laptop", batch))
    assert [r["status"] for r in results] == ["rejected", "rejected", "applied"], results
    assert [r["code"] for r in results[:2]] == ["auth.not_your_learner"] * 2
    # the words name the learner (same school), and API clients read them
    assert results[0]["params"]["student_id"] == world.users["s2"]
    assert results[0]["params"]["student"] == world.names["s2"]
    assert results[0]["reason"] == f"You do not teach {world.names['s2']}."


@pytest.mark.parametrize(("args", "code", "params"), [
    ({"student_id": "s1", "target_id": 999_999, "level": 3}, "ref.no_target",
     {"target_id": 999_999}),
    ({"student_id": "s1", "target_id": "lt1", "level": 3.3}, "field.level_step",
     {"field": "level", "value": "3.3"}),
    ({"student_id": "s1", "target_id": "lt1", "level": "3"}, "field.not_level",
     {"field": "level", "type": "text"}),
    ({"student_id": "s1", "target_id": "lt1", "level": True}, "field.not_level",
     {"field": "level", "type": "boolean"}),
    ({"student_id": "s1", "target_id": "lt1"}, "mutation.missing_args",
     {"mutation": "self_assessment.put", "args": ["level"]}),
    ({"student_id": 999_999, "target_id": "lt1", "level": 3}, "ref.no_learner",
     {"student": "999999"}),
    ({"student_id": "s1", "target_id": "lt1", "level": 3, "mood": "happy"},
     "mutation.unknown_args", {"mutation": "self_assessment.put", "args": ["mood"]}),
])
def test_bad_arguments_are_rejected_with_a_reason(world, http, args, code, params):
    (result,) = _results(world.push(http, "s1", "device-s1-tablet",
                                    [_m(1, "self_assessment.put", args)]))
    assert result["status"] == "rejected", result
    assert (result["code"], result["params"]) == (code, params)
    assert result["reason"] and "{" not in result["reason"]


def test_unknown_names_and_references_are_rejected_with_a_reason(world, http):
    batch = [_m(1, "goal.archive", {"id": GOAL}), _m(2, 42, {}),
             _m(3, "pick.put", {"id": GOAL, "student_id": "s1", "activity_id": 999_999,
                                "status": "picked"}),
             _m(4, "goal.put", {"id": GOAL, "student_id": "s1", "title": "x"}) | {"hlc": "soon"},
             _goal(5)]
    results = _results(world.push(http, "s1", "device-s1-tablet", batch))
    assert [r["status"] for r in results] == ["rejected"] * 4 + ["applied"]
    assert [r["code"] for r in results[:4]] == [
        "mutation.unknown", "mutation.name_not_text", "ref.no_activity", "clock.bad_stamp"]
    assert all(r["reason"] for r in results[:4])


@pytest.mark.parametrize("body", [
    {"mutations": []},
    {"client_id": "device-s1-tablet"},
    {"client_id": "device-s1-tablet", "mutations": {"seq": 1}},
    {"client_id": "device-s1-tablet", "mutations": [{"name": "goal.put", "args": {}}]},
    {"client_id": "device-s1-tablet", "mutations": [_goal(1) | {"seq": "one"}]},
    {"client_id": "device-s1-tablet", "mutations": [_goal(1), _goal(1, goal=GOAL2)]},
    {"client_id": "device-s1-tablet", "mutations": ["goal.put"]},
    {"client_id": "short", "mutations": [_goal(1)]},
    {"client_id": "has spaces in it", "mutations": [_goal(1)]},
    [],
])
def test_a_malformed_envelope_is_refused_and_writes_nothing(world, http, body, assert_error):
    counts = table_counts(world.app)
    resp = http.post(PUSH, json=body,
                     headers=world.headers("s1"))
    assert 400 <= resp.status_code < 500
    assert_error(resp, resp.status_code)
    assert table_counts(world.app) == counts


def test_a_device_id_of_another_account_is_refused(world, http, assert_error):
    assert _results(world.push(http, "s1", "device-shared-1", [_goal(1)]))[0]["status"] == "applied"
    counts = table_counts(world.app)
    assert_error(world.push(http, "s2", "device-shared-1", [_goal(2, student="s2")]), 403)
    assert table_counts(world.app) == counts


def test_a_batch_over_500_is_refused(world, http, assert_error):
    batch = [_goal(seq, title=f"t{seq}") for seq in range(1, 502)]
    counts = table_counts(world.app)
    assert_error(world.push(http, "s1", "device-s1-tablet", batch), 413)
    assert table_counts(world.app) == counts
    assert _results(world.push(http, "s1", "device-s1-tablet", batch[:500]))[-1]["seq"] == 500


def test_pushing_needs_a_sign_in(http, assert_error):
    assert_error(http.post(PUSH, json={"client_id": "device-s1-tablet", "mutations": []}), 401)


@pytest.mark.skipif(not IS_POSTGRES, reason="row locks: SQLite has one writer, no row locks")
def test_a_push_does_not_wait_on_a_transaction_that_only_references_its_learner(world, http):
    """Regression (a deadlock in the 200-device load test): two devices of one learner each
    inserted their sync_clients row (PostgreSQL takes FOR KEY SHARE on the learner's users
    row for the foreign key) and then both waited to lock that row FOR UPDATE. The learner
    lock is FOR NO KEY UPDATE now, so a mere reference never blocks it.

    Here another transaction holds KEY SHARE on s1 (its own new device row, not committed);
    s1's push on a new device must finish without waiting for it.
    """
    with world.app.app_context():
        other = db.engine.connect()
    other_tx = other.begin()
    other.execute(text("INSERT INTO sync_clients (client_id, user_id, last_seq, user_agent, "
                       "created_at) VALUES ('other-device', :sid, 0, '', now())"),
                  {"sid": world.users["s1"]})
    answer: list = []
    pushing = threading.Thread(target=lambda: answer.append(
        world.push(world.app.test_client(), "s1", "new-device", [_goal(1)])))
    try:
        pushing.start()
        pushing.join(10)
        finished = not pushing.is_alive()
    finally:
        other_tx.rollback()  # let a blocked push go, whatever happened
        other.close()
        pushing.join(30)
    assert finished, "the push waited on a transaction that only referenced its learner"
    assert _results(answer[0])[0]["status"] == "applied"


def test_the_words_of_a_code_are_in_the_requesters_language_with_people_named(world, http):
    """The answer's `reason` is the code's template from the gettext catalog (Spanish here,
    from the device's language cookie); code and params stay the same in every language."""
    http.set_cookie("waypoint_locale", "es")
    batch = [_m(1, "rating.put", {"student_id": "s2", "target_id": "lt1", "level": 3,
                                  "base_version": 0}, "t2p")]
    (result,) = _results(world.push(http, "t2", "device-t2-laptop", batch))
    assert result["code"] == "auth.not_your_learner"
    assert result["params"] == {"student_id": world.users["s2"], "student": world.names["s2"]}
    assert result["reason"] == f"No das clase a {world.names['s2']}."
