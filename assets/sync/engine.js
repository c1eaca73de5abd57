/**
 * The sync engine: pushes the outbox, pulls changes, uploads blobs resumably, and tells the
 * UI how it is going. Runs on `online`, when the page is hidden, on a timer, and after a
 * mutation; errors back off exponentially with jitter. Nothing in the outbox is ever dropped
 * without the server's answer.
 *
 * This file is the SyncEngine class (its state, status listeners, sign-out); its methods
 * come from one file per concern, installed on the class below:
 *   transport.js   the HTTP session: request, CSRF headers, refresh on 401
 *   scheduling.js  start/stop, timers, backoff, flush, nudge, whenAnswered
 *   push.js        push, pushNow, withdraw
 *   pull.js        pull, the first sync in phases, history
 *   uploads.js     resumable file uploads
 */

import { FIRST_SYNC, progressOf, pullMethods } from "./pull.js";
import { pushMethods } from "./push.js";
import { INTERVAL_MS, schedulingMethods } from "./scheduling.js";
import { transportMethods } from "./transport.js";
import { uploadMethods } from "./uploads.js";

// where they were imported from before the split (transport.js, scheduling.js, pull.js, push.js)
export { SyncHttpError } from "./http.js";
export { FIRST_SYNC, PULL_LIMIT, progressOf } from "./pull.js";
export { CLAIM_MS, PUSH_BATCH } from "./push.js";
export { INTERVAL_MS, MAX_BACKOFF_MS, UNREACHABLE_PROBE_MS } from "./scheduling.js";
export {
  CSRF_ACCESS_COOKIE,
  CSRF_HEADER,
  CSRF_REFRESH_COOKIE,
  SESSION_KEY,
  csrfHeaders,
  readCookie,
  readSession,
} from "./transport.js";

export const CHUNK_BYTES = 256 * 1024;

/** An id for this tab's engine (its outbox claims carry it): unique per tab, never injected randomness. */
function newTabId() {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export class SyncEngine {
  /**
   * store: a SyncStore. Everything the outside world provides is injectable for tests:
   * fetch, storage (localStorage), cookies() (document.cookie), baseUrl,
   * setTimeout/clearTimeout, random, now, target (window, for online/offline/
   * visibilitychange), isOnline(), locks (Web Locks; null for none), tabId.
   */
  constructor(store, options = {}) {
    this.store = store;
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.storage = options.storage ?? globalThis.localStorage;
    this.cookies = options.cookies ?? (() => globalThis.document?.cookie ?? "");
    this.baseUrl = options.baseUrl ?? "";
    this.setTimeout = options.setTimeout ?? globalThis.setTimeout.bind(globalThis);
    this.clearTimeout = options.clearTimeout ?? globalThis.clearTimeout.bind(globalThis);
    this.random = options.random ?? Math.random;
    this.now = options.now ?? (() => Date.now());
    this.target = options.target ?? (typeof window !== "undefined" ? window : null);
    this.intervalMs = options.intervalMs ?? INTERVAL_MS;
    this.chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
    this.lockName = `waypoint-sync-${store.user.id}`;
    // Web Locks: one flush at a time across tabs, and which tab's outbox claims are live
    this.locks = options.locks !== undefined ? options.locks : globalThis.navigator?.locks ?? null;
    this.tabId = options.tabId ?? newTabId();
    this.failures = 0;
    this.timer = null;
    this.running = null;
    this.listeners = new Set();
    this.cleanups = [];
    const online = options.isOnline ? options.isOnline() : globalThis.navigator?.onLine ?? true;
    this.state = {
      online,
      syncing: false,
      pending: 0,
      rejected: 0,
      lastRejection: null,
      uploads: {},
      lastSyncedAt: null,
      lastError: null,
      signedIn: true,
      signedOutCode: null,
      // a new device's first sync (sync/PROTOCOL.md, "First sync in phases"): null once
      // done, {phase: "current"} until the device is usable, then {phase: "history", done,
      // total, percent} while older work streams in
      progress: null,
      // how many push answers this engine has had (whenAnswered listens for them)
      answers: 0,
    };
  }

  // ---- status ---------------------------------------------------------------------------

  /** The current status {online, syncing, pending, rejected, lastRejection, uploads, lastSyncedAt, lastError, signedIn, progress}. */
  status() {
    return this.state;
  }

  /** Call `listener(status)` on every change; returns the unsubscribe function. */
  subscribe(listener) {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  _set(changes) {
    // a change that changes nothing tells nobody: every listener is a re-render of the
    // screens that show the status (a reload's start sets syncing, online, the counts…)
    if (Object.entries(changes).every(([key, value]) => Object.is(this.state[key], value))) return;
    this.state = { ...this.state, ...changes };
    for (const listener of this.listeners) listener(this.state);
    // in memory only (useSyncStatus subscribes here): no IndexedDB write per change. A
    // status copy in `meta` was a readwrite transaction on meta for every change, and a
    // write's outbox transaction (which takes meta for next_seq) queued behind them
  }

  async _refreshCounts() {
    // a recount that started before a later one (say, Undo's, then a new write's) must not
    // land last with its older numbers
    const generation = (this._countGeneration = (this._countGeneration ?? 0) + 1);
    const [pending, rejectedEntries, lastSyncedAt, first] = await Promise.all([
      this.store.pendingCount(),
      this.store.rejectedEntries(),
      this.store.getMeta("last_synced_at"),
      this.store.getMeta(FIRST_SYNC),
    ]);
    if (generation !== this._countGeneration) return;
    const last = rejectedEntries.at(-1);
    const lastRejection = last ? { seq: last.seq, name: last.name, reason: last.reason, code: last.result?.code ?? null, params: last.result?.params ?? null } : null;
    this._set({ pending, rejected: rejectedEntries.length, lastRejection, lastSyncedAt, progress: progressOf(first) });
  }

  // ---- lifecycle and flushing: scheduling.js; HTTP: transport.js; push and withdraw:
  // push.js; pull: pull.js; blobs: uploads.js ----------------------------------------------

  // ---- sign-out ---------------------------------------------------------------------------

  /**
   * Flush, then delete this user's IndexedDB. If writes or uploads could not be sent
   * (offline, server down) nothing is deleted unless `force` is true: {deleted, pending}.
   */
  async signOut({ force = false } = {}) {
    await this.flush().catch(() => {});
    const pending = (await this.store.pendingCount()) + (await this.store.pendingBlobs()).length;
    if (pending && !force) return { deleted: false, pending };
    this.stop();
    this.listeners.clear();
    this.destroyed = true;
    await this.store.destroy();
    return { deleted: true, pending };
  }
}

// request, _send, _refresh (transport.js); start, stop, flush, nudge, whenAnswered
// (scheduling.js); pull, pullCurrent, pullHistory (pull.js): a new device's first sync in
// phases, then changes; push, pushNow, withdraw (push.js); uploadBlobs (uploads.js)
Object.assign(SyncEngine.prototype, transportMethods, schedulingMethods, pullMethods, pushMethods, uploadMethods);
