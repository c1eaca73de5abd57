"""Conformance vectors on reviews, ratings, push semantics, clocks, authorization, validation."""

from __future__ import annotations

from sync.merge import conflict_id
from tests.sync.vector_cases import (
    DEFAULT_NOW_MS,
    E1,
    G1,
    G2,
    P1,
    SHA_A,
    C,
    evidence,
    goal,
    h,
    m,
    no,
    ok,
    pick,
    rate,
    review,
    self_assess,
    step,
)


def conflict(seq: int, cid: str, **params) -> dict:
    """A rating kept beside rivals' (sync/reasons.py "rating.stale_base")."""
    return {
        "seq": seq,
        "status": "conflict",
        "conflict_id": cid,
        "code": "rating.stale_base",
        "params": params,
    }


def more_cases() -> list[dict]:
    return [*review_and_rating_cases(), *push_cases(), *guard_cases()]


def review_and_rating_cases() -> list[dict]:
    opened = conflict_id(C[4], 1)
    return [
        {
            "name": "review_binding_double_review",
            "description": "A review binds to the blob sha and caption version it saw; a second "
            "teacher reviewing the same caption version is rejected; after an edit the other "
            "teacher may review; a deleted piece of evidence cannot be reviewed.",
            "steps": [
                step(
                    1,
                    "s1",
                    [
                        evidence(
                            1, h(1000, "d1"), blob_sha256=SHA_A, caption="Essay", target_ids=["lt2"]
                        )
                    ],
                    [ok(1)],
                ),
                step(3, "t1", [review(1, h(2000, "t1p"), "approved")], [ok(1)]),
                step(
                    4,
                    "t2",
                    [review(1, h(2100, "t2p"), "returned", comment="Needs sources")],
                    [no(1, "review.taken", teacher_id="t1", teacher="t1", caption_version=1)],
                ),
                step(1, "s1", [evidence(2, h(3000, "d1"), caption="Essay, second draft")], [ok(2)]),
                step(4, "t2", [review(2, h(3100, "t2p"), "returned", comment="Sources?")], [ok(2)]),
                step(
                    3,
                    "t1",
                    [review(2, h(3200, "t1p"), "approved")],
                    [no(2, "review.taken", teacher_id="t2", teacher="t2", caption_version=2)],
                ),
                step(
                    4,
                    "t2",
                    [review(3, h(3300, "t2p"), "returned", level=3, target_id="lt2")],
                    [no(3, "mutation.level_needs_approval")],
                ),
                step(1, "s1", [m(3, "evidence.delete", h(4000, "d1"), id=E1)], [ok(3)]),
                step(
                    3,
                    "t1",
                    [review(3, h(4100, "t1p"), "approved")],
                    [no(3, "not_found.evidence", id="0190e0e1-0000-7000-8000-000000000001")],
                ),
            ],
        },
        {
            "name": "rating_conflict_two_teachers",
            "description": "t2 rates with a base_version older than t1's rating: both registers "
            "are kept, the later HLC is shown, a conflict opens (id = uuid5 of the opening "
            "mutation). t1 resolves it; the resolved level is shown; a second resolve is "
            "rejected; a learner cannot resolve.",
            "steps": [
                step(3, "t1", [rate(1, h(1000, "t1p"), 3.0, 0)], [ok(1)]),
                step(
                    4,
                    "t2",
                    [rate(1, h(2000, "t2p"), 2.5, 0)],
                    [conflict(1, opened, teacher_ids=["t1"], teachers="t1")],
                ),
                step(
                    1,
                    "s1",
                    [m(1, "conflict.resolve", h(2500, "d1"), conflict_id=opened, level=4)],
                    [no(1, "auth.learner_cannot", mutation="conflict.resolve")],
                ),
                step(
                    3,
                    "t1",
                    [
                        m(
                            2,
                            "conflict.resolve",
                            h(3000, "t1p"),
                            conflict_id=opened,
                            level=3,
                            note="Her second proof shows it",
                        )
                    ],
                    [ok(2)],
                ),
                step(
                    4,
                    "t2",
                    [m(2, "conflict.resolve", h(3100, "t2p"), conflict_id=opened, level=2.5)],
                    [no(2, "conflict.resolved", teacher_id="t1", teacher="t1", level=3.0)],
                ),
            ],
        },
        {
            "name": "rating_same_teacher_stale_base",
            "description": "A teacher's own register is never a conflict, even with a stale base "
            "(two devices of t1); an older stamp from t1 loses to t1's newer rating but is kept "
            "as an event; a base_version taken after a rating ($seen) opens no conflict.",
            "steps": [
                step(3, "t1", [rate(1, h(1000, "t1p"), 2.0, 0)], [ok(1)]),
                step(5, "t1", [rate(1, h(2000, "t1q"), 3.0, 0)], [ok(1)], label="t1_second"),
                step(
                    3,
                    "t1",
                    [rate(2, h(1500, "t1p"), 2.5, 0)],
                    [ok(2, "rating.newer_kept")],
                ),
                step(4, "t2", [rate(1, h(3000, "t2p"), 3.5, {"$seen": "t1_second"})], [ok(1)]),
            ],
        },
    ]


def push_cases() -> list[dict]:
    first = [
        goal(1, h(1000, "d1"), "Learn fractions"),
        rate(2, h(1001, "d1"), 3, 0),
        pick(3, h(1002, "d1"), P1, "picked"),
    ]
    first_answers = [ok(1), no(2, "auth.learner_cannot", mutation="rating.put"), ok(3)]
    future = DEFAULT_NOW_MS + 24 * 3600 * 1000
    return [
        {
            "name": "duplicate_replay",
            "description": "Replaying a batch changes nothing and returns the first answers "
            "(rejections included); a batch mixing old and new seqs applies only the new ones; "
            "a changed body under an old seq is ignored.",
            "steps": [
                step(1, "s1", first, first_answers),
                step(1, "s1", first, first_answers),
                step(
                    1,
                    "s1",
                    [*first[1:], goal(4, h(2000, "d1"), "Decimals", gid=G2)],
                    [*first_answers[1:], ok(4)],
                ),
                step(1, "s1", [goal(4, h(3000, "d1"), "Changed!", gid=G2)], [ok(4)]),
            ],
        },
        {
            "name": "seq_gap",
            "description": "A gap is refused before anything applies, with the expected seq; "
            "mutations apply in seq order whatever their order in the list.",
            "steps": [
                step(1, "s1", [goal(1, h(1000, "d1"), "A")], [ok(1)]),
                {**step(1, "s1", [goal(3, h(3000, "d1"), "C")]), "expect": {"error": {"gap": 2}}},
                {
                    **step(1, "s1", [goal(2, h(2000, "d1"), "B"), goal(4, h(4000, "d1"), "D")]),
                    "expect": {"error": {"gap": 3}},
                },
                step(
                    1,
                    "s1",
                    [goal(3, h(3000, "d1"), "C"), goal(2, h(2000, "d1"), "B")],
                    [ok(2), ok(3)],
                ),
                {**step(2, "s1", [goal(2, h(5000, "d2"), "E")]), "expect": {"error": {"gap": 1}}},
            ],
        },
        {
            "name": "clock_clamping",
            "description": "A stamp more than 5 minutes ahead of the server is clamped to server "
            "time (counter and node kept) and flagged with the stamp used; the next clamped "
            "stamp of the same client is lifted just above its previous one so its writes stay "
            "ordered; a device with a right clock can then win; 4 minutes ahead is accepted.",
            "steps": [
                step(
                    1,
                    "s1",
                    [goal(1, f"{future:013d}-0003-d1", "From the future")],
                    [ok(1, clamped=True, hlc=f"{DEFAULT_NOW_MS:013d}-0003-d1")],
                ),
                step(
                    1,
                    "s1",
                    [goal(2, f"{future + 1:013d}-0000-d1", "Still from the future")],
                    [ok(2, clamped=True, hlc=f"{DEFAULT_NOW_MS:013d}-0004-d1")],
                ),
                step(2, "s1", [goal(1, f"{DEFAULT_NOW_MS + 1000:013d}-0000-d2", "Fixed")], [ok(1)]),
                step(
                    1,
                    "s1",
                    [goal(3, f"{DEFAULT_NOW_MS + 240_000:013d}-0000-d1", "Four minutes ahead")],
                    [ok(3)],
                ),
            ],
        },
    ]


def guard_cases() -> list[dict]:
    long_title = "x" * 201
    return [
        {
            "name": "authorization",
            "description": "Every mutation is authorized: learners write only their own rows "
            "and never ratings; guardians and admins write nothing through sync; a teacher "
            "only for learners they teach; teachers may set goals with their learners.",
            "initial": [step(1, "s1", [goal(1, h(500, "d1"), "Own goal")])],
            "steps": [
                step(
                    1,
                    "s1",
                    [rate(2, h(1000, "d1"), 3, 0)],
                    [no(2, "auth.learner_cannot", mutation="rating.put")],
                ),
                step(
                    1,
                    "s1",
                    [goal(3, h(1100, "d1"), "Not mine", gid=G2, student="s2")],
                    [no(3, "auth.not_own_record", student_id="s2")],
                ),
                step(
                    1,
                    "s1",
                    [self_assess(4, h(1200, "d1"), 3, student="s2")],
                    [no(4, "auth.not_own_record", student_id="s2")],
                ),
                step(
                    2,
                    "s2",
                    [m(1, "goal.delete", h(1300, "d9"), id=G1)],
                    [no(1, "auth.not_own_record", student_id="s1")],
                ),
                step(
                    5,
                    "g1",
                    [goal(1, h(1400, "g"), "Try harder")],
                    [no(1, "auth.guardian_read_only", mutation="goal.put")],
                ),
                step(
                    6,
                    "a1",
                    [goal(1, h(1500, "a"), "Admin goal")],
                    [no(1, "auth.admin_no_assess", mutation="goal.put")],
                ),
                step(
                    4,
                    "t2",
                    [rate(1, h(1600, "t2p"), 3, 0, student="s2")],
                    [no(1, "auth.not_your_learner", student_id="s2", student="s2")],
                ),
                step(
                    3,
                    "t1",
                    [
                        pick(1, h(1700, "t1p"), P1, "picked"),
                        goal(2, h(1800, "t1p"), "Own goal, by May"),
                    ],
                    [no(1, "auth.teacher_cannot", mutation="pick.put"), ok(2)],
                ),
            ],
        },
        {
            "name": "validation",
            "description": "Arguments are checked with a reason a person understands; a rejected "
            "mutation changes nothing and the others still apply.",
            "steps": [
                step(
                    1,
                    "s1",
                    [
                        self_assess(1, h(1001, "d1"), 3.3),
                        self_assess(2, h(1002, "d1"), 5),
                        self_assess(3, h(1003, "d1"), True),
                        self_assess(4, h(1004, "d1"), "3"),
                        m(5, "goal.archive", h(1005, "d1"), id=G1),
                        goal(6, h(1006, "d1"), 42),
                        goal(7, h(1007, "d1"), "Bad id", gid="not-a-uuid"),
                        goal(8, h(1008, "d1"), "Bad date", due_on="2025-02-30"),
                        goal(9, "yesterday", "Bad stamp"),
                        evidence(10, h(1010, "d1"), kind="link", url="ftp://example.org/x"),
                        goal(11, h(1011, "d1"), "Not v1", ready_to_demonstrate=True),
                        goal(12, h(1012, "d1"), "Bad status", status="finished"),
                        goal(13, h(1013, "d1"), "   "),
                        {"seq": 14, "name": "goal.put", "args": [], "hlc": h(1014, "d1")},
                        goal(15, h(1015, "d1"), long_title),
                        goal(16, h(1016, "d1"), "Good goal", due_on="2025-06-30"),
                        goal(17, h(1017, "d1"), "Bool id", student=True),
                    ],
                    [
                        no(1, "field.level_step", field="level", value="3.3"),
                        no(2, "field.level_step", field="level", value="5"),
                        no(3, "field.not_level", field="level", type="boolean"),
                        no(4, "field.not_level", field="level", type="text"),
                        no(5, "mutation.unknown", mutation="goal.archive"),
                        no(6, "field.not_text", field="title", type="number"),
                        no(7, "field.not_uuid", field="id", value="not-a-uuid"),
                        no(8, "field.not_calendar_date", field="due_on", value="2025-02-30"),
                        no(9, "clock.bad_stamp", value="yesterday"),
                        no(10, "field.not_web_address", field="url", value="ftp://example.org/x"),
                        no(
                            11,
                            "mutation.unknown_args",
                            mutation="goal.put",
                            args=["ready_to_demonstrate"],
                        ),
                        no(
                            12,
                            "field.not_choice",
                            field="status",
                            allowed=["active", "done", "dropped"],
                            value="finished",
                        ),
                        no(13, "field.empty", field="title"),
                        no(14, "mutation.args_not_object", mutation="goal.put"),
                        no(15, "cap.text_length", field="title", limit=200, count=201),
                        ok(16),
                        no(17, "field.not_id", field="student_id", type="boolean"),
                    ],
                ),
            ],
        },
    ]
