"""Phased first sync, as a property: whatever the interleaving of a new device's pull pages
(current phase, changes, history) with its own pushes and other devices' writes, once it has
pulled everything it holds exactly the server's rows (sync/phases.py says why).

The device keeps, per (type, id), the row with the highest version (sync.phases.DeviceRows =
SyncStore._rebase in assets/sync/store.js).
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.extensions import db
from sync.phases import DeviceRows
from tests.backend.sync.world import PULL, World, standard_world

SETTINGS = settings(max_examples=20, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
NOW = 1_700_000_000_000
GOALS = [f"0190a0a1-0000-7000-8000-0000000000{i:02d}" for i in range(12)]
EVIDENCE = [f"0190e0e1-0000-7000-8000-0000000000{i:02d}" for i in range(4)]
COMPUTED = ("level", "topic_progress", "recommendation")

# (user, client id) of the writers: the new device itself, the learner's other device, a teacher
WRITERS = {"self": None, "tablet": ("s1", "prop-phase-s1-tablet"),
           "teacher": ("t1", "prop-phase-t1-laptop")}

student_ops = st.one_of(
    st.builds(lambda g, s, t: ("goal.put", {"id": g, "student_id": "s1", "title": t,
                                            "status": s}),
              st.sampled_from(GOALS), st.sampled_from(["active", "done", "dropped"]),
              st.sampled_from(["a", "b", "c"])),
    st.builds(lambda g: ("goal.delete", {"id": g}), st.sampled_from(GOALS[:6])),
    st.builds(lambda t, lv: ("self_assessment.put", {"student_id": "s1", "target_id": t,
                                                     "level": lv}),
              st.sampled_from(["lt1", "lt2"]), st.integers(0, 8).map(lambda n: n / 2)),
    st.builds(lambda e, c: ("evidence.put", {"id": e, "student_id": "s1", "kind": "text",
                                             "text": "work", "caption": c, "submitted": True}),
              st.sampled_from(EVIDENCE), st.sampled_from(["x", "y"])),
)
teacher_ops = st.one_of(
    st.builds(lambda t, lv: ("rating.put", {"student_id": "s1", "target_id": t, "level": lv,
                                            "base_version": 0}),
              st.sampled_from(["lt1", "lt2"]), st.integers(0, 8).map(lambda n: n / 2)),
    st.builds(lambda e: ("evidence.review", {"evidence_id": e, "decision": "approved"}),
              st.sampled_from(EVIDENCE[:2])),
    st.builds(lambda g, t: ("goal.put", {"id": g, "student_id": "s1", "title": t}),
              st.sampled_from(GOALS), st.sampled_from(["t", "u"])),
)
steps = st.lists(st.one_of(
    st.just(("pull",)),
    st.tuples(st.just("write"), st.sampled_from(["self", "tablet"]), student_ops),
    st.tuples(st.just("write"), st.just("teacher"), teacher_ops),
), min_size=1, max_size=25)


class Device:
    """A new device of `user` that syncs in phases, one request per `step()`."""

    def __init__(self, world, http, user: str, limit: int):
        self.world, self.http, self.user, self.limit = world, http, user, limit
        self.rows = DeviceRows()
        self.stage, self.cursor, self.plain, self.history = "current", None, None, None

    def _get(self, **query) -> dict:
        resp = self.http.get(PULL, query_string={"limit": self.limit, **query},
                             headers=self.world.headers(self.user))
        assert resp.status_code == 200, resp.get_json()
        page = resp.get_json()
        self.rows.apply(page["changes"])
        return page

    def step(self) -> bool:
        """One page of whatever comes next; False once everything is pulled."""
        if self.stage == "current":
            page = self._get(phase="current", computed=1,
                             **({"cursor": self.cursor} if self.cursor else {}))
            self.cursor = page["cursor"]
            if not page["has_more"]:
                self.plain, self.history = page["cursor"], page["history"]["cursor"]
                self.stage = "changes"
        elif self.stage == "changes":  # changes after the watermark, then history
            page = self._get(cursor=self.plain, computed=1)
            self.plain = page["cursor"]
            if not page["has_more"]:
                self.stage = "history" if self.history else "done"
        elif self.stage == "history":
            page = self._get(phase="history", cursor=self.history)
            self.history = page["cursor"]
            if self.history is None:
                self.stage = "done"
        else:
            page = self._get(cursor=self.plain, computed=1)
            self.plain = page["cursor"]
            return page["has_more"]
        return True


@pytest.fixture
def servers(fresh_db, make_app):
    @contextlib.contextmanager
    def server():
        app = make_app(database_url=fresh_db(seeded=False))
        world = World.build(app, standard_world())
        http = app.test_client()
        past = [{"seq": i + 1, "name": "goal.put", "hlc": f"{NOW + i:013d}-0000-setup",
                 "args": {"id": g, "student_id": "s1", "title": f"old {i}",
                          "status": "done" if i % 3 else "active"}}
                for i, g in enumerate(GOALS)]
        past += [{"seq": len(past) + 1 + i, "name": "evidence.put",
                  "hlc": f"{NOW + 100 + i:013d}-0000-setup",
                  "args": {"id": e, "student_id": "s1", "kind": "text", "text": "old",
                           "submitted": True}} for i, e in enumerate(EVIDENCE)]
        assert world.push(http, "s1", "prop-phase-setup", past).status_code == 200
        try:
            yield world, http
        finally:
            with app.app_context():
                db.session.remove()
                for engine in db.engines.values():
                    engine.dispose()
    return server


@SETTINGS
@given(script=steps, user=st.sampled_from(["s1", "t1", "g1"]), limit=st.integers(1, 6))
def test_a_phased_first_sync_interleaved_with_writes_ends_with_the_servers_rows(
        servers, script, user, limit):
    with servers() as (world, http):
        device = Device(world, http, user, limit)
        seqs: dict[str, int] = {}
        clock = NOW + 10_000
        for step in script:
            if step[0] == "pull":
                device.step()
                continue
            _, who, (name, args) = step
            if who == "self":  # the new device's own write (only a learner's device writes)
                if user != "s1":
                    continue
                writer = ("s1", "prop-phase-new-device")
            else:
                writer = WRITERS[who]
            seqs[writer[1]] = seqs.get(writer[1], 0) + 1
            clock += 1
            mutation = {"seq": seqs[writer[1]], "name": name, "args": args,
                        "hlc": f"{clock:013d}-0000-{who}"}
            assert world.push(http, writer[0], writer[1], [mutation]).status_code == 200
        for _ in range(500):  # finish: every phase, then the changes until caught up
            if not device.step():
                break
        server = {(r["type"], str(r["id"])): r for r in world.pull_all(http, user)}
        held = {k: r for k, r in device.rows.rows.items() if r["type"] not in COMPUTED}
        assert held == server
