/** What a device says about its sign-in and its outbox (QA F3, F6, F9, F12): the engine keeps the server's reason for a refused sign-in, counts an answered push at once, and a wiped learner's runtime is dropped; status_words.js turns that into words that never claim more than is known. */

import { afterEach, expect, test } from "bun:test";
import { SESSION_KEY, SyncEngine } from "../../assets/sync/engine.js";
import * as runtime from "../../assets/sync/runtime.js";
import { SyncStore, openDatabase } from "../../assets/sync/store.js";
import { uuid7 } from "../../assets/sync/uuid.js";
import {
  ENDED_TEXT,
  EXPIRED_TEXT,
  KEPT_MANY_TEXT,
  KEPT_ONE_TEXT,
  NOT_SIGNED_IN_TEXT,
  NOT_SYNCING_TEXT,
  PURGED_TEXT,
  SIGNED_OUT_TEXT,
  STARTING_TEXT,
  signInPhase,
  signInWords,
} from "../../assets/ui/status_words.js";
import { FakeServer, MemoryStorage, NOW } from "./fake-server.js";

const cleanup = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

let dbSeq = 0;
function setup(server = new FakeServer(), fetch = server.fetch) {
  const user = { id: 1, role: "student" };
  const store = new SyncStore(user, { now: () => NOW, db: openDatabase(`signin-${++dbSeq}`) });
  const storage = new MemoryStorage({ [SESSION_KEY]: JSON.stringify({ user }) });
  const engine = new SyncEngine(store, {
    fetch, storage, cookies: server.documentCookie, target: null, now: () => NOW,
    random: () => 0.5, setTimeout: () => 0, clearTimeout: () => {},
  });
  cleanup.push(() => store.destroy().catch(() => {}));
  return { server, store, engine };
}

const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

test("a sign-in the server ended keeps its reason (session_ended), and a good sync clears it", async () => {
  const server = new FakeServer();
  let ended = true;
  const fetch = async (url, init) => {
    const path = new URL(url, "http://waypoint.test").pathname;
    if (ended && path !== "/api/privacy/purge-check") return json(401, { code: "session_ended", message: "Your sign-in has ended. Please sign in again." });
    if (path === "/api/privacy/purge-check") return json(200, { purged_learners: [] });
    return server.fetch(url, init);
  };
  const { engine } = setup(server, fetch);
  expect(await engine.flush()).toBe(false);
  expect(engine.status()).toMatchObject({ signedIn: false, signedOutCode: "session_ended" });
  ended = false;
  expect(await engine.flush()).toBe(true);
  expect(engine.status()).toMatchObject({ signedIn: true, signedOutCode: null });
});

test("an answered push counts at once, while a long first sync's pull is still running", async () => {
  const server = new FakeServer();
  let release;
  const held = new Promise((resolve) => (release = resolve));
  server.beforePull = () => held; // the pull pages take as long as they take
  const { store, engine } = setup(server);
  const { seq } = await store.mutate("goal.put", { id: uuid7(), student_id: 1, title: "sent first" });
  await engine._refreshCounts();
  expect(engine.status().pending).toBe(1);
  const flushing = engine.flush();
  expect(await engine.whenAnswered(seq)).toBe("acked");
  expect(engine.status().pending).toBe(0); // before the pull is done
  release();
  expect(await flushing).toBe(true);
});

test("whenAnswered resolves at once for an entry already answered and dropped after the pull", async () => {
  const { store, engine } = setup();
  const { seq } = await store.mutate("goal.put", { id: uuid7(), student_id: 1, title: "x" });
  expect(await engine.flush()).toBe(true);
  expect(await store.db.outbox.get(seq)).toBeUndefined(); // the pull applied it: the entry went
  expect(await engine.whenAnswered(seq)).toBe("gone");
});

test("a learner the school deleted: the wipe drops the page's runtime at once and says purged", async () => {
  const user = { id: 77, role: "student" };
  const storage = new MemoryStorage({ [SESSION_KEY]: JSON.stringify({ user }) });
  const fetch = async (url) => {
    const path = new URL(url, "http://waypoint.test").pathname;
    if (path === "/api/privacy/purge-check") return json(200, { purged_learners: [77] });
    return json(401, { code: "session_ended", message: "Your sign-in has ended. Please sign in again." });
  };
  const started = await runtime.start({
    storage,
    storeOptions: { now: () => NOW, db: openDatabase(`signin-purged-${++dbSeq}`) },
    // a target of its own (null would fall back to a window another test file may fake)
    engineOptions: { fetch, cookies: () => "", target: new EventTarget(), setTimeout: () => 0, clearTimeout: () => {} },
  });
  expect(started.user.id).toBe(77);
  expect(runtime.wasPurged()).toBe(false);
  let told = 0;
  const off = runtime.onRuntimeChange(() => (told += 1));
  expect(await runtime.flush()).toBe(false);
  off();
  expect(runtime.wasPurged()).toBe(true);
  expect(runtime.getRuntime()).toBeNull(); // no screen can read the learner from memory
  expect(told).toBe(1);
  expect(storage.getItem(SESSION_KEY)).toBeNull();
});

test("the phases: hydrating or starting after a sign-in never says 'not signed in'", () => {
  const base = { hydrated: true, purged: false, runtime: null, sessionUser: false, signedIn: true };
  expect(signInPhase({ ...base, hydrated: false })).toBe("starting");
  expect(signInPhase({ ...base, sessionUser: true })).toBe("starting");
  expect(signInPhase(base)).toBe("signed-out");
  expect(signInPhase({ ...base, runtime: {} })).toBe("running");
  expect(signInPhase({ ...base, runtime: {}, signedIn: false })).toBe("ended");
  expect(signInPhase({ ...base, runtime: {}, signedIn: false, purged: true })).toBe("purged");
  expect(signInPhase({ ...base, purged: true })).toBe("purged");
  expect(signInWords({ phase: "starting" }).state_text).toBe(STARTING_TEXT);
  expect(signInWords({ phase: "signed-out" }).state_text).toBe(NOT_SIGNED_IN_TEXT);
});

test("an ended sign-in says ended or expired as the server did, and no fresh sync", () => {
  const ended = signInWords({ phase: "ended", code: "session_ended", pending: 0, online: true });
  expect(ended).toMatchObject({ is_signed_out_remote: true, signed_out_text: ENDED_TEXT, kept_text: "", synced_text: NOT_SYNCING_TEXT });
  expect(ended.state_text).not.toBe("Online");
  expect(signInWords({ phase: "ended", code: "expired", pending: 1 })).toMatchObject({ signed_out_text: EXPIRED_TEXT, kept_text: KEPT_ONE_TEXT, state_text: "Offline" });
  expect(signInWords({ phase: "ended", code: null, pending: 3 }).kept_text).toBe(KEPT_MANY_TEXT);
});

test("a wiped device says one plain line, and never that changes are kept", () => {
  const words = signInWords({ phase: "purged", code: "session_ended", pending: 4, online: true });
  expect(words).toMatchObject({ is_purged: true, purged_text: PURGED_TEXT, is_signed_out_remote: false, kept_text: "", synced_text: "" });
  expect(Object.values(words).join(" ")).not.toMatch(/kept|expired|All changes sent|Last synced/);
  expect(words.state_text).toBe(SIGNED_OUT_TEXT);
  expect(signInWords({ phase: "running" })).toMatchObject({ is_purged: false, is_signed_out_remote: false, state_text: null, synced_text: null });
});
