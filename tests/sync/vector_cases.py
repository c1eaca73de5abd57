"""The conformance vectors as data: steps and expected answers are written by hand here."""

from __future__ import annotations

T0 = 1_700_000_000_000
DEFAULT_NOW_MS = T0 + 600_000  # the server clock of every vector unless a step says otherwise
CLASS = {
    "users": {
        "s1": {"role": "student"},
        "s2": {"role": "student"},
        "t1": {"role": "teacher", "learners": ["s1", "s2"]},
        "t2": {"role": "teacher", "learners": ["s1"]},
        "g1": {"role": "guardian", "learners": ["s1"]},
        "a1": {"role": "admin"},
    },
    "targets": ["lt1", "lt2"],
    "activities": ["a1", "a2"],
}
C = {n: f"0190c11e-0000-7000-8000-00000000000{n}" for n in range(1, 7)}  # client ids
G1, G2 = "0190a0a1-0000-7000-8000-000000000001", "0190a0a1-0000-7000-8000-000000000002"
P1, P2 = "0190b0b1-0000-7000-8000-000000000001", "0190b0b1-0000-7000-8000-000000000002"
E1, E2 = "0190e0e1-0000-7000-8000-000000000001", "0190e0e1-0000-7000-8000-000000000002"
SHA_A, SHA_B = "a" * 64, "b" * 64


def h(ms: int, node: str, counter: int = 0) -> str:
    """A stamp `ms` after T0."""
    return f"{T0 + ms:013d}-{counter:04d}-{node}"


def m(seq: int, name: str, stamp: str, **args) -> dict:
    return {"seq": seq, "name": name, "args": args, "hlc": stamp}


def ok(seq: int, code: str | None = None, params: dict | None = None, **extra) -> dict:
    """Applied; with a code (and params) when the change is kept but not as the current value."""
    if code is None:
        return {"seq": seq, "status": "applied", **extra}
    return {"seq": seq, "status": "applied", "code": code, "params": params or {}, **extra}


def no(seq: int, code: str, **params) -> dict:
    """A rejection with its reason code and params (sync/reasons.py), compared exactly."""
    return {"seq": seq, "status": "rejected", "code": code, "params": params}


def step(client: int, user: str, mutations: list, results: list | None = None, **extra) -> dict:
    out = {"client": C[client], "user": user, "mutations": mutations, **extra}
    if results is not None:
        out["expect"] = {"results": results, "last_seq": max([r["seq"] for r in results] or [0])}
    return out


def goal(seq, stamp, title, gid=G1, student="s1", **more):
    return m(seq, "goal.put", stamp, id=gid, student_id=student, title=title, **more)


def rate(seq, stamp, level, base, student="s1", target="lt1"):
    args = {"student_id": student, "target_id": target, "level": level, "base_version": base}
    return m(seq, "rating.put", stamp, **args)


def evidence(seq, stamp, eid=E1, kind="photo", **more):
    return m(seq, "evidence.put", stamp, id=eid, student_id="s1", kind=kind, **more)


def review(seq, stamp, decision, eid=E1, **more):
    return m(seq, "evidence.review", stamp, evidence_id=eid, decision=decision, **more)


def self_assess(seq, stamp, level, student="s1", target="lt1", **more):
    args = {"student_id": student, "target_id": target, "level": level, **more}
    return m(seq, "self_assessment.put", stamp, **args)


def pick(seq, stamp, pid, status, activity="a1"):
    args = {"id": pid, "student_id": "s1", "activity_id": activity, "status": status}
    return m(seq, "pick.put", stamp, **args)


def cases() -> list[dict]:
    """Every vector, in the order of DESIGN §3's rules."""
    from tests.sync.vector_cases_decline import decline_cases
    from tests.sync.vector_cases_hardening import hardening_cases
    from tests.sync.vector_cases_highlight import highlight_cases
    from tests.sync.vector_cases_microcredentials import microcredential_cases
    from tests.sync.vector_cases_more import more_cases
    from tests.sync.vector_cases_profile import profile_cases

    return [*first_cases(), *more_cases(), *hardening_cases(), *profile_cases(),
            *highlight_cases(), *decline_cases(), *microcredential_cases()]


def first_cases() -> list[dict]:
    return [
        {
            "name": "goal_lww_per_field",
            "description": "Two devices of one learner edit a goal offline: each field keeps the "
            "write with the later HLC, whatever the arrival order; losers go to history.",
            "steps": [
                step(1, "s1", [goal(1, h(1000, "d1"), "Read 3 books", status="active")], [ok(1)]),
                step(2, "s1", [goal(1, h(2000, "d2"), "Read 5 books")], [ok(1)]),
                step(
                    1,
                    "s1",
                    [goal(2, h(1500, "d1"), "Read 4 books", reflection="Halfway there")],
                    [ok(2)],
                ),
            ],
        },
        {
            "name": "goal_delete_vs_put",
            "description": "A delete wins over puts whose HLC is not newer (no resurrection by a "
            "stale put); a newer put resurrects; a stale delete keeps a newer goal.",
            "steps": [
                step(
                    1,
                    "s1",
                    [goal(1, h(1000, "d1"), "Swim"), goal(2, h(1000, "d1", 1), "Run", gid=G2)],
                    [ok(1), ok(2)],
                ),
                step(2, "s1", [m(1, "goal.delete", h(3000, "d2"), id=G1)], [ok(1)]),
                step(
                    1,
                    "s1",
                    [goal(3, h(2000, "d1"), "Swim 1 km")],
                    [ok(3, "row.stays_deleted", {"row_type": "goal"})],
                ),
                step(2, "s1", [goal(2, h(5000, "d2"), "Run 5 km", gid=G2)], [ok(2)]),
                step(
                    1,
                    "s1",
                    [m(4, "goal.delete", h(4000, "d1"), id=G2)],
                    [ok(4, "row.newer_edit_kept", {"row_type": "goal"})],
                ),
                step(1, "s1", [goal(5, h(6000, "d1"), "Swim 2 km")], [ok(5)]),
                step(
                    1,
                    "s1",
                    [m(6, "goal.delete", h(7000, "d1"), id="0190a0a1-0000-7000-8000-0000000000ff")],
                    [no(6, "not_found.goal", id="0190a0a1-0000-7000-8000-0000000000ff")],
                ),
            ],
        },
        {
            "name": "picks_add_wins",
            "description": "Two devices pick the same activity: both picks are kept; a delete "
            "removes only the pick id it names; pick status is LWW.",
            "steps": [
                step(1, "s1", [pick(1, h(1000, "d1"), P1, "picked")], [ok(1)]),
                step(2, "s1", [pick(1, h(1100, "d2"), P2, "picked")], [ok(1)]),
                step(1, "s1", [m(2, "pick.delete", h(2000, "d1"), id=P1)], [ok(2)]),
                step(2, "s1", [pick(2, h(3000, "d2"), P2, "in_progress")], [ok(2)]),
                step(1, "s1", [pick(3, h(2500, "d1"), P2, "done")], [ok(3)]),
                step(
                    1,
                    "s1",
                    [pick(4, h(4000, "d1"), P2, "done", activity="a2")],
                    [
                        no(
                            4,
                            "row.immutable",
                            row_type="pick",
                            field="activity_id",
                            stored="a1",
                            value="a2",
                        )
                    ],
                ),
            ],
        },
        {
            "name": "self_assessment_lww_no_conflict",
            "description": "Self-assessments are one LWW register per (learner, target) across "
            "devices; each appends a self event; a gap to the teacher's rating is no conflict "
            "and never changes the shown level.",
            "steps": [
                step(3, "t1", [rate(1, h(1000, "t1p"), 3.0, 0)], [ok(1)]),
                step(
                    1,
                    "s1",
                    [self_assess(1, h(2000, "d1"), 2, note="still unsure")],
                    [ok(1)],
                ),
                step(
                    2,
                    "s1",
                    [self_assess(1, h(1500, "d2"), 2.5)],
                    [ok(1, "self_assessment.newer_kept")],
                ),
            ],
        },
        {
            "name": "evidence_caption_lww_edited_after_review",
            "description": "Caption and targets are LWW per field; each accepted change bumps "
            "caption_version; a change after a review marks edited_after_review until the next "
            "review. An approval with a level appends a teacher event.",
            "steps": [
                step(
                    1,
                    "s1",
                    [
                        evidence(
                            1,
                            h(1000, "d1"),
                            caption="My lab report",
                            target_ids=["lt1"],
                            blob_sha256=SHA_A,
                            submitted=True,
                        )
                    ],
                    [ok(1)],
                ),
                step(
                    3,
                    "t1",
                    [
                        review(
                            1,
                            h(2000, "t1p"),
                            "approved",
                            level=3,
                            target_id="lt1",
                            comment="Clear method",
                        )
                    ],
                    [ok(1)],
                ),
                step(
                    1,
                    "s1",
                    [evidence(2, h(3000, "d1"), caption="My lab report, with graph")],
                    [ok(2)],
                ),
                step(
                    2,
                    "s1",
                    [
                        evidence(
                            1,
                            h(2500, "d2"),
                            caption="Lab report (old tablet)",
                            target_ids=["lt1", "lt2"],
                        )
                    ],
                    [ok(1)],
                ),
                step(
                    3, "t1", [review(2, h(4000, "t1p"), "returned", comment="Add units")], [ok(2)]
                ),
            ],
        },
        {
            "name": "evidence_blob_immutable",
            "description": "The blob sha256 is set once: a different sha is rejected with a "
            "reason, the same sha is fine; kind cannot change; evidence.delete tombstones.",
            "steps": [
                step(1, "s1", [evidence(1, h(1000, "d1"), caption="Bridge model")], [ok(1)]),
                step(1, "s1", [evidence(2, h(1500, "d1"), blob_sha256=SHA_A)], [ok(2)]),
                step(
                    1,
                    "s1",
                    [evidence(3, h(2000, "d1"), blob_sha256=SHA_B)],
                    [no(3, "evidence.file_immutable")],
                ),
                step(
                    1,
                    "s1",
                    [evidence(4, h(3000, "d1"), blob_sha256=SHA_A, caption="Bridge, side view")],
                    [ok(4)],
                ),
                step(
                    1,
                    "s1",
                    [evidence(5, h(4000, "d1"), kind="link", url="https://example.org/bridge")],
                    [
                        no(
                            5,
                            "row.immutable",
                            row_type="evidence",
                            field="kind",
                            stored="photo",
                            value="link",
                        )
                    ],
                ),
                step(
                    1,
                    "s1",
                    [
                        evidence(
                            6, h(5000, "d1"), eid=E2, kind="link", url="https://example.org/v"
                        ),
                        m(7, "evidence.delete", h(6000, "d1"), id=E2),
                    ],
                    [ok(6), ok(7)],
                ),
            ],
        },
    ]
