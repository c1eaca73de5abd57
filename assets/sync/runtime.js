/**
 * The signed-in user's sync runtime (one store + one engine) and the write helpers the pages
 * call. Every offline-capable write goes through `mutate` → outbox → /api/sync/push.
 */

import { compressImage } from "./compress.js";
import { SyncEngine, readSession } from "./engine.js";
import { SyncStore } from "./store.js";
import { sha256Hex, uuid7 } from "./uuid.js";

let current = null; // {user, store, engine}
let purged = false; // this page's learner was deleted by the school and the device wiped
const listeners = new Set();

/** The running {user, store, engine}, or null when nobody is signed in. */
export function getRuntime() {
  return current;
}

/**
 * True once the school deleted this page's learner and the sync core wiped the device
 * (purge.js checkPurged): the runtime is gone, and nothing of the learner may stay on screen.
 */
export function wasPurged() {
  return purged;
}

/** Call `listener()` when the runtime starts or stops; returns the unsubscribe function. */
export function onRuntimeChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function announce() {
  for (const listener of listeners) listener();
}

/**
 * Start syncing for the user in localStorage["waypoint.session"] ({user} only: the tokens are
 * httpOnly cookies the browser sends by itself). Call again after sign-in; a no-op when that
 * user is already running. Returns the runtime or null.
 */
export async function start(options = {}) {
  const storage = options.storage ?? globalThis.localStorage;
  const user = readSession(storage)?.user;
  if (!user?.id) return stop();
  if (current && String(current.user.id) === String(user.id)) return current;
  await stop();
  const store = new SyncStore(user, options.storeOptions);
  const engine = new SyncEngine(store, { storage, ...options.engineOptions });
  current = { user, store, engine };
  purged = false;
  engine.subscribe((state) => {
    // the wipe is done: drop the runtime at once so no screen keeps the learner in memory
    if (state.purged && current?.engine === engine) {
      purged = true;
      current = null;
      announce();
    }
  });
  engine.start();
  announce();
  return current;
}

/** Stop syncing and close the store (the data stays for the next sign-in). */
export async function stop() {
  if (current) {
    current.engine.stop();
    current.store.close();
    current = null;
    announce();
  }
  return null;
}

function need() {
  if (!current) throw new Error("Nobody is signed in on this device.");
  return current;
}

/**
 * Queue one mutation and apply it locally; sync soon. Returns {seq, hlc, result, args}.
 * `onSaved(answer)`, if given, runs the moment IndexedDB has committed the write, in the same
 * turn as the status count moves: a screen saying "Saved on this phone" there and the sync
 * line's new count render together, once, instead of one re-render after the other.
 */
export async function mutate(name, args, { onSaved } = {}) {
  const { store, engine } = need();
  const answer = await store.mutate(name, args);
  try {
    onSaved?.(answer);
  } finally {
    engine.nudge();
  }
  return answer;
}

const only = (values) => Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
const me = () => need().user.id;

/** Create or edit a goal; returns its id. Fields left undefined keep their value. */
export async function putGoal({ id = uuid7(), student_id = me(), title, target_ids, due_on, status, reflection } = {}) {
  await mutate("goal.put", only({ id, student_id, title, target_ids, due_on, status, reflection }));
  return id;
}

export const deleteGoal = (id) => mutate("goal.delete", { id });

/** Pick an activity from a playlist (each pick is its own row); returns the pick id. */
export async function pickActivity(activityId, { id = uuid7(), status = "picked", student_id = me() } = {}) {
  await mutate("pick.put", { id, student_id, activity_id: activityId, status });
  return id;
}

/** Move a pick to picked / in_progress / done. */
export async function setPickStatus(id, status) {
  const row = await need().store.getRow("pick", id);
  if (!row) throw new Error(`there is no pick with id ${id}`);
  return mutate("pick.put", { id, student_id: row.data.student_id, activity_id: row.data.activity_id, status });
}

export const unpick = (id) => mutate("pick.delete", { id });

/** "Not for me" to a suggested activity (declined = false takes it back: Undo). */
export const declineSuggestion = (activityId, declined = true) =>
  mutate("suggestion.decline", { student_id: me(), activity_id: activityId, declined });

export const selfAssess = (targetId, level, note) =>
  mutate("self_assessment.put", only({ student_id: me(), target_id: targetId, level, note }));

/**
 * Add evidence; with `file` (a File/Blob) the photo is compressed, kept in IndexedDB and
 * uploaded resumably just before the evidence is pushed (the server accepts evidence only
 * of a file this learner has sent). Returns the evidence id.
 */
export async function addEvidence({ id = uuid7(), kind, caption, target_ids, url, text, submitted, file, reflection } = {}) {
  const { store } = need();
  let blob_sha256;
  if (file) {
    const isImage = (file.type ?? "").startsWith("image/");
    const prepared = isImage ? await compressImage(file) : { bytes: await file.arrayBuffer(), type: file.type };
    blob_sha256 = prepared.sha256 ?? (await sha256Hex(prepared.bytes));
    await store.putBlob(blob_sha256, prepared.bytes, prepared.type);
    kind ??= isImage ? "photo" : "file";
  }
  kind ??= url ? "link" : "text";
  // reflection: a teacher's transfer to practice (microcredentials; required to submit their own)
  await mutate("evidence.put", only({ id, student_id: me(), kind, caption, target_ids, url, text, submitted, blob_sha256, reflection }));
  return id;
}

/** Edit the caption, targets, link, text, submitted flag or reflection of a piece of evidence. */
export async function editEvidence(id, changes) {
  const row = await need().store.getRow("evidence", id);
  if (!row) throw new Error(`there is no evidence with id ${id}`);
  const { caption, target_ids, url, text, submitted, reflection } = changes;
  return mutate("evidence.put", only({ id, student_id: row.data.student_id, kind: row.data.kind, caption, target_ids, url, text, submitted, reflection }));
}

export const deleteEvidence = (id) => mutate("evidence.delete", { id });

/** A teacher's review: approved or returned, optionally with a level for one target. */
export const reviewEvidence = (evidenceId, decision, { comment, level, target_id } = {}, hooks = {}) =>
  mutate("evidence.review", only({ evidence_id: evidenceId, decision, comment, level, target_id }), hooks);

/** A teacher's rating; base_version is the newest rating version this device has seen. */
export async function rate(studentId, targetId, level, note) {
  const base_version = await need().store.baseVersion(studentId, targetId);
  return mutate("rating.put", only({ student_id: studentId, target_id: targetId, level, base_version, note }));
}

/** Close a conflict with the level that stands; `note` says why (kept on its event). */
export const resolveConflict = (conflictId, level, note) =>
  mutate("conflict.resolve", only({ conflict_id: conflictId, level, note }));

/** Sync now; resolves to true when push, pull and uploads all succeeded. */
export const flush = () => (current ? current.engine.flush() : Promise.resolve(false));

/** The status object (see SyncEngine.status), or an offline placeholder when signed out. */
/** What the server render and the first client render agree on (no hydration mismatch). */
export const INITIAL_STATUS = Object.freeze({ online: false, signedIn: false, pending: 0, rejected: 0, uploads: {} });

export function status() {
  return current ? current.engine.status() : INITIAL_STATUS;
}

export const subscribe = (listener) => (current ? current.engine.subscribe(listener) : () => {});

/** Forget a refused change the reader has seen; the status (rejected, lastRejection) follows at once. */
export async function dismissRejection(seq) {
  const { store, engine } = need();
  await store.dismissRejected(seq);
  await engine._refreshCounts().catch(() => {});
}

/**
 * Take back the pending write `seq` before a push takes it (push.js): "withdrawn",
 * "sending" or "sent" (too late: it stands), "rejected", or "gone".
 */
export const withdraw = (seq) => need().engine.withdraw(seq);

/**
 * Flush, then delete this user's local database. Refuses (returns {deleted: false, pending})
 * while writes are unsent, unless {force: true}.
 */
export async function signOut(options = {}) {
  if (!current) return { deleted: false, pending: 0 };
  const answer = await current.engine.signOut(options);
  if (answer.deleted) {
    current = null;
    announce();
  }
  return answer;
}
