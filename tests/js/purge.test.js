/** Wiping a deleted learner from a device: rows, server copies, outbox, blobs, Cache Storage; and a deleted learner's own device destroying its store. */

import { afterEach, expect, test } from "bun:test";
import Dexie from "dexie";
import { SESSION_KEY, SyncEngine } from "../../assets/sync/engine.js";
import { purgeLearners } from "../../assets/sync/purge.js";
import { SyncStore, openDatabase } from "../../assets/sync/store.js";
import { FakeServer, MemoryStorage, NOW } from "./fake-server.js";

const cleanup = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

const SHA_GONE = "a".repeat(64);
const SHA_SHARED = "b".repeat(64);
const SHA_OTHER = "c".repeat(64);

/** Cache Storage in memory: caches.keys/open, cache.keys/delete/put. */
class MemoryCaches {
  constructor(entries) {
    this.stores = new Map(Object.entries(entries).map(([name, urls]) => [name, new Set(urls)]));
  }
  async keys() {
    return [...this.stores.keys()];
  }
  async open(name) {
    const urls = this.stores.get(name) ?? new Set();
    this.stores.set(name, urls);
    return {
      keys: async () => [...urls].map((url) => ({ url: `http://device.test${url}` })),
      delete: async (request) => urls.delete(new URL(request.url).pathname + new URL(request.url).search),
    };
  }
  urls(name) {
    return [...(this.stores.get(name) ?? [])].sort();
  }
}

let dbSeq = 0;
async function teacherDevice() {
  const user = { id: 2, role: "teacher" };
  const store = new SyncStore(user, { now: () => NOW, db: openDatabase(`purge-${++dbSeq}`) });
  cleanup.push(() => store.destroy().catch(() => {}));
  const row = (type, id, data) => ({ type, id, version: 1, deleted: false, data });
  await store.applyPull(
    [
      row("learner", 1, { display_name: "Maya R." }),
      row("learner", 3, { display_name: "Eli T." }),
      row("goal", "g1", { student_id: 1, title: "Fractions" }),
      row("goal", "g3", { student_id: 3, title: "Essays" }),
      row("evidence", "e1", { student_id: 1, kind: "photo", blob_sha256: SHA_GONE }),
      row("evidence", "e1b", { student_id: 1, kind: "photo", blob_sha256: SHA_SHARED }),
      row("evidence", "e3", { student_id: 3, kind: "photo", blob_sha256: SHA_SHARED }),
      row("evidence", "e3b", { student_id: 3, kind: "photo", blob_sha256: SHA_OTHER }),
      row("level", "1:7", { student_id: 1, target_id: 7, level: 3 }),
      row("target", 7, { code: "M.1" }),
    ],
    { cursor: "v1.1", isLast: true },
  );
  // a teacher's pending writes about each learner, and one server copy kept for rebasing
  await store.db.outbox.bulkAdd([
    { seq: 1, name: "evidence.review", args: { evidence_id: "e1", decision: "approved" }, status: "pending", hlc: "x" },
    { seq: 2, name: "goal.put", args: { id: "g1", student_id: 1, title: "Fractions!" }, status: "acked", hlc: "x" },
    { seq: 3, name: "goal.put", args: { id: "g3", student_id: 3, title: "Essays!" }, status: "pending", hlc: "x" },
  ]);
  await store.db.shadow.put({ type: "goal", id: "g1", row: { type: "goal", id: "g1", data: { student_id: 1 } } });
  for (const sha of [SHA_GONE, SHA_SHARED]) await store.putBlob(sha, new Uint8Array([1, 2, 3]));
  return store;
}

const thumbs = () =>
  new MemoryCaches({
    "waypoint-teacher-thumbs": [`/api/blobs/${SHA_GONE}?size=thumb`, `/api/blobs/${SHA_SHARED}?size=thumb`, `/api/blobs/${SHA_OTHER}?size=thumb`],
    "waypoint-shell-1": ["/", "/learner"],
  });

test("every row, copy, outbox entry, blob and cached photo of the learner goes; others stay", async () => {
  const store = await teacherDevice();
  const caches = thumbs();
  const removed = await purgeLearners(store, [1], { caches });
  const left = (await store.db.rows.toArray()).map((r) => `${r.type}:${r.id}`).sort();
  expect(left).toEqual(["evidence:e3", "evidence:e3b", "goal:g3", "learner:3", "target:7"]);
  expect(await store.db.shadow.count()).toBe(0);
  expect((await store.db.outbox.toArray()).map((e) => e.seq)).toEqual([3]);
  expect((await store.db.blobs.toArray()).map((b) => b.sha256)).toEqual([SHA_SHARED]); // Eli's too
  expect(caches.urls("waypoint-teacher-thumbs")).toEqual([`/api/blobs/${SHA_SHARED}?size=thumb`, `/api/blobs/${SHA_OTHER}?size=thumb`]);
  expect(caches.urls("waypoint-shell-1")).toEqual(["/", "/learner"]);
  expect(removed).toEqual({ rows: 5, shadow: 1, outbox: 2, blobs: 1, cached: 1 });
  expect(await purgeLearners(store, [1], { caches })).toEqual({ rows: 0, shadow: 0, outbox: 0, blobs: 0, cached: 0 });
});

function engineFor(store, server, answers) {
  const storage = new MemoryStorage({ [SESSION_KEY]: JSON.stringify({ user: store.user }) });
  const fetch = async (url, init = {}) => {
    const { pathname } = new URL(url, "http://waypoint.test");
    if (answers[pathname]) return answers[pathname](url, init);
    return server.fetch(url, init);
  };
  const engine = new SyncEngine(store, {
    fetch, storage, cookies: server.documentCookie, target: null, now: () => NOW,
    random: () => 0.5, setTimeout: () => 0, clearTimeout: () => {},
  });
  return { engine, storage };
}

const jsonResponse = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

test("a pull that lists a purged learner wipes them; the next pull without one changes nothing", async () => {
  const store = await teacherDevice();
  await store.db.outbox.clear();
  const server = new FakeServer({ user: 2 });
  let purged = [1];
  const { engine } = engineFor(store, server, {
    "/api/sync/pull": () => jsonResponse({ changes: [], cursor: "v1.9", has_more: false, last_seq: null, server_hlc: server.state.clock, purged_learners: purged }),
  });
  engine.caches = thumbs();
  expect(await engine.flush()).toBe(true);
  expect((await store.rowsOf("goal")).map((r) => r.id)).toEqual(["g3"]);
  expect(await store.getRow("learner", 1)).toBeUndefined();
  purged = [];
  expect(await engine.flush()).toBe(true);
  expect((await store.rowsOf("goal")).map((r) => r.id)).toEqual(["g3"]);
});

test("a deleted learner's own device destroys its store and session when its sign-in is refused", async () => {
  const user = { id: 1, role: "student" };
  const store = new SyncStore(user, { now: () => NOW, db: openDatabase(`purge-self-${++dbSeq}`) });
  cleanup.push(() => store.destroy().catch(() => {}));
  await store.applyPull([{ type: "evidence", id: "e1", version: 1, deleted: false, data: { student_id: 1, blob_sha256: SHA_GONE } }], { cursor: "v1.1", isLast: true });
  const server = new FakeServer({ user: 1 });
  server.expireAccess();
  server.expireRefresh(); // the account is gone: every token is refused
  let purged = [];
  const { engine, storage } = engineFor(store, server, {
    "/api/privacy/purge-check": () => jsonResponse({ purged_learners: purged }),
  });
  engine.caches = thumbs();

  expect(await engine.flush()).toBe(false); // refused, but not deleted: keep everything
  expect(engine.status().signedIn).toBe(false);
  expect(await Dexie.exists(store.db.name)).toBe(true);
  expect(storage.getItem(SESSION_KEY)).not.toBeNull();

  purged = [1];
  expect(await engine.flush()).toBe(false);
  expect(await Dexie.exists(store.db.name)).toBe(false);
  expect(storage.getItem(SESSION_KEY)).toBeNull();
  expect(engine.status()).toMatchObject({ signedIn: false, purged: true });
  expect(engine.caches.urls("waypoint-teacher-thumbs")).not.toContain(`/api/blobs/${SHA_GONE}?size=thumb`);
});
