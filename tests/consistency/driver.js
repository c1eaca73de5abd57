/**
 * One device of the consistency checker: the real sync core (assets/sync: SyncStore +
 * SyncEngine on Dexie over fake-indexeddb) under bun, against a server URL over HTTP.
 *
 *   bun tests/consistency/driver.js <spec.json>
 *   spec: {base, token, user, state, skew_ms, ops: [...], timeout_ms}
 *
 * Why a snapshot file: fake-indexeddb lives in this process, and the checker kills the
 * process between an IndexedDB write and its push (the "die" op, its only death). Right
 * before that kill, and at the end, the whole database is written to `state` (atomically,
 * by rename): what a browser's IndexedDB would still hold after the tab died. A new driver
 * with the same `state` carries on.
 *
 * Every line on stdout is one JSON event of the history: written (a mutation queued, with
 * its seq and stamp), results (the server's answers, with each entry's stamp), flush,
 * live/drained, dump (the replica and the outbox at the end).
 * Ops: {op: "mutate", name, args, skew_ms?} | {op: "flush"} | {op: "die"} |
 *      {op: "live", max_ms} (timers on, no new write: wait for the outbox to drain) |
 *      {op: "final", max_ms} (flush until the outbox is empty, then dump) |
 *      {op: "wait"} (until "go" on stdin: every other device has drained too).
 */

import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { existsSync, readFileSync, renameSync, writeFileSync, writeSync } from "node:fs";
import { SESSION_KEY, SyncEngine } from "../../assets/sync/engine.js";
import { SyncStore, openDatabase } from "../../assets/sync/store.js";
import { liveVersions, profileSectionId } from "../../assets/sync/merge/profile.js";
import { ROW_TYPES as SYNC_ROW_TYPES } from "../../assets/sync/merge/project.js";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const TABLES = ["rows", "shadow", "outbox", "meta"];
let skew = spec.skew_ms ?? 0;
const now = () => Date.now() + skew;

// written synchronously: a line emitted just before a kill -9 must not be lost
const emit = (event) => writeSync(1, `${JSON.stringify({ ...event, t: Date.now() })}\n`);
// the sync rows the checks compare: the JS core's own list (= sync/merge/project.py ROW_TYPES)
const ROW_TYPES = new Set(SYNC_ROW_TYPES);

class MemoryStorage {
  constructor(entries) {
    this.map = new Map(Object.entries(entries));
  }
  getItem(key) {
    return this.map.has(key) ? this.map.get(key) : null;
  }
  setItem(key, value) {
    this.map.set(key, String(value));
  }
  removeItem(key) {
    this.map.delete(key);
  }
}

async function restore(db) {
  if (!existsSync(spec.state)) return;
  const saved = JSON.parse(readFileSync(spec.state, "utf8"));
  await db.transaction("rw", TABLES.map((t) => db[t]), async () => {
    for (const name of TABLES) await db[name].bulkPut(saved[name] ?? []);
  });
}

async function snapshot(db) {
  const saved = {};
  await db.transaction("r", TABLES.map((t) => db[t]), async () => {
    for (const name of TABLES) saved[name] = await db[name].toArray();
  });
  writeFileSync(`${spec.state}.tmp`, JSON.stringify(saved));
  renameSync(`${spec.state}.tmp`, spec.state);
}

const timeoutMs = spec.timeout_ms ?? 3000;
function deviceFetch(url, init = {}) {
  // when the device tries to push: the drain check asks how soon it tried after the heal
  if (String(url).includes("/api/sync/push")) emit({ ev: "push_attempt" });
  // a browser's request also ends some time: a lost answer must not hang the device
  return fetch(url, {
    ...init,
    keepalive: false,
    signal: AbortSignal.timeout(timeoutMs),
    headers: { ...init.headers, Authorization: `Bearer ${spec.token}`, Connection: "close" },
  });
}

let live = false;
const db = openDatabase(`${spec.user.id}-${spec.name ?? "device"}`, { indexedDB, IDBKeyRange });
await restore(db);
const store = new SyncStore(spec.user, { db, now });
const target = new EventTarget();
const engine = new SyncEngine(store, {
  fetch: deviceFetch,
  storage: new MemoryStorage({ [SESSION_KEY]: JSON.stringify({ user: spec.user }) }),
  cookies: () => "",
  baseUrl: spec.base,
  target,
  now,
  isOnline: () => true,
  // no timer runs until "live": the checker decides when this device syncs
  setTimeout: (fn, ms) => (live ? setTimeout(fn, ms) : 0),
  clearTimeout: (id) => clearTimeout(id),
});

const record = store.recordResults.bind(store);
store.recordResults = async (results) => {
  const entries = await db.outbox.bulkGet(results.map((r) => r.seq));
  emit({ ev: "results", results: results.map((r, i) => ({ ...r, hlc_sent: entries[i]?.hlc ?? null, was: entries[i]?.status ?? null })) });
  return record(results);
};
emit({ ev: "start", client_id: await store.clientId() });

let open;
const gate = new Promise((resolve) => {
  open = resolve;
});
// the checker holds this pipe open while the device runs: its end means the checker died
process.stdin.on("end", () => process.exit(3));
process.stdin.on("data", (chunk) => {
  if (String(chunk).includes("online")) target.dispatchEvent(new Event("online"));
  if (String(chunk).includes("go")) open();
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function untilDrained(maxMs, flushing) {
  const give_up = Date.now() + maxMs;
  while (Date.now() < give_up) {
    if (flushing) {
      // drained means a whole flush went through (its pull too), not only the pushes
      if ((await engine.flush()) && (await store.pendingCount()) === 0) return true;
      await sleep(100);
    } else {
      await sleep(25);
      if (!engine.running && (await store.pendingCount()) === 0) return true;
    }
  }
  return false;
}

for (const op of spec.ops) {
  if (op.op === "mutate") {
    // a person answers only what their screen shows (an observation on this device)
    if (op.if_shown && !(await store.getRow(op.if_shown, op.args.id))) continue;
    if (op.skew_ms !== undefined) skew = op.skew_ms;
    try {
      const given = { ...op.args };
      if (op.base_from_replica) given.base_version = await store.baseVersion(given.student_id, given.target_id);
      if (op.seen_from_replica) {
        // the versions of the section this device shows (what assets/ui/profile.js sends)
        const shown = await store.getRow("profile_section", profileSectionId(given.student_id, given.section));
        given.seen = liveVersions(shown?.data).map((v) => v.hlc);
      }
      const { seq, hlc, args } = await store.mutate(op.name, given);
      emit({ ev: "written", seq, hlc, name: op.name, args, skew_ms: skew });
    } catch (error) {
      emit({ ev: "refused_locally", name: op.name, args: op.args, error: String(error.message ?? error) });
    }
    skew = spec.skew_ms ?? 0;
  } else if (op.op === "flush") {
    const ok = await engine.flush();
    emit({ ev: "flush", ok, pending: await store.pendingCount(), error: engine.status().lastError });
  } else if (op.op === "die") {
    await snapshot(db);
    emit({ ev: "die" });
    process.kill(process.pid, "SIGKILL");
  } else if (op.op === "live") {
    live = true;
    engine.start();
    emit({ ev: "live" });
    const drained = await untilDrained(op.max_ms, false);
    emit({ ev: drained ? "drained" : "not_drained", pending: await store.pendingCount() });
    engine.stop();
    live = false;
  } else if (op.op === "wait") {
    await gate;
  } else if (op.op === "final") {
    const drained = await untilDrained(op.max_ms, true);
    const rows = (await db.rows.toArray())
      .filter((r) => ROW_TYPES.has(r.type))
      .map(({ type, id, version, deleted, data, local }) => ({ type, id, version, deleted, data, local }));
    const outbox = (await db.outbox.toArray()).map(({ seq, name, hlc, status, reason }) => ({ seq, name, hlc, status, reason }));
    // the replica goes to a file (it can be large); the line says where
    const file = `${spec.state}.dump.json`;
    writeFileSync(file, JSON.stringify({ rows, outbox }));
    emit({ ev: "dump", drained, file, error: engine.status().lastError });
  }
}
// the only way this process dies before here is the "die" op, which snapshots first: one
// snapshot at the end (the next run's template) is what a snapshot after every op left
await snapshot(db);
process.exit(0);
