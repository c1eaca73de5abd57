"""Merge rules of levels: self-assessment register, per-teacher rating registers, conflicts."""

from __future__ import annotations

from sync.clock import HLC
from sync.errors import InvalidMutation, NotFound
from sync.merge.common import (
    Context,
    Outcome,
    assessment_event,
    authorize,
    check_role,
    conflict_id,
    json_copy,
    rating_id,
    rejecting,
    row,
    self_assessment_id,
)


@rejecting
def merge_self_assessment_put(current: dict | None, args: dict, ctx: Context) -> Outcome:
    """self_assessment.put: LWW register per (learner, target); always appends a self event.

    It never touches ratings, so a gap between self and teacher levels is not a conflict.
    """
    authorize(ctx.actor, "self_assessment.put", args["student_id"])
    student, target = args["student_id"], args["target_id"]
    note = args.get("note", "")
    rows, code = [], None
    if current is None or HLC.parse(ctx.hlc) > HLC.parse(current["data"]["hlc"]):
        data = {"student_id": student, "target_id": target, "level": args["level"]}
        data.update(note=note, hlc=ctx.hlc)
        rows.append(row("self_assessment", self_assessment_id(student, target), data))
    elif ctx.hlc != current["data"]["hlc"]:
        code = "self_assessment.newer_kept"
    level = args["level"]
    event = assessment_event(ctx, student, target, level, "self", "self_assessment.put", note=note)
    rows.append(event)
    return Outcome(code=code, rows=rows)


def _member(register: dict) -> dict:
    data = register["data"]
    return {"teacher_id": data["teacher_id"], "level": data["level"], "hlc": data["hlc"]}


def _winner(members: list[dict]) -> dict:
    """The shown one of several ratings: the latest stamp, then the larger teacher id."""
    return max(members, key=lambda m: (HLC.parse(m["hlc"]), str(m["teacher_id"])))


@rejecting
def merge_rating_put(registers: list[dict], args: dict, ctx: Context) -> Outcome:
    """rating.put: one register per teacher; a rival newer than base_version opens a conflict.

    `registers` are all stored rating rows of (learner, target), each with its "version".
    A base_version beyond the newest of them is refused: it was never handed out.
    """
    student, target = args["student_id"], args["target_id"]
    authorize(ctx.actor, "rating.put", student)
    teacher = ctx.actor.user_id
    newest = max((r["version"] for r in registers), default=0)
    if args["base_version"] > newest:
        # no device can have seen a version the server never gave these ratings; taking it
        # at its word would hide every rival rating from conflict detection
        raise InvalidMutation("rating.base_unknown", base_version=args["base_version"],
                              newest=newest)
    own = next((r for r in registers if str(r["data"]["teacher_id"]) == str(teacher)), None)
    rivals = [
        r
        for r in registers
        if str(r["data"]["teacher_id"]) != str(teacher)
        and not r["deleted"]
        and r["version"] > args["base_version"]
    ]
    note = args.get("note", "")
    event = assessment_event(
        ctx, student, target, args["level"], "teacher", "rating.put", note=note
    )
    if own is not None and HLC.parse(own["data"]["hlc"]) >= HLC.parse(ctx.hlc):
        return Outcome(code="rating.newer_kept", rows=[event])
    data = {"student_id": student, "target_id": target, "teacher_id": teacher}
    data.update(level=args["level"], note=note, hlc=ctx.hlc, base_version=args["base_version"])
    register = row("rating", rating_id(student, target, teacher), data)
    if not rivals:
        return Outcome(rows=[register, event])
    members = sorted(
        [_member(register)] + [_member(r) for r in rivals], key=lambda m: str(m["teacher_id"])
    )
    opened = conflict_id(ctx.client_id, ctx.seq)
    conflict = {
        "student_id": student,
        "target_id": target,
        "status": "open",
        "members": members,
        "winner_teacher_id": _winner(members)["teacher_id"],
        "opened_by": teacher,
        "hlc": ctx.hlc,
        "resolved_level": None,
        "resolved_by": None,
        "resolved_hlc": None,
    }
    event["data"]["conflict_id"] = opened
    rows = [register, row("conflict", opened, conflict), event]
    others = [m["teacher_id"] for m in members if str(m["teacher_id"]) != str(teacher)]
    params = {"teacher_ids": others, "teachers": ", ".join(str(t) for t in others)}
    return Outcome(status="conflict", code="rating.stale_base", params=params,
                   conflict_id=opened, rows=rows)


@rejecting
def merge_conflict_resolve(conflict: dict | None, args: dict, ctx: Context) -> Outcome:
    """conflict.resolve: closes an open conflict with the chosen level and appends an event."""
    check_role(ctx.actor, "conflict.resolve")
    if conflict is None:
        raise NotFound("not_found.conflict", id=args["conflict_id"])
    data = json_copy(conflict["data"])
    authorize(ctx.actor, "conflict.resolve", data["student_id"])
    if data["status"] != "open":
        raise InvalidMutation("conflict.resolved", teacher_id=data["resolved_by"],
                              teacher=str(data["resolved_by"]), level=data["resolved_level"])
    data.update(status="resolved", resolved_level=args["level"])
    data.update(resolved_by=ctx.actor.user_id, resolved_hlc=ctx.hlc)
    event = assessment_event(
        ctx,
        data["student_id"],
        data["target_id"],
        args["level"],
        "teacher",
        "conflict.resolve",
        conflict_id=args["conflict_id"],
        note=args.get("note") or "",
    )
    return Outcome(rows=[row("conflict", args["conflict_id"], data), event])


def shown_rating(ratings: list[dict], conflicts: list[dict]) -> dict | None:
    """The teacher level shown for one (learner, target), from its rating and conflict rows.

    The winner is the rating with the latest stamp (then the larger teacher id). If that
    exact rating was part of a resolved conflict, the resolution's level is shown instead.
    """
    live = [r for r in ratings if not r["deleted"]]
    if not live:
        return None
    win = _winner([_member(r) for r in live])
    key = (str(win["teacher_id"]), win["hlc"])
    shown = {"level": win["level"], "source": "rating", "teacher_id": win["teacher_id"]}
    shown.update(resolved_conflict_id=None, open_conflict_id=None)
    resolved = []
    for c in sorted(conflicts, key=lambda c: c["id"]):
        members = {(str(m["teacher_id"]), m["hlc"]) for m in c["data"]["members"]}
        if key not in members:
            continue
        if c["data"]["status"] == "resolved":
            resolved.append(c)
        elif shown["open_conflict_id"] is None:
            shown["open_conflict_id"] = c["id"]
    if resolved:
        last = max(resolved, key=lambda c: (HLC.parse(c["data"]["resolved_hlc"]), c["id"]))
        shown.update(level=last["data"]["resolved_level"], source="resolution")
        shown.update(teacher_id=last["data"]["resolved_by"], resolved_conflict_id=last["id"])
    return shown
