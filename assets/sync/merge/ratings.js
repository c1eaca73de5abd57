/** Merge rules of levels (= ratings.py): self-assessment register, per-teacher rating registers, conflicts. */

import { compare } from "../clock.js";
import { InvalidMutation, NotFound } from "../errors.js";
import {
  assessmentEvent,
  authorize,
  checkRole,
  conflictId,
  outcome,
  ratingId,
  rejecting,
  row,
  selfAssessmentId,
} from "./common.js";
import { clone, codePointCompare, pyFloat, pyStr } from "./py.js";

/** self_assessment.put: LWW register per (learner, target); always appends a self event, never a conflict. */
export const mergeSelfAssessmentPut = rejecting((current, args, ctx) => {
  authorize(ctx.actor, "self_assessment.put", args.student_id);
  const { student_id: student, target_id: target, level } = args;
  const note = args.note ?? "";
  const rows = [];
  let reason = null;
  if (!current || compare(ctx.hlc, current.data.hlc) > 0) {
    const data = { student_id: student, target_id: target, level, note, hlc: ctx.hlc };
    rows.push(row("self_assessment", selfAssessmentId(student, target), data));
  } else if (ctx.hlc !== current.data.hlc) {
    reason = "a newer self-assessment is kept; this one is kept as an event";
  }
  rows.push(assessmentEvent(ctx, student, target, level, "self", "self_assessment.put", { note }));
  return outcome({ reason, rows });
});

function member(register) {
  const { teacher_id, level, hlc } = register.data;
  return { teacher_id, level, hlc };
}

/** The order of "shown" among ratings: the stamp, then the teacher id as text. */
function memberOrder(a, b) {
  return compare(a.hlc, b.hlc) || codePointCompare(pyStr(a.teacher_id), pyStr(b.teacher_id));
}

/** Python's max(): the first of the greatest. */
function maxBy(items, order) {
  return items.reduce((best, item) => (order(item, best) > 0 ? item : best));
}

/** The shown one of several ratings: the latest stamp, then the larger teacher id. */
export const winner = (members) => maxBy(members, memberOrder);

/**
 * rating.put: one register per teacher; a rival newer than base_version opens a conflict.
 * `registers` are all stored rating rows of (learner, target), each with its "version".
 * A base_version beyond the newest of them is refused: it was never handed out.
 */
export const mergeRatingPut = rejecting((registers, args, ctx) => {
  const { student_id: student, target_id: target } = args;
  authorize(ctx.actor, "rating.put", student);
  const teacher = ctx.actor.userId;
  const newest = registers.reduce((top, r) => Math.max(top, r.version), 0);
  if (args.base_version > newest) {
    // no device can have seen a version the server never gave these ratings (= ratings.py)
    throw new InvalidMutation(
      `this rating is based on version ${args.base_version} of the learner's ratings on this target, but the newest is ${newest}; reload, then rate again`,
    );
  }
  const own = registers.find((r) => pyStr(r.data.teacher_id) === pyStr(teacher));
  const rivals = registers.filter(
    (r) => pyStr(r.data.teacher_id) !== pyStr(teacher) && !r.deleted && r.version > args.base_version,
  );
  const note = args.note ?? "";
  const event = assessmentEvent(ctx, student, target, args.level, "teacher", "rating.put", { note });
  if (own && compare(own.data.hlc, ctx.hlc) >= 0) {
    return outcome({ reason: "a newer rating of yours is kept; this one is kept as an event", rows: [event] });
  }
  const data = {
    student_id: student,
    target_id: target,
    teacher_id: teacher,
    level: args.level,
    note,
    hlc: ctx.hlc,
    base_version: args.base_version,
  };
  const register = row("rating", ratingId(student, target, teacher), data);
  if (!rivals.length) return outcome({ rows: [register, event] });
  const members = [member(register), ...rivals.map(member)].sort((a, b) =>
    codePointCompare(pyStr(a.teacher_id), pyStr(b.teacher_id)),
  );
  const opened = conflictId(ctx.clientId, ctx.seq);
  const conflict = {
    student_id: student,
    target_id: target,
    status: "open",
    members,
    winner_teacher_id: winner(members).teacher_id,
    opened_by: teacher,
    hlc: ctx.hlc,
    resolved_level: null,
    resolved_by: null,
    resolved_hlc: null,
  };
  event.data.conflict_id = opened;
  const names = members
    .filter((m) => pyStr(m.teacher_id) !== pyStr(teacher))
    .map((m) => pyStr(m.teacher_id))
    .join(", ");
  return outcome({
    status: "conflict",
    reason: `${names} rated this learning target since the version you saw`,
    conflictId: opened,
    rows: [register, row("conflict", opened, conflict), event],
  });
});

/** conflict.resolve: closes an open conflict with the chosen level and appends an event. */
export const mergeConflictResolve = rejecting((conflict, args, ctx) => {
  checkRole(ctx.actor, "conflict.resolve");
  if (!conflict) throw new NotFound(`there is no conflict with id ${args.conflict_id}`);
  const data = clone(conflict.data);
  authorize(ctx.actor, "conflict.resolve", data.student_id);
  if (data.status !== "open") {
    throw new InvalidMutation(
      `this conflict was already resolved by ${pyStr(data.resolved_by)} (level ${pyFloat(data.resolved_level)})`,
    );
  }
  Object.assign(data, { status: "resolved", resolved_level: args.level, resolved_by: ctx.actor.userId, resolved_hlc: ctx.hlc });
  const event = assessmentEvent(ctx, data.student_id, data.target_id, args.level, "teacher", "conflict.resolve", {
    conflict_id: args.conflict_id,
    note: args.note ?? "",
  });
  return outcome({ rows: [row("conflict", args.conflict_id, data), event] });
});

/**
 * The teacher level shown for one (learner, target), from its rating and conflict rows.
 * The winner is the rating with the latest stamp (then the larger teacher id); if that exact
 * rating was part of a resolved conflict, the resolution's level is shown instead.
 */
export function shownRating(ratings, conflicts) {
  const live = ratings.filter((r) => !r.deleted);
  if (!live.length) return null;
  const win = winner(live.map(member));
  const key = `${pyStr(win.teacher_id)}\u0000${win.hlc}`;
  const shown = {
    level: win.level,
    source: "rating",
    teacher_id: win.teacher_id,
    resolved_conflict_id: null,
    open_conflict_id: null,
  };
  const resolved = [];
  const byId = [...conflicts].sort((a, b) => codePointCompare(a.id, b.id));
  for (const c of byId) {
    const members = new Set(c.data.members.map((m) => `${pyStr(m.teacher_id)}\u0000${m.hlc}`));
    if (!members.has(key)) continue;
    if (c.data.status === "resolved") resolved.push(c);
    else if (shown.open_conflict_id === null) shown.open_conflict_id = c.id;
  }
  if (resolved.length) {
    const last = maxBy(resolved, (a, b) => compare(a.data.resolved_hlc, b.data.resolved_hlc) || codePointCompare(a.id, b.id));
    Object.assign(shown, {
      level: last.data.resolved_level,
      source: "resolution",
      teacher_id: last.data.resolved_by,
      resolved_conflict_id: last.id,
    });
  }
  return shown;
}
