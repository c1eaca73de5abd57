/**
 * What each teacher screen reads from the device's store (IndexedDB through the sync core's
 * SyncStore): whole small tables (classes, learners, curriculum, conflicts), and of the big
 * ones (a year's events, reviews, evidence, ratings, levels) only the rows of the (learner,
 * target) pairs the screen shows, found through the store's [type+student+target] index
 * (assets/sync/store.js) rather than by reading every row of the type: an offline reload
 * then costs what the screen shows, not the length of the year. Each screen reads in one
 * read-only transaction, with no await per row. Used by teacher_screens.js.
 */

import Dexie from "dexie";
import { ASK_INDEX, ASKING, PAIR_INDEX, pairIndexKeys } from "../sync/store.js";
import { classLists, hlcAfter, settlingIds, shownConflicts, topicOptions, topicTargets } from "./teacher_views.js";

const TYPES = {
  classes: "class", groups: "group", learners: "learner", targets: "target", topics: "topic",
  areas: "content_area", levels: "level", ratings: "rating", conflicts: "conflict",
  playlists: "playlist", events: "event", staff: "staff", reviews: "review", evidence: "evidence",
  selfAssessments: "self_assessment", profiles: "profile_section",
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

/**
 * The rows of each of `kinds` ({name: rows}) that belong to one of `pairs` ([[learner, target]]).
 * One getAll per key, all sent at once: Dexie's anyOf walks a cursor, one round trip between
 * the page and IndexedDB per row, each waiting for the page's main thread (busy booting after
 * a reload): 2,700 events of the Ready screen's pairs took over a second so.
 */
async function ofPairs(db, kinds, pairs) {
  const list = [...pairs];
  const byKey = (type) => Promise.all(pairKeys(type, list).map((key) => db.rows.where(PAIR_INDEX).equals(key).toArray())).then((parts) => parts.flat());
  const rows = await Promise.all(kinds.map((k) => (list.length ? byKey(TYPES[k]) : [])));
  return Object.fromEntries(kinds.map((k, i) => [k, rows[i]]));
}

/** Every row of `type` of each learner of `learnerIds` (a key range per learner and id form). */
async function ofLearners(db, type, learnerIds) {
  const ranges = pairKeys(type, learnerIds.map((id) => [id, 0])).map(([, s]) => db.rows.where(PAIR_INDEX).between([type, s, Dexie.minKey], [type, s, Dexie.maxKey]).toArray());
  return (await Promise.all(ranges)).flat();
}

/** The class and topic a grid shows: the page's choice, or the first of each (as useGrid). */
export function gridChoice(rows, choice = {}) {
  const classes = classLists(rows).map((c) => c.id);
  const topics = topicOptions(rows).map((c) => c.value);
  const classId = classes.includes(String(choice.classId ?? "")) ? String(choice.classId) : (classes[0] ?? "");
  const topicId = topics.includes(String(choice.topicId ?? "")) ? String(choice.topicId) : (topics[0] ?? "");
  return { classId, topicId };
}

/** The latest live row (by its hlc) of each (learner, target) pair of `rows`. */
function latestPerPair(rows) {
  const latest = new Map();
  for (const r of rows) {
    if (r.deleted) continue;
    const key = pairKey(r.data);
    const held = latest.get(key);
    if (!held || hlcAfter(r.data.hlc, held.data.hlc)) latest.set(key, r);
  }
  return [...latest.values()];
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

// What each screen reads. The grid reads the computed levels and self-assessments of the
// class × topic it shows (the page's choice: read again when it changes) and the ratings not
// yet sent; the rate, conflicts and ready screens read the events, reviews and ratings of the
// pairs they show only.
export const READERS = {
  classes: (store) => snapshot(store, (db) => whole(db, ["classes", "learners"])),
  grid: (store, _settled, choice = {}) =>
    snapshot(store, async (db) => {
      const [base, ratings] = await Promise.all([
        whole(db, ["classes", "learners", "targets", "topics", "areas", "conflicts", "playlists", "staff"]),
        db.rows.where(LOCAL_INDEX).equals(["rating", 1]).toArray(),
      ]);
      const readFor = gridChoice(base, choice);
      const klass = base.classes.find((r) => String(r.id) === readFor.classId);
      const learnerIds = (klass?.data?.learner_ids ?? []).map(String);
      const targetIds = new Set(topicTargets(base.targets, readFor.topicId).map((r) => String(r.id)));
      const levelKeys = learnerIds.flatMap((l) => [...targetIds].map((tg) => ["level", `${l}:${tg}`]));
      const [levels, selfs] = await Promise.all([
        levelKeys.length ? db.rows.bulkGet(levelKeys) : [],
        // the shown pairs' own views: the open cell's form shows its pair's at once on a tap
        ofLearners(db, TYPES.selfAssessments, learnerIds),
      ]);
      const selfAssessments = selfs.filter((r) => targetIds.has(String(r.data.target_id)));
      // the class's profile answers ("Group by" a profile answer): a few rows a learner
      const inClass = new Set(learnerIds);
      const profiles = (await db.rows.where("type").equals(TYPES.profiles).toArray()).filter((r) => inClass.has(String(r.data.student_id)));
      return { ...base, ratings, levels: levels.filter(Boolean), selfAssessments, profiles, readFor };
    }),
  rate: (store) =>
    snapshot(store, async (db) => {
      const { learnerId, targetId } = ratePair();
      const [base, pair] = await Promise.all([whole(db, ["learners", "targets", "staff"]), pairRows(db, learnerId, targetId)]);
      return { ...base, ...pair };
    }),
  // a conflict settled on this device stays shown (from its outbox entry, so after a reload too)
  // the context (events, ratings, reviews, evidence) only of the conflicts on the page shown
  // (the first `limit` in list order): read again when "Show 20 more" grows it
  conflicts: async (store, settledHere = new Set(), { limit = Infinity } = {}) => {
    const kept = new Set([...settledHere, ...settlingIds(await store.db.outbox.toArray())]);
    return snapshot(store, async (db) => {
      const base = await whole(db, ["conflicts", "learners", "targets", "staff"]);
      const shown = shownConflicts(base.conflicts, kept).slice(0, limit);
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
      const [base, selfAssessments] = await Promise.all([
        whole(db, ["learners", "targets"]),
        // by key: only the self-assessments asking to demonstrate (store.js `ask`, derived on
        // every write), one per (learner, target): not every self-assessment of the school
        db.rows.where(ASK_INDEX).equals(ASKING).toArray(),
      ]);
      const pairs = new Map(selfAssessments.map((r) => [pairKey(r.data), [r.data.student_id, r.data.target_id]]));
      const near = await ofPairs(db, ["ratings", "events"], pairs.values());
      // what answers an ask is a teacher's rating or event as late as it: the latest of each
      // per pair is enough (not the pair's whole history: less to hand the screen)
      return { ...base, selfAssessments, ratings: latestPerPair(near.ratings), events: latestPerPair(near.events.filter((r) => r.data.source === "teacher")) };
    }),
  // one getAll, filtered here (not a cursor: see ready). On every teacher page from the
  // reload on: its cursor read held the rows store ~800 ms after an offline reload and a tap's
  // outbox write waited all of it (docs/benchmarks.md, the review queue)
  badge: (store) =>
    snapshot(store, async (db) => ({
      conflicts: (await db.rows.where("type").equals(TYPES.conflicts).toArray()).filter((r) => !r.deleted && r.data.status === "open"),
    })),
};
