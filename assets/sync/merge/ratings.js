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
import { clone, codePointCompare, idText } from "../values.js";

/** self_assessment.put: LWW register per (learner, target); always appends a self event, never a conflict. */
export const mergeSelfAssessmentPut = rejecting((current, args, ctx) => {
  authorize(ctx.actor, "self_assessment.put", args.student_id);
  const { student_id: student, target_id: target, level } = args;
  const note = args.note ?? "";
  const rows = [];
  let code = null;
  if (!current || compare(ctx.hlc, current.data.hlc) > 0) {
    const data = { student_id: student, target_id: target, level, note, hlc: ctx.hlc };
    rows.push(row("self_assessment", selfAssessmentId(student, target), data));
  } else if (ctx.hlc !== current.data.hlc) {
    code = "self_assessment.newer_kept";
  }
  rows.push(assessmentEvent(ctx, student, target, level, "self", "self_assessment.put", { note }));
  return outcome({ code, rows });
});

function member(register) {
  const { teacher_id, level, hlc } = register.data;
  return { teacher_id, level, hlc };
}

/** The order of "shown" among ratings: the stamp, then the teacher id as text. */
function memberOrder(a, b) {
  return compare(a.hlc, b.hlc) || codePointCompare(idText(a.teacher_id), idText(b.teacher_id));
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
    throw new InvalidMutation("rating.base_unknown", { base_version: args.base_version, newest });
  }
  const own = registers.find((r) => idText(r.data.teacher_id) === idText(teacher));
  const rivals = registers.filter(
    (r) => idText(r.data.teacher_id) !== idText(teacher) && !r.deleted && r.version > args.base_version,
  );
  const note = args.note ?? "";
  const event = assessmentEvent(ctx, student, target, args.level, "teacher", "rating.put", { note });
  if (own && compare(own.data.hlc, ctx.hlc) >= 0) {
    return outcome({ code: "rating.newer_kept", rows: [event] });
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
    codePointCompare(idText(a.teacher_id), idText(b.teacher_id)),
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
  const others = members.filter((m) => idText(m.teacher_id) !== idText(teacher)).map((m) => m.teacher_id);
  return outcome({
    status: "conflict",
    code: "rating.stale_base",
    params: { teacher_ids: others, teachers: others.map(idText).join(", ") },
    conflictId: opened,
    rows: [register, row("conflict", opened, conflict), event],
  });
});

/** conflict.resolve: closes an open conflict with the chosen level and appends an event. */
export const mergeConflictResolve = rejecting((conflict, args, ctx) => {
  checkRole(ctx.actor, "conflict.resolve");
  if (!conflict) throw new NotFound("not_found.conflict", { id: args.conflict_id });
  const data = clone(conflict.data);
  authorize(ctx.actor, "conflict.resolve", data.student_id);
  if (data.status !== "open") {
    throw new InvalidMutation("conflict.resolved", { teacher_id: data.resolved_by, teacher: idText(data.resolved_by), level: data.resolved_level });
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
  const key = `${idText(win.teacher_id)}\u0000${win.hlc}`;
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
    const members = new Set(c.data.members.map((m) => `${idText(m.teacher_id)}\u0000${m.hlc}`));
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
