/** Shared pieces of the merge rules (= sync/merge/common.py): actors, authorization, outcomes, ids, LWW. */

import { HLC, compare } from "../clock.js";
import { InvalidMutation, NotAuthorized, NotFound, SyncError } from "../errors.js";
import { uuid5 } from "../uuid.js";
import { render, shown } from "../reasons.js";
import {
  ASSESSOR_MUTATIONS as ASSESSOR_LIST,
  OWN_BINDER_MUTATIONS as OWN_BINDER_LIST,
  ROLES,
  STUDENT_MUTATIONS as STUDENT_LIST,
  TEACHER_MUTATIONS as TEACHER_LIST,
} from "../spec.js";
import { clone, deepEqual, idText } from "../values.js";

// uuid5(NAMESPACE_URL, "https://waypoint.invalid/sync/v1"); every derived row id hangs off it.
export const NAMESPACE = "b4af51bb-1416-5de1-9c24-680f52e63ab3";
export { ROLES };
export const STUDENT_MUTATIONS = new Set(STUDENT_LIST);
export const TEACHER_MUTATIONS = new Set(TEACHER_LIST);
// teacher microcredentials: a teacher's own binder (student_id = their own id)
export const OWN_BINDER_MUTATIONS = new Set(OWN_BINDER_LIST);
// what an assessor (a coach or an admin) may do for the other staff it assesses
export const ASSESSOR_MUTATIONS = new Set(ASSESSOR_LIST);

/**
 * Who is pushing: a user id, a role, (for teachers) the learners they teach and (for an
 * assessor, a teacher or an admin) the other staff whose microcredential work it reviews.
 * `learnerIds = null` means "any learner" and `assesses = null` "any colleague": a device
 * applying its own writes optimistically does not know the roster, and the server decides.
 */
export class Actor {
  constructor(userId, role, learnerIds = [], assesses = []) {
    if (!ROLES.includes(role)) throw new SyncError("actor.bad_role", { roles: [...ROLES], value: shown(role) });
    this.userId = userId;
    this.role = role;
    this.learnerIds = learnerIds === null ? null : new Set([...learnerIds].map(idText));
    this.assesses = assesses === null ? null : new Set([...assesses].map(idText));
    Object.freeze(this);
  }

  /** True when the learner is in one of this teacher's classes. */
  teaches(studentId) {
    return this.role === "teacher" && (this.learnerIds === null || this.learnerIds.has(idText(studentId)));
  }

  /** True when this assessor reviews that staff member's microcredential work. */
  assessesStaff(studentId) {
    if (this.isSelf(studentId)) return false;
    return this.assesses === null || this.assesses.has(idText(studentId));
  }

  /** Does this assessor assess anyone at all? */
  isAssessor() {
    return this.assesses === null || this.assesses.size > 0;
  }

  isSelf(studentId) {
    return idText(studentId) === idText(this.userId);
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

/** Refuse a mutation the actor's role can never make, whatever the row (what depends on the row is authorize's). */
export function checkRole(actor, name) {
  if (actor.role === "guardian") throw new NotAuthorized("auth.guardian_read_only", { mutation: name });
  if (actor.role === "admin") {
    if (ASSESSOR_MUTATIONS.has(name) && actor.isAssessor()) return;
    throw new NotAuthorized("auth.admin_no_assess", { mutation: name });
  }
  if (actor.role === "student") {
    if (!STUDENT_MUTATIONS.has(name)) throw new NotAuthorized("auth.learner_cannot", { mutation: name });
  } else if (!TEACHER_MUTATIONS.has(name) && !OWN_BINDER_MUTATIONS.has(name)) {
    throw new NotAuthorized("auth.teacher_cannot", { mutation: name });
  }
}

/**
 * Refuse unless the actor may make `name` for this person's row (= common.py authorize): a
 * learner their own; a teacher their learners', their own binder and, as an assessor, the
 * reviews and ratings of other staff; an admin-assessor those only. Nobody reviews their own work.
 */
export function authorize(actor, name, studentId) {
  checkRole(actor, name);
  if (actor.role === "student" && idText(studentId) !== idText(actor.userId)) {
    throw new NotAuthorized("auth.not_own_record", { student_id: studentId });
  }
  if (actor.role === "admin") {
    if (actor.isSelf(studentId)) throw new NotAuthorized("auth.own_work", { mutation: name });
    if (!actor.assessesStaff(studentId)) throw new NotAuthorized("auth.admin_no_assess", { mutation: name });
  }
  if (actor.role === "teacher") {
    if (actor.isSelf(studentId)) {
      if (OWN_BINDER_MUTATIONS.has(name)) return;
      if (ASSESSOR_MUTATIONS.has(name)) throw new NotAuthorized("auth.own_work", { mutation: name });
    } else if (!TEACHER_MUTATIONS.has(name)) {
      throw new NotAuthorized("auth.teacher_cannot", { mutation: name });
    } else if (ASSESSOR_MUTATIONS.has(name) && actor.assessesStaff(studentId)) {
      return;
    }
    if (!actor.teaches(studentId)) {
      throw new NotAuthorized("auth.not_your_learner", { student_id: studentId, student: idText(studentId) });
    }
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
