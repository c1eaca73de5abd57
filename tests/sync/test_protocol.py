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
        "profile.section.put",
        "profile.observation.put",
        "profile.observation.respond",
        "suggestion.decline",
    }
    with pytest.raises(UnknownMutation) as caught:
        validate_args("ready_to_demonstrate", {})
    assert (caught.value.code, caught.value.params) == (
        "mutation.unknown",
        {"mutation": "ready_to_demonstrate"},
    )


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
    ("level", "params"),
    [
        (3.3, {"field": "level", "value": "3.3"}),
        (-0.5, {"field": "level", "value": "-0.5"}),
        (4.5, {"field": "level", "value": "4.5"}),
        (True, {"field": "level", "type": "boolean"}),
        ("3", {"field": "level", "type": "text"}),
        (None, {"field": "level", "type": "null"}),
        (float("nan"), {"field": "level", "type": "number"}),
    ],
)
def test_bad_levels(level, params):
    with pytest.raises(InvalidMutation) as caught:
        validate_args("self_assessment.put", {"student_id": "s", "target_id": 3, "level": level})
    code = "field.level_step" if "value" in params else "field.not_level"
    assert (caught.value.code, caught.value.params) == (code, params)


@pytest.mark.parametrize(
    ("name", "args", "code"),
    [
        ("goal.put", goal(title=""), "field.empty"),
        ("goal.put", goal(title="x" * 201), "cap.text_length"),
        ("goal.put", goal(reflection="x" * 4001), "cap.text_length"),
        ("goal.put", goal(status="finished"), "field.not_choice"),
        ("goal.put", goal(due_on="31/03/2025"), "field.not_date"),
        ("goal.put", goal(due_on="20250331"), "field.not_date"),
        ("goal.put", goal(student_id=False), "field.not_id"),
        ("goal.put", goal(student_id=" "), "field.empty"),
        ("goal.put", goal(id=12), "field.not_uuid"),
        ("goal.put", goal(target_ids="lt1"), "field.not_list"),
        ("goal.put", goal(ready_to_demonstrate=True), "mutation.unknown_args"),
        ("goal.put", {"id": UUID}, "mutation.missing_args"),
        (
            "pick.put",
            {"id": UUID, "student_id": 1, "activity_id": 2, "status": "x"},
            "field.not_choice",
        ),
        ("evidence.put", {"id": UUID, "student_id": 1, "kind": "video"}, "field.not_choice"),
        (
            "evidence.put",
            {"id": UUID, "student_id": 1, "kind": "link", "url": "javascript:alert(1)"},
            "field.not_web_address",
        ),
        (
            "evidence.put",
            {"id": UUID, "student_id": 1, "kind": "photo", "blob_sha256": "ab"},
            "field.not_sha256",
        ),
        (
            "evidence.put",
            {"id": UUID, "student_id": 1, "kind": "text", "submitted": 1},
            "field.not_boolean",
        ),
        ("evidence.review", {"evidence_id": UUID, "decision": "ok"}, "field.not_choice"),
        (
            "evidence.review",
            {"evidence_id": UUID, "decision": "approved", "level": 3},
            "mutation.level_needs_target",
        ),
        (
            "rating.put",
            {"student_id": 1, "target_id": 2, "level": 3, "base_version": -1},
            "field.not_version",
        ),
        ("rating.put", {"student_id": 1, "target_id": 2, "level": 3}, "mutation.missing_args"),
        ("conflict.resolve", {"conflict_id": "x", "level": 3}, "field.not_uuid"),
        ("goal.delete", [], "mutation.args_not_object"),
    ],
)
def test_rejections_have_reason_codes(name, args, code):
    with pytest.raises(InvalidMutation) as caught:
        validate_args(name, args)
    assert caught.value.code == code
    assert caught.value.result(1)["params"] == caught.value.params


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

    with pytest.raises(InvalidMutation) as caught:
        validate_args(
            "evidence.put",
            {
                "id": "0190e5f4-7a3b-7c1d-8e2f-3a4b5c6d7e8f",
                "student_id": 1,
                "kind": "link",
                "url": "http://[",
            },
        )
    assert caught.value.code == "field.not_web_address"
    assert caught.value.params == {"field": "url", "value": "http://["}
