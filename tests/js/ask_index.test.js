/**
 * The store's [type+ask] index (assets/sync/store.js, schema v4) and the teacher screens'
 * bounded reads (assets/ui/teacher_reads.js): the Ready screen reads the self-assessments
 * asking to demonstrate by key, the grid only its class × topic, the conflicts screen the
 * context of its page; each shows the same as from every row of the store.
 */

import "fake-indexeddb/auto";
import { afterEach, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Dexie from "dexie";
import { asksToDemonstrate, READY_NOTE } from "../../assets/sync/ready.js";
import { ASK_INDEX, ASKING, asksToShow, dbName, SyncStore, WAIT_INDEX, WAITING, withDerivedKeys } from "../../assets/sync/store.js";
import { READERS } from "../../assets/ui/teacher_reads.js";
import { conflictViews, gridView, rateView, readyList } from "../../assets/ui/teacher_views.js";
import { destroyStores, everything, openTeacherStore, row, stamp } from "./store_rows.js";
import { READY_NOTE as VIEWS_READY_NOTE } from "../../assets/ui/views.js";

let userSeq = 8800;
afterEach(destroyStores);
const openStore = (id = ++userSeq) => openTeacherStore(id, SyncStore);
const askIds = async (store) => (await store.db.rows.where(ASK_INDEX).equals(ASKING).toArray()).map((r) => r.id).sort();

test("asks to demonstrate: one rule for the learner's page, the Ready screen, the index and the server's seed", () => {
  expect(VIEWS_READY_NOTE).toBe(READY_NOTE);
  const seed = readFileSync(join(import.meta.dir, "..", "..", "backend", "seed_year_plan.py"), "utf8");
  expect(seed.match(/^READY_NOTE = "([^"]*)"/m)?.[1]).toBe(READY_NOTE);
  expect(asksToDemonstrate({ note: "Ready to demonstrate." })).toBe(true);
  expect(asksToDemonstrate({ note: "ready to DEMONSTRATE: fractions" })).toBe(true);
  expect(asksToDemonstrate({ note: "not yet" })).toBe(false);
  expect(asksToDemonstrate({})).toBe(false);
  expect(asksToShow(row("self_assessment", "a", { note: READY_NOTE }, { deleted: true }))).toBe(false);
  expect(asksToShow(row("event", "a", { note: READY_NOTE }))).toBe(false);
  expect(withDerivedKeys(row("self_assessment", "a", { note: READY_NOTE })).ask).toBe(1);
  expect("ask" in withDerivedKeys({ ...row("self_assessment", "a", { note: "" }), ask: 1 })).toBe(false);
  // both keys at once: evidence keeps its wait key
  expect(withDerivedKeys(row("evidence", "e", { submitted: true })).wait).toBe(1);
});

test("pulled rows, an edit, a direct write and a delete keep the ask index true to the rows", async () => {
  const store = openStore();
  await store.applyPull(
    [
      row("self_assessment", "s1", { student_id: 3, target_id: 71, level: 2, note: READY_NOTE, hlc: stamp(1) }),
      row("self_assessment", "s2", { student_id: 3, target_id: 72, level: 2, note: "", hlc: stamp(2) }),
    ],
    { cursor: "v1.1", isLast: true },
  );
  expect(await askIds(store)).toEqual(["s1"]);
  await store.applyPull([row("self_assessment", "s1", { student_id: 3, target_id: 71, level: 3, note: "", hlc: stamp(3) }, { version: 2 })], { cursor: "v1.2", isLast: true });
  expect(await askIds(store)).toEqual([]);
  await store.db.rows.put(row("self_assessment", "s3", { student_id: 3, target_id: 73, note: `${READY_NOTE}.` }));
  expect(await askIds(store)).toEqual(["s3"]);
  await store.applyPull([row("self_assessment", "s3", { student_id: 3, target_id: 73, note: `${READY_NOTE}.` }, { version: 2, deleted: true })], { cursor: "v1.3", isLast: true });
  expect(await askIds(store)).toEqual([]);
});

test("a store made before the ask index (v3) opens with every row; the upgrade marks the asks and keeps wait", async () => {
  const id = ++userSeq;
  const old = new Dexie(dbName(id));
  old.version(3).stores({
    rows: "[type+id], type, version, [type+data.student_id+data.target_id], [type+local], [type+wait]",
    shadow: "[type+id]",
    outbox: "seq, status",
    blobs: "sha256, status",
    meta: "key",
  });
  await old.rows.bulkPut([
    row("self_assessment", "a1", { student_id: 1, target_id: 71, note: READY_NOTE }),
    row("self_assessment", "a2", { student_id: 1, target_id: 72, note: "" }),
    row("self_assessment", "a3", { student_id: 2, target_id: 71, note: READY_NOTE }, { deleted: true }),
    row("event", "x1", { student_id: 1, target_id: 71, note: READY_NOTE }),
    { ...row("evidence", "ev1", { student_id: 1, submitted: true }), wait: 1 },
  ]);
  old.close();
  const store = openStore(id);
  expect(await store.db.rows.count()).toBe(5);
  expect(await askIds(store)).toEqual(["a1"]);
  expect((await store.db.rows.get(["event", "x1"])).ask).toBeUndefined();
  expect((await store.db.rows.where(WAIT_INDEX).equals(WAITING).toArray()).map((r) => r.id)).toEqual(["ev1"]);
});

/** Two classes × two topics, asks answered and not, 23 open conflicts (more than a page). */
function year() {
  const rows = [
    row("content_area", 1, { name: "Math", position: 0 }),
    row("topic", 7, { content_area_id: 1, name: "Ratios", position: 0 }),
    row("topic", 8, { content_area_id: 1, name: "Angles", position: 1 }),
    row("staff", 5, { display_name: "Ms Lee" }), row("staff", 6, { display_name: "Mr Ito" }),
    row("class", 10, { name: "Math 7A", learner_ids: [1, 2, 3] }),
    row("class", 11, { name: "Math 7B", learner_ids: ["4", 5, 6] }),
    row("playlist", 90, { title: "Ratio drills", topic_id: 7, class_id: 10 }),
  ];
  const targets = { 7: [71, 72], 8: [81, 82] };
  for (const [topic, ids] of Object.entries(targets)) ids.forEach((id, i) => rows.push(row("target", id, { topic_id: Number(topic), code: `T.${id}`, title: `Target ${id}`, position: i, rubric: [] })));
  let n = 0;
  for (const s of [1, 2, 3, 4, 5, 6]) {
    rows.push(row("learner", s, { display_name: `Learner ${String.fromCharCode(70 - s)}` }));
    for (const target of [71, 72, 81, 82]) {
      n += 1;
      if ((s + target) % 3) rows.push(row("level", `${s}:${target}`, { student_id: s, target_id: target, level: (n % 4) + 1 }));
      const asks = (s + target) % 2 === 0;
      rows.push(row("self_assessment", `s${s}-${target}`, { student_id: s, target_id: target, level: 2, note: asks ? (n % 5 ? READY_NOTE : "ready to demonstrate, please") : "still working", hlc: stamp(100 + n) }));
      // some asks answered by a later teacher event, some by a rating, some by a self event only (not an answer)
      if (n % 4 === 0) rows.push(row("event", `t${n}`, { student_id: s, target_id: target, author_id: 5, source: "teacher", level: 3, hlc: stamp(200 + n) }));
      if (n % 4 === 1) rows.push(row("rating", `r${n}`, { student_id: s, target_id: target, teacher_id: 6, level: 3, hlc: stamp(200 + n) }));
      if (n % 4 === 2) rows.push(row("event", `x${n}`, { student_id: s, target_id: target, author_id: s, source: "self", level: 2, hlc: stamp(300 + n) }));
      rows.push(row("event", `old${n}`, { student_id: s, target_id: target, author_id: 6, source: "teacher", level: 1, note: `n${n}`, hlc: stamp(n) }));
      rows.push(row("rating", `ro${n}`, { student_id: s, target_id: target, teacher_id: 5, level: 2, hlc: stamp(n) }));
      rows.push(row("review", `v${n}`, { student_id: s, target_id: target, teacher_id: 5, decision: "approved", evidence_id: `ev${n}` }));
      rows.push(row("evidence", `ev${n}`, { student_id: s, caption: `photo ${n}` }));
      rows.push(row("conflict", `c${n}`, { student_id: s, target_id: target, status: n === 3 ? "resolved" : "open", hlc: stamp(1000 - n), members: [{ teacher_id: 5, level: 2, hlc: stamp(n) }, { teacher_id: 6, level: 3, hlc: stamp(n) }] }));
    }
  }
  rows.push(row("rating", "r-local", { student_id: 5, target_id: 81, teacher_id: 5, level: 3, hlc: stamp(900) }, { local: 1 }));
  rows.push(row("self_assessment", "s-gone", { student_id: 2, target_id: 82, note: READY_NOTE, hlc: stamp(5) }, { deleted: true }));
  return rows;
}

test("ready: the asks read by key show the same list as every self-assessment", async () => {
  const store = openStore();
  await store.db.rows.bulkPut(year());
  const all = await everything(store);
  const read = await READERS.ready(store);
  expect(read.selfAssessments.length).toBeLessThan(all.selfAssessments.length);
  expect(read.selfAssessments.every((r) => asksToDemonstrate(r.data) && !r.deleted)).toBe(true);
  const list = readyList(read);
  expect(list).toEqual(readyList(all));
  expect(list.length).toBeGreaterThan(2);
  expect(list.length).toBeLessThan(read.selfAssessments.length); // some were answered
});

test("grid: each class × topic read alone shows the same grid and cell form as every row", async () => {
  const store = openStore();
  await store.db.rows.bulkPut(year());
  const all = await everything(store);
  for (const classId of ["10", "11"]) {
    for (const topicId of ["7", "8"]) {
      const read = await READERS.grid(store, new Set(), { classId, topicId });
      expect(read.readFor).toEqual({ classId, topicId });
      expect(gridView(read, { classId, topicId })).toEqual(gridView(all, { classId, topicId }));
      const learners = classId === "10" ? [1, 2, 3] : [4, 5, 6];
      expect(read.levels.every((r) => learners.includes(r.data.student_id))).toBe(true);
      expect(read.selfAssessments.every((r) => learners.includes(Number(r.data.student_id)))).toBe(true);
      for (const s of learners) {
        for (const tg of topicId === "7" ? [71, 72] : [81, 82]) {
          const pick = (rows) => ({ ...rows, events: [] }); // the grid's form has no history
          expect(rateView(read, String(s), String(tg))).toEqual(rateView(pick(all), String(s), String(tg)));
        }
      }
    }
  }
  // no choice (or one that is gone): the first class and topic, as the page picks them
  expect((await READERS.grid(store)).readFor).toEqual({ classId: "10", topicId: "7" });
  expect((await READERS.grid(store, new Set(), { classId: "99", topicId: "8" })).readFor).toEqual({ classId: "10", topicId: "8" });
});

test("conflicts: the context of the page shown only; its cards the same as from every row", async () => {
  const store = openStore();
  await store.db.rows.bulkPut(year());
  const all = await everything(store);
  const page = await READERS.conflicts(store, new Set(), { limit: 20 });
  const views = conflictViews(page);
  expect(views.length).toBe(23); // the true count: every open conflict
  expect(views.slice(0, 20)).toEqual(conflictViews(all).slice(0, 20));
  const pairs = new Set(views.slice(0, 20).map((c) => c.rate_href));
  expect(new Set(page.events.map((r) => `${r.data.student_id}:${r.data.target_id}`)).size).toBe(20);
  expect(pairs.size).toBe(20);
  // "Show 20 more": the whole list
  expect(conflictViews(await READERS.conflicts(store, new Set(), { limit: 40 }))).toEqual(conflictViews(all));
  // a conflict settled here stays, in its place in the list
  const kept = new Set(["c3"]);
  expect(conflictViews(await READERS.conflicts(store, kept, { limit: 20 }), kept).slice(0, 20)).toEqual(conflictViews(all, kept).slice(0, 20));
});
