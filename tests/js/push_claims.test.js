/**
 * The push's claims on the outbox (push.js _claimBatch/_releaseBatch) and the record of a push's
 * answer (store.recordResults), now read and written in bulk: two tabs never take the same
 * entry, a released or abandoned claim is free again, answers land entry by entry as before.
 */

import { afterEach, expect, test } from "bun:test";
import { SESSION_KEY, SyncEngine } from "../../assets/sync/engine.js";
import { CLAIM_MS } from "../../assets/sync/push.js";
import { ACKED, PENDING, REJECTED } from "../../assets/sync/store.js";
import { FakeServer, MemoryStorage, NOW, testDevice } from "./fake-server.js";

const cleanup = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

const LEARNER = { id: 1, role: "student" };

/** A second tab: its own engine over the same database. */
function otherTab(store, server, now) {
  return new SyncEngine(store, {
    fetch: server.fetch,
    storage: new MemoryStorage({ [SESSION_KEY]: JSON.stringify({ user: LEARNER }) }),
    cookies: server.documentCookie,
    target: null,
    now,
    random: () => 0.5,
    setTimeout: () => {},
    clearTimeout: () => {},
  });
}

async function backlog(store, n) {
  for (let i = 1; i <= n; i++) await store.mutate("self_assessment.put", { student_id: 1, target_id: (i % 7) + 1, level: i % 5 });
}

const seqs = (batch) => batch.map((e) => e.seq);
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test("two tabs claim disjoint batches, oldest first; a released or stale claim is free again", async () => {
  const server = new FakeServer();
  const { store, engine } = testDevice(server, LEARNER, cleanup, { name: "claims" });
  await backlog(store, 230);
  let later = NOW;
  const tab = otherTab(store, server, () => later);

  const first = await engine._claimBatch(100);
  expect(seqs(first)).toEqual(range(1, 100));
  expect((await store.db.outbox.bulkGet(range(1, 100))).every((e) => e.sending === NOW)).toBe(true);
  expect((await store.db.outbox.get(101)).sending).toBeUndefined();

  // the other tab skips the live claim and takes the next ones
  expect(seqs(await tab._claimBatch(100))).toEqual(range(101, 200));
  expect(seqs(await tab._claimBatch(100))).toEqual(range(201, 230));
  expect(await tab._claimBatch(100)).toEqual([]);

  // released (the push failed before an answer): free again, and withdrawable
  await engine._releaseBatch(range(1, 50));
  expect((await store.db.outbox.get(1)).sending).toBe(0);
  expect(seqs(await tab._claimBatch(100))).toEqual(range(1, 50));

  // a claim older than CLAIM_MS was left by a closed tab: taken again, oldest first
  later = NOW + CLAIM_MS + 1;
  expect(seqs(await tab._claimBatch(100))).toEqual(range(1, 100));
  // releasing skips entries that are no longer pending
  await store.recordResults([{ seq: 101, status: "applied", hlc: "x" }]);
  await engine._releaseBatch([101, 102]);
  expect(await store.db.outbox.bulkGet([101, 102])).toMatchObject([{ status: ACKED, sending: NOW }, { status: PENDING, sending: 0 }]);
});

test("recordResults marks each answered pending entry once: acked, rejected with its code, clamped stamps kept", async () => {
  const server = new FakeServer();
  const { store } = testDevice(server, LEARNER, cleanup, { name: "results" });
  await backlog(store, 5);
  const rejected = await store.recordResults([
    { seq: 1, status: "applied", hlc: "h1" },
    { seq: 2, status: "rejected", reason: "no", code: "cap.active_goals", params: { limit: 3 } },
    { seq: 2, status: "applied" }, // a second answer to an answered entry changes nothing
    { seq: 3, status: "conflict", hlc: "h3-server", clamped: true },
    { seq: 99, status: "applied" }, // no such entry
  ]);
  expect(rejected).toHaveLength(1);
  expect(rejected[0]).toMatchObject({ seq: 2, code: "cap.active_goals", params: { limit: 3 }, name: "self_assessment.put" });
  const [one, two, three, four] = await store.db.outbox.bulkGet([1, 2, 3, 4]);
  expect(one).toMatchObject({ status: ACKED, reason: null, server_hlc: null });
  expect(two).toMatchObject({ status: REJECTED, reason: "no", result: { code: "cap.active_goals" } });
  expect(three).toMatchObject({ status: ACKED, server_hlc: "h3-server" });
  expect(four.status).toBe(PENDING);
  expect(await store.pendingCount()).toBe(2);
  expect(await store.recordResults([])).toEqual([]);
});
