"""Merge rule of "not for me" (issue 18): a learner's answer to a suggested activity.

`suggestion.decline` {student_id, activity_id, declined}: one LWW register per (learner,
activity), row `suggestion_decline` (id derived from both). `declined: true` says "not for
me" (the activity is no longer suggested to them), `false` takes it back (Undo). The newest
stamp wins whatever the arrival order, so two devices converge; an older answer changes
nothing and says so (`suggestion.newer_kept`).
"""

from __future__ import annotations

from sync.clock import HLC
from sync.merge.common import Context, Outcome, authorize, derived_id, rejecting, row


def suggestion_decline_id(student_id: object, activity_id: object) -> str:
    """The register of (learner, activity)."""
    return derived_id("suggestion_decline", student_id, activity_id)


@rejecting
def merge_suggestion_decline(current: dict | None, args: dict, ctx: Context) -> Outcome:
    """suggestion.decline: the learner only, their own; LWW by stamp."""
    authorize(ctx.actor, "suggestion.decline", args["student_id"])
    student, activity = args["student_id"], args["activity_id"]
    if current is None or HLC.parse(ctx.hlc) > HLC.parse(current["data"]["hlc"]):
        data = {"student_id": student, "activity_id": activity,
                "declined": args["declined"], "hlc": ctx.hlc}
        return Outcome(rows=[row("suggestion_decline",
                                 suggestion_decline_id(student, activity), data)])
    if ctx.hlc != current["data"]["hlc"]:
        return Outcome(code="suggestion.newer_kept")
    return Outcome()
