/**
 * The engine's push (methods of SyncEngine, installed by engine.js like pull.js): the outbox
 * goes up in batches, one push at a time per tab, and a write made mid-pull goes up AT ONCE
 * (`pushNow`) instead of waiting for the pull's next page (issue 14: "the teacher's own
 * writes go up at once, never queued behind the first download").
 *
 * A pending write can be withdrawn (`withdraw`) until a push takes it: the push claims its
 * batch in the same IndexedDB transaction that reads it (a `sending` stamp on each entry),
 * and withdraw checks that stamp in its own transaction, so the two can never both win.
 */

import { SyncHttpError, readJson } from "./http.js";
import { PENDING } from "./store.js";

export const PUSH_BATCH = 100;
// a claim older than this was left by a tab that closed mid-push: the entry is free again
export const CLAIM_MS = 60_000;
// Each tab holds a Web Lock of this name (plus its tab id) for as long as it lives, and stamps
// its claims with that id: a claim whose tab no longer holds its lock was left by a closed tab
// (closing a tab flushes on `visibilitychange`, and the page can die between the claim and
// the release) and is free at once, not after CLAIM_MS. Without Web Locks, CLAIM_MS decides.
export const TAB_LOCK = "waypoint-tab-";

/**
 * Whether the outbox entry `e` is held by a live push: claimed less than CLAIM_MS ago, by a
 * tab that still holds its lock (`live`: the names of the held locks, or null when unknown).
 */
export function claimHeld(e, now, live) {
  if (!e.sending || now - e.sending > CLAIM_MS) return false;
  return live === null || !e.sender || live.has(TAB_LOCK + e.sender);
}

export const pushMethods = {
  /** Push the outbox until it is empty; pushes in this tab run one after another. */
  push() {
    const run = (this._pushChain ?? Promise.resolve()).catch(() => {}).then(() => this._pushAll());
    this._pushChain = run;
    return run;
  },

  /**
   * A local write happened: send it now, even while a pull is running (its pages may take
   * seconds each). Errors are left to the next flush, which retries with backoff.
   */
  pushNow() {
    if (this.stopped || !this.state.online) return Promise.resolve(false);
    return this.push()
      .then(() => true)
      .catch(() => false)
      .finally(() => (this.destroyed ? null : this._refreshCounts().catch(() => {})));
  },

  /**
   * Take up to `limit` pending entries not claimed by a live push, stamping them as sent: one
   * read of the first `limit` pending entries by the status index (in seq order, the outbox's
   * key) and one bulkPut of the stamps, in one transaction. Only when a live claim of
   * another tab holds some of those does it read further (every pending entry, as before).
   */
  async _claimBatch(limit) {
    const { db } = this.store;
    const live = await this._liveTabs();
    const now = this.now();
    const isFree = (e) => !claimHeld(e, now, live);
    return db.transaction("rw", db.outbox, async () => {
      const first = await db.outbox.where("status").equals(PENDING).limit(limit).toArray();
      let free = first.filter(isFree);
      if (free.length < first.length) {
        free = (await db.outbox.where("status").equals(PENDING).sortBy("seq")).filter(isFree).slice(0, limit);
      }
      if (!free.length) return free;
      const claimed = free.map((e) => ({ ...e, sending: now, sender: this.tabId }));
      await db.outbox.bulkPut(claimed);
      return claimed;
    });
  },

  /**
   * The names of the Web Locks held on this origin (null without Web Locks), once this tab
   * holds its own: a claim it stamps from then on is known to be live while it lives.
   */
  async _liveTabs() {
    if (!this.locks) return null;
    if (!this._tabLock) {
      this._tabLock = new Promise((granted) => {
        this.locks
          .request(TAB_LOCK + this.tabId, () => {
            granted();
            return new Promise((release) => (this._releaseTab = release));
          })
          .catch(() => granted());
      });
    }
    await this._tabLock;
    const { held = [] } = await this.locks.query();
    return new Set(held.map((lock) => lock.name));
  },

  /** The push failed before the server answered: the entries may be withdrawn again. */
  async _releaseBatch(seqs) {
    const { db } = this.store;
    await db.transaction("rw", db.outbox, async () => {
      const entries = await db.outbox.bulkGet(seqs);
      const held = entries.filter((e) => e?.status === PENDING);
      if (held.length) await db.outbox.bulkPut(held.map((e) => ({ ...e, sending: 0 })));
    });
  },

  async _pushAll() {
    const clientId = await this.store.clientId();
    for (let round = 0; round < 1000; round++) {
      const batch = await this._claimBatch(PUSH_BATCH);
      if (!batch.length) return;
      let answered = false;
      try {
        answered = await this._pushBatch(batch, clientId);
      } finally {
        if (!answered) await this._releaseBatch(batch.map((e) => e.seq)).catch(() => {});
      }
    }
  },

  /** One POST /api/sync/push; true when the server answered (false after a seq gap renumbering). */
  async _pushBatch(batch, clientId) {
    await this._sendCitedFiles(batch);
    const mutations = batch.map(({ seq, name, args, hlc }) => ({ seq, name, args, hlc }));
    const response = await this.request("POST", "/api/sync/push", { json: { client_id: clientId, mutations } });
    const body = await readJson(response);
    if (response.status === 409 && body?.code === "seq_gap") {
      // The server never saw seqs before our first pending one: its last_seq is the truth.
      await this._releaseBatch(batch.map((e) => e.seq));
      await this.store.renumberFrom(body.expected_seq);
      return false;
    }
    if (!response.ok) throw new SyncHttpError(response.status, body);
    const answered = new Set((body.results ?? []).map((r) => r.seq));
    if (!batch.some((e) => answered.has(e.seq))) {
      throw new SyncHttpError(response.status, body, "the server answered none of the changes sent");
    }
    const rejected = await this.store.recordResults(body.results ?? []);
    // a pull page fetched before this answer must not drop these acked entries (pull.js)
    if (answered.size) this.ackEpoch = (this.ackEpoch ?? 0) + 1;
    // the count drops when the server answers, not when a long first sync's pages end
    // `answers` moves on every answer, so whoever waits for one (whenAnswered: a card's
    // "Sent") hears of it even when the count of pending writes comes out the same
    const changes = { pending: await this.store.pendingCount(), answers: (this.state.answers ?? 0) + 1 };
    if (rejected.length) {
      const last = rejected.at(-1);
      changes.lastRejection = { seq: last.seq, name: last.name, reason: last.reason ?? null, code: last.code ?? null, params: last.params ?? null };
    }
    this._set(changes);
    return true;
  },

  /**
   * Take back the pending write `seq` before it is sent: "withdrawn" (gone from the outbox,
   * its effect undone on this device), "sending" (a push has taken it: it stands), "sent"
   * (the server acknowledged it), "rejected", or "gone" (no such entry).
   */
  async withdraw(seq) {
    let outcome = await this._withdrawOnce(seq);
    if (outcome === "sending" && this._pushChain) {
      // a push holds it right now: its answer (or its failure, offline) says which it is
      const wait = this.withdrawWaitMs ?? 3000;
      await Promise.race([this._pushChain.catch(() => {}), new Promise((resolve) => globalThis.setTimeout(resolve, wait))]);
      outcome = await this._withdrawOnce(seq);
    }
    return outcome;
  },

  async _withdrawOnce(seq) {
    const { store } = this;
    const { db } = store;
    const clientId = await store.clientId();
    const live = await this._liveTabs();
    const now = this.now();
    const outcome = await db.transaction("rw", db.meta, db.outbox, db.rows, db.shadow, async () => {
      const entry = await db.outbox.get(seq);
      if (!entry) return "gone";
      if (entry.status === "acked") return "sent";
      if (entry.status !== PENDING) return entry.status;
      if (claimHeld(entry, now, live)) return "sending";
      await db.outbox.delete(seq);
      await store._rebase([], false, clientId); // the rows again as if it never happened
      return "withdrawn";
    });
    if (!this.destroyed) await this._refreshCounts().catch(() => {});
    return outcome;
  },
};
