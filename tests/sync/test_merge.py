"""Per-entity merge functions, called the way the backend adapter calls them."""

from sync import validate_args
from sync.merge import (
    Actor,
    Context,
    conflict_id,
    event_id,
    merge_conflict_resolve,
    merge_evidence_put,
    merge_evidence_review,
    merge_goal_delete,
    merge_goal_put,
    merge_pick_put,
    merge_rating_put,
    merge_self_assessment_put,
    rating_id,
    self_assessment_id,
    shown_rating,
)

S1 = Actor(1, "student")
T1 = Actor(10, "teacher", frozenset({1}))
T2 = Actor(20, "teacher", [1])
GID = "0190a0a1-0000-7000-8000-000000000001"
EID = "0190e0e1-0000-7000-8000-000000000001"


def ctx(actor, ms, node="d", seq=1, client="c"):
    return Context(actor, client, seq, f"{ms:013d}-0000-{node}")


def stored(outcome, row_type, version=1):
    """The written row of `row_type`, as the backend would store it."""
    (row,) = [r for r in outcome.rows if r["type"] == row_type]
    return {**row, "version": version}


def args(name, **values):
    return validate_args(name, values)


def test_goal_put_creates_with_defaults_and_no_version():
    out = merge_goal_put(None, args("goal.put", id=GID, student_id=1, title="Read"), ctx(S1, 5))
    assert out.status == "applied" and out.result(1) == {"seq": 1, "status": "applied"}
    (row,) = out.rows
    assert row["type"] == "goal" and row["id"] == GID and not row["deleted"]
    assert "version" not in row
    assert row["data"]["status"] == "active" and row["data"]["title"] == "Read"
    assert row["data"]["_hlc"] == {"title": "0000000000005-0000-d"}


def test_goal_put_losing_write_goes_to_history_and_leaves_row_alone():
    first = stored(
        merge_goal_put(None, args("goal.put", id=GID, student_id=1, title="B"), ctx(S1, 9)), "goal"
    )
    out = merge_goal_put(first, args("goal.put", id=GID, student_id=1, title="A"), ctx(S1, 3))
    assert [r["type"] for r in out.rows] == ["history"]
    assert out.rows[0]["data"]["value"] == "A"
    assert out.rows[0]["data"]["winner_hlc"] == first["data"]["_hlc"]["title"]


def test_same_stamp_is_the_same_write():
    a = args("goal.put", id=GID, student_id=1, title="B")
    first = stored(merge_goal_put(None, a, ctx(S1, 9)), "goal")
    assert merge_goal_put(first, a, ctx(S1, 9)).rows == []


def test_student_cannot_move_a_goal_to_another_learner():
    first = stored(
        merge_goal_put(None, args("goal.put", id=GID, student_id=1, title="B"), ctx(S1, 9)), "goal"
    )
    out = merge_goal_put(first, args("goal.put", id=GID, student_id=2, title="B"), ctx(T1, 10))
    assert out.status == "rejected" and out.rows == []


def test_delete_wins_ties_and_newer_put_resurrects():
    first = stored(
        merge_goal_put(None, args("goal.put", id=GID, student_id=1, title="B"), ctx(S1, 9)), "goal"
    )
    gone = stored(merge_goal_delete(first, {"id": GID}, ctx(S1, 9, node="e")), "goal")
    assert gone["deleted"]
    back = merge_goal_put(gone, args("goal.put", id=GID, student_id=1, title="C"), ctx(S1, 10))
    assert not stored(back, "goal")["deleted"]


def test_teacher_of_learner_may_set_goals_other_teacher_may_not():
    a = args("goal.put", id=GID, student_id=1, title="B")
    assert merge_goal_put(None, a, ctx(T1, 1)).status == "applied"
    outsider = Actor(30, "teacher", frozenset({2}))
    assert merge_goal_put(None, a, ctx(outsider, 1)).code == "auth.not_your_learner"


def test_pick_only_by_the_learner():
    a = args("pick.put", id=GID, student_id=1, activity_id=4, status="picked")
    assert merge_pick_put(None, a, ctx(S1, 1)).status == "applied"
    refused = merge_pick_put(None, a, ctx(T1, 1))
    assert (refused.code, refused.params) == ("auth.teacher_cannot", {"mutation": "pick.put"})


def test_self_assessment_register_and_event_ids():
    a = args("self_assessment.put", student_id=1, target_id=3, level=2)
    out = merge_self_assessment_put(None, a, ctx(S1, 5, seq=7, client="cl"))
    reg, event = out.rows
    assert reg["id"] == self_assessment_id(1, 3) and reg["data"]["level"] == 2.0
    assert event["id"] == event_id("cl", 7) and event["data"]["source"] == "self"
    older = merge_self_assessment_put({**reg, "version": 1}, a, ctx(S1, 4, seq=8))
    assert [r["type"] for r in older.rows] == ["event"]


def test_evidence_blob_is_set_once():
    a = args("evidence.put", id=EID, student_id=1, kind="photo")
    first = stored(merge_evidence_put(None, a, ctx(S1, 1)), "evidence")
    with_blob = stored(
        merge_evidence_put(first, {**a, "blob_sha256": "a" * 64}, ctx(S1, 2)), "evidence"
    )
    assert with_blob["data"]["blob_sha256"] == "a" * 64
    out = merge_evidence_put(with_blob, {**a, "blob_sha256": "b" * 64}, ctx(S1, 3))
    assert out.status == "rejected" and out.code == "evidence.file_immutable"


def test_review_then_edit_marks_edited_after_review():
    a = args("evidence.put", id=EID, student_id=1, kind="text", text="Essay", caption="v1")
    ev = stored(merge_evidence_put(None, a, ctx(S1, 1)), "evidence")
    review = args("evidence.review", evidence_id=EID, decision="approved", level=3, target_id=5)
    out = merge_evidence_review(ev, review, ctx(T1, 2, seq=4, client="t"))
    assert [r["type"] for r in out.rows] == ["evidence", "review", "event"]
    ev = stored(out, "evidence", 2)
    assert ev["data"]["reviewed"]["caption_version"] == 1
    edited = stored(merge_evidence_put(ev, {**a, "caption": "v2"}, ctx(S1, 3)), "evidence")
    assert edited["data"]["caption_version"] == 2 and edited["data"]["edited_after_review"]
    text_only = {k: v for k, v in a.items() if k != "caption"} | {"text": "Essay!"}
    same_text = merge_evidence_put(edited, text_only, ctx(S1, 4))
    assert stored(same_text, "evidence")["data"]["caption_version"] == 2


def test_rating_conflict_only_with_another_teachers_newer_rating():
    base0 = args("rating.put", student_id=1, target_id=3, level=3, base_version=0)
    t1 = stored(merge_rating_put([], base0, ctx(T1, 1, node="t1")), "rating", version=5)
    assert t1["id"] == rating_id(1, 3, 10)
    own = merge_rating_put([t1], {**base0, "level": 2.0}, ctx(T1, 2, node="t1"))
    assert own.status == "applied"
    out = merge_rating_put([t1], base0, ctx(T2, 2, node="t2", seq=9, client="x"))
    assert out.status == "conflict" and out.conflict_id == conflict_id("x", 9)
    seen = merge_rating_put([t1], {**base0, "base_version": 5}, ctx(T2, 2, node="t2"))
    assert seen.status == "applied"
    t2 = stored(out, "rating", 6)
    open_conflict = stored(out, "conflict", 7)
    shown = shown_rating([t1, t2], [open_conflict])
    assert shown["level"] == 3.0 and shown["teacher_id"] == 20
    assert shown["open_conflict_id"] == out.conflict_id
    resolve = args("conflict.resolve", conflict_id=out.conflict_id, level=2.5)
    done = merge_conflict_resolve(open_conflict, resolve, ctx(T1, 3, node="t1"))
    closed = stored(done, "conflict", 8)
    assert shown_rating([t1, t2], [closed])["level"] == 2.5
    again = merge_conflict_resolve(closed, resolve, ctx(T2, 4, node="t2"))
    assert again.status == "rejected" and again.code == "conflict.resolved"
    assert again.params["teacher_id"] == 10 and again.params["teacher"] == "10"


def test_guardian_and_admin_write_nothing():
    a = args("goal.put", id=GID, student_id=1, title="B")
    assert merge_goal_put(None, a, ctx(Actor(5, "guardian", [1]), 1)).code == (
        "auth.guardian_read_only")
    assert merge_goal_put(None, a, ctx(Actor(6, "admin"), 1)).code == "auth.admin_no_assess"
