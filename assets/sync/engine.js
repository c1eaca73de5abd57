/**
 * The sync engine: pushes the outbox, pulls changes, uploads blobs resumably, and tells the
 * UI how it is going. Runs on `online`, when the page is hidden, on a timer, and after a
 * mutation; errors back off exponentially with jitter. Nothing in the outbox is ever dropped
 * without the server's answer.
 */

import { SyncHttpError, readJson } from "./http.js";
import { FIRST_SYNC, progressOf, pullMethods } from "./pull.js";
import { pushMethods } from "./push.js";
import { checkPurged } from "./purge.js";
import { uploadMethods } from "./uploads.js";

export { SyncHttpError } from "./http.js";
export { FIRST_SYNC, PULL_LIMIT, progressOf } from "./pull.js";
export { CLAIM_MS, PUSH_BATCH } from "./push.js";

export const SESSION_KEY = "waypoint.session";
export const CHUNK_BYTES = 256 * 1024;
export const INTERVAL_MS = 20_000;
export const MAX_BACKOFF_MS = 5 * 60_000;
// An unreachable server (no answer at all) is probed at least this often, jitter included
// up to 1.5×: a partition the browser never reports (no `online` event) must not leave the
// outbox waiting minutes after the network heals (tests/consistency anomaly A1). Answers
// that are errors (5xx, 429) still back off to MAX_BACKOFF_MS.
export const UNREACHABLE_PROBE_MS = 4_000;

// The tokens live in httpOnly cookies this code cannot read (docs/deploy.md). Each has a
// readable companion cookie with its CSRF value, echoed in X-CSRF-TOKEN on unsafe methods.
export const CSRF_ACCESS_COOKIE = "waypoint_csrf_access";
export const CSRF_REFRESH_COOKIE = "waypoint_csrf_refresh";
export const CSRF_HEADER = "X-CSRF-TOKEN";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Who is signed in on this device: {user: {id, username, role, display_name}} — never a token. */
export function readSession(storage) {
  try {
    return JSON.parse(storage?.getItem(SESSION_KEY) ?? "null");
  } catch {
    return null;
  }
}

/** The value of one cookie in a `document.cookie` string, or "" when absent. */
export function readCookie(cookieString, name) {
  for (const part of String(cookieString ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > -1 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return "";
}

/** {"X-CSRF-TOKEN": value} for an unsafe method (access or refresh cookie), else {}. */
export function csrfHeaders(method, cookieString, cookieName = CSRF_ACCESS_COOKIE) {
  if (SAFE_METHODS.has(String(method).toUpperCase())) return {};
  const value = readCookie(cookieString, cookieName);
  return value ? { [CSRF_HEADER]: value } : {};
}

export class SyncEngine {
  /**
   * store: a SyncStore. Everything the outside world provides is injectable for tests:
   * fetch, storage (localStorage), cookies() (document.cookie), baseUrl,
   * setTimeout/clearTimeout, random, now, target (window, for online/offline/
   * visibilitychange), isOnline().
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

  // ---- lifecycle --------------------------------------------------------------------------

  /** Listen to online/offline/visibilitychange and start the timer. */
  start() {
    const on = (target, name, handler) => {
      if (!target?.addEventListener) return;
      target.addEventListener(name, handler);
      this.cleanups.push(() => target.removeEventListener(name, handler));
    };
    on(this.target, "online", () => {
      this._set({ online: true });
      this.flush().catch(() => {});
    });
    on(this.target, "offline", () => this._set({ online: false }));
    const doc = this.target?.document;
    on(doc, "visibilitychange", () => {
      if (doc.visibilityState === "hidden") this.flush().catch(() => {});
    });
    this._refreshCounts().catch(() => {});
    this._schedule(this.firstAttemptMs());
  }

  /**
   * When start() tries the server first: at once, unless the browser says it has no network.
   * Then a try cannot succeed (the `online` event flushes at once when the network is back),
   * and after an offline reload it only competed with the page's boot: the failed push's
   * status changes re-rendered the screens, its `last_error` write held `meta` (which a
   * tap's outbox write needs) and its recount ran while the teacher's first tap waited for
   * main-thread turns. A browser wrong about being offline is still probed within
   * UNREACHABLE_PROBE_MS.
   */
  firstAttemptMs() {
    return this.state.online ? 0 : UNREACHABLE_PROBE_MS;
  }

  /** Stop the timer and the listeners (the store stays open). */
  stop() {
    this.clearTimeout(this.timer);
    this.timer = null;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.stopped = true;
  }

  _schedule(delay) {
    this.clearTimeout(this.timer);
    // when the next try is due: for whoever asks, not a status change (nothing shows it)
    this.nextAttemptAt = this.now() + delay;
    this.timer = this.setTimeout(() => {
      this.timer = null;
      this.flush().catch(() => {});
    }, delay);
  }

  /** The wait after `failures` failed flushes: exponential, capped, with ±50% jitter. */
  backoffMs(failures = this.failures, unreachable = false) {
    if (failures <= 0) return this.intervalMs;
    const cap = unreachable ? UNREACHABLE_PROBE_MS : MAX_BACKOFF_MS;
    const base = Math.min(cap, 1000 * 2 ** (failures - 1));
    return Math.round(base * (0.5 + this.random()));
  }

  /** Push, pull, then upload blobs; one flush at a time (per tab, and across tabs with Web Locks). */
  flush() {
    if (this.running) return this.running;
    const run = async () => {
      const locks = globalThis.navigator?.locks;
      return locks ? locks.request(this.lockName, () => this._flushOnce()) : this._flushOnce();
    };
    this.running = run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  async _flushOnce() {
    this._set({ syncing: true });
    try {
      await this.push();
      await this.pull();
      await this.uploadBlobs();
      await this.pullHistory();
      this.failures = 0;
      this.unreachable = false;
      this._set({ online: true, lastError: null, signedIn: true, signedOutCode: null });
      await this.store.setMeta("last_error", null);
      return true;
    } catch (error) {
      this.failures += 1;
      const offline = error instanceof SyncHttpError && error.status === 0;
      this.unreachable = offline;
      const signedOut = error instanceof SyncHttpError && error.status === 401;
      // a deleted learner's own device: wipe it, say so, stop (sync/PROTOCOL.md "Purged learners")
      if (signedOut && (await checkPurged(this))) return false;
      // why the server ended the sign-in ("session_ended", "expired"…): the screen says which
      const known = this.state.lastError === error.message;
      this._set({ lastError: error.message, online: !offline, signedIn: !signedOut, signedOutCode: signedOut ? error.body?.code ?? null : null });
      // the same error again (every probe while offline): no readwrite transaction on meta
      if (!known) await this.store.setMeta("last_error", error.message).catch(() => {});
      return false;
    } finally {
      this._set({ syncing: false });
      // a wiped device has no store left to count (reading it would only create it again)
      if (!this.destroyed) await this._refreshCounts().catch(() => {});
      if (!this.stopped) this._schedule(this.backoffMs(this.failures, this.unreachable));
    }
  }

  /**
   * Resolves with "acked" or "rejected" once the server has answered the outbox entry `seq`
   * (or "gone" when it is no longer on this device); waits as long as that takes.
   */
  whenAnswered(seq) {
    return new Promise((resolve) => {
      let off = null;
      let done = false;
      const check = async () => {
        const entry = await this.store.db.outbox.get(seq);
        if (done || entry?.status === "pending") return;
        done = true;
        off?.();
        resolve(entry?.status ?? "gone");
      };
      off = this.subscribe(() => {
        check().catch(() => {});
      });
      if (done) off();
    });
  }

  /**
   * After a local mutation: sync soon. While a flush runs (a long first sync's pull, say)
   * the write is pushed at once on its own, never left waiting for the pull's next page.
   */
  nudge(delay = 300) {
    if (this.stopped) return;
    // the write is in IndexedDB already: count it at once, so "unsent work" (the sync line,
    // the beforeunload question) is true from the moment the screen says "Saved on this
    // phone", not from the recount a moment later; the recount then sets the exact number
    this._set({ pending: (this.state.pending ?? 0) + 1 });
    this._refreshCounts().catch(() => {});
    if (!this.state.online) return;
    if (this.running) this.pushNow();
    else this._schedule(delay);
  }

  // ---- HTTP -------------------------------------------------------------------------------

  _session() {
    return readSession(this.storage);
  }

  async _send(method, path, { body, headers = {}, csrfCookie = CSRF_ACCESS_COOKIE }) {
    let response;
    try {
      response = await this.fetch(this.baseUrl + path, {
        method,
        // the browser attaches the httpOnly session cookies; we prove the origin with CSRF
        credentials: "same-origin",
        headers: { ...headers, ...csrfHeaders(method, this.cookies(), csrfCookie) },
        body,
      });
    } catch (error) {
      throw new SyncHttpError(0, null, `offline: ${error.message}`);
    }
    return response;
  }

  /** One request with the session cookie; on 401 refresh once through the cookie and retry. */
  async request(method, path, { json, body, headers = {} } = {}) {
    const session = this._session();
    if (!session?.user) throw new SyncHttpError(401, null, "Please sign in.");
    if (json !== undefined) {
      body = JSON.stringify(json);
      headers = { ...headers, "Content-Type": "application/json" };
    }
    let response = await this._send(method, path, { body, headers });
    if (response.status === 401) {
      await this._refresh();
      response = await this._send(method, path, { body, headers });
    }
    return response;
  }

  /**
   * POST /api/auth/refresh with the refresh cookie: the server sets a new access cookie.
   * One refresh at a time; a refused one means the learner must sign in again (signedIn
   * false), and nothing in the outbox is touched.
   */
  _refresh() {
    this.refreshing ??= (async () => {
      const response = await this._send("POST", "/api/auth/refresh", { csrfCookie: CSRF_REFRESH_COOKIE });
      if (!response.ok) throw new SyncHttpError(401, await readJson(response), "Please sign in again.");
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  // ---- push and withdraw: assets/sync/push.js ---------------------------------------------

  // ---- blobs: assets/sync/uploads.js ------------------------------------------------------

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

// pull, pullCurrent, pullHistory (pull.js): a new device's first sync in phases, then changes;
// push, pushNow, withdraw (push.js)
Object.assign(SyncEngine.prototype, pullMethods, pushMethods, uploadMethods);
