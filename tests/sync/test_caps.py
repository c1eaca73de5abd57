"""Caps (sync/caps.py): the numbers, their reason codes and the rules."""

from __future__ import annotations

import re

import pytest

from sync import Actor, apply_batch, new_state, validate_args
from sync.caps import DEFAULT_CAPS, CapExceeded, Caps, activates_goal, count_cap
from sync.fields import MAX_TARGETS, MAX_TEXT, MAX_TITLE, MAX_URL
from sync.reasons import REASONS, render

GOAL = "0190a0a1-0000-7000-8000-000000000001"
NOW = 1_700_000_600_000


def test_the_validators_take_their_numbers_from_the_caps():
    caps = (DEFAULT_CAPS.title, DEFAULT_CAPS.text, DEFAULT_CAPS.url, DEFAULT_CAPS.target_ids)
    assert caps == (MAX_TITLE, MAX_TEXT, MAX_URL, MAX_TARGETS)


def test_every_cap_code_has_words_that_use_only_numbers_and_the_field():
    caps = {code: t for code, t in REASONS.items() if code.startswith("cap.")}
    assert set(caps) == {"cap.active_goals", "cap.open_evidence", "cap.evidence_per_day",
                         "cap.batch", "cap.text_length", "cap.target_ids",
                         "cap.profile_seen", "cap.highlights"}
    for code, template in caps.items():
        params = set(re.findall(r"\{(\w+)\}", template))
        assert params <= {"count", "limit", "field"}, (code, params)
        assert "{" not in render(code, {"count": 7, "limit": 9, "field": "title"})


def test_the_active_goals_message_says_what_to_do():
    error = CapExceeded("cap.active_goals", count=500, limit=500)
    assert error.message.startswith("You have 500 active goals. Finish or archive some first")
    assert error.result(4) == {"seq": 4, "status": "rejected", "reason": error.message,
                               "code": "cap.active_goals",
                               "params": {"count": 500, "limit": 500}}


@pytest.mark.parametrize(("name", "args", "field"), [
    ("goal.put", {"id": GOAL, "student_id": "s1", "title": "x" * 201}, "title"),
    ("goal.put", {"id": GOAL, "student_id": "s1", "title": "ok", "reflection": "y" * 4001},
     "reflection"),
    ("evidence.put", {"id": GOAL, "student_id": "s1", "kind": "link",
                      "url": "https://e.org/" + "a" * 2000}, "url"),
])
def test_a_text_over_its_length_is_refused_with_the_text_length_code(name, args, field):
    with pytest.raises(CapExceeded) as caught:
        validate_args(name, args)
    assert caught.value.code == "cap.text_length"
    assert caught.value.params["field"] == field


def test_too_many_targets_is_refused_with_its_code_and_the_rest_of_the_batch_applies():
    state = new_state()
    batch = [
        {"seq": 1, "name": "goal.put", "hlc": "1700000600001-0000-d1",
         "args": {"id": GOAL, "student_id": "s1", "title": "many",
                  "target_ids": [f"lt{i}" for i in range(51)]}},
        {"seq": 2, "name": "goal.put", "hlc": "1700000600002-0000-d1",
         "args": {"id": GOAL, "student_id": "s1", "title": "fine"}},
    ]
    results, last = apply_batch(state, "c1", batch, Actor("s1", "student"), NOW)
    assert last == 2
    assert results[0]["code"] == "cap.target_ids"
    assert results[0]["params"] == {"field": "target_ids", "limit": 50}
    assert results[0]["reason"] == "target_ids may name at most 50 learning targets."
    assert results[1]["status"] == "applied"
    assert state["rows"]["goal"][GOAL]["data"]["title"] == "fine"


def _goal(status: str, deleted: bool = False) -> dict:
    return {"type": "goal", "id": GOAL, "deleted": deleted, "data": {"status": status}}


def test_which_goal_puts_add_an_active_goal():
    assert activates_goal(None, {"title": "new"})  # a new goal is active by default
    assert activates_goal(None, {"status": "active"})
    assert not activates_goal(None, {"status": "done"})  # recording a finished goal is fine
    assert not activates_goal(_goal("active"), {"title": "rename"})
    assert not activates_goal(_goal("active"), {"status": "active"})
    assert activates_goal(_goal("done"), {"status": "active"})  # reopening counts
    assert activates_goal(_goal("active", deleted=True), {"status": "active"})
    assert not activates_goal(_goal("done"), {"title": "edit a done goal"})


def test_count_caps_refuse_only_what_would_go_over():
    caps = Caps(active_goals=2, open_evidence=3, evidence_per_day=5)
    under = {"active_goals": 1, "open_evidence": 2, "evidence_today": 4}
    full = {"active_goals": 2, "open_evidence": 3, "evidence_today": 5}
    assert count_cap("goal.put", {"title": "a"}, None, under, caps) is None
    capped = count_cap("goal.put", {"title": "a"}, None, full, caps)
    assert capped.code == "cap.active_goals" and capped.params == {"count": 2,
                                                                            "limit": 2}
    # editing or finishing a goal is never capped: that is how a learner gets under the cap
    assert count_cap("goal.put", {"status": "done"}, _goal("active"), full, caps) is None
    assert count_cap("goal.delete", {}, _goal("active"), full, caps) is None
    assert count_cap("evidence.put", {"kind": "text"}, None, under, caps) is None
    assert count_cap("evidence.put", {"kind": "text"}, None, full,
                     caps).code == "cap.evidence_per_day"
    assert count_cap("evidence.put", {"kind": "text"}, None, {**full, "evidence_today": 0},
                     caps).code == "cap.open_evidence"
    # editing stored evidence is never capped
    stored = {"type": "evidence", "id": GOAL, "deleted": False, "data": {}}
    assert count_cap("evidence.put", {"caption": "x"}, stored, full, caps) is None


def test_starring_one_more_highlight_than_the_cap_is_refused_and_unstarring_never():
    caps = Caps(highlights=2)
    starred = {"deleted": False, "data": {"highlight": True}}
    plain = {"deleted": False, "data": {"highlight": False}}
    full = {"active_goals": 0, "open_evidence": 0, "evidence_today": 0, "highlights": 2}
    error = count_cap("evidence.put", {"highlight": True}, plain, full, caps)
    assert error.code == "cap.highlights" and "Unstar one first" in str(error)
    assert count_cap("evidence.put", {"highlight": True}, starred, full, caps) is None
    assert count_cap("evidence.put", {"highlight": False}, starred, full, caps) is None
    assert count_cap("evidence.put", {"highlight": True}, plain,
                     {**full, "highlights": 1}, caps) is None
