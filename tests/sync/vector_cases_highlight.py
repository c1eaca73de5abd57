"""Conformance vectors of the conference highlights (issue 18 item 4): the learner stars
evidence to show at their conference with `highlight` on evidence.put, an LWW field outside
what a review binds to; only the learner writes it."""

from __future__ import annotations

from tests.sync.vector_cases import E2, SHA_A, evidence, h, no, ok, review, step


def highlight_cases() -> list[dict]:
    return [
        {
            "name": "evidence_highlight_lww",
            "description": "The learner stars evidence for their conference on one device and "
            "unstars it on another offline: highlight is LWW (the later stamp wins whatever "
            "the arrival order, the loser goes to history). Starring is not a change a review "
            "binds to: caption_version stays and a reviewed piece is not 'edited after "
            "review'. A teacher or guardian cannot star; highlight must be true or false.",
            "steps": [
                step(1, "s1", [evidence(1, h(1000, "d1"), caption="My bridge model",
                                        blob_sha256=SHA_A, submitted=True),
                               evidence(2, h(1100, "d1"), eid=E2, kind="text",
                                        text="My poem")], [ok(1), ok(2)]),
                step(3, "t1", [review(1, h(1200, "t1p"), "approved")], [ok(1)]),
                step(1, "s1", [evidence(3, h(3000, "d1"), highlight=True),
                               evidence(4, h(3100, "d1"), eid=E2, kind="text",
                                        highlight=True)], [ok(3), ok(4)]),
                step(2, "s1", [evidence(1, h(2000, "d2"), highlight=False)], [ok(1)]),
                step(3, "t1", [evidence(2, h(4000, "t1p"), eid=E2, kind="text",
                                        highlight=False)],
                     [no(2, "auth.teacher_cannot", mutation="evidence.put")]),
                step(1, "s1", [evidence(5, h(5000, "d1"), eid=E2, kind="text",
                                        highlight="yes")],
                     [no(5, "field.not_boolean", field="highlight", type="text")]),
            ],
        },
    ]
