/** The device store: atomic mutate, an outbox that survives closing the tab, rebase of pulled rows. */

import "fake-indexeddb/auto";
import { afterEach, expect, test } from "bun:test";
import { InvalidMutation } from "../../assets/sync/errors.js";
import { SyncStore } from "../../assets/sync/store.js";
import { uuid7 } from "../../assets/sync/uuid.js";

const learner = { id: 1, role: "student" };
let userSeq = 100;
const stores = [];

function openStore(user = { ...learner, id: ++userSeq }) {
  const store = new SyncStore(user, { now: () => 1_700_000_000_000 });
  stores.push(store);
  return store;
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.destroy().catch(() => {});
});

const goal = (store, title, id = uuid7()) => store.mutate("goal.put", { id, student_id: store.user.id, title });

test("mutate writes the outbox entry and the optimistic row together", async () => {
  const store = openStore();
  const id = uuid7();
  const { seq, hlc, result } = await goal(store, "  Read 20 minutes a day  ", id);
  expect(seq).toBe(1);
  expect(result).toEqual({ status: "applied" });
  const [entry] = await store.db.outbox.toArray();
  expect(entry).toMatchObject({ seq: 1, name: "goal.put", hlc, status: "pending" });
  expect(entry.args.title).toBe("Read 20 minutes a day"); // normalized as the server will
  const row = await store.getRow("goal", id);
  expect(row).toMatchObject({ type: "goal", id, deleted: false, version: 0, local: 1 });
  expect(row.data).toMatchObject({ title: "Read 20 minutes a day", status: "active", student_id: store.user.id });
  expect(await store.getMeta("next_seq")).toBe(2);
});

test("a write that fails half-way leaves neither the outbox entry nor the row nor the seq", async () => {
  const store = openStore();
  await goal(store, "first");
  // the write of the row (one bulkPut since the requests go in batches) fails after the
  // counters and the outbox entry were sent: the transaction takes all of them back
  const bulkPut = store.db.rows.bulkPut.bind(store.db.rows);
  store.db.rows.bulkPut = () => Promise.reject(new Error("tab closed"));
  await expect(goal(store, "second")).rejects.toThrow("tab closed");
  store.db.rows.bulkPut = bulkPut;
  expect(await store.db.outbox.count()).toBe(1);
  expect(await store.db.rows.where("type").equals("goal").count()).toBe(1);
  expect(await store.getMeta("next_seq")).toBe(2);
  expect((await goal(store, "third")).seq).toBe(2);
});

test("invalid arguments throw and queue nothing", async () => {
  const store = openStore();
  await expect(store.mutate("goal.put", { id: "nope", student_id: 1, title: "x" })).rejects.toBeInstanceOf(InvalidMutation);
  await expect(store.mutate("goal.archive", {})).rejects.toMatchObject({ code: "mutation.unknown", params: { mutation: "goal.archive" } });
  expect(await store.db.outbox.count()).toBe(0);
});

test("the outbox survives closing the tab; client_id stays and seq continues", async () => {
  const user = { ...learner, id: ++userSeq };
  const first = new SyncStore(user);
  const clientId = await first.clientId();
  await goal(first, "one");
  await goal(first, "two");
  first.close(); // the tab goes away
  const second = openStore(user); // a new tab, a new Dexie instance, same IndexedDB
  expect(await second.clientId()).toBe(clientId);
  expect((await second.pendingEntries()).map((e) => e.seq)).toEqual([1, 2]);
  expect((await goal(second, "three")).seq).toBe(3);
  const stamps = (await second.pendingEntries()).map((e) => e.hlc);
  expect([...stamps].sort()).toEqual(stamps); // the HLC survives too: stamps keep increasing
});

test("each user has a database of their own", async () => {
  const a = openStore();
  const b = openStore();
  await goal(a, "mine");
  expect(a.db.name).not.toBe(b.db.name);
  expect(await b.db.outbox.count()).toBe(0);
});

test("a pull is rebased under pending writes; a rejected write's effect goes away", async () => {
  const store = openStore();
  const id = uuid7();
  await goal(store, "local title", id); // seq 1, pending
  const other = uuid7();
  await store.mutate("goal.delete", { id: other }); // seq 2: unknown here, the server decides
  const server = {
    type: "goal",
    id,
    version: 7,
    deleted: false,
    data: {
      student_id: store.user.id, title: "older server title", target_ids: [], due_on: "2025-05-01", status: "active",
      reflection: "", _hlc: { title: "0000000000001-0000-x", due_on: "0000000000001-0000-x" }, _put_hlc: "0000000000001-0000-x", _delete_hlc: null,
    },
  };
  await store.recordResults([{ seq: 2, status: "rejected", reason: "there is no goal with id " + other }]);
  await store.applyPull([server], { cursor: "v1.7", isLast: true });
  const row = await store.getRow("goal", id);
  expect(row.data.title).toBe("local title"); // the pending write still wins locally
  expect(row.data.due_on).toBe("2025-05-01"); // the server's other field arrived
  expect(row.version).toBe(7);
  expect(await store.getMeta("cursor")).toBe("v1.7");
  expect((await store.rejectedEntries()).map((e) => e.reason)).toEqual(["there is no goal with id " + other]);
  // once the server has it, the acked entry leaves at the next complete pull
  await store.recordResults([{ seq: 1, status: "applied" }]);
  const acked = { ...server, version: 8, data: { ...server.data, title: "local title" } };
  await store.applyPull([acked], { cursor: "v1.8", isLast: true });
  expect(await store.pendingCount()).toBe(0);
  expect(await store.db.outbox.count()).toBe(1); // only the rejection, kept for the learner
  expect(await store.db.shadow.count()).toBe(0);
  expect((await store.getRow("goal", id)).local).toBe(0);
});

test("base_version counts only versions the server handed out", async () => {
  const teacher = openStore({ id: ++userSeq, role: "teacher" });
  await teacher.applyPull(
    [{ type: "rating", id: "r1", version: 12, deleted: false, data: { student_id: 1, target_id: 5, teacher_id: 99, level: 3, note: "", hlc: "1700000000000-0000-x", base_version: 0 } }],
    { cursor: "v1.12", isLast: true },
  );
  expect(await teacher.baseVersion(1, 5)).toBe(12);
  const { result } = await teacher.mutate("rating.put", { student_id: 1, target_id: 5, level: 2.5, base_version: 3 });
  expect(result.status).toBe("conflict"); // the same rule as the server, before it answers
  expect(await teacher.baseVersion(1, 5)).toBe(12);
});

test("mutate reads (or makes) the client_id in its own transaction: one transaction for the first write after a reload", async () => {
  const user = { ...learner, id: ++userSeq };
  const fresh = openStore(user);
  const first = await goal(fresh, "first");
  const clientId = await fresh.getMeta("client_id");
  expect(clientId).toBeTruthy();
  expect(first.hlc.endsWith(clientId)).toBe(true);
  expect(await fresh.clientId()).toBe(clientId); // the one the write made, kept
  fresh.close();
  // a reload: a new store over the same database, nothing cached
  const reloaded = new SyncStore(user, { now: () => 1_700_000_000_000 });
  stores.push(reloaded);
  const transaction = reloaded.db.transaction.bind(reloaded.db);
  let transactions = 0;
  reloaded.db.transaction = (...args) => ((transactions += 1), transaction(...args));
  const second = await goal(reloaded, "second");
  expect(transactions).toBe(1);
  expect(second.seq).toBe(2);
  expect(second.hlc.endsWith(clientId)).toBe(true);
  expect(Object.keys(second).sort()).toEqual(["args", "hlc", "result", "seq"]);
  expect(await reloaded.clientId()).toBe(clientId);
  // a write that fails makes no id of its own: the next one makes it
  const other = openStore();
  const bulkPut = other.db.rows.bulkPut.bind(other.db.rows);
  other.db.rows.bulkPut = () => Promise.reject(new Error("tab closed"));
  await expect(goal(other, "lost")).rejects.toThrow("tab closed");
  other.db.rows.bulkPut = bulkPut;
  expect(await other.getMeta("client_id")).toBeNull();
  expect(other._clientId).toBeUndefined();
  await goal(other, "kept");
  expect(await other.clientId()).toBe(await other.getMeta("client_id"));
});
