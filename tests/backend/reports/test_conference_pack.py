"""The student-led conference pack (issue 18 item 4): it opens with the learner's profile in
their own words and the observations they accepted, then the work they starred over sync
(evidence.put highlight), then their goals; the highlights cap is held by the server."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from backend.extensions import db
from backend.models import User
from backend.reports.data import conference_pack
from sync.caps import DEFAULT_CAPS
from tests.backend.sync.world import World, standard_world

CLIENT = "conf-s1-tablet"


def _m(seq: int, name: str, args: dict, node: str = "d1") -> dict:
    return {"seq": seq, "name": name, "args": args,
            "hlc": f"{1_700_000_000_000 + seq:013d}-0000-{node}"}


def _eid(n: int) -> str:
    return str(uuid.UUID(int=0x0190E0E1 << 96 | n))


def _evidence(seq: int, n: int, **extra) -> dict:
    return _m(seq, "evidence.put", {"id": _eid(n), "student_id": "s1", "kind": "text",
                                    "text": f"work {n}", "caption": f"Piece {n}", **extra})


@pytest.fixture
def world(make_app):
    return World.build(make_app(seeded=False), standard_world())


def _push(world, http, batch, user="s1", client=CLIENT) -> list[dict]:
    resp = world.push(http, user, client, batch)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["results"]


def _pack(world) -> dict:
    with world.app.app_context():
        learner = db.session.get(User, world.users["s1"])
        pack = conference_pack(learner, date.today())
        return {k: pack[k] for k in ("profile", "accepted", "starred", "evidence", "goals")}


def test_the_pack_opens_with_the_profile_then_the_starred_work_then_the_goals(world):
    http = world.app.test_client()
    obs = str(uuid.UUID(int=0x0190F0F1 << 96 | 1))
    other = str(uuid.UUID(int=0x0190F0F1 << 96 | 2))
    results = _push(world, http, [
        _m(1, "profile.section.put", {"student_id": "s1", "section": "strengths",
                                      "text": "I build bridges that hold", "seen": []}),
        _m(2, "profile.section.put", {"student_id": "s1", "section": "learn_by",
                                      "text": "", "choices": ["doing"], "seen": []}),
        _evidence(3, 1), _evidence(4, 2), _evidence(5, 3),
        _m(6, "goal.put", {"id": str(uuid.UUID(int=0x0190A0A1 << 96 | 1)), "student_id": "s1",
                           "title": "Finish my bridge report"}),
    ])
    assert all(r["status"] == "applied" for r in results), results
    before = _pack(world)
    assert before["starred"] is False  # nothing starred: the latest submitted work (none)
    assert before["evidence"] == []
    _push(world, http, [
        _m(1, "profile.observation.put", {"id": obs, "student_id": "s1",
                                          "text": "You explain your designs clearly"}, "t1p"),
        _m(2, "profile.observation.put", {"id": other, "student_id": "s1",
                                          "text": "You rush the last step"}, "t1p"),
    ], user="t1", client="conf-t1-phone")
    results = _push(world, http, [
        _m(7, "profile.observation.respond", {"id": obs, "response": "accepted"}),
        _m(8, "profile.observation.respond", {"id": other, "response": "discuss"}),
        _evidence(9, 1, highlight=True), _evidence(10, 3, highlight=True),
    ])
    assert all(r["status"] == "applied" for r in results), results
    pack = _pack(world)
    assert [(p["title"], p["text"], p["choices"]) for p in pack["profile"]] == [
        ("My strengths", "I build bridges that hold", []),
        ("How I take in ideas", "", ["Doing"])]
    assert [o["text"] for o in pack["accepted"]] == ["You explain your designs clearly"]
    assert pack["starred"] is True
    assert sorted(e["caption"] for e in pack["evidence"]) == ["Piece 1", "Piece 3"]
    assert [g["title"] for g in pack["goals"]] == ["Finish my bridge report"]
    # unstarring on another device later takes it out
    _push(world, http, [_evidence(1, 3, highlight=False) | {
        "hlc": "1700000000099-0000-d2"}], client="conf-s1-phone")
    assert [e["caption"] for e in _pack(world)["evidence"]] == ["Piece 1"]
    # the printable pack: profile, then highlights, then goals (one part per page)
    html = http.get(f"/api/interop/reports/conference/{world.users['s1']}?format=html",
                    headers=world.headers("s1")).get_data(as_text=True)
    at = [html.index(s) for s in ("My profile, in my own words", "I build bridges that hold",
                                  "You explain your designs clearly", "My highlights",
                                  "Piece 1", "My goals and reflections",
                                  "Finish my bridge report", "Agenda")]
    assert at == sorted(at)
    assert "You rush the last step" not in html  # not accepted: not in their pack
    assert "Piece 3" not in html


def test_starring_past_the_cap_is_refused_in_plain_words_and_unstarring_is_not(world):
    http = world.app.test_client()
    limit = DEFAULT_CAPS.highlights
    batch = [_evidence(n, n, highlight=True) for n in range(1, limit + 2)]
    results = _push(world, http, batch)
    assert [r["status"] for r in results] == ["applied"] * limit + ["rejected"]
    assert results[-1]["code"] == "cap.highlights"
    assert "Unstar one first" in results[-1]["reason"]
    results = _push(world, http, [_evidence(limit + 2, 1, highlight=False),
                                  _evidence(limit + 3, limit + 1, highlight=True)])
    assert [r["status"] for r in results] == ["applied", "applied"]
    assert len(_pack(world)["evidence"]) == limit
