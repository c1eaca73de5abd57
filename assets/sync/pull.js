/**
 * The engine's pulls (methods of SyncEngine, installed by engine.js): a new device's first
 * sync in phases (sync/PROTOCOL.md, "First sync in phases": the current state, then the
 * changes after it, then history in the background) and the plain pull of changes. The
 * outbox is pushed before every page: the device's own writes never wait behind pages.
 */

import { SyncHttpError, readJson } from "./http.js";
import { applyPurge } from "./purge.js";

export const PULL_LIMIT = 500;

/** Meta key of a first sync in progress: {phase: "current"|"history", cursor, done, total}. */
export const FIRST_SYNC = "first_sync";

/** What the status says of a first sync: null (none running), {phase: "current"}, or {phase: "history", done, total, percent}. */
export function progressOf(first) {
  if (!first) return null;
  if (first.phase === "current") return { phase: "current" };
  const { done = 0, total = 0 } = first;
  return { phase: "history", done, total, percent: total ? Math.min(99, Math.floor((100 * done) / total)) : 0 };
}

export const pullMethods = {
  /** Push whatever the learner or teacher queued meanwhile: their writes never wait behind pull pages. */
  async _pushBetweenPages() {
    if (await this.store.pendingCount()) await this.push();
  },

  async _getPage(query, clientId) {
    const response = await this.request("GET", `/api/sync/pull?${query}`, { headers: { "X-Client-Id": clientId } });
    return { response, body: await readJson(response) };
  },

  /**
   * Bring the device up to date. A device with no cursor first pulls the current phase (the
   * binder, the review queue: usable as soon as it ends), then changes after it page by
   * page; the outbox is pushed before every page. History follows in pullHistory().
   */
  async pull() {
    const clientId = await this.store.clientId();
    let caughtUp = !(await this.store.getMeta("cursor")) && (await this.pullCurrent(clientId));
    for (let page = 0; !caughtUp && page < 10_000; page++) {
      if (page) await this._pushBetweenPages();
      const cursor = await this.store.getMeta("cursor");
      // computed=1: the server also sends each target's level by the school's method
      // (with its explanation) and each topic's credit and pace, so binders work offline
      const query = new URLSearchParams({ limit: String(PULL_LIMIT), computed: "1" });
      if (cursor) query.set("cursor", cursor);
      const epoch = this.ackEpoch;
      const { response, body } = await this._getPage(query, clientId);
      if (response.status === 400 && body?.code === "bad_cursor") {
        // the server forgot our cursor: start over (the current phase first)
        await this.store.setMeta("cursor", null);
        caughtUp = await this.pullCurrent(clientId);
        continue;
      }
      if (!response.ok) throw new SyncHttpError(response.status, body);
      // a write acked while this page was on its way (push.js pushNow) may be missing from
      // it: keep the acked entries on screen and pull once more before dropping them
      const raced = this.ackEpoch !== epoch;
      caughtUp = !body.has_more && !raced;
      await this.store.applyPull(body.changes ?? [], { cursor: body.cursor, isLast: caughtUp, serverHlc: body.server_hlc ?? null });
      await applyPurge(this, body.purged_learners); // after the rebase, so nothing is replayed back
    }
    if (caughtUp) {
      const at = new Date(this.now()).toISOString();
      await this.store.setMeta("last_synced_at", at);
      this._set({ lastSyncedAt: at });
    }
  },

  /**
   * The current phase of a first sync (phase=current): every page is applied as it comes
   * (acked writes stay on screen: their rows may be newer than the phase's watermark); the
   * last one gives the plain cursor and the history cursor with its total. A server that
   * knows no phases answers a plain page: we carry on with plain pulls. Returns true only
   * if that plain page was already the whole pull.
   */
  async pullCurrent(clientId) {
    let first = await this.store.getMeta(FIRST_SYNC);
    if (first?.phase !== "current") first = { phase: "current", cursor: null };
    await this.store.setMeta(FIRST_SYNC, first);
    this._set({ progress: progressOf(first) });
    for (let page = 0; page < 10_000; page++) {
      await this._pushBetweenPages();
      const query = new URLSearchParams({ phase: "current", limit: String(PULL_LIMIT), computed: "1" });
      if (first.cursor) query.set("cursor", first.cursor);
      const { response, body } = await this._getPage(query, clientId);
      if (response.status === 400 && body?.code === "bad_cursor" && first.cursor) {
        first = { phase: "current", cursor: null }; // start the phase again
        continue;
      }
      if (!response.ok) throw new SyncHttpError(response.status, body);
      const serverHlc = body.server_hlc ?? null;
      if (body.phase !== "current") {
        // an older server: this is a plain page (its cursor is a plain cursor)
        await this.store.applyPull(body.changes ?? [], { cursor: body.cursor, isLast: !body.has_more, serverHlc, meta: { [FIRST_SYNC]: null } });
        this._set({ progress: null });
        return !body.has_more;
      }
      if (body.has_more) {
        first = { phase: "current", cursor: body.cursor };
        await this.store.applyPull(body.changes ?? [], { isLast: false, serverHlc, meta: { [FIRST_SYNC]: first } });
        continue;
      }
      const history = body.history ?? {};
      first = history.cursor ? { phase: "history", cursor: history.cursor, done: 0, total: history.total ?? 0 } : null;
      await this.store.applyPull(body.changes ?? [], { cursor: body.cursor, isLast: false, serverHlc, meta: { [FIRST_SYNC]: first } });
      this._set({ progress: progressOf(first) });
      return false;
    }
    return false;
  },

  /**
   * History after a first sync's current phase, one page at a time in the background, the
   * outbox pushed before each page; `progress` counts the rows. A page's row never replaces
   * a newer one the device already holds (SyncStore.applyPull keeps the higher version).
   */
  async pullHistory() {
    const clientId = await this.store.clientId();
    let first = await this.store.getMeta(FIRST_SYNC);
    for (let page = 0; first?.phase === "history" && page < 100_000; page++) {
      await this._pushBetweenPages();
      const query = new URLSearchParams({ phase: "history", cursor: first.cursor, limit: String(PULL_LIMIT) });
      const { response, body } = await this._getPage(query, clientId);
      if (response.status === 400 && body?.code === "bad_cursor") {
        // the server cannot continue this history: pull everything again from the start
        await this.store.setMeta(FIRST_SYNC, null);
        await this.store.setMeta("cursor", null);
        this._set({ progress: null });
        return;
      }
      if (!response.ok) throw new SyncHttpError(response.status, body);
      const changes = body.changes ?? [];
      const done = first.done + changes.length;
      first = body.cursor ? { ...first, cursor: body.cursor, done, total: Math.max(first.total, done) } : null;
      await this.store.applyPull(changes, { isLast: false, serverHlc: body.server_hlc ?? null, meta: { [FIRST_SYNC]: first } });
      this._set({ progress: progressOf(first) });
    }
  },
};
