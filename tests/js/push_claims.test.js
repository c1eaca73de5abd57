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

/**
 * Web Locks as a browser keeps them for one origin: a lock is granted when free and held until
 * its callback's promise settles; query() lists the held ones. (Chromium's are exercised by
 * tests/e2e/test_teacher_day.py, where a closed tab's claim must not delay the next page.)
 */
class OriginLocks {
  constructor() {
    this.held = new Set();
  }

  async request(name, callback) {
    while (this.held.has(name)) await new Promise((resolve) => setTimeout(resolve, 1));
    this.held.add(name);
    try {
      return await callback({ name });
    } finally {
      this.held.delete(name);
    }
  }

  async query() {
    return { held: [...this.held].map((name) => ({ name })) };
  }
}

/** A second tab: its own engine over the same database. */
function otherTab(store, server, now, locks = null) {
  return new SyncEngine(store, {
    locks,
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

test("a claim left by a closed tab is free at once when Web Locks say the tab is gone", async () => {
  const server = new FakeServer();
  const { store } = testDevice(server, LEARNER, cleanup, { name: "closed-tab" });
  await backlog(store, 30);
  const locks = new OriginLocks();
  const now = () => NOW;
  const closing = otherTab(store, server, now, locks);
  const next = otherTab(store, server, now, locks);
  expect(closing.tabId).not.toBe(next.tabId);

  // the closing tab claimed a batch (a flush on visibilitychange) and then died mid-push
  const claimed = await closing._claimBatch(20);
  expect(seqs(claimed)).toEqual(range(1, 20));
  expect((await store.db.outbox.get(1)).sender).toBe(closing.tabId);
  // while it lives, its claim holds: the next tab takes only the rest, and cannot withdraw it
  expect(seqs(await next._claimBatch(100))).toEqual(range(21, 30));
  await next._releaseBatch(range(21, 30));
  expect(await next.withdraw(1)).toBe("sending");

  closing.stop(); // the tab is gone: its lock is released
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(locks.held.has(`waypoint-tab-${closing.tabId}`)).toBe(false);
  expect(seqs(await next._claimBatch(100))).toEqual(range(1, 30));
  await next._releaseBatch(range(1, 30));
  expect(await next.withdraw(1)).toBe("withdrawn");
});

test("without Web Locks a claim holds for CLAIM_MS, whichever tab made it", async () => {
  const server = new FakeServer();
  const { store } = testDevice(server, LEARNER, cleanup, { name: "no-locks" });
  await backlog(store, 3);
  let later = NOW;
  const closing = otherTab(store, server, () => later);
  const next = otherTab(store, server, () => later);
  await closing._claimBatch(100);
  closing.stop();
  expect(await next._claimBatch(100)).toEqual([]);
  later = NOW + CLAIM_MS + 1;
  expect(seqs(await next._claimBatch(100))).toEqual(range(1, 3));
});
