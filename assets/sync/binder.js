/** The learner's binder from local rows: content areas → measurement topics → learning targets with levels. */

import { shownRating } from "./merge/ratings.js";

/** Row → a flat object for Reflex: {id, version, deleted, pending, ...data without "_" keys}. */
export function flatten(row) {
  const data = Object.fromEntries(Object.entries(row.data ?? {}).filter(([k]) => !k.startsWith("_")));
  return { ...data, id: row.id, version: row.version, deleted: row.deleted, pending: Boolean(row.local) };
}

const byPosition = (a, b) => (a.position ?? 0) - (b.position ?? 0) || String(a.id).localeCompare(String(b.id));
const sameId = (a, b) => String(a) === String(b);

/**
 * Build the binder of `studentId` from every local row (any order). Self and teacher levels
 * stay apart: a gap between them is a talking point, not a conflict.
 */
export function buildBinder(rows, studentId) {
  const of = (type) => rows.filter((r) => r.type === type && !r.deleted);
  const mine = (type) => of(type).filter((r) => sameId(r.data.student_id, studentId));
  const ratings = mine("rating");
  const conflicts = rows.filter((r) => r.type === "conflict" && sameId(r.data.student_id, studentId));
  const events = mine("event").map(flatten).sort((a, b) => (a.hlc < b.hlc ? 1 : -1));
  const evidence = mine("evidence").map(flatten);
  const selfBy = new Map(mine("self_assessment").map((r) => [String(r.data.target_id), r.data]));
  // computed by the server with the school's calculation method (pull ?computed=1)
  const levelBy = new Map(mine("level").map((r) => [String(r.data.target_id), r.data]));
  const progressBy = new Map(mine("topic_progress").map((r) => [String(r.data.topic_id), r.data]));
  const target = (r) => {
    const key = String(r.id);
    const shown = shownRating(ratings.filter((x) => String(x.data.target_id) === key), conflicts.filter((c) => String(c.data.target_id) === key));
    const computed = levelBy.get(key);
    return {
      ...flatten(r),
      // the binder's level: the school's method over all teacher events; a rating made on
      // this device and not yet synced shows until the server's level catches up
      level: computed?.level ?? shown?.level ?? null,
      level_words: computed?.level_words ?? null,
      method_label: computed?.method_label ?? null,
      explanation: computed?.explanation ?? [],
      self_level: selfBy.get(key)?.level ?? null,
      teacher_level: shown?.level ?? null,
      teacher_source: shown?.source ?? null,
      open_conflict_id: shown?.open_conflict_id ?? null,
      events: events.filter((e) => String(e.target_id) === key),
      evidence_count: evidence.filter((e) => (e.target_ids ?? []).some((t) => String(t) === key)).length,
    };
  };
  const targets = of("target").map((r) => ({ ...r, position: r.data.position })).sort(byPosition).map(target);
  const topics = of("topic")
    .map((r) => ({
      ...flatten(r),
      targets: targets.filter((t) => sameId(t.topic_id, r.id)),
      credit: progressBy.get(String(r.id))?.credit ?? null,
      pace: progressBy.get(String(r.id))?.pace ?? null,
    }))
    .sort(byPosition);
  return of("content_area")
    .map((r) => ({ ...flatten(r), topics: topics.filter((t) => sameId(t.content_area_id, r.id)) }))
    .sort(byPosition);
}
