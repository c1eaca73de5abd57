/**
 * The store's [type+wait] index (assets/sync/store.js, schema v3): evidence waiting for review
 * carries `wait: 1`, derived on every write and by the upgrade of an older store, so the
 * review queue reads those rows by key (ui/teacher_queue.js readQueue).
 */

import "fake-indexeddb/auto";
import { afterEach, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Dexie from "dexie";
import { SyncStore, WAIT_INDEX, WAITING, dbName, waitsForReview, withWait } from "../../assets/sync/store.js";
import { isWaiting } from "../../assets/ui/queue_views.js";

const CASES = JSON.parse(readFileSync(join(import.meta.dir, "..", "sync", "waiting_cases.json"), "utf8")).cases;
let userSeq = 7700;
const stores = [];
const openStore = (id = ++userSeq) => {
  const store = new SyncStore({ id, role: "teacher" }, { now: () => 1_700_000_000_000 });
  stores.push(store);
  return store;
};
afterEach(async () => {
  for (const store of stores.splice(0)) await store.destroy().catch(() => {});
});

const evidence = (id, data, extra = {}) => ({ type: "evidence", id: id.startsWith("e") ? uid(id) : id, version: 1, deleted: false, local: 0, data: { student_id: 5, kind: "text", target_ids: [7], ...data }, ...extra });
// device-made ids are UUIDs: "e1" stands for one here
const uid = (name) => `00000000-0000-7000-8000-0000000000${name.slice(1).padStart(2, "0")}`;
const short = (id) => `e${Number(id.slice(-2))}`;
const waitingIds = async (store) => (await store.db.rows.where(WAIT_INDEX).equals(WAITING).toArray()).map((r) => short(r.id)).sort();

test("waiting for review: the server's rule on its cases (tests/sync/waiting_cases.json), and the queue's", () => {
  for (const { deleted, data, waits } of CASES) {
    expect(waitsForReview({ type: "evidence", deleted, data })).toBe(waits);
    if (!deleted) expect(isWaiting(data)).toBe(waits);
  }
  expect(waitsForReview({ type: "goal", deleted: false, data: { submitted: true } })).toBe(false);
  expect(withWait(evidence("a", { submitted: true })).wait).toBe(1);
  expect("wait" in withWait({ ...evidence("a", { submitted: false }), wait: 1 })).toBe(false);
});

test("pulled rows, a local review, a rebase and a delete keep the index true to the rows", async () => {
  const store = openStore();
  await store.applyPull(
    [
      evidence("e1", { submitted: true }),
      evidence("e2", { submitted: true, reviewed: { decision: "approved", caption_version: 1 } }),
      evidence("e3", { submitted: false }),
      evidence("e4", { submitted: true }),
    ],
    { cursor: "v1.1", isLast: true },
  );
  expect(await waitingIds(store)).toEqual(["e1", "e4"]);
  // a decision made here: the piece no longer waits, on this device, at once
  const { seq } = await store.mutate("evidence.review", { evidence_id: uid("e1"), decision: "approved" });
  expect(await waitingIds(store)).toEqual(["e4"]);
  // taken back (the shadow copy is put back): it waits again
  await store.db.transaction("rw", store.db.meta, store.db.outbox, store.db.rows, store.db.shadow, async () => {
    await store.db.outbox.delete(seq);
    await store._rebase([], false, await store.clientId());
  });
  expect(await waitingIds(store)).toEqual(["e1", "e4"]);
  // edited after review: waits again; deleted: gone from the index
  await store.applyPull(
    [
      evidence("e2", { submitted: true, reviewed: { decision: "approved", caption_version: 1 }, edited_after_review: true }, { version: 2 }),
      evidence("e4", { submitted: true }, { version: 2, deleted: true }),
    ],
    { cursor: "v1.2", isLast: true },
  );
  expect(await waitingIds(store)).toEqual(["e1", "e2"]);
  // a row written straight into the table gets its key too (the store's DBCore layer)
  await store.db.rows.put(evidence("e5", { submitted: true }));
  expect(await waitingIds(store)).toEqual(["e1", "e2", "e5"]);
});

test("a store made before the wait index opens with every row, and the upgrade marks what waits", async () => {
  const id = ++userSeq;
  const old = new Dexie(dbName(id));
  old.version(2).stores({
    rows: "[type+id], type, version, [type+data.student_id+data.target_id], [type+local]",
    shadow: "[type+id]",
    outbox: "seq, status",
    blobs: "sha256, status",
    meta: "key",
  });
  await old.rows.bulkPut([
    evidence("e11", { submitted: true }),
    evidence("e12", { submitted: true, reviewed: { decision: "returned" } }),
    evidence("e13", { submitted: true }, { deleted: true }),
    { type: "goal", id: "g1", version: 1, deleted: false, local: 0, data: { submitted: true } },
  ]);
  old.close();
  const store = openStore(id);
  expect(await store.db.rows.count()).toBe(4);
  expect(await waitingIds(store)).toEqual(["e11"]);
  expect((await store.db.rows.get(["goal", "g1"])).wait).toBeUndefined();
});
