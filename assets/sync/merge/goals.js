/** Merge rules of goals and picks (= goals.py): LWW per field, tombstones, one row per pick (add-wins). */

import { authorize, checkRole, rejecting } from "./common.js";
import { checkImmutable, deleteRow, finishPut, ownerOf, putFields } from "./rows.js";

export const GOAL_DEFAULTS = { student_id: null, title: "", target_ids: [], due_on: null, status: "active", reflection: "" };
export const GOAL_FIELDS = ["title", "target_ids", "due_on", "status", "reflection"];
export const PICK_DEFAULTS = { student_id: null, activity_id: null, status: "picked" };

/** goal.put: last writer wins per field by HLC; losing values go to history. */
export const mergeGoalPut = rejecting((current, args, ctx) => {
  checkRole(ctx.actor, "goal.put");
  authorize(ctx.actor, "goal.put", ownerOf(current, args));
  checkImmutable("goal", current, args, ["student_id"]);
  const defaults = { ...GOAL_DEFAULTS, student_id: args.student_id };
  const [data, , history] = putFields("goal", current, args, ctx, defaults, GOAL_FIELDS);
  return finishPut("goal", current, data, history, args.id);
});

/** goal.delete: tombstone; a later put resurrects only with a newer stamp. */
export const mergeGoalDelete = rejecting((current, args, ctx) => deleteRow("goal", "goal.delete", current, args, ctx));

/** pick.put: one row per pick id, so two devices picking the same activity keep both. */
export const mergePickPut = rejecting((current, args, ctx) => {
  checkRole(ctx.actor, "pick.put");
  authorize(ctx.actor, "pick.put", ownerOf(current, args));
  checkImmutable("pick", current, args, ["student_id", "activity_id"]);
  const defaults = { ...PICK_DEFAULTS, student_id: args.student_id, activity_id: args.activity_id };
  const [data, , history] = putFields("pick", current, args, ctx, defaults, ["status"]);
  return finishPut("pick", current, data, history, args.id);
});

/** pick.delete: removes only the pick id it names (add-wins for other picks). */
export const mergePickDelete = rejecting((current, args, ctx) => deleteRow("pick", "pick.delete", current, args, ctx));
