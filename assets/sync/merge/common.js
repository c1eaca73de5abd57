/** Shared pieces of the merge rules (= sync/merge/common.py): actors, authorization, outcomes, ids, LWW. */

import { HLC, compare } from "../clock.js";
import { InvalidMutation, NotAuthorized, NotFound, SyncError } from "../errors.js";
import { uuid5 } from "../uuid.js";
import { render, shown } from "../reasons.js";
import { ROLES, STUDENT_MUTATIONS as STUDENT_LIST, TEACHER_MUTATIONS as TEACHER_LIST } from "../spec.js";
import { clone, deepEqual, idText } from "../values.js";

// uuid5(NAMESPACE_URL, "https://waypoint.invalid/sync/v1"); every derived row id hangs off it.
export const NAMESPACE = "b4af51bb-1416-5de1-9c24-680f52e63ab3";
export { ROLES };
export const STUDENT_MUTATIONS = new Set(STUDENT_LIST);
export const TEACHER_MUTATIONS = new Set(TEACHER_LIST);

/**
 * Who is pushing: a user id, a role and (for teachers) the learners they teach.
 * `learnerIds = null` means "any learner": a device applying its own writes optimistically
 * does not know the roster, and the server decides anyway.
 */
export class Actor {
  constructor(userId, role, learnerIds = []) {
    if (!ROLES.includes(role)) throw new SyncError("actor.bad_role", { roles: [...ROLES], value: shown(role) });
    this.userId = userId;
    this.role = role;
    this.learnerIds = learnerIds === null ? null : new Set([...learnerIds].map(idText));
    Object.freeze(this);
  }

  /** True when the learner is in one of this teacher's classes. */
  teaches(studentId) {
    return this.role === "teacher" && (this.learnerIds === null || this.learnerIds.has(idText(studentId)));
  }
}

/** What a merge decided: status, a reason code with its params, maybe a conflict id, and rows to upsert (without version). */
export function outcome({ status = "applied", code = null, params = {}, conflictId = null, rows = [] } = {}) {
  return { status, code, params, conflictId, rows };
}

/** The push answer for one mutation (keys with nothing to say are left out). */
export function resultOf(out, seq) {
  const answer = { seq, status: out.status };
  if (out.code) Object.assign(answer, { code: out.code, params: { ...out.params }, reason: render(out.code, out.params) });
  if (out.conflictId) answer.conflict_id = out.conflictId;
  return answer;
}

/** Turn the expected refusals thrown inside a merge into a "rejected" outcome. */
export function rejecting(merge) {
  return (...args) => {
    try {
      return merge(...args);
    } catch (error) {
      if (error instanceof InvalidMutation || error instanceof NotAuthorized || error instanceof NotFound) {
        return outcome({ status: "rejected", code: error.code, params: error.params });
      }
      throw error;
    }
  };
}

/** Refuse a mutation the actor's role can never make, whatever the row. */
export function checkRole(actor, name) {
  if (actor.role === "guardian") throw new NotAuthorized("auth.guardian_read_only", { mutation: name });
  if (actor.role === "admin") throw new NotAuthorized("auth.admin_no_assess", { mutation: name });
  const allowed = actor.role === "student" ? STUDENT_MUTATIONS : TEACHER_MUTATIONS;
  if (!allowed.has(name)) {
    throw new NotAuthorized(actor.role === "student" ? "auth.learner_cannot" : "auth.teacher_cannot", { mutation: name });
  }
}

/** Refuse unless the actor may make `name` for this learner's row. */
export function authorize(actor, name, studentId) {
  checkRole(actor, name);
  if (actor.role === "student" && idText(studentId) !== idText(actor.userId)) {
    throw new NotAuthorized("auth.not_own_record", { student_id: studentId });
  }
  if (actor.role === "teacher" && !actor.teaches(studentId)) {
    throw new NotAuthorized("auth.not_your_learner", { student_id: studentId, student: idText(studentId) });
  }
}

/** A deterministic UUID (v5) for a row the server derives, from ':'-joined parts. */
export function derivedId(...parts) {
  return uuid5(NAMESPACE, parts.map(idText).join(":"));
}
export const eventId = (clientId, seq) => derivedId("event", clientId, seq);
export const conflictId = (clientId, seq) => derivedId("conflict", clientId, seq);
export const selfAssessmentId = (studentId, targetId) => derivedId("self_assessment", studentId, targetId);
export const ratingId = (studentId, targetId, teacherId) => derivedId("rating", studentId, targetId, teacherId);
export const reviewId = (evidenceId, captionVersion) => derivedId("review", evidenceId, captionVersion);
export const historyId = (rowType, rowId, field, hlc) => derivedId("history", rowType, rowId, field, hlc);

/** The later of two stamps (null counts as earliest). */
export function newer(a, b) {
  if (a == null || b == null) return a || b || null;
  return compare(a, b) >= 0 ? a : b;
}

/** A row to upsert. */
export function row(type, id, data, deleted = false) {
  return { type, id, deleted, data };
}

/** Delete wins over puts whose stamp is not newer: deleted iff delete stamp >= last put. */
export function isTombstoned(data) {
  const deleted = data._delete_hlc ?? null;
  const put = data._put_hlc ?? null;
  return deleted !== null && (put === null || compare(deleted, put) >= 0);
}

/**
 * Merge `changes` into `data` field by field, last writer wins by HLC (mutates data).
 * Returns [changed field names, history rows for every losing value]. A field never written
 * has no stamp and loses to any write; an equal stamp is the same write seen twice.
 */
export function lww(rowType, rowId, data, changes, hlc) {
  const incoming = HLC.parse(hlc);
  data._hlc ??= {};
  const stamps = data._hlc;
  const changed = new Set();
  const history = [];
  for (const [name, value] of Object.entries(changes)) {
    const current = stamps[name] == null ? null : HLC.parse(stamps[name]);
    if (current !== null && compare(current, incoming) === 0) continue;
    if (current === null || compare(incoming, current) > 0) {
      if (current !== null) history.push(historyRow(rowType, rowId, name, data[name], String(current), hlc));
      if (!deepEqual(data[name] ?? null, value)) changed.add(name);
      data[name] = clone(value);
      stamps[name] = hlc;
    } else {
      history.push(historyRow(rowType, rowId, name, value, hlc, String(current)));
    }
  }
  return [changed, history];
}

function historyRow(rowType, rowId, name, value, loserHlc, winnerHlc) {
  const data = { row_type: rowType, row_id: rowId, field: name, value: clone(value), hlc: loserHlc, winner_hlc: winnerHlc };
  return row("history", historyId(rowType, rowId, name, loserHlc), data);
}

/** An append-only assessment event row derived from mutation (clientId, seq). */
export function assessmentEvent(ctx, studentId, targetId, level, source, origin, extra = {}) {
  const data = {
    student_id: studentId,
    target_id: targetId,
    level,
    source,
    author_id: ctx.actor.userId,
    hlc: ctx.hlc,
    origin,
    note: "",
    evidence_id: null,
    conflict_id: null,
    ...extra,
  };
  return row("event", eventId(ctx.clientId, ctx.seq), data);
}
