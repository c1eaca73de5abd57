"""Mutation envelope and argument validation of protocol v1."""

import pytest

from sync import InvalidMutation, Mutation, UnknownMutation, validate_args
from sync.protocol import MUTATION_NAMES

UUID = "0190A0A1-0000-7000-8000-000000000001"


def goal(**more):
    return {"id": UUID, "student_id": 7, "title": "  Read  ", **more}


def test_v1_names_only():
    assert set(MUTATION_NAMES) == {
        "goal.put",
        "goal.delete",
        "pick.put",
        "pick.delete",
        "self_assessment.put",
        "evidence.put",
        "evidence.delete",
        "evidence.review",
        "rating.put",
        "conflict.resolve",
    }
    with pytest.raises(UnknownMutation, match="unknown mutation 'ready_to_demonstrate'"):
        validate_args("ready_to_demonstrate", {})


def test_goal_put_normalizes():
    args = validate_args("goal.put", goal(target_ids=[1, "1", 2], due_on="2025-03-31"))
    assert args == {
        "id": UUID.lower(),
        "student_id": 7,
        "title": "Read",
        "target_ids": [1, 2],
        "due_on": "2025-03-31",
    }


@pytest.mark.parametrize("level", [0, 0.5, 2, 3.5, 4, 4.0])
def test_good_levels(level):
    args = {"student_id": "s", "target_id": 3, "level": level}
    assert validate_args("self_assessment.put", args)["level"] == float(level)


@pytest.mark.parametrize(
    ("level", "message"),
    [
        (3.3, r"between 0 and 4 in steps of 0.5 \(got 3.3\)"),
        (-0.5, "got -0.5"),
        (4.5, "got 4.5"),
        (True, "must be a number"),
        ("3", "must be a number"),
        (None, "must be a number"),
        (float("nan"), "must be a number"),
    ],
)
def test_bad_levels(level, message):
    with pytest.raises(InvalidMutation, match=message):
        validate_args("self_assessment.put", {"student_id": "s", "target_id": 3, "level": level})


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        ("goal.put", goal(title=""), "title must not be empty"),
        ("goal.put", goal(title="x" * 201), "at most 200"),
        ("goal.put", goal(reflection="x" * 4001), "at most 4000"),
        ("goal.put", goal(status="finished"), "active, done, dropped"),
        ("goal.put", goal(due_on="31/03/2025"), "date like"),
        ("goal.put", goal(due_on="20250331"), "date like"),
        ("goal.put", goal(student_id=False), "student_id must be an id"),
        ("goal.put", goal(student_id=" "), "must not be empty"),
        ("goal.put", goal(id=12), "UUID"),
        ("goal.put", goal(target_ids="lt1"), "must be a list"),
        ("goal.put", goal(ready_to_demonstrate=True), "does not take"),
        ("goal.put", {"id": UUID}, "needs student_id, title"),
        ("pick.put", {"id": UUID, "student_id": 1, "activity_id": 2, "status": "x"}, "picked"),
        ("evidence.put", {"id": UUID, "student_id": 1, "kind": "video"}, "photo, file"),
        (
            "evidence.put",
            {"id": UUID, "student_id": 1, "kind": "link", "url": "javascript:alert(1)"},
            "http",
        ),
        ("evidence.put", {"id": UUID, "student_id": 1, "kind": "photo", "blob_sha256": "ab"}, "64"),
        ("evidence.put", {"id": UUID, "student_id": 1, "kind": "text", "submitted": 1}, "true or"),
        ("evidence.review", {"evidence_id": UUID, "decision": "ok"}, "approved, returned"),
        (
            "evidence.review",
            {"evidence_id": UUID, "decision": "approved", "level": 3},
            "needs the learning target",
        ),
        (
            "rating.put",
            {"student_id": 1, "target_id": 2, "level": 3, "base_version": -1},
            "whole number >= 0",
        ),
        ("rating.put", {"student_id": 1, "target_id": 2, "level": 3}, "needs base_version"),
        ("conflict.resolve", {"conflict_id": "x", "level": 3}, "UUID"),
        ("goal.delete", [], "must be an object"),
    ],
)
def test_rejections_have_reasons(name, args, message):
    with pytest.raises(InvalidMutation, match=message):
        validate_args(name, args)


def test_link_and_sha_normalize():
    args = validate_args(
        "evidence.put",
        {
            "id": UUID,
            "student_id": 1,
            "kind": "link",
            "url": " https://x.org/a ",
            "blob_sha256": "A" * 64,
        },
    )
    assert args["url"] == "https://x.org/a" and args["blob_sha256"] == "a" * 64


def test_envelope():
    raw = {"seq": 3, "name": "goal.delete", "args": {"id": UUID}, "hlc": "1-2-3"}
    assert Mutation.from_dict(raw).to_dict() == raw
    for bad in (
        {**raw, "seq": True},
        {**raw, "seq": 0},
        {**raw, "seq": "3"},
        {**raw, "name": 5},
        {**raw, "args": None},
        {**raw, "hlc": 17},
        {**raw, "extra": 1},
        [],
    ):
        with pytest.raises(InvalidMutation):
            Mutation.from_dict(bad)


def test_a_url_python_cannot_split_is_rejected_not_raised():
    """urlsplit raises ValueError on an unbalanced IPv6 bracket; it must be a rejection."""
    import pytest

    from sync import InvalidMutation, validate_args

    with pytest.raises(InvalidMutation, match="http:// or https://"):
        validate_args("evidence.put", {
            "id": "0190e5f4-7a3b-7c1d-8e2f-3a4b5c6d7e8f", "student_id": 1, "kind": "link",
            "url": "http://["})
