/** Bounded reads of the device store (assets/sync/pages.js): pages, counts, newest first. */

import "fake-indexeddb/auto";
import { afterEach, expect, test } from "bun:test";
import { count, countBy, page, rowsOfTypes, scan, select } from "../../assets/sync/pages.js";
import { openDatabase } from "../../assets/sync/store.js";

let userSeq = 900;
const dbs = [];

async function storeWith(rows) {
  const db = openDatabase(++userSeq);
  dbs.push(db);
  await db.rows.bulkPut(rows);
  return db;
}

afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete().catch(() => {});
});

const id = (n) => `0190${String(n).padStart(4, "0")}-0000-7000-8000-000000000000`;
const goal = (n, status, extra = {}) => ({ type: "goal", id: id(n), version: n, deleted: false, local: 0, data: { student_id: 7, title: `goal ${n}`, status }, ...extra });

function goals(many, statusOf) {
  return Array.from({ length: many }, (_, n) => goal(n, statusOf(n)));
}

test("a page is newest first, skips `offset` matching rows and holds at most `limit`", async () => {
  const db = await storeWith([...goals(60, (n) => (n % 3 ? "done" : "active")), { type: "target", id: 1, version: 1, deleted: false, data: {} }]);
  const first = await page(db, "goal", { where: (r) => r.data.status === "done", limit: 20 });
  expect(first.length).toBe(20);
  expect(first.every((r) => r.data.status === "done")).toBe(true);
  const ids = first.map((r) => r.id);
  expect(ids).toEqual([...ids].sort().reverse());
  expect(ids[0]).toBe(id(59));
  const second = await page(db, "goal", { where: (r) => r.data.status === "done", limit: 20, offset: 20 });
  expect(second.length).toBe(20);
  expect(second.some((r) => ids.includes(r.id))).toBe(false);
  const last = await page(db, "goal", { where: (r) => r.data.status === "done", limit: 20, offset: 40 });
  expect(last.length).toBe(0); // 40 done goals in all
  expect(await page(db, "goal", { limit: 0 })).toEqual([]);
});

test("deleted rows and rows of other types never count or show", async () => {
  const db = await storeWith([
    goal(1, "active"),
    goal(2, "active", { deleted: true }),
    goal(3, "done"),
    { type: "evidence", id: id(4), version: 4, deleted: false, data: { status: "active" } },
  ]);
  expect(await count(db, "goal")).toBe(2);
  expect(await count(db, "goal", (r) => r.data.status === "active")).toBe(1);
  expect(await countBy(db, "goal", (r) => r.data.status)).toEqual({ active: 1, done: 1 });
  expect((await page(db, "goal")).map((r) => r.id)).toEqual([id(3), id(1)]);
});

test("1,000 goals (fake-indexeddb is slow; the bench runs 5,000 in Chromium): a page of 20, true counts", async () => {
  const db = await storeWith(goals(1000, (n) => (n % 50 ? "done" : "active")));
  const open = await page(db, "goal", { where: (r) => r.data.status !== "done" });
  expect(open.length).toBe(20);
  expect(open.map((r) => r.id)).toEqual(Array.from({ length: 20 }, (_, k) => id(950 - 50 * k)));
  expect(await countBy(db, "goal", (r) => r.data.status)).toEqual({ active: 20, done: 980 });
});

test("rowsOfTypes reads only the kinds asked for", async () => {
  const db = await storeWith([...goals(5, () => "active"), { type: "target", id: 1, version: 1, deleted: false, data: {} }, { type: "topic", id: 1, version: 1, deleted: false, data: {} }]);
  const rows = await rowsOfTypes(db, ["target", "topic"]);
  expect(rows.map((r) => r.type).sort()).toEqual(["target", "topic"]);
});

test("oldest first, and select/scan read every matching row across chunks", async () => {
  const db = await storeWith(goals(600, (n) => (n % 2 ? "done" : "active")));
  const oldest = await page(db, "goal", { newestFirst: false, limit: 3, offset: 1 });
  expect(oldest.map((r) => r.id)).toEqual([id(1), id(2), id(3)]);
  const active = await select(db, "goal", (r) => r.data.status === "active");
  expect(active.length).toBe(300);
  let seen = 0;
  await scan(db, "goal", undefined, () => {
    seen += 1;
  });
  expect(seen).toBe(600);
  // a page that spans chunks (250 rows per read) keeps order and misses nothing
  const deep = await page(db, "goal", { where: (r) => r.data.status === "done", limit: 20, offset: 120 });
  expect(deep.map((r) => r.id)).toEqual(Array.from({ length: 20 }, (_, k) => id(599 - 2 * (120 + k))));
});
