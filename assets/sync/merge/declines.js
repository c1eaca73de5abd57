/** Merge rule of "not for me" (= declines.py): one LWW register per (learner, activity). */

import { compare } from "../clock.js";
import { authorize, derivedId, outcome, rejecting, row } from "./common.js";

/** The register of (learner, activity). */
export const suggestionDeclineId = (studentId, activityId) => derivedId("suggestion_decline", studentId, activityId);

/** suggestion.decline: the learner only, their own; the newest stamp wins. */
export const mergeSuggestionDecline = rejecting((current, args, ctx) => {
  authorize(ctx.actor, "suggestion.decline", args.student_id);
  const { student_id: student, activity_id: activity, declined } = args;
  if (!current || compare(ctx.hlc, current.data.hlc) > 0) {
    const data = { student_id: student, activity_id: activity, declined, hlc: ctx.hlc };
    return outcome({ rows: [row("suggestion_decline", suggestionDeclineId(student, activity), data)] });
  }
  if (ctx.hlc !== current.data.hlc) return outcome({ code: "suggestion.newer_kept" });
  return outcome({});
});
