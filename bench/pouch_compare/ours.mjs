/**
 * Our side of the side-by-side benchmark: the real sync core (assets/sync) under bun, on
 * fake-indexeddb, against the Flask API over HTTP. Prints one JSON line of timings (ms).
 *
 *   bun bench/pouch_compare/ours.mjs <spec.json>
 *   spec: {base, push: [{token, user, mutations}], pull: [{token, user}]}
 *
 * Push: a device with a 500-change offline backlog already in its outbox (queued through
 * store.mutate, not timed) pushes it: engine.push(), 100 mutations a request, as a device
 * does. Pull: a new device's initial pull of everything it may see: the current phase, the
 * changes after it and the history phase (engine.pull() then engine.pullHistory()).
 */

import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { readFileSync } from "node:fs";
import { SESSION_KEY, SyncEngine } from "../../assets/sync/engine.js";
import { SyncStore, openDatabase } from "../../assets/sync/store.js";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
let n = 0;
let waited = 0; // ms spent waiting on the server's answers (request sent to headers back)

function device({ token, user }) {
  const db = openDatabase(`${user.id}-bench-${++n}`, { indexedDB, IDBKeyRange });
  const store = new SyncStore(user, { db });
  const storage = new Map([[SESSION_KEY, JSON.stringify({ user })]]);
  const engine = new SyncEngine(store, {
    fetch: async (url, init = {}) => {
      const started = performance.now();
      try {
        return await fetch(url, { ...init, headers: { ...init.headers, Authorization: `Bearer ${token}` } });
      } finally {
        waited += performance.now() - started;
      }
    },
    storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => storage.set(k, v), removeItem: (k) => storage.delete(k) },
    cookies: () => "",
    baseUrl: spec.base,
    target: null,
    setTimeout: () => 0,
    clearTimeout: () => {},
  });
  return { store, engine };
}

const out = { push_ms: [], pull_ms: [], pulled_rows: [], push_wait_ms: [] };
for (const job of spec.push) {
  const { store, engine } = device(job);
  for (const m of job.mutations) await store.mutate(m.name, m.args);
  waited = 0;
  const started = performance.now();
  await engine.push();
  out.push_ms.push(performance.now() - started);
  out.push_wait_ms.push(waited);
  if (await store.pendingCount()) throw new Error("the backlog did not drain");
  const rejected = (await store.rejectedEntries()).length;
  if (rejected) throw new Error(`${rejected} changes were rejected`);
}
for (const job of spec.pull) {
  const { store, engine } = device(job);
  const started = performance.now();
  await engine.pull();
  await engine.pullHistory();
  out.pull_ms.push(performance.now() - started);
  out.pulled_rows.push(await store.db.rows.count());
}
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0);
