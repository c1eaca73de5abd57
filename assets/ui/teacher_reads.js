/**
 * What each teacher screen reads from the device's store (IndexedDB through the sync core's
 * SyncStore): whole small tables (classes, learners, curriculum, conflicts), and of the big
 * ones (a year's events, reviews, evidence, ratings, levels) only the rows of the (learner,
 * target) pairs the screen shows, found through the store's [type+student+target] index
 * (assets/sync/store.js) rather than by reading every row of the type: an offline reload
 * then costs what the screen shows, not the length of the year. Each screen reads in one
 * read-only transaction, with no await per row. Used by teacher_screens.js.
 */

import { PAIR_INDEX, pairIndexKeys } from "../sync/store.js";
import { settlingIds } from "./teacher_views.js";
import { READY_NOTE } from "./views.js";

const TYPES = {
  classes: "class", groups: "group", learners: "learner", targets: "target", topics: "topic",
  areas: "content_area", levels: "level", ratings: "rating", conflicts: "conflict",
  playlists: "playlist", events: "event", staff: "staff", reviews: "review", evidence: "evidence",
  selfAssessments: "self_assessment",
};
export { PAIR_INDEX };
const LOCAL_INDEX = "[type+local]";
const pairKey = (d) => `${d.student_id}:${d.target_id}`;

/** Every row of each of `kinds` ({name: rows}): the small tables. */
async function whole(db, kinds) {
  const rows = await Promise.all(kinds.map((k) => db.rows.where("type").equals(TYPES[k]).toArray()));
  return Object.fromEntries(kinds.map((k, i) => [k, rows[i]]));
}

/** The index keys of (learner, target) pairs of one type (both id forms: store.js). */
export const pairKeys = pairIndexKeys;

/** The rows of each of `kinds` ({name: rows}) that belong to one of `pairs` ([[learner, target]]). */
async function ofPairs(db, kinds, pairs) {
  const list = [...pairs];
  const rows = await Promise.all(kinds.map((k) => (list.length ? db.rows.where(PAIR_INDEX).anyOf(pairKeys(TYPES[k], list)).toArray() : [])));
  return Object.fromEntries(kinds.map((k, i) => [k, rows[i]]));
}

/** Run `reads(db)` in one read-only transaction over the rows (one consistent snapshot). */
const snapshot = (store, reads) => store.db.transaction("r", store.db.rows, () => reads(store.db));

/** The learner × target of the rate page's address (/teacher/learners/1/targets/2). */
export function ratePair() {
  const path = typeof window === "undefined" ? "" : window.location.pathname;
  const [, learnerId, targetId] = path.match(/\/teacher\/learners\/(\d+)\/targets\/(\d+)/) ?? [];
  return { learnerId, targetId };
}

/** The pair's computed level, own view, ratings and history: the rate form's rows. */
async function pairRows(db, learnerId, targetId) {
  const kinds = ["selfAssessments", "ratings", "events"];
  if (learnerId === undefined || targetId === undefined) return { levels: [], selfAssessments: [], ratings: [], events: [] };
  const [level, near] = await Promise.all([
    db.rows.get(["level", `${learnerId}:${targetId}`]),
    ofPairs(db, kinds, [[learnerId, targetId]]),
  ]);
  return { levels: level ? [level] : [], ...near };
}

// What each screen reads. The grid reads every computed level (a class × topic of them is
// shown, and which one is the page's choice) but only the ratings not yet sent; the rate,
// conflicts and ready screens read the events, reviews and ratings of their pairs only.
export const READERS = {
  classes: (store) => snapshot(store, (db) => whole(db, ["classes", "learners"])),
  grid: (store) =>
    snapshot(store, async (db) => {
      const [base, ratings] = await Promise.all([
        // every self-assessment: the open cell's form shows its pair's at once on a tap
        whole(db, ["classes", "learners", "targets", "topics", "areas", "levels", "conflicts", "playlists", "staff", "selfAssessments"]),
        db.rows.where(LOCAL_INDEX).equals(["rating", 1]).toArray(),
      ]);
      return { ...base, ratings };
    }),
  rate: (store) =>
    snapshot(store, async (db) => {
      const { learnerId, targetId } = ratePair();
      const [base, pair] = await Promise.all([whole(db, ["learners", "targets", "staff"]), pairRows(db, learnerId, targetId)]);
      return { ...base, ...pair };
    }),
  // a conflict settled on this device stays shown (from its outbox entry, so after a reload too)
  conflicts: async (store, settledHere = new Set()) => {
    const kept = new Set([...settledHere, ...settlingIds(await store.db.outbox.toArray())]);
    return snapshot(store, async (db) => {
      const base = await whole(db, ["conflicts", "learners", "targets", "staff"]);
      const shown = base.conflicts.filter((r) => r.data.status === "open" || kept.has(String(r.id)));
      const pairs = new Map(shown.map((r) => [pairKey(r.data), [r.data.student_id, r.data.target_id]]));
      const near = await ofPairs(db, ["events", "ratings", "reviews"], pairs.values());
      const reviews = near.reviews.filter((r) => r.data.decision === "approved");
      const ids = [...new Set(reviews.map((r) => String(r.data.evidence_id)))];
      const evidence = ids.length ? (await db.rows.bulkGet(ids.map((id) => ["evidence", id]))).filter(Boolean) : [];
      return { ...base, ...near, reviews, evidence, kept: [...kept] };
    });
  },
  ready: (store) =>
    snapshot(store, async (db) => {
      const asks = (r) => String(r.data.note ?? "").toLowerCase().includes(READY_NOTE.toLowerCase());
      const [base, selfAssessments] = await Promise.all([
        whole(db, ["learners", "targets"]),
        // toArray then filter in JS: a Dexie .filter() walks a cursor, one round trip per row
        // between the page and IndexedDB, holding the rows store for as long as the page's
        // main thread is busy (a boot): a write's transaction then waits behind it
        db.rows.where("type").equals(TYPES.selfAssessments).toArray().then((rows) => rows.filter(asks)),
      ]);
      const pairs = new Map(selfAssessments.map((r) => [pairKey(r.data), [r.data.student_id, r.data.target_id]]));
      const near = await ofPairs(db, ["ratings", "events"], pairs.values());
      return { ...base, selfAssessments, ratings: near.ratings, events: near.events.filter((r) => r.data.source === "teacher") };
    }),
  // one getAll, filtered here (not a cursor: see ready). On every teacher page from the
  // reload on: its cursor read held the rows store ~800 ms after an offline reload and a tap's
  // outbox write waited all of it (docs/benchmarks.md, the review queue)
  badge: (store) =>
    snapshot(store, async (db) => ({
      conflicts: (await db.rows.where("type").equals(TYPES.conflicts).toArray()).filter((r) => !r.deleted && r.data.status === "open"),
    })),
};
