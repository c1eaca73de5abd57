/**
 * Wipe learners the school deleted from this device (sync/PROTOCOL.md, "Purged learners").
 *
 * A pull past a deletion carries `purged_learners: [id, …]`; `purgeLearners` then removes,
 * in one IndexedDB transaction, every row of those learners (their goals, evidence, events,
 * levels, their name row…), the server copies kept for rebasing, the outbox entries that
 * would write their data again, and their photos waiting to upload; then every cached copy
 * of their photos in Cache Storage. A photo another learner's evidence also shows stays.
 *
 * A deleted learner's own device cannot pull any more (the account is gone, so it gets a
 * 401): `checkPurged` asks /api/privacy/purge-check, which answers from the old token's
 * signature, and if this device's own learner was deleted the whole store is destroyed.
 */

import { SESSION_KEY } from "./transport.js";

const BLOB_PATH = "/api/blobs/";

const isLearnerRow = (wanted) => (row) =>
  Boolean(row) && (wanted.has(String(row.data?.student_id)) || (row.type === "learner" && wanted.has(String(row.id))));

/**
 * Remove every trace of the learners `ids` from `store` (a SyncStore) and from Cache
 * Storage (`caches`, default globalThis.caches). Returns what was removed, by kind.
 */
export async function purgeLearners(store, ids, { caches = globalThis.caches } = {}) {
  const wanted = new Set((ids ?? []).map(String));
  const removed = { rows: 0, shadow: 0, outbox: 0, blobs: 0, cached: 0 };
  if (!wanted.size) return removed;
  const { db } = store;
  const belongs = isLearnerRow(wanted);
  let shas = new Set();
  await db.transaction("rw", db.rows, db.shadow, db.outbox, db.blobs, async () => {
    const rows = await db.rows.filter(belongs).toArray();
    const rowIds = new Set(rows.map((r) => String(r.id)));
    const keys = new Set(rows.map((r) => `${r.type}\u0000${r.id}`));
    for (const r of rows) if (r.data?.blob_sha256) shas.add(r.data.blob_sha256);
    const shadows = await db.shadow.filter((s) => keys.has(`${s.type}\u0000${s.id}`) || belongs(s.row)).toArray();
    const outbox = await db.outbox
      .filter((e) => wanted.has(String(e.args?.student_id)) || rowIds.has(String(e.args?.id)) || rowIds.has(String(e.args?.evidence_id)))
      .toArray();
    for (const e of outbox) if (e.args?.blob_sha256) shas.add(e.args.blob_sha256);
    // a photo another (kept) learner's evidence also cites is theirs too
    const keep = await db.rows.filter((r) => r.type === "evidence" && !belongs(r) && shas.has(r.data?.blob_sha256)).toArray();
    for (const r of keep) shas.delete(r.data.blob_sha256);
    await db.rows.bulkDelete(rows.map((r) => [r.type, r.id]));
    await db.shadow.bulkDelete(shadows.map((s) => [s.type, s.id]));
    await db.outbox.bulkDelete(outbox.map((e) => e.seq));
    const blobs = await db.blobs.where("sha256").anyOf([...shas]).primaryKeys();
    await db.blobs.bulkDelete(blobs);
    Object.assign(removed, { rows: rows.length, shadow: shadows.length, outbox: outbox.length, blobs: blobs.length });
  });
  removed.cached = await forgetCachedBlobs(shas, caches);
  return removed;
}

/** Delete every Cache Storage entry of /api/blobs/<sha> (any size) for these shas. */
export async function forgetCachedBlobs(shas, caches = globalThis.caches) {
  if (!caches || !shas.size) return 0;
  let count = 0;
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const path = new URL(request.url ?? String(request), "http://device.invalid").pathname;
      if (path.startsWith(BLOB_PATH) && shas.has(path.slice(BLOB_PATH.length))) {
        if (await cache.delete(request)) count += 1;
      }
    }
  }
  return count;
}

/** After a pulled page: wipe the learners it says were deleted (none: nothing to do). */
export async function applyPurge(engine, ids) {
  if (!ids?.length) return null;
  return purgeLearners(engine.store, ids, { caches: engine.caches ?? globalThis.caches });
}

/**
 * On a refused sign-in: was this device's own learner deleted? If so destroy the whole
 * store, its cached photos and the device's session, and say so in the status. Never throws.
 */
export async function checkPurged(engine) {
  // nobody signed in on this page (signed out in another tab): ask nothing, wipe nothing
  if (!engine._session()?.user) return false;
  try {
    const response = await engine._send("GET", "/api/privacy/purge-check", {});
    if (!response.ok) return false;
    const body = await response.json();
    const me = String(engine.store.user.id);
    if (!(body?.purged_learners ?? []).map(String).includes(me)) return false;
    const rows = await engine.store.db.rows.where("type").equals("evidence").toArray();
    const shas = new Set(rows.map((r) => r.data?.blob_sha256).filter(Boolean));
    engine.stop();
    engine.destroyed = true;
    await forgetCachedBlobs(shas, engine.caches ?? globalThis.caches);
    await engine.store.destroy();
    engine.storage?.removeItem?.(SESSION_KEY);
    engine.state = { ...engine.state, signedIn: false, purged: true, pending: 0, rejected: 0 };
    for (const listener of engine.listeners) listener(engine.state);
    return true;
  } catch {
    return false;
  }
}
