"""The checker's checks catch what they claim to: each test doctors one fact of a clean
history and expects exactly that anomaly (a checker that cannot fail proves nothing)."""

import copy

from sync.merge.common import event_id
from tests.consistency.checks import check
from tests.consistency.clients import History

CLIENT = "dev-aaaaaaaaaaaa"
HLC1 = "1765000000000-0000-aaaaaaaa"
HLC2 = "1765000000100-0000-aaaaaaaa"
GOAL = "0b6a2b4e-7f5e-4c1e-9a51-3f7c4fd1e001"


def _clean():
    h = History("py0", "py", {"id": 4, "role": "student", "username": "student"})
    h.client_ids = {CLIENT}
    h.written = [
        {
            "client_id": CLIENT,
            "seq": 1,
            "hlc": HLC1,
            "name": "goal.put",
            "skew_ms": 0,
            "args": {"id": GOAL, "student_id": 4, "title": "Read a chapter", "status": "active"},
        },
        {
            "client_id": CLIENT,
            "seq": 2,
            "hlc": HLC2,
            "name": "self_assessment.put",
            "skew_ms": 0,
            "args": {"student_id": 4, "target_id": 1, "level": 2.5},
        },
    ]
    h.answers = {HLC1: [{"seq": 1, "status": "applied"}], HLC2: [{"seq": 2, "status": "applied"}]}
    goal = {
        "version": 10,
        "deleted": False,
        "data": {"student_id": 4, "title": "Read a chapter", "status": "active"},
    }
    event = {
        "version": 11,
        "deleted": False,
        "data": {"student_id": 4, "hlc": HLC2, "origin": "self_assessment.put"},
    }
    server = {("goal", GOAL): goal, ("event", event_id(CLIENT, 2)): event}
    h.replica = copy.deepcopy(server)
    return h, server


def _run(h, server):
    return check([h], server, {"student": server})


def test_a_clean_history_has_no_anomaly():
    assert _run(*_clean()) == []


def test_a_write_never_answered_is_an_anomaly():
    h, server = _clean()
    del h.answers[HLC2]
    assert any("never answered" in a for a in _run(h, server))


def test_a_refused_write_is_an_anomaly():
    h, server = _clean()
    h.answers[HLC1] = [{"seq": 1, "status": "rejected", "reason": "too old"}]
    assert any("was refused: too old" in a for a in _run(h, server))


def test_an_offline_write_re_dated_is_an_anomaly():
    h, server = _clean()
    h.written[0]["skew_ms"] = -30 * 24 * 3600 * 1000
    h.answers[HLC1] = [{"seq": 1, "status": "applied", "clamped": True, "hlc": HLC2}]
    assert any("re-dated" in a for a in _run(h, server))


def test_a_write_applied_twice_is_an_anomaly():
    h, server = _clean()
    twin = copy.deepcopy(server[("event", event_id(CLIENT, 2))])
    server[("event", event_id(CLIENT, 9))] = twin
    h.replica = copy.deepcopy(server)
    assert any("in the server 2 times" in a for a in _run(h, server))


def test_a_lost_last_write_is_an_anomaly():
    h, server = _clean()
    server[("goal", GOAL)]["data"]["title"] = "Something older"
    h.replica = copy.deepcopy(server)
    assert any("title is 'Something older'" in a for a in _run(h, server))


def test_a_replica_that_differs_is_an_anomaly():
    h, server = _clean()
    h.replica[("goal", GOAL)]["version"] = 9
    assert any("replica differs" in a for a in _run(h, server))


def test_events_out_of_seq_order_are_an_anomaly():
    h, server = _clean()
    hlc3 = "1765000000200-0000-aaaaaaaa"
    h.written.append(
        {
            "client_id": CLIENT,
            "seq": 3,
            "hlc": hlc3,
            "name": "self_assessment.put",
            "skew_ms": 0,
            "args": {"student_id": 4, "target_id": 2, "level": 1.0},
        }
    )
    h.answers[hlc3] = [{"seq": 3, "status": "applied"}]
    server[("event", event_id(CLIENT, 3))] = {
        "version": 5,
        "deleted": False,
        "data": {"student_id": 4, "hlc": hlc3, "origin": "self_assessment.put"},
    }
    h.replica = copy.deepcopy(server)
    assert any("not in seq order" in a for a in _run(h, server))


def test_a_slow_drain_is_an_anomaly():
    h, server = _clean()
    h.drain = {"healed": 100.0, "drained": 111.5, "notice": False, "attempts": [99.0, 110.5]}
    assert any("did not try to push within 10 s" in a for a in _run(h, server))
    h.drain = {"healed": 100.0, "drained": None, "notice": True, "attempts": [100.1]}
    assert any("never drained" in a for a in _run(h, server))
    h.drain = {"healed": 100.0, "drained": 125.0, "notice": False, "attempts": [99.0, 103.0]}
    assert _run(h, server) == []  # tried at once; the server took its time


def _with_profile():
    """Two devices' puts of one section: seq 3 saw nothing, a rival (seq 4) saw an earlier
    version from another run; the server keeps both unseen texts, the newest as its text."""
    from sync.merge.profile import profile_entry_id, profile_section_id

    h, server = _clean()
    hlc3, hlc4, old = ("1765000000200-0000-aaaaaaaa", "1765000000300-0000-bbbbbbbb",
                       "1764000000000-0000-cccccccc")
    for seq, hlc, text, seen in ((3, hlc3, "I am kind", []), (4, hlc4, "I build", [old])):
        h.written.append({"client_id": CLIENT, "seq": seq, "hlc": hlc, "skew_ms": 0,
                          "name": "profile.section.put",
                          "args": {"student_id": 4, "section": "strengths", "text": text,
                                   "seen": seen}})
        h.answers[hlc] = [{"seq": seq, "status": "applied"}]
        server[("profile_entry", profile_entry_id(CLIENT, seq))] = {
            "version": 20 + seq, "deleted": False,
            "data": {"student_id": 4, "section": "strengths", "text": text, "hlc": hlc}}
    server[("profile_section", profile_section_id(4, "strengths"))] = {
        "version": 30, "deleted": False,
        "data": {"student_id": 4, "section": "strengths", "text": "I build", "hlc": hlc4,
                 "alternatives": [{"text": "I am kind", "hlc": hlc3}]}}
    h.replica = copy.deepcopy(server)
    return h, server, old


def test_profile_sections_keep_every_unseen_text_and_no_seen_one():
    from sync.merge.profile import profile_section_id

    h, server, old = _with_profile()
    assert _run(h, server) == []
    key = ("profile_section", profile_section_id(4, "strengths"))
    lost = copy.deepcopy(server)
    lost[key]["data"]["alternatives"] = []  # one device's text silently dropped
    h.replica = copy.deepcopy(lost)
    assert any("lost ['1765000000200" in a for a in _run(h, lost))
    stale = copy.deepcopy(server)
    stale[key]["data"]["alternatives"].append({"text": "old", "hlc": old})  # replaced, shown
    h.replica = copy.deepcopy(stale)
    assert any("kept replaced versions" in a for a in _run(h, stale))
