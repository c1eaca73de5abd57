"""Every conformance vector in sync/vectors, pushed through POST /api/sync/push and pulled back.

Mirrors tests/sync/vector_runner.py against the real backend. Where HTTP answers in its own
way, the comparison is adapted (and says so):

* guardians and admins cannot reach push at all (403 "Your role cannot do that."), where the
  library answers each of their mutations "rejected"; the step must then write nothing.
* `newest` of "rating.base_unknown" is this server's version number, checked against it.
* params naming users by symbolic key (`teacher_id: "t1"`) are compared with the real id, and
  the name the words use (`teacher: "t1"`) with that user's display name: the backend names
  people (backend/sync_server/reasons.py) where the library knows only ids.
"""

from __future__ import annotations

import pytest

from backend.sync_server import push as sync_push
from tests.backend.sync.world import World
from tests.sync.vector_runner import DEFAULT_NOW, load_vectors

VECTORS = load_vectors()


def _resolve_seen(world: World, mutations: list, snapshots: dict) -> list:
    out = []
    for m in mutations:
        args = m.get("args") if isinstance(m, dict) else None
        base = args.get("base_version") if isinstance(args, dict) else None
        if isinstance(base, dict) and "$seen" in base:
            key = (args["student_id"], args["target_id"])
            m = {**m, "args": {**args, "base_version": snapshots[base["$seen"]].get(key, 0)}}
        out.append(m)
    return out


def _snapshot(world: World) -> dict:
    return {(s, t): world.max_rating_version(s, t)
            for s in world.users for t in world.targets}


def _check_result(world: World, actual: dict, expected: dict, where: str,
                  mutations: list) -> None:
    want = {**expected, "params": world.real_params(expected["params"])} if "params" in expected \
        else expected
    if expected.get("code") == "rating.base_unknown":
        # `newest` is a server version number, not comparable across servers: it must be
        # this server's newest rating version of the (learner, target) the rating names
        args = next(m["args"] for m in mutations if m["seq"] == expected["seq"])
        newest = world.max_rating_version(args["student_id"], args["target_id"])
        want["params"] = {**want["params"], "newest": newest}
    got = {k: v for k, v in actual.items() if k != "reason"}
    assert got == want, f"{where}: expected {want}, got {actual}"
    if "code" in expected:  # API clients read words too: the code's, people named
        assert actual["reason"] and "{" not in actual["reason"], f"{where}: {actual}"


def _run_step(world, http, step, snapshots, db_counts, where):
    mutations = _resolve_seen(world, step["mutations"], snapshots)
    role = world.role(step["user"])
    # an admin who assesses teacher microcredentials pushes its reviews like a teacher
    writes_nothing = role == "guardian" or (role == "admin" and step["user"] not in
                                            world.assessors)
    before = db_counts(world.app) if writes_nothing else None
    resp = world.push(http, step["user"], step["client"], mutations)
    if before is not None:
        # HTTP refuses the whole push for roles that write nothing through sync
        assert resp.status_code == 403, (where, resp.get_json())
        assert db_counts(world.app) == before, where
        outcome = None
    elif resp.status_code == 409:
        body = resp.get_json()
        assert body["code"] == "seq_gap", body
        outcome = {"error": {"gap": body["errors"]["expected_seq"]
                             if "expected_seq" in body.get("errors", {})
                             else body["expected_seq"]}}
    else:
        assert resp.status_code == 200, (where, resp.get_json())
        outcome = resp.get_json()
    if "label" in step:
        snapshots[step["label"]] = _snapshot(world)
    return outcome


def _set_server_time(monkeypatch, ms: int) -> None:
    """The vectors were recorded at fixed server times (clamping depends on them)."""
    monkeypatch.setattr(sync_push, "now_ms", lambda: ms)


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector_through_http(vector, make_app, db_counts, monkeypatch):
    app = make_app(seeded=False)
    world = World.build(app, vector["world"])
    http = app.test_client()
    now = vector.get("server_now_ms", DEFAULT_NOW)
    snapshots: dict = {}
    for step in vector.get("initial", []):
        _set_server_time(monkeypatch, step.get("server_now_ms", now))
        _run_step(world, http, step, snapshots, db_counts, "initial")
    for index, step in enumerate(vector["steps"]):
        _set_server_time(monkeypatch, step.get("server_now_ms", now))
        where = f"{vector['name']} step {index} ({step.get('label', step['user'])})"
        outcome = _run_step(world, http, step, snapshots, db_counts, where)
        expect = step.get("expect")
        if expect is None or outcome is None:
            continue
        if "error" in expect or "error" in outcome:
            assert outcome.get("error") == expect.get("error"), where
            continue
        assert outcome["last_seq"] == expect["last_seq"], where
        assert len(outcome["results"]) == len(expect["results"]), (where, outcome["results"])
        for actual, expected in zip(outcome["results"], expect["results"], strict=True):
            _check_result(world, actual, expected, where, step["mutations"])
    assert world.projection(http) == vector["final"]
