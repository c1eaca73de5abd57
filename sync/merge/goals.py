"""Merge rules of goals and picks: LWW per field, tombstones, one row per pick (add-wins)."""

from __future__ import annotations

from sync.merge.common import Context, Outcome, authorize, check_role, rejecting
from sync.merge.rows import check_immutable, delete_row, finish_put, owner_of, put_fields

GOAL_DEFAULTS = {
    "student_id": None,
    "title": "",
    "target_ids": [],
    "due_on": None,
    "status": "active",
    "reflection": "",
}
GOAL_FIELDS = ("title", "target_ids", "due_on", "status", "reflection")
PICK_DEFAULTS = {"student_id": None, "activity_id": None, "status": "picked"}


@rejecting
def merge_goal_put(current: dict | None, args: dict, ctx: Context) -> Outcome:
    """goal.put: last writer wins per field by HLC; losing values go to history."""
    check_role(ctx.actor, "goal.put")
    authorize(ctx.actor, "goal.put", owner_of(current, args))
    check_immutable("goal", current, args, ("student_id",))
    defaults = {**GOAL_DEFAULTS, "student_id": args["student_id"]}
    data, _, history = put_fields("goal", current, args, ctx, defaults, GOAL_FIELDS)
    return finish_put("goal", current, data, history, args["id"])


@rejecting
def merge_goal_delete(current: dict | None, args: dict, ctx: Context) -> Outcome:
    """goal.delete: tombstone; a later put resurrects only with a newer stamp."""
    return delete_row("goal", "goal.delete", current, args, ctx)


@rejecting
def merge_pick_put(current: dict | None, args: dict, ctx: Context) -> Outcome:
    """pick.put: one row per pick id, so two devices picking the same activity keep both."""
    check_role(ctx.actor, "pick.put")
    authorize(ctx.actor, "pick.put", owner_of(current, args))
    check_immutable("pick", current, args, ("student_id", "activity_id"))
    defaults = {
        **PICK_DEFAULTS,
        "student_id": args["student_id"],
        "activity_id": args["activity_id"],
    }
    data, _, history = put_fields("pick", current, args, ctx, defaults, ("status",))
    return finish_put("pick", current, data, history, args["id"])


@rejecting
def merge_pick_delete(current: dict | None, args: dict, ctx: Context) -> Outcome:
    """pick.delete: removes only the pick id it names (add-wins for other picks)."""
    return delete_row("pick", "pick.delete", current, args, ctx)
