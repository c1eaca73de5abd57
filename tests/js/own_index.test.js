/**
 * The store's [type+own] index (assets/sync/database.js, schema v5): in a staff member's store
 * their own binder rows (teacher microcredentials: student_id = their own id) carry `own: 1`,
 * derived on every write and by the upgrade of an older store, so "My growth" reads them by
 * key (ui/growth.js readGrowth) instead of every learner's goal, pick and piece of evidence.
 */

import "fake-indexeddb/auto";
import { afterEach, expect, test } from "bun:test";
import Dexie from "dexie";
import { OWN_INDEX, dbName, withOwnKey } from "../../assets/sync/database.js";
import { SyncStore } from "../../assets/sync/store.js";
import { readGrowth } from "../../assets/ui/growth.js";

let userSeq = 8800;
const stores = [];
const openStore = (id = ++userSeq, role = "teacher") => {
  const store = new SyncStore({ id, role }, { now: () => 1_700_000_000_000 });
  stores.push(store);
  return store;
};
afterEach(async () => {
  for (const store of stores.splice(0)) await store.destroy().catch(() => {});
});
const row = (type, id, data, extra = {}) => ({ type, id, version: 1, deleted: false, local: 0, data, ...extra });
const ownIds = async (store, type) => (await store.db.rows.where(OWN_INDEX).equals([type, 1]).toArray()).map((r) => r.id).sort();

test("own: the owner's binder rows only, and never without an owner", () => {
  expect(withOwnKey(row("goal", "g", { student_id: 5 }), 5).own).toBe(1);
  expect(withOwnKey(row("goal", "g", { student_id: "5" }), 5).own).toBe(1);
  expect("own" in withOwnKey({ ...row("goal", "g", { student_id: 6 }), own: 1 }, 5)).toBe(false);
  expect("own" in withOwnKey(row("target", 1, { student_id: 5 }), 5)).toBe(false);
  expect("own" in withOwnKey(row("goal", "g", { student_id: 5 }), null)).toBe(false);
});

test("a teacher's store indexes their own rows as they are written, not their learners'", async () => {
  const store = openStore();
  const me = store.user.id;
  await store.db.rows.bulkPut([
    row("goal", "g1", { student_id: me, title: "SCF", target_ids: [200] }),
    row("goal", "g2", { student_id: 11, title: "Fractions", target_ids: [7] }),
    row("evidence", "e1", { student_id: me, kind: "text", target_ids: [200], submitted: true, reflection: "r" }),
    row("evidence", "e2", { student_id: 11, kind: "text", target_ids: [7], submitted: true }),
    row("pick", "p1", { student_id: 11, activity_id: 3, status: "done" }),
    row("review", "r1", { student_id: me, evidence_id: "e1", decision: "returned", comment: "More", target_id: null }),
  ]);
  expect(await ownIds(store, "goal")).toEqual(["g1"]);
  expect(await ownIds(store, "evidence")).toEqual(["e1"]);
  expect(await ownIds(store, "pick")).toEqual([]);
  expect(await ownIds(store, "review")).toEqual(["r1"]); // a return has no target: still found
  const read = await readGrowth(store, me);
  expect(read.goals.map((r) => r.id)).toEqual(["g1"]);
  expect(read.evidence.map((r) => r.id)).toEqual(["e1"]);
  expect(read.reviews.map((r) => r.id)).toEqual(["r1"]);
  // the learner's piece, written through the outbox by its learner elsewhere, stays out
  await store.db.rows.put(row("evidence", "e1", { student_id: 11, kind: "text", target_ids: [7] }));
  expect(await ownIds(store, "evidence")).toEqual([]);
});

test("a learner's store derives no own key", async () => {
  const store = openStore(++userSeq, "student");
  await store.db.rows.put(row("goal", "g1", { student_id: store.user.id, title: "Mine" }));
  expect("own" in (await store.db.rows.get(["goal", "g1"]))).toBe(false);
});

test("the upgrade of an older store marks the owner's rows it holds", async () => {
  const id = ++userSeq;
  const old = new Dexie(dbName(id));
  old.version(4).stores({
    rows: "[type+id], type, version, [type+data.student_id+data.target_id], [type+local], [type+wait], [type+ask]",
    shadow: "[type+id]",
    outbox: "seq, status",
    blobs: "sha256, status",
    meta: "key",
  });
  await old.rows.bulkPut([row("goal", "g1", { student_id: id }), row("goal", "g2", { student_id: 3 }), row("evidence", "e1", { student_id: id })]);
  old.close();
  const store = openStore(id);
  expect(await store.db.rows.count()).toBe(3);
  expect(await ownIds(store, "goal")).toEqual(["g1"]);
  expect(await ownIds(store, "evidence")).toEqual(["e1"]);
});
