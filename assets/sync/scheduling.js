/**
 * When the engine syncs (methods of SyncEngine, installed by engine.js): on `online`, when
 * the page is hidden, on a timer, and soon after a local write; one flush at a time (per
 * tab, and across tabs with Web Locks); errors back off exponentially with jitter, an
 * unreachable server is probed often. A flush pushes, pulls, uploads, then pulls history.
 */

import { SyncHttpError } from "./http.js";
import { checkPurged } from "./purge.js";

export const INTERVAL_MS = 20_000;
export const MAX_BACKOFF_MS = 5 * 60_000;
// An unreachable server (no answer at all) is probed at least this often, jitter included
// up to 1.5×: a partition the browser never reports (no `online` event) must not leave the
// outbox waiting minutes after the network heals (tests/consistency anomaly A1). Answers
// that are errors (5xx, 429) still back off to MAX_BACKOFF_MS.
export const UNREACHABLE_PROBE_MS = 4_000;

export const schedulingMethods = {
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
  },

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
  },

  /** Stop the timer and the listeners (the store stays open). */
  stop() {
    this.clearTimeout(this.timer);
    this.timer = null;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this._releaseTab?.(); // its claims are free for other tabs at once
    this.stopped = true;
  },

  _schedule(delay) {
    this.clearTimeout(this.timer);
    // when the next try is due: for whoever asks, not a status change (nothing shows it)
    this.nextAttemptAt = this.now() + delay;
    this.timer = this.setTimeout(() => {
      this.timer = null;
      this.flush().catch(() => {});
    }, delay);
  },

  /** The wait after `failures` failed flushes: exponential, capped, with ±50% jitter. */
  backoffMs(failures = this.failures, unreachable = false) {
    if (failures <= 0) return this.intervalMs;
    const cap = unreachable ? UNREACHABLE_PROBE_MS : MAX_BACKOFF_MS;
    const base = Math.min(cap, 1000 * 2 ** (failures - 1));
    return Math.round(base * (0.5 + this.random()));
  },

  /** Push, pull, then upload blobs; one flush at a time (per tab, and across tabs with Web Locks). */
  flush() {
    if (this.running) return this.running;
    const run = async () => {
      const { locks } = this;
      return locks ? locks.request(this.lockName, () => this._flushOnce()) : this._flushOnce();
    };
    this.running = run().finally(() => {
      this.running = null;
    });
    return this.running;
  },

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
  },

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
  },

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
  },
};
