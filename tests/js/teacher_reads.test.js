// What the teacher screens read from the store (assets/ui/teacher_reads.js): through the
// store's [type+student+target] and [type+local] indexes, the same screens as from every row.
import "fake-indexeddb/auto";
import { afterEach, expect, test } from "bun:test";
import Dexie from "dexie";
import { dbName, SyncStore } from "../../assets/sync/store.js";
import { pairKeys, READERS } from "../../assets/ui/teacher_reads.js";
import { conflictViews, gridView, rateView, readyList } from "../../assets/ui/teacher_views.js";
import { destroyStores, everything, openTeacherStore, row, stamp } from "./store_rows.js";

let userSeq = 7000;
afterEach(destroyStores);
const openStore = (id = ++userSeq) => openTeacherStore(id, SyncStore);

/** A small year: 3 learners × 2 targets, events and reviews on every pair, two conflicts. */
function year() {
  const rows = [
    row("learner", 1, { display_name: "Zoe" }), row("learner", 2, { display_name: "Ana" }), row("learner", 3, { display_name: "Ben" }),
    row("class", 10, { name: "Math 7", learner_ids: [1, 2, 3] }),
    row("content_area", 1, { name: "Math", position: 0 }),
    row("topic", 7, { content_area_id: 1, name: "Ratios", position: 0 }),
    row("target", 71, { topic_id: 7, code: "R.1", title: "Rates", position: 0, rubric: [] }),
    row("target", 72, { topic_id: 7, code: "R.2", title: "Tables", position: 1, rubric: [] }),
    row("staff", 5, { display_name: "Ms Lee" }), row("staff", 6, { display_name: "Mr Ito" }),
    row("conflict", "c1", { student_id: 1, target_id: 71, status: "open", hlc: stamp(50), members: [{ teacher_id: 5, level: 3, hlc: stamp(10) }, { teacher_id: 6, level: 2, hlc: stamp(11) }] }),
    row("conflict", "c2", { student_id: 2, target_id: 72, status: "resolved", hlc: stamp(60), members: [] }),
    row("self_assessment", "s1", { student_id: 3, target_id: 72, level: 2, note: "Ready to demonstrate", hlc: stamp(90) }),
    row("self_assessment", "s2", { student_id: 2, target_id: 71, level: 1, note: "Ready to demonstrate", hlc: stamp(5) }),
    row("rating", "r-local", { student_id: 3, target_id: 71, teacher_id: 5, level: 3, hlc: stamp(95) }, { local: 1 }),
  ];
  let n = 0;
  for (const s of [1, 2, 3]) {
    for (const target of [71, 72]) {
      rows.push(row("level", `${s}:${target}`, { student_id: s, target_id: target, level: s + 1 }));
      for (const [author, source] of [[5, "teacher"], [6, "teacher"], [s, "self"]]) {
        rows.push(row("event", `e${++n}`, { student_id: s, target_id: target, author_id: author, source, level: 2, note: `note ${n}`, hlc: stamp(n) }));
      }
      rows.push(row("rating", `r${n}`, { student_id: s, target_id: target, teacher_id: 5, level: 3, hlc: stamp(10) }));
      rows.push(row("review", `v${n}`, { student_id: s, target_id: target, teacher_id: 5, decision: "approved", evidence_id: `ev${n}` }));
      rows.push(row("evidence", `ev${n}`, { student_id: s, caption: `photo ${n}` }));
    }
  }
  // the same pair with the ids as strings (an address), and a deleted event
  rows.push(row("event", "e-str", { student_id: "1", target_id: "71", author_id: 6, source: "teacher", level: 1, hlc: stamp(40) }));
  rows.push(row("event", "e-gone", { student_id: 1, target_id: 71, author_id: 5, source: "teacher", level: 4, hlc: stamp(45) }, { deleted: true }));
  return rows;
}

test("conflicts: the events, ratings, reviews and evidence of the shown pairs only, the same cards as from every row", async () => {
  const store = openStore();
  await store.db.rows.bulkPut(year());
  const read = await READERS.conflicts(store, new Set());
  expect(new Set(read.events.map((r) => r.id))).toEqual(new Set(["e1", "e2", "e3", "e-str", "e-gone"]));
  expect(read.reviews.map((r) => r.id)).toEqual(["v3"]);
  expect(read.evidence.map((r) => r.id)).toEqual(["ev3"]);
  const all = await everything(store);
  expect(conflictViews(read)).toEqual(conflictViews(all));
  expect(conflictViews(read)[0].history.length).toBeGreaterThan(3);
  // a conflict settled on this device stays shown, with its pair's rows
  const kept = new Set(["c2"]);
  expect(conflictViews(await READERS.conflicts(store, kept), kept)).toEqual(conflictViews(all, kept));
  // after a reload (no page memory) a resolution still in the outbox keeps its card, settled
  expect(conflictViews(read).some((c) => c.id === "c2")).toBe(false);
  const entry = { seq: 1, name: "conflict.resolve", status: "pending", args: { conflict_id: "c2", level: 2, note: "why" } };
  await store.db.outbox.put(entry);
  const reread = await READERS.conflicts(store);
  const card = conflictViews({ ...reread, outbox: [entry] }).find((c) => c.id === "c2");
  expect([card.is_open, card.settled_text, card.can_undo]).toEqual([false, "Settled at 2.0 · Saved on this phone", true]);
  expect(reread.kept).toEqual(["c2"]);
});

test("ready, grid and rate read less and show the same", async () => {
  const store = openStore();
  await store.db.rows.bulkPut(year());
  const all = await everything(store);
  const ready = await READERS.ready(store);
  expect(readyList(ready)).toEqual(readyList(all));
  expect(readyList(ready).map((r) => r.id)).toEqual(["s1"]); // s2 was answered by a later teacher event
  const grid = await READERS.grid(store);
  expect(grid.ratings.map((r) => r.id)).toEqual(["r-local"]); // only what is not sent yet
  expect(gridView(grid, { classId: "10", topicId: "7" })).toEqual(gridView(all, { classId: "10", topicId: "7" }));
  globalThis.window = { location: { pathname: "/teacher/learners/1/targets/71" } };
  try {
    const rate = await READERS.rate(store);
    expect(rate.events.length).toBe(5);
    expect(rate.levels.map((r) => r.id)).toEqual(["1:71"]);
    expect(rateView(rate, "1", "71")).toEqual(rateView(all, "1", "71"));
  } finally {
    delete globalThis.window;
  }
});

test("pairKeys: a pair by its string and its number form, nothing for a non-number", () => {
  expect(pairKeys("event", [[1, "71"]])).toEqual([["event", "1", "71"], ["event", 1, 71]]);
  expect(pairKeys("event", [["x", 2]])).toEqual([["event", "x", "2"]]);
});

test("a store made before the indexes opens with every row, and the new index finds them", async () => {
  const id = ++userSeq;
  const old = new Dexie(dbName(id));
  old.version(1).stores({ rows: "[type+id], type, version", shadow: "[type+id]", outbox: "seq, status", blobs: "sha256, status", meta: "key" });
  await old.rows.bulkPut(year());
  await old.meta.put({ key: "cursor", value: "c-9" });
  old.close();
  const store = openStore(id);
  expect(await store.getMeta("cursor")).toBe("c-9");
  expect(await store.db.rows.count()).toBe(year().length);
  const found = await store.db.rows.where("[type+data.student_id+data.target_id]").equals(["event", 2, 72]).toArray();
  expect(found.map((r) => r.id).sort()).toEqual(["e10", "e11", "e12"]);
});
