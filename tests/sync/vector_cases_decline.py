"""Conformance vector of "not for me" (issue 18 item 3): a learner's answer to a suggested
activity, one LWW register per (learner, activity), and who may write it."""

from __future__ import annotations

from tests.sync.vector_cases import h, m, no, ok, step


def decline(seq, stamp, declined, activity="a1", student="s1"):
    return m(seq, "suggestion.decline", stamp, student_id=student, activity_id=activity,
             declined=declined)


def decline_cases() -> list[dict]:
    return [
        {
            "name": "suggestion_decline_lww",
            "description": "A learner says 'not for me' to a suggested activity on one device "
            "and takes it back (Undo) on another that was offline: the newest answer wins "
            "whatever the arrival order, an older one is kept out (suggestion.newer_kept); "
            "each activity has its own answer; a teacher, a guardian, another learner are "
            "refused; declined must be a boolean.",
            "steps": [
                step(1, "s1", [decline(1, h(1000, "d1"), True)], [ok(1)]),
                step(1, "s1", [decline(2, h(1000, "d1", 1), True, activity="a2")], [ok(2)]),
                # the other device's Undo, stamped later, arrives; then an older "not for me"
                step(2, "s1", [decline(1, h(3000, "d2"), False)], [ok(1)]),
                step(3, "s1", [decline(1, h(2000, "d3"), True)],
                     [ok(1, "suggestion.newer_kept")]),
                step(1, "s1", [decline(3, h(2000, "d3"), True)],
                     [ok(3, "suggestion.newer_kept")]),
                step(4, "t1", [decline(1, h(4000, "t1p"), True)],
                     [no(1, "auth.teacher_cannot", mutation="suggestion.decline")]),
                step(5, "g1", [decline(1, h(4000, "g1p"), True)],
                     [no(1, "auth.guardian_read_only", mutation="suggestion.decline")]),
                step(6, "s2", [decline(1, h(4000, "d4"), True)],
                     [no(1, "auth.not_own_record", student_id="s1")]),
                step(1, "s1", [m(4, "suggestion.decline", h(5000, "d1"), student_id="s1",
                                 activity_id="a1", declined="yes")],
                     [no(4, "field.not_boolean", field="declined", type="text")]),
            ],
        },
    ]
