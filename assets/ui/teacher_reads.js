/**
 * What each teacher screen reads from the device's store (IndexedDB through the sync core's
 * SyncStore): whole small tables (classes, learners, curriculum, levels), and of the big
 * ones (a year's events, reviews, evidence) only the rows of the (learner, target) pairs the
 * screen shows, filtered as IndexedDB reads them. Used by teacher_screens.js.
 */

import { READY_NOTE } from "./views.js";

const TYPES = {
  classes: "class", groups: "group", learners: "learner", targets: "target", topics: "topic",
  areas: "content_area", levels: "level", ratings: "rating", conflicts: "conflict",
  playlists: "playlist", events: "event", staff: "staff", reviews: "review", evidence: "evidence",
  selfAssessments: "self_assessment",
};
const pairKey = (d) => `${d.student_id}:${d.target_id}`;

/** The rows of `kinds` ({name: rows}); `where` filters a type's rows as IndexedDB reads them. */
async function read(store, kinds, where = {}) {
  const rows = await Promise.all(kinds.map((k) => {
    const all = store.db.rows.where("type").equals(TYPES[k]);
    return (where[k] ? all.filter(where[k]) : all).toArray();
  }));
  return Object.fromEntries(kinds.map((k, i) => [k, rows[i]]));
}

/** The learner × target of the rate page's address (/teacher/learners/1/targets/2). */
export function ratePair() {
  const path = typeof window === "undefined" ? "" : window.location.pathname;
  const [, learnerId, targetId] = path.match(/\/teacher\/learners\/(\d+)\/targets\/(\d+)/) ?? [];
  return { learnerId, targetId };
}

// What each screen reads. A year holds thousands of events, reviews and evidence rows:
// the conflicts, ready and rate screens read only those of the (learner, target) pairs they
// show, so a screen's query stays small however long the year.
const GRID = ["classes", "learners", "targets", "topics", "areas", "levels", "ratings", "conflicts", "playlists", "staff", "selfAssessments"];
export const READERS = {
  classes: (store) => read(store, ["classes", "learners"]),
  grid: (store) => read(store, GRID),
  async rate(store) {
    const { learnerId, targetId } = ratePair();
    const mine = (r) => pairKey(r.data) === `${learnerId}:${targetId}`;
    return read(store, ["learners", "targets", "staff", "levels", "selfAssessments", "ratings", "events"], {
      levels: mine,
      selfAssessments: mine,
      ratings: mine,
      events: mine,
    });
  },
  async conflicts(store, settledHere = new Set()) {
    const base = await read(store, ["conflicts", "learners", "targets", "staff", "ratings"]);
    const shown = base.conflicts.filter((r) => r.data.status === "open" || settledHere.has(String(r.id)));
    const pairs = new Set(shown.map((r) => pairKey(r.data)));
    const near = (r) => pairs.has(pairKey(r.data));
    const more = await read(store, ["events", "reviews"], { events: near, reviews: (r) => near(r) && r.data.decision === "approved" });
    const ids = [...new Set(more.reviews.map((r) => String(r.data.evidence_id)))];
    const evidence = (await store.db.rows.bulkGet(ids.map((id) => ["evidence", id]))).filter(Boolean);
    return { ...base, ratings: base.ratings.filter(near), ...more, evidence };
  },
  async ready(store) {
    const asks = (r) => String(r.data.note ?? "").toLowerCase().includes(READY_NOTE.toLowerCase());
    const base = await read(store, ["selfAssessments", "ratings", "learners", "targets"], { selfAssessments: asks });
    const pairs = new Set(base.selfAssessments.map((r) => pairKey(r.data)));
    const near = (r) => pairs.has(pairKey(r.data));
    const events = await read(store, ["events"], { events: (r) => r.data.source === "teacher" && near(r) });
    return { ...base, ratings: base.ratings.filter(near), ...events };
  },
  badge: (store) => read(store, ["conflicts"], { conflicts: (r) => !r.deleted && r.data.status === "open" }),
};
