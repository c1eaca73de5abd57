/** The engine against an in-memory server: push/ack, rejections, seq gaps, cookie sessions + CSRF, refresh, backoff, paging, blobs. */

import { afterEach, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { SESSION_KEY, SyncEngine, UNREACHABLE_PROBE_MS, csrfHeaders, readCookie } from "../../assets/sync/engine.js";
import { SyncStore, openDatabase } from "../../assets/sync/store.js";
import { uuid7 } from "../../assets/sync/uuid.js";
import { FakeServer, MemoryStorage, NOW } from "./fake-server.js";

const cleanup = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

let dbSeq = 0;
function setup({ server = new FakeServer(), user = { id: 1, role: "student" }, ...options } = {}) {
  // a database of its own per test (and per simulated device)
  const store = new SyncStore(user, { now: () => NOW, db: openDatabase(`${user.id}-t${++dbSeq}`) });
  // the page knows who is signed in, never a token (those are httpOnly cookies in server.jar)
  const storage = new MemoryStorage({ [SESSION_KEY]: JSON.stringify({ user }) });
  const timers = [];
  const engine = new SyncEngine(store, {
    fetch: server.fetch,
    storage,
    cookies: server.documentCookie,
    target: null,
    now: () => NOW,
    random: () => 0.5,
    setTimeout: (fn, ms) => timers.push(ms),
    clearTimeout: () => {},
    ...options,
  });
  cleanup.push(() => store.destroy().catch(() => {}));
  return { server, store, engine, storage, timers };
}

const putGoal = (store, title, id = uuid7()) => store.mutate("goal.put", { id, student_id: store.user.id, title }).then(() => id);

test("push, ack, pull: the outbox empties and the row becomes the server's", async () => {
  const { server, store, engine } = setup();
  const id = await putGoal(store, "Finish the lab report");
  expect(await engine.flush()).toBe(true);
  expect(server.state.rows.goal[id].data.title).toBe("Finish the lab report");
  expect(server.state.clients[await store.clientId()].last_seq).toBe(1);
  expect(await store.db.outbox.count()).toBe(0);
  const row = await store.getRow("goal", id);
  expect(row.local).toBe(0);
  expect(row.version).toBeGreaterThan(0);
  const status = engine.status();
  expect(status).toMatchObject({ pending: 0, rejected: 0, lastError: null, online: true });
  expect(status.lastSyncedAt).toBe(new Date(NOW).toISOString());
  // the status lives in memory: no meta row written per change (a write's transaction would queue behind it)
  expect(await store.getMeta("status")).toBeNull();
});

test("pushes go in batches of at most 100", async () => {
  const { server, store, engine } = setup();
  for (let i = 0; i < 230; i++) await putGoal(store, `goal ${i}`);
  await engine.flush();
  const pushes = server.log.filter((r) => r.path === "/api/sync/push").map((r) => JSON.parse(r.body).mutations.length);
  expect(pushes).toEqual([100, 100, 30]);
  expect(Object.keys(server.state.rows.goal).length).toBe(230);
}, 30_000); // 230 IndexedDB writes: seconds on a loaded 2-core CI machine, beyond bun's 5 s default

test("a refusal's reason code and numbers reach the status, so screens can say it in the reader's words", async () => {
  const { store, engine } = setup();
  await putGoal(store, "one too many");
  await store.recordResults([{ seq: 1, status: "rejected", reason: "a learner has at most 500 active goals", code: "cap.active_goals", params: { limit: 500 } }]);
  await engine._refreshCounts();
  expect(engine.status().lastRejection).toMatchObject({ seq: 1, code: "cap.active_goals", params: { limit: 500 } });
});

test("a local write counts as unsent the moment it is stored, before the recount", async () => {
  const { store, engine } = setup();
  engine._set({ online: false });
  await putGoal(store, "kept here");
  engine.nudge();
  expect(engine.status().pending).toBe(1); // synchronously: beforeunload asks from now on
  await engine._refreshCounts();
  expect(engine.status().pending).toBe(1);
});

test("a rejected mutation is kept with its reason and its local effect is undone", async () => {
  const { store, engine } = setup();
  const id = await putGoal(store, "mine");
  await engine.flush();
  // another learner's goal id, pretending to be ours: the server refuses
  await store.mutate("goal.put", { id, student_id: store.user.id, title: "x".repeat(10) });
  await store.db.outbox.update(2, { args: { id, student_id: 99, title: "stolen" } });
  const seen = [];
  engine.subscribe((s) => seen.push(s.lastRejection));
  await engine.flush();
  const [entry] = await store.rejectedEntries();
  const refusal = { code: "row.other_learner", params: { row_type: "goal" } };
  expect(entry).toMatchObject({ seq: 2, status: "rejected", result: refusal });
  expect(engine.status()).toMatchObject({ rejected: 1, pending: 0, lastRejection: { seq: 2, name: "goal.put", ...refusal } });
  expect(seen.some((r) => r?.seq === 2)).toBe(true);
  expect((await store.getRow("goal", id)).data.title).toBe("mine"); // the optimistic "x…" is gone
  await store.dismissRejected(2);
  expect(await store.db.outbox.count()).toBe(0);
});

test("409 seq gap: the server's last_seq is the truth, pending entries are renumbered", async () => {
  const { server, store, engine } = setup();
  await store.setMeta("next_seq", 5); // e.g. the server was restored from a backup
  const a = await putGoal(store, "a");
  const b = await putGoal(store, "b");
  expect((await store.pendingEntries()).map((e) => e.seq)).toEqual([5, 6]);
  expect(await engine.flush()).toBe(true);
  const client = server.state.clients[await store.clientId()];
  expect(client.last_seq).toBe(2);
  expect(Object.keys(server.state.rows.goal).sort()).toEqual([a, b].sort());
  expect(await store.getMeta("next_seq")).toBe(3);
  expect((await putGoal(store, "c")) && (await store.pendingEntries())[0].seq).toBe(3);
});

test("a lost answer is recovered by resending: duplicates get the first answer, nothing applies twice", async () => {
  const { server, store, engine } = setup();
  await putGoal(store, "once");
  server.dropResponses = 1;
  expect(await engine.flush()).toBe(false); // applied on the server, answer lost
  expect(await store.pendingCount()).toBe(1);
  const version = server.state.version;
  expect(await engine.flush()).toBe(true);
  expect(server.state.version).toBe(version); // the resend was a duplicate
  expect(await store.db.outbox.count()).toBe(0);
});

test("every request carries the cookies and, when unsafe, the CSRF header, never a token", async () => {
  const { server, store, engine, storage } = setup({ chunkBytes: 1000 });
  await putGoal(store, "sent with cookies");
  const bytes = Uint8Array.from({ length: 1500 }, (_, i) => i % 256);
  await store.putBlob(createHash("sha256").update(bytes).digest("hex"), bytes.buffer.slice(0), "image/jpeg");
  expect(await engine.flush()).toBe(true);
  const methods = new Set(server.log.map((r) => r.method));
  expect([...methods].sort()).toEqual(["GET", "HEAD", "PATCH", "POST"]);
  for (const request of server.log) {
    expect(request.credentials).toBe("same-origin");
    expect(request.headers.authorization).toBeUndefined();
    const unsafe = request.method === "POST" || request.method === "PATCH";
    expect(request.headers["x-csrf-token"]).toBe(unsafe ? server.jar.waypoint_csrf_access : undefined);
  }
  expect(storage.getItem(SESSION_KEY)).not.toMatch(/access|refresh|token/);
});

test("without the CSRF header the server refuses the push, and nothing is lost", async () => {
  const { server, store, engine } = setup({ cookies: () => "" }); // the csrf cookie is unreadable
  await putGoal(store, "kept");
  expect(await engine.flush()).toBe(false);
  expect(server.log.find((r) => r.path === "/api/sync/push").headers["x-csrf-token"]).toBeUndefined();
  expect(engine.status()).toMatchObject({ pending: 1, signedIn: true });
  expect(engine.status().lastError).toContain("could not confirm");
  expect(Object.keys(server.state.rows.goal ?? {}).length).toBe(0);
});

test("401: refresh once through the refresh cookie, retry, keep the outbox", async () => {
  const { server, store, engine, storage } = setup();
  server.expireAccess();
  const before = server.jar.waypoint_access;
  const id = await putGoal(store, "after refresh");
  expect(await engine.flush()).toBe(true);
  expect(server.state.rows.goal[id]).toBeDefined();
  expect(server.jar.waypoint_access).not.toBe(before); // the server set a new access cookie
  const refreshes = server.log.filter((r) => r.path === "/api/auth/refresh");
  expect(refreshes.length).toBe(1);
  expect(refreshes[0]).toMatchObject({ method: "POST", credentials: "same-origin" });
  expect(refreshes[0].headers["x-csrf-token"]).toBe(server.jar.waypoint_csrf_refresh);
  expect(refreshes[0].headers.authorization).toBeUndefined();
  // the push after the refresh proves itself with the NEW access csrf value
  const pushes = server.log.filter((r) => r.path === "/api/sync/push");
  expect(pushes.at(-1).headers["x-csrf-token"]).toBe(server.jar.waypoint_csrf_access);
  expect(JSON.parse(storage.getItem(SESSION_KEY))).toEqual({ user: { id: 1, role: "student" } });
});

test("401 and the refresh fails too: signed out, nothing lost, backing off", async () => {
  const { server, store, engine, timers } = setup();
  server.expireAccess();
  server.expireRefresh();
  await putGoal(store, "kept");
  expect(await engine.flush()).toBe(false);
  expect(engine.status()).toMatchObject({ signedIn: false, pending: 1 });
  expect(await store.pendingCount()).toBe(1);
  expect(server.log.filter((r) => r.path === "/api/auth/refresh").length).toBe(1); // once, not in a loop
  expect(timers.at(-1)).toBe(1000);
});

test("with nobody signed in on this page the engine sends nothing", async () => {
  const { server, store, engine, storage } = setup();
  storage.removeItem(SESSION_KEY); // signed out in another tab
  await putGoal(store, "kept for later");
  expect(await engine.flush()).toBe(false);
  expect(server.log.length).toBe(0);
  expect(engine.status()).toMatchObject({ signedIn: false, pending: 1 });
});

test("cookie helpers: read one cookie, CSRF header only on unsafe methods", () => {
  const jar = "a=1; waypoint_csrf_access=abc%3D; waypoint_csrf_refresh=xyz";
  expect(readCookie(jar, "waypoint_csrf_access")).toBe("abc=");
  expect(readCookie(jar, "missing")).toBe("");
  expect(csrfHeaders("GET", jar)).toEqual({});
  expect(csrfHeaders("HEAD", jar)).toEqual({});
  expect(csrfHeaders("post", jar)).toEqual({ "X-CSRF-TOKEN": "abc=" });
  expect(csrfHeaders("PATCH", jar, "waypoint_csrf_refresh")).toEqual({ "X-CSRF-TOKEN": "xyz" });
  expect(csrfHeaders("DELETE", "")).toEqual({});
});

test("an erroring server (not an unreachable one) backs off past the probe interval", async () => {
  const { server, store, engine, timers } = setup();
  await putGoal(store, "server in trouble");
  const realFetch = server.fetch;
  server.fetch = async (url, init) => (String(url).includes("/api/sync/") ? new Response("{}", { status: 503 }) : realFetch(url, init));
  engine.fetch = server.fetch;
  for (let i = 0; i < 5; i++) await engine.flush();
  expect(timers.at(-1)).toBe(16_000);
});

test("errors back off exponentially with jitter, and a success resets the interval", async () => {
  const { server, store, engine, timers } = setup();
  await putGoal(store, "offline for a while");
  server.offline = true;
  for (let i = 0; i < 5; i++) await engine.flush();
  // random() = 0.5: the middle of the jitter; no answer at all is probed at least every 4 s,
  // so a partition the browser never reports heals within seconds (anomaly A1)
  expect(timers).toEqual([1000, 2000, 4000, 4000, 4000]);
  expect(engine.status()).toMatchObject({ online: false, pending: 1 });
  expect(engine.backoffMs(30)).toBe(5 * 60_000);
  expect(engine.backoffMs(30, true)).toBe(4000);
  const jittered = new SyncEngine(store, { fetch: server.fetch, target: null, random: () => 0, setTimeout: () => {}, clearTimeout: () => {} });
  expect(jittered.backoffMs(3)).toBe(2000);
  server.offline = false;
  await engine.flush();
  expect(timers.at(-1)).toBe(20_000);
  expect(engine.status()).toMatchObject({ online: true, pending: 0, lastError: null });
});

test("pull pages until has_more is false; a pending write goes up before the first page", async () => {
  const server = new FakeServer({ pageSize: 2 });
  for (let i = 0; i < 5; i++) server.addReference("target", 100 + i, { code: `LT${i}`, title: `Target ${i}` });
  const { store: other } = setup({ server }); // another device of the same learner writes first
  const shared = await putGoal(other, "from the tablet");
  const otherEngine = new SyncEngine(other, { fetch: server.fetch, cookies: server.documentCookie, storage: new MemoryStorage({ [SESSION_KEY]: JSON.stringify({ user: { id: 1 } }) }), target: null, setTimeout: () => {}, clearTimeout: () => {} });
  await otherEngine.push();
  const { store, engine } = setup({ server });
  // offline on this device: a newer title for the same goal, not pushed yet
  await store.mutate("goal.put", { id: shared, student_id: 1, title: "from the laptop" });
  const before = server.log.length;
  await engine.pull();
  const requests = server.log.slice(before).filter((r) => r.path.startsWith("/api/sync/"));
  expect(requests[0].path).toBe("/api/sync/push"); // the write never waits behind pages
  const pulls = requests.filter((r) => r.path === "/api/sync/pull");
  expect(pulls.length).toBeGreaterThanOrEqual(3);
  expect(new Set(pulls.map((r) => r.headers["x-client-id"]))).toEqual(new Set([await store.clientId()]));
  expect(await store.getMeta("cursor")).toBe(`v1.${server.state.version}`);
  expect((await store.rowsOf("target")).length).toBe(5);
  expect((await store.getRow("goal", shared)).data.title).toBe("from the laptop");
  expect(await store.pendingCount()).toBe(0);
  expect(server.state.rows.goal[shared].data.title).toBe("from the laptop");
  expect(server.state.rows.history).toBeDefined(); // the tablet's title is kept as history
});

test("blob upload resumes from the offset HEAD reports, in chunks, with progress", async () => {
  const { server, store, engine } = setup({ chunkBytes: 1000 });
  const bytes = Uint8Array.from({ length: 4500 }, (_, i) => (i * 7) % 256);
  const sha = createHash("sha256").update(bytes).digest("hex");
  server.blobs.set(sha, { length: bytes.length, bytes: [...bytes.slice(0, 1700)], complete: false }); // an earlier try got this far
  await store.putBlob(sha, bytes.buffer.slice(0), "image/jpeg");
  const progress = [];
  engine.subscribe((s) => s.uploads[sha] && progress.push(s.uploads[sha].percent));
  await engine.uploadBlobs();
  const patches = server.log.filter((r) => r.method === "PATCH");
  expect(patches.map((p) => Number(p.headers["upload-offset"]))).toEqual([1700, 2700, 3700]);
  expect(patches.every((p) => p.headers["content-type"] === "application/offset+octet-stream")).toBe(true);
  expect(patches.some((p) => "upload-length" in p.headers)).toBe(false); // only a new upload sends it
  expect(server.blobs.get(sha).complete).toBe(true);
  expect(progress).toEqual([37, 60, 82, 100]);
  expect(await store.db.blobs.get(sha)).toMatchObject({ status: "uploaded", offset: 4500 });
  expect(engine.status().uploads).toEqual({});
});

test("a photo's file is sent before the evidence citing it, even one added during the flush", async () => {
  const { server, store, engine } = setup({ server: new FakeServer({ pageSize: 1 }), chunkBytes: 1000 });
  for (const id of [901, 902]) server.addReference("target", id, { code: `T${id}` }); // two pages
  const photo = async (n) => {
    const bytes = Uint8Array.from({ length: 2500 }, (_, i) => (i * n) % 256);
    const sha = createHash("sha256").update(bytes).digest("hex");
    await store.putBlob(sha, bytes.buffer.slice(0), "image/jpeg");
    await store.mutate("evidence.put", { id: uuid7(), student_id: 1, kind: "photo", blob_sha256: sha, caption: `photo ${n}` });
    return sha;
  };
  const first = await photo(3);
  let late = null;
  server.beforePull = async () => {
    if (!late) late = await photo(5); // a tap while the first page loads: pushed before the next
  };
  expect(await engine.flush()).toBe(true);
  expect(server.citedUnsent).toEqual([]);
  for (const sha of [first, late]) {
    expect(server.blobs.get(sha).complete).toBe(true);
    expect((await store.db.blobs.get(sha)).status).toBe("uploaded");
    const evidencePush = server.log.findIndex((r) => r.path === "/api/sync/push" && r.body?.includes(sha));
    const lastPatch = server.log.findLastIndex((r) => r.method === "PATCH" && r.path.endsWith(sha));
    expect(lastPatch).toBeGreaterThanOrEqual(0);
    expect(lastPatch).toBeLessThan(evidencePush);
  }
});

test("an upload the server no longer has (expired) starts again from 0 with its length", async () => {
  const { server, store, engine } = setup({ chunkBytes: 1000 });
  const bytes = Uint8Array.from({ length: 2500 }, (_, i) => (i * 11) % 256);
  const sha = createHash("sha256").update(bytes).digest("hex");
  server.blobs.set(sha, { length: bytes.length, bytes: [...bytes.slice(0, 1000)], complete: false });
  await store.putBlob(sha, bytes.buffer.slice(0), "image/jpeg");
  const realFetch = server.fetch;
  let expired = false;
  engine.fetch = async (url, init) => {
    if (!expired && init?.method === "PATCH") {
      expired = true;
      server.blobs.delete(sha); // purged between the HEAD and the PATCH
    }
    return realFetch(url, init);
  };
  await engine.uploadBlobs();
  const patches = server.log.filter((r) => r.method === "PATCH");
  expect(patches.map((p) => [p.headers["upload-offset"], p.headers["upload-length"] ?? null])).toEqual([
    ["1000", null],
    ["0", "2500"],
    ["1000", null],
    ["2000", null],
  ]);
  expect(server.blobs.get(sha).complete).toBe(true);
});

test("a new blob sends Upload-Length first; a corrupt one is kept as failed with the reason", async () => {
  const { server, store, engine } = setup({ chunkBytes: 1000 });
  const bytes = Uint8Array.from({ length: 1500 }, (_, i) => i % 256);
  const sha = createHash("sha256").update(bytes).digest("hex");
  await store.putBlob(sha, bytes.buffer.slice(0), "image/png");
  const wrong = "0".repeat(64);
  await store.putBlob(wrong, bytes.buffer.slice(0), "image/png");
  await engine.uploadBlobs();
  const first = server.log.find((r) => r.method === "PATCH" && r.path.endsWith(sha));
  expect(first.headers["upload-length"]).toBe("1500");
  expect(server.blobs.get(sha).complete).toBe(true);
  expect(await store.db.blobs.get(wrong)).toMatchObject({ status: "failed", reason: expect.stringContaining("do not match") });
});

test("signOut flushes, then deletes the user's database; with unsent writes it refuses unless forced", async () => {
  const { server, store, engine } = setup();
  await putGoal(store, "sent before signing out");
  expect(await engine.signOut()).toEqual({ deleted: true, pending: 0 });
  expect(Object.keys(server.state.rows.goal).length).toBe(1);
  const names = (await indexedDB.databases()).map((d) => d.name);
  expect(names).not.toContain(store.db.name);

  const offline = setup();
  await putGoal(offline.store, "not sent");
  offline.server.offline = true;
  expect(await offline.engine.signOut()).toEqual({ deleted: false, pending: 1 });
  expect(await offline.store.pendingCount()).toBe(1);
  expect(await offline.engine.signOut({ force: true })).toEqual({ deleted: true, pending: 1 });
});

test("start: at once online; with the browser offline, the first try waits for `online` or the probe", async () => {
  const online = setup();
  online.engine.start();
  expect(online.timers.at(-1)).toBe(0);
  online.engine.stop();

  const target = new EventTarget();
  const offline = setup({ isOnline: () => false, target });
  offline.engine.start();
  // no push that cannot succeed while the page boots after an offline reload
  expect(offline.timers.at(-1)).toBe(UNREACHABLE_PROBE_MS);
  expect(offline.server.log.length).toBe(0);
  // the network back: a flush at once
  target.dispatchEvent(new Event("online"));
  await offline.engine.running;
  expect(offline.server.log.length).toBeGreaterThan(0);
  expect(offline.engine.status().online).toBe(true);
  offline.engine.stop();
});

test("the same error again writes no last_error to meta (a readwrite transaction a tap's write would wait for)", async () => {
  const { store, engine } = setup({ fetch: () => Promise.reject(new Error("no network")) });
  const writes = [];
  const setMeta = store.setMeta.bind(store);
  store.setMeta = (key, value) => (writes.push(key), setMeta(key, value));
  await engine.flush();
  await engine.flush();
  expect(writes.filter((key) => key === "last_error")).toEqual(["last_error"]);
  expect(await store.getMeta("last_error")).toBe("offline: no network");
});
