/**
 * Caps (= sync/caps.py; spec.js holds the numbers, generated from it): the count caps checked
 * on the device before a write is queued, against its
 * own store, so the learner hears "You have 500 active goals…" where they are typing rather
 * than after the next sync. The server checks again with its own counts (the authority): the
 * device knows its rows and what it added today itself, nothing more.
 */

import { CapExceeded } from "./errors.js";
import { CAPS, OPEN_EVIDENCE } from "./spec.js";

export { CAPS, OPEN_EVIDENCE };

/** draft, submitted, approved or returned, from evidence data (= backend.sync_server.codecs.evidence_status). */
export function evidenceStatus(data) {
  const reviewed = data?.reviewed;
  if (reviewed && !data.edited_after_review) return reviewed.decision;
  return data?.submitted ? "submitted" : "draft";
}

/** Would this goal.put add one active goal (= sync.caps.activates_goal)? */
export function activatesGoal(prior, args) {
  if (!prior) return (args.status ?? "active") === "active";
  const isActive = prior.data?.status === "active" && !prior.deleted;
  return !isActive && args.status === "active";
}

/** Would this evidence.put star one more piece of work for the conference (= sync.caps.stars_highlight)? */
export function starsHighlight(prior, args) {
  if (args.highlight !== true) return false;
  return !(prior && !prior.deleted && prior.data?.highlight);
}

/** The count cap this mutation would break, or null (= sync.caps.count_cap). */
export function countCap(name, args, prior, counts, caps = CAPS) {
  if (name === "goal.put" && activatesGoal(prior, args)) {
    if (counts.active_goals >= caps.active_goals) return new CapExceeded("cap.active_goals", { count: counts.active_goals, limit: caps.active_goals });
  } else if (name === "evidence.put" && !prior) {
    if (counts.evidence_today >= caps.evidence_per_day) return new CapExceeded("cap.evidence_per_day", { count: counts.evidence_today, limit: caps.evidence_per_day });
    if (counts.open_evidence >= caps.open_evidence) return new CapExceeded("cap.open_evidence", { count: counts.open_evidence, limit: caps.open_evidence });
  }
  if (name === "evidence.put" && starsHighlight(prior, args)) {
    const held = counts.highlights ?? 0;
    if (held >= caps.highlights) return new CapExceeded("cap.highlights", { count: held, limit: caps.highlights });
  }
  return null;
}

/**
 * One learner's counts on this device: active goals and open evidence among its rows, and
 * evidence this device added since midnight UTC (the server's day) from its outbox.
 */
export function localCounts(rows, outbox, studentId, nowMs) {
  const mine = (r) => String(r.data?.student_id) === String(studentId) && !r.deleted;
  const dayStart = nowMs - (nowMs % 86_400_000);
  return {
    active_goals: rows.filter((r) => r.type === "goal" && mine(r) && r.data.status === "active").length,
    open_evidence: rows.filter((r) => r.type === "evidence" && mine(r) && OPEN_EVIDENCE.includes(evidenceStatus(r.data))).length,
    highlights: rows.filter((r) => r.type === "evidence" && mine(r) && r.data.highlight === true).length,
    evidence_today: outbox.filter((e) => e.name === "evidence.put" && e.status !== "rejected" && e.created_at >= dayStart && e.created && String(e.args.student_id) === String(studentId)).length,
  };
}
