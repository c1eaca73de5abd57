"""Conformance vectors of teacher microcredentials (issue 17 part 3): a teacher's own binder
(student_id = their own id), the required reflection on transfer to practice, and assessors
(a coach who teaches, an admin) reviewing and rating other staff's work, never their own."""

from __future__ import annotations

from sync.merge import conflict_id
from tests.sync.vector_cases import E1, E2, G1, G2, P1, SHA_A, C, h, m, no, ok, step
from tests.sync.vector_cases_more import conflict

STAFF = {
    "users": {
        # in key order, so real ids ascend as the symbolic keys sort (conflict members are
        # ordered by teacher id: tests/backend/sync/world.py builds users in this order)
        "a1": {"role": "admin", "assessor": True},
        "c1": {"role": "teacher", "learners": [], "assessor": True},
        "s1": {"role": "student"},
        "t1": {"role": "teacher", "learners": ["s1"]},
        "t2": {"role": "teacher", "learners": []},
    },
    "targets": ["lt1", "lt2"],
    "activities": ["x1"],
}
E3 = "0190e0e1-0000-7000-8000-000000000003"
OPENED = conflict_id(C[4], 5)  # the conflict a1's rating (client 4, seq 5) opens
REFLECTION = "My exit tickets now name the target; I regroup the next day from them."


def own_evidence(seq, stamp, who, eid=E1, **more):
    return m(seq, "evidence.put", stamp, id=eid, student_id=who, kind="text", **more)


def microcredential_cases() -> list[dict]:
    return [
        {
            "name": "microcredential_own_binder",
            "description": "A teacher keeps a binder of their own: goals, evidence, "
            "self-assessments and picks with student_id = their own id are applied. For "
            "anyone else the learner-binder mutations keep their answers: evidence.put or a "
            "self-assessment for a learner they teach is auth.teacher_cannot, a goal for a "
            "colleague auth.not_your_learner; a learner cannot write into a teacher's binder; "
            "an admin keeps no binder through sync.",
            "world": STAFF,
            "steps": [
                step(1, "t1", [
                    m(1, "goal.put", h(1000, "t1p"), id=G1, student_id="t1",
                      title="Earn Student-Centered Feedback", target_ids=["lt1", "lt2"]),
                    own_evidence(2, h(1100, "t1p"), "t1", text="Feedback log, week 3",
                                 target_ids=["lt1"], reflection=REFLECTION, submitted=True),
                    m(3, "self_assessment.put", h(1200, "t1p"), student_id="t1",
                      target_id="lt1", level=2.5),
                    m(4, "pick.put", h(1300, "t1p"), id=P1, student_id="t1",
                      activity_id="x1", status="picked"),
                ], [ok(1), ok(2), ok(3), ok(4)]),
                step(1, "t1", [
                    own_evidence(5, h(2000, "t1p"), "s1", eid=E2, text="For Maya"),
                    m(6, "self_assessment.put", h(2100, "t1p"), student_id="s1",
                      target_id="lt1", level=3),
                    m(7, "goal.put", h(2200, "t1p"), id=G2, student_id="t2",
                      title="A goal for a colleague"),
                    m(8, "goal.put", h(2300, "t1p"), id=G2, student_id="s1",
                      title="A goal with my learner"),
                ], [no(5, "auth.teacher_cannot", mutation="evidence.put"),
                    no(6, "auth.teacher_cannot", mutation="self_assessment.put"),
                    no(7, "auth.not_your_learner", student_id="t2", student="t2"),
                    ok(8)]),
                step(2, "s1", [
                    m(1, "goal.put", h(2400, "s1p"), id=G1, student_id="t1", title="Mine now?"),
                    m(2, "self_assessment.put", h(2500, "s1p"), student_id="t1",
                      target_id="lt1", level=4),
                ], [no(1, "auth.not_own_record", student_id="t1"),
                    no(2, "auth.not_own_record", student_id="t1")]),
                step(3, "t2", [m(1, "evidence.delete", h(2600, "t2p"), id=E1)],
                     [no(1, "auth.teacher_cannot", mutation="evidence.delete")]),
                step(4, "a1", [m(1, "goal.put", h(2700, "a1p"), id=G2, student_id="a1",
                                 title="Admin's own goal")],
                     [no(1, "auth.admin_no_assess", mutation="goal.put")]),
                step(1, "t1", [m(9, "pick.delete", h(2800, "t1p"), id=P1)], [ok(9)]),
            ],
        },
        {
            "name": "microcredential_reflection_required",
            "description": "Evidence a teacher writes for themselves cannot be submitted with "
            "a blank reflection on transfer to practice (microcredential."
            "reflection_required); a draft can, and submitting it later needs the reflection "
            "(in the same put or already stored). Clearing the reflection of submitted work "
            "is refused too. A learner's evidence never needs one.",
            "world": STAFF,
            "steps": [
                step(1, "t1", [
                    own_evidence(1, h(1000, "t1p"), "t1", text="Video of my lesson",
                                 submitted=True),
                    own_evidence(2, h(1100, "t1p"), "t1", text="Video of my lesson",
                                 submitted=True, reflection="   "),
                    own_evidence(3, h(1200, "t1p"), "t1", text="Video of my lesson"),
                ], [no(1, "microcredential.reflection_required"),
                    no(2, "microcredential.reflection_required"),
                    ok(3)]),
                step(1, "t1", [
                    own_evidence(4, h(1300, "t1p"), "t1", reflection=REFLECTION),
                    own_evidence(5, h(1400, "t1p"), "t1", submitted=True),
                    own_evidence(6, h(1500, "t1p"), "t1", reflection=""),
                ], [ok(4), ok(5), no(6, "microcredential.reflection_required")]),
                step(2, "s1", [m(1, "evidence.put", h(1600, "s1p"), id=E2, student_id="s1",
                                 kind="photo", blob_sha256=SHA_A, submitted=True)], [ok(1)]),
            ],
        },
        {
            "name": "microcredential_assessors",
            "description": "An assessor reviews other staff's microcredential evidence in the "
            "same review queue: a coach who teaches (c1) returns it with feedback, then "
            "approves the edit with a rubric level (an assessment event) and rates; an admin "
            "who assesses (a1) approves another teacher's evidence. Reviewing or rating one's "
            "own work is auth.own_work; a teacher who is no assessor cannot review a "
            "colleague (auth.not_your_learner); an admin-assessor still cannot assess a "
            "learner nor write anything else (auth.admin_no_assess), and the coach cannot "
            "review learners they do not teach. Two assessors rating one competency unseen "
            "open a conflict that an assessor resolves; the teacher whose work it is cannot "
            "(auth.own_work), nor a colleague who does not assess.",
            "world": STAFF,
            "initial": [
                step(1, "t1", [own_evidence(1, h(500, "t1p"), "t1", text="Feedback log",
                                            target_ids=["lt1"], reflection=REFLECTION,
                                            submitted=True)]),
                step(2, "t2", [own_evidence(1, h(600, "t2p"), "t2", eid=E2,
                                            text="Conference notes", target_ids=["lt2"],
                                            reflection="I now open with their evidence.",
                                            submitted=True)]),
                step(5, "s1", [m(1, "evidence.put", h(700, "s1p"), id=E3, student_id="s1",
                                 kind="text", text="My essay", submitted=True)]),
            ],
            "steps": [
                step(2, "t2", [m(2, "evidence.review", h(1000, "t2p"), evidence_id=E1,
                                 decision="approved")],
                     [no(2, "auth.not_your_learner", student_id="t1", student="t1")]),
                step(1, "t1", [m(2, "evidence.review", h(1100, "t1p"), evidence_id=E1,
                                 decision="approved")],
                     [no(2, "auth.own_work", mutation="evidence.review")]),
                step(3, "c1", [m(1, "evidence.review", h(1200, "c1p"), evidence_id=E1,
                                 decision="returned",
                                 comment="Add a student work sample with your feedback.")],
                     [ok(1)]),
                step(1, "t1", [own_evidence(3, h(1300, "t1p"), "t1",
                                            text="Feedback log + Maya's revised essay")],
                     [ok(3)]),
                step(3, "c1", [
                    m(2, "evidence.review", h(1400, "c1p"), evidence_id=E1,
                      decision="approved", level=3, target_id="lt1", comment="Clear transfer."),
                    m(3, "rating.put", h(1500, "c1p"), student_id="t1", target_id="lt1",
                      level=3, base_version=0),
                    m(4, "rating.put", h(1600, "c1p"), student_id="c1", target_id="lt1",
                      level=4, base_version=0),
                    m(5, "evidence.review", h(1700, "c1p"), evidence_id=E3,
                      decision="approved"),
                ], [ok(2), ok(3), no(4, "auth.own_work", mutation="rating.put"),
                    no(5, "auth.not_your_learner", student_id="s1", student="s1")]),
                step(4, "a1", [
                    m(1, "evidence.review", h(1800, "a1p"), evidence_id=E2,
                      decision="approved", level=2, target_id="lt2"),
                    m(2, "evidence.review", h(1900, "a1p"), evidence_id=E3,
                      decision="approved"),
                    m(3, "rating.put", h(2000, "a1p"), student_id="a1", target_id="lt1",
                      level=3, base_version=0),
                    m(4, "goal.put", h(2100, "a1p"), id=G1, student_id="t1", title="Coach's"),
                ], [ok(1), no(2, "auth.admin_no_assess", mutation="evidence.review"),
                    no(3, "auth.own_work", mutation="rating.put"),
                    no(4, "auth.admin_no_assess", mutation="goal.put")]),
                # two assessors rate one competency without seeing each other: a conflict,
                # which an assessor resolves (not the teacher whose work it is)
                step(4, "a1", [m(5, "rating.put", h(2200, "a1p"), student_id="t1",
                                 target_id="lt1", level=2, base_version=0)],
                     [conflict(5, OPENED, teacher_ids=["c1"], teachers="c1")]),
                step(1, "t1", [m(4, "conflict.resolve", h(2300, "t1p"), conflict_id=OPENED,
                                 level=4)],
                     [no(4, "auth.own_work", mutation="conflict.resolve")]),
                step(2, "t2", [m(3, "conflict.resolve", h(2400, "t2p"), conflict_id=OPENED,
                                 level=4)],
                     [no(3, "auth.not_your_learner", student_id="t1", student="t1")]),
                step(3, "c1", [m(6, "conflict.resolve", h(2500, "c1p"), conflict_id=OPENED,
                                 level=3, note="Agreed after moderation.")], [ok(6)]),
            ],
        },
    ]
