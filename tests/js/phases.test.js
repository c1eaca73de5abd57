/** A new device's first sync in phases: current state first (usable), history after with progress, the device's own writes never behind pull pages. */

import { afterEach, expect, test } from "bun:test";
import { FIRST_SYNC, progressOf } from "../../assets/sync/engine.js";
import { uuid7 } from "../../assets/sync/uuid.js";
import { FakeServer, testDevice } from "./fake-server.js";

const cleanup = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

const device = (server, user = { id: 1, role: "student" }) => testDevice(server, user, cleanup, { name: "phases" });

/** A learner's year on the server: goals (most done), submitted evidence, targets. */
async function year(server, { goals = 30, done = 24, evidence = 12 } = {}) {
  for (let i = 0; i < 4; i++) server.addReference("target", 100 + i, { code: `LT${i}`, title: `Target ${i}` });
  const { store, engine } = device(server);
  const evidenceIds = [];
  for (let i = 0; i < goals; i++) await store.mutate("goal.put", { id: uuid7(), student_id: 1, title: `goal ${i}`, status: i < done ? "done" : "active" });
  for (let i = 0; i < evidence; i++) {
    const id = uuid7();
    evidenceIds.push(id);
    await store.mutate("evidence.put", { id, student_id: 1, kind: "text", text: `work ${i}`, submitted: true });
  }
  await engine.push();
  return evidenceIds;
}

/** What the device holds, as the server's rows: {type:id → {version, deleted, data}}. */
async function held(store) {
  const rows = await store.db.rows.toArray();
  return Object.fromEntries(rows.map((r) => [`${r.type}:${r.id}`, { version: r.version, deleted: r.deleted, data: r.data }]));
}

function serverRows(server) {
  return Object.fromEntries(server.allRows().map((r) => [`${r.type}:${r.id}`, { version: r.version, deleted: r.deleted, data: r.data }]));
}

test("a new device gets the current state first, then history with progress, and ends with the server's rows", async () => {
  const server = new FakeServer({ pageSize: 5, phased: true });
  await year(server);
  const { store, engine } = device(server);
  const seen = [];
  engine.subscribe((s) => seen.push(s.progress));
  let usableAt = null;
  server.beforePull = async (query) => {
    if (usableAt === null && query.get("phase") === "history") usableAt = await held(store);
  };
  expect(await engine.flush()).toBe(true);
  // usable when history started: the active goals and the evidence waiting, not the done goals
  const goals = Object.values(usableAt).filter((r) => r.data.title?.startsWith("goal"));
  expect(goals.length).toBe(6);
  expect(goals.every((g) => g.data.status === "active")).toBe(true);
  expect(Object.keys(usableAt).filter((k) => k.startsWith("target:")).length).toBe(4);
  // progress: current, then history counting up to the total, then nothing
  expect(seen).toContainEqual({ phase: "current" });
  const history = seen.filter((p) => p?.phase === "history");
  expect(history.length).toBeGreaterThan(3);
  expect(history.every((p) => p.done <= p.total && p.percent < 100)).toBe(true);
  expect(history.map((p) => p.done)).toEqual([...history.map((p) => p.done)].sort((a, b) => a - b));
  expect(history.at(-1).done).toBeGreaterThan(0);
  expect(engine.status().progress).toBeNull();
  expect(await store.getMeta(FIRST_SYNC)).toBeNull();
  expect(await held(store)).toEqual(serverRows(server));
  // the next flush is a plain pull of changes: no phase again
  const before = server.log.length;
  await engine.flush();
  const pulls = server.log.slice(before).filter((r) => r.path === "/api/sync/pull");
  expect(pulls.length).toBe(1);
  expect(new URLSearchParams(pulls[0].query).get("phase")).toBeNull();
  expect(new URLSearchParams(pulls[0].query).get("cursor")).toMatch(/^v1\./);
});

test("an approval tapped while the review queue loads goes up before the remaining pull pages", async () => {
  const server = new FakeServer({ pageSize: 2, phased: true });
  const evidence = await year(server, { goals: 40, done: 0, evidence: 30 });
  const teacher = { id: 2, role: "teacher" };
  server.signIn(2); // the teacher's phone
  const { store, engine } = device(server, teacher);
  let pulls = 0;
  server.beforePull = async () => {
    pulls += 1;
    // 5 s into the first sync: the teacher approves the first piece of work on screen
    if (pulls === 3) await store.mutate("evidence.review", { evidence_id: evidence[0], decision: "approved" });
  };
  const start = server.log.length;
  await engine.flush();
  const requests = server.log.slice(start).map((r) => r.path);
  const push = requests.indexOf("/api/sync/push");
  expect(push).toBe(3); // right after the page during which it was tapped
  expect(requests.slice(push + 1).filter((p) => p === "/api/sync/pull").length).toBeGreaterThan(20);
  expect(await store.rejectedEntries()).toEqual([]);
  expect(server.state.rows.evidence[evidence[0]].data.reviewed.decision).toBe("approved");
  expect(await store.pendingCount()).toBe(0);
  expect(await held(store)).toEqual(serverRows(server));
});

test("writes made during history go up between its pages, and history never hides them", async () => {
  const server = new FakeServer({ pageSize: 3, phased: true });
  await year(server);
  const { store, engine } = device(server);
  const mine = uuid7();
  let historyPages = 0;
  server.beforePull = async (query) => {
    if (query.get("phase") !== "history") return;
    historyPages += 1;
    if (historyPages === 2) await store.mutate("goal.put", { id: mine, student_id: 1, title: "written while history loads" });
  };
  await engine.flush();
  const paths = server.log.map((r) => r.path);
  const lastPush = paths.lastIndexOf("/api/sync/push");
  expect(paths.slice(lastPush + 1).filter((p) => p === "/api/sync/pull").length).toBeGreaterThan(3);
  expect(server.state.rows.goal[mine].data.title).toBe("written while history loads");
  expect((await store.getRow("goal", mine)).data.title).toBe("written while history loads");
  await engine.flush(); // the plain pull brings the server's copy; the acked entry is dropped
  expect(await store.db.outbox.count()).toBe(0);
  expect(await held(store)).toEqual(serverRows(server));
});

test("a history page never replaces a newer copy of a row", async () => {
  const server = new FakeServer({ phased: true });
  const { store } = device(server);
  const id = uuid7();
  const row = (version, title) => ({ type: "goal", id, version, deleted: false, data: { student_id: 1, title, status: "active" } });
  await store.applyPull([row(9, "newer")], { cursor: "v1.9", isLast: true });
  await store.applyPull([row(4, "older")], { isLast: false });
  expect((await store.getRow("goal", id)).data.title).toBe("newer");
  await store.applyPull([row(9, "same version again")], { isLast: false });
  expect((await store.getRow("goal", id)).data.title).toBe("same version again");
  expect(await store.getMeta("cursor")).toBe("v1.9"); // a history page leaves the cursor alone
});

test("the status words of a first sync", () => {
  expect(progressOf(null)).toBeNull();
  expect(progressOf({ phase: "current", cursor: "c1.9.l3" })).toEqual({ phase: "current" });
  expect(progressOf({ phase: "history", cursor: "h1", done: 40, total: 100 })).toEqual({ phase: "history", done: 40, total: 100, percent: 40 });
  expect(progressOf({ phase: "history", cursor: "h1", done: 0, total: 0 }).percent).toBe(0);
});

test("a server that knows no phases gets plain pulls, and the device still ends with its rows", async () => {
  const server = new FakeServer({ pageSize: 4, phased: false });
  await year(server);
  const { store, engine } = device(server);
  await engine.flush();
  expect(await held(store)).toEqual(serverRows(server));
  expect(engine.status().progress).toBeNull();
});
