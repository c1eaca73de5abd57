/**
 * The device's replica: one user's offline store over their database (database.js). A
 * write is recorded in the outbox and applied to the local rows in one transaction; a
 * pulled page puts the server copies back, writes the page and re-applies the writes the
 * server has not shown yet (rebase); push answers mark outbox entries acked or rejected;
 * the screens read rows by type, page and count. Tables: database.js.
 */

import Dexie from "dexie";
import { Clock, HLC } from "./clock.js";
import { CAPS } from "./caps.js";
import { activatesGoal, countCap, localCounts, starsHighlight } from "./caps.js";
import { PAIR_INDEX, openDatabase, pairIndexKeys } from "./database.js";
import { Actor, merge, rowsTouched, validateArgs } from "./merge.js";
import { uuid7 } from "./uuid.js";

// the database, its indexes and derived keys, where they were imported from before the split
export {
  ASK_INDEX,
  ASKING,
  PAIR_INDEX,
  WAIT_INDEX,
  WAITING,
  asksToShow,
  dbName,
  openDatabase,
  pairIndexKeys,
  waitsForReview,
  withDerivedKeys,
  withWait,
} from "./database.js";

export const ACKED = "acked";
export const PENDING = "pending";
export const REJECTED = "rejected";

// the mutations a count cap can refuse (sync/caps.py: new active goals, new evidence)
const CAPPED = new Set(["goal.put", "evidence.put"]);

/**
 * One user's offline store. `user` is the signed-in user {id, role, is_assessor?}; the local
 * Actor accepts any learner for a teacher and any colleague for an assessor (the server checks).
 */
export class SyncStore {
  constructor(user, { db = null, now = () => Date.now(), dexieOptions = {} } = {}) {
    this.user = user;
    // a staff member's own binder rows are indexed by key (database.js OWN_INDEX)
    this.db = db ?? openDatabase(user.id, dexieOptions, { ownKeys: user.role !== "student" });
    this.now = now;
    // an assessor (user.is_assessor: a coach or an admin) reviews any colleague locally too
    this.actor = new Actor(user.id, user.role, user.role === "teacher" ? null : [], user.is_assessor ? null : []);
  }

  close() {
    this.db.close();
  }

  /** Delete this user's whole database (after signing out). */
  async destroy() {
    this.db.close();
    await Dexie.delete(this.db.name);
  }

  async getMeta(key, fallback = null) {
    const entry = await this.db.meta.get(key);
    return entry === undefined ? fallback : entry.value;
  }

  setMeta(key, value) {
    return this.db.meta.put({ key, value });
  }

  /** The device's client_id (UUIDv7), made once per browser profile + user (or by its first mutate). */
  async clientId() {
    // fixed for the life of this database: read it once, not in every write's transaction
    if (this._clientId) return this._clientId;
    this._clientId = await this.db.transaction("rw", this.db.meta, async () => {
      let id = await this.getMeta("client_id");
      if (!id) {
        id = uuid7(this.now());
        await this.setMeta("client_id", id);
      }
      return id;
    });
    return this._clientId;
  }

  /**
   * The count cap (sync/caps.py) this write would break by this device's own counts, or
   * null: a CapExceeded with the server's reason code, params and words.
   */
  async capCheck(name, args) {
    if (!CAPPED.has(name)) return null;
    const clean = validateArgs(name, args);
    const type = name.split(".")[0];
    const prior = (await this.db.rows.get([type, clean.id])) ?? null;
    const starring = name === "evidence.put" && starsHighlight(prior, clean);
    // edits are never capped, but starring one more piece of work for the conference is
    if (name === "goal.put" ? !activatesGoal(prior, clean) : prior && !starring) return null;
    // fewer rows (and queued changes) than the cap: it cannot be reached; a key count
    // spares reading every row on each write of an ordinary learner
    const [held, queued] = await Promise.all([this.db.rows.where("type").equals(type).count(), type === "evidence" ? this.db.outbox.count() : 0]);
    const under = type === "goal" ? held < CAPS.active_goals : held < CAPS.open_evidence && queued < CAPS.evidence_per_day && (!starring || held < CAPS.highlights);
    if (under) return null;
    const studentId = prior?.data?.student_id ?? clean.student_id;
    const rows = await this.db.rows.where("type").equals(type).toArray();
    const outbox = type === "evidence" ? await this.db.outbox.toArray() : [];
    return countCap(name, clean, prior, localCounts(rows, outbox, studentId, this.now()));
  }

  /**
   * Record a mutation and apply it to the local rows, in ONE transaction: the outbox entry
   * and its optimistic effect are written together or not at all. Invalid arguments throw
   * InvalidMutation, and a write over a count cap by this device's counts throws
   * CapExceeded (its `reasonCode`, `params`, message): nothing is queued. Returns {seq,
   * hlc, result, args} once IndexedDB has committed it (a screen may then say "Saved on
   * this phone").
   *
   * Three round trips, each a batch of requests sent at once: every request awaited on its
   * own needs a turn of the page's main thread before the next is sent, and right after an
   * offline reload a turn took 30–170 ms, so the 14 one-by-one requests this used to make
   * took 350–750 ms (docs/benchmarks.md, "The review queue").
   */
  async mutate(name, args) {
    const clean = validateArgs(name, args);
    // no await that is not needed: the transaction is opened in the caller's turn, before
    // the screen re-renders for the tap (a review or a rating has no count cap)
    const capped = CAPPED.has(name) ? await this.capCheck(name, clean) : null;
    if (capped) throw capped;
    const { db } = this;
    const answer = await db.transaction("rw", db.meta, db.outbox, db.rows, db.shadow, async () => {
      // 1: the counters, the client_id and the rows the merge rule reads. The client_id is
      // read here, not in a transaction of its own before this one: the first tap after a
      // reload waited 30+ ms for that extra round trip while the page booted
      const [[seqEntry, hlcEntry, idEntry], touched] = await Promise.all([db.meta.bulkGet(["next_seq", "last_hlc", "client_id"]), this._loadTouched(name, clean)]);
      const clientId = this._clientId ?? idEntry?.value ?? uuid7(this.now());
      const seq = seqEntry?.value ?? 1;
      const counters = [{ key: "next_seq", value: seq + 1 }];
      if (!idEntry?.value) counters.push({ key: "client_id", value: clientId }); // a new device's first write
      const last = hlcEntry?.value ?? null;
      const clock = new Clock(clientId, this.now, last ? HLC.parse(last) : null);
      const hlc = String(clock.send());
      const entry = { seq, name, args: clean, hlc, status: PENDING, reason: null, result: null, created_at: this.now() };
      // a new row (the evidence-per-day cap counts what this device added today)
      if (name === "evidence.put" && !touched.get("evidence", clean.id)) entry.created = true;
      // 2 and 3 (_writeMerged): the counters and the outbox entry go with its reads
      const queued = Promise.all([db.meta.bulkPut([...counters, { key: "last_hlc", value: hlc }]), db.outbox.add(entry)]);
      queued.catch(() => {}); // awaited below; a failed merge aborts the transaction first
      const result = await this._writeMerged(entry, clientId, touched);
      await queued;
      return { seq, hlc, result, args: clean, clientId };
    });
    // committed: the id is this database's from now on
    this._clientId ??= answer.clientId;
    const { clientId: _, ...saved } = answer;
    return saved;
  }

  /**
   * The rows mutation `name` reads ({get(type, id), ratings()}), fetched at once (inside a
   * transaction over rows): a key lookup each, and a rating.put's register by the
   * [type+student+target] index (not a cursor over every rating of the year).
   */
  async _loadTouched(name, args) {
    const { db } = this;
    const touched = rowsTouched(name, args);
    const [rows, ratings] = await Promise.all([
      touched.get.length ? db.rows.bulkGet(touched.get) : [],
      touched.ratings ? this._ratingsOf(...touched.ratings) : [],
    ]);
    const loaded = new Map(touched.get.map(([type, id], i) => [`${type}\u0000${id}`, rows[i] ?? null]));
    return { get: (type, id) => loaded.get(`${type}\u0000${id}`) ?? null, ratings: () => ratings };
  }

  /** The rating rows of (learner, target), by the pair index; ids compared as text, as before. */
  async _ratingsOf(studentId, targetId) {
    const [student, target] = [String(studentId), String(targetId)];
    const rows = await this.db.rows.where(PAIR_INDEX).anyOf(pairIndexKeys("rating", [[studentId, targetId]])).toArray();
    return rows.filter((r) => String(r.data.student_id) === student && String(r.data.target_id) === target);
  }

  /** Run the merge rule of one outbox entry over the local rows (inside a transaction). */
  async _applyLocal(entry, clientId) {
    const args = validateArgs(entry.name, entry.args);
    return this._writeMerged(entry, clientId, await this._loadTouched(entry.name, args));
  }

  /**
   * Merge `entry` over the rows `touched` holds and write what it changes: the server copy of
   * each row (shadow, if none is kept yet) and the row. Two round trips: the rows and shadows
   * it writes are read at once, then written at once.
   */
  async _writeMerged(entry, clientId, touched) {
    const { db } = this;
    const args = validateArgs(entry.name, entry.args);
    const hlc = entry.server_hlc ?? entry.hlc; // a clamped stamp: what the server really used
    const out = merge(touched, entry.name, args, { actor: this.actor, clientId, seq: entry.seq, hlc });
    if (out.rows.length) {
      const keys = out.rows.map((row) => [row.type, row.id]);
      const [existing, shadows] = await Promise.all([db.rows.bulkGet(keys), db.shadow.bulkGet(keys)]);
      const shadowed = new Set();
      const saved = [];
      out.rows.forEach((row, i) => {
        const key = `${row.type}\u0000${row.id}`;
        if (shadows[i] || shadowed.has(key)) return;
        shadowed.add(key);
        saved.push({ type: row.type, id: row.id, row: existing[i] ?? null });
      });
      // a local row keeps the server version it was based on: rating.put's base_version
      // must only count versions the server handed out
      const written = out.rows.map((row, i) => ({ ...row, version: existing[i]?.version ?? 0, local: 1 }));
      await Promise.all([saved.length ? db.shadow.bulkPut(saved) : null, db.rows.bulkPut(written)]);
    }
    const answer = { status: out.status };
    if (out.reason) answer.reason = out.reason;
    if (out.conflictId) answer.conflict_id = out.conflictId;
    return answer;
  }

  /** Outbox entries to push, oldest first (at most `limit`). */
  pendingEntries(limit = Infinity) {
    return this.db.outbox.where("status").equals(PENDING).sortBy("seq").then((all) => all.slice(0, limit));
  }

  pendingCount() {
    return this.db.outbox.where("status").equals(PENDING).count();
  }

  rejectedEntries() {
    return this.db.outbox.where("status").equals(REJECTED).sortBy("seq");
  }

  /** The learner has seen a rejection: forget it. */
  dismissRejected(seq) {
    const { outbox } = this.db;
    return this.db.transaction("rw", outbox, async () => {
      const entry = await outbox.get(seq);
      if (entry?.status === REJECTED) await outbox.delete(seq);
    });
  }

  /**
   * Record the server's answers to a push: applied/conflict/duplicate become "acked" (their
   * effect stays on screen until a complete pull brings the server's rows), rejected ones
   * keep their reason. Returns the rejected results.
   */
  async recordResults(results) {
    const { db } = this;
    const rejected = [];
    if (!results.length) return rejected;
    await db.transaction("rw", db.outbox, async () => {
      // one read and one write for the whole answer, not a round trip per entry
      const entries = await db.outbox.bulkGet(results.map((r) => r.seq));
      const changed = new Map();
      results.forEach((result, i) => {
        const entry = changed.get(result.seq) ?? entries[i];
        if (!entry || entry.status !== PENDING) return;
        const status = result.status === "rejected" ? REJECTED : ACKED;
        if (status === REJECTED) rejected.push({ ...result, name: entry.name, args: entry.args });
        changed.set(result.seq, {
          ...entry,
          status,
          reason: result.reason ?? null,
          result,
          server_hlc: result.clamped ? result.hlc : entry.server_hlc ?? null,
        });
      });
      if (changed.size) await db.outbox.bulkPut([...changed.values()]);
    });
    return rejected;
  }

  /**
   * The server expects `expectedSeq` but our first pending entry is later: the entries in
   * between never reached it (e.g. it was restored from a backup). Renumber the pending
   * entries from expectedSeq (their event ids change with their seq, so rebase the view).
   */
  async renumberFrom(expectedSeq) {
    const { db } = this;
    const clientId = await this.clientId();
    await db.transaction("rw", db.meta, db.outbox, db.rows, db.shadow, async () => {
      const pending = await this.pendingEntries();
      if (!pending.length || pending[0].seq <= expectedSeq) return; // another tab did it
      const taken = await db.outbox.where("seq").aboveOrEqual(expectedSeq).filter((e) => e.status !== PENDING).count();
      if (taken) throw new Error("cannot renumber: answered entries hold those seqs");
      await db.outbox.bulkDelete(pending.map((e) => e.seq));
      await db.outbox.bulkAdd(pending.map((e, i) => ({ ...e, seq: expectedSeq + i })));
      await this.setMeta("next_seq", expectedSeq + pending.length);
      await this._rebase([], false, clientId);
    });
  }

  /**
   * Apply one pulled page: put the server copies back, write the page's rows, re-apply
   * the writes the server has not shown us yet. On the last page (`isLast`) acked entries
   * are dropped first, because the pull now contains their effect. `cursor` (if given)
   * and the `meta` entries are written in the same transaction.
   */
  async applyPull(changes, { cursor, isLast, serverHlc = null, meta = {} }) {
    const { db } = this;
    const clientId = await this.clientId();
    await db.transaction("rw", db.meta, db.outbox, db.rows, db.shadow, async () => {
      await this._rebase(changes, isLast, clientId);
      if (cursor !== undefined) await this.setMeta("cursor", cursor);
      for (const [key, value] of Object.entries(meta)) await this.setMeta(key, value);
      if (serverHlc) {
        const last = await this.getMeta("last_hlc");
        const clock = new Clock(clientId, this.now, last ? HLC.parse(last) : null);
        await this.setMeta("last_hlc", String(clock.receive(serverHlc)));
      }
    });
  }

  async _rebase(changes, dropAcked, clientId) {
    const { db } = this;
    if (dropAcked) await db.outbox.where("status").equals(ACKED).delete();
    for (const saved of await db.shadow.toArray()) {
      if (saved.row) await db.rows.put(saved.row);
      else await db.rows.delete([saved.type, saved.id]);
    }
    await db.shadow.clear();
    if (changes.length) {
      // a first sync's pages may bring a row again (history after the current phase) or
      // after a newer copy: per row, the highest server version wins (sync/phases.py)
      const held = await db.rows.bulkGet(changes.map(({ type, id }) => [type, id]));
      const newer = changes.filter((row, i) => !held[i] || (held[i].version ?? 0) <= row.version);
      await db.rows.bulkPut(newer.map(({ type, id, version, deleted, data }) => ({ type, id, version, deleted, data, local: 0 })));
    }
    const replay = await db.outbox.filter((e) => e.status === PENDING || e.status === ACKED).sortBy("seq");
    for (const entry of replay) await this._applyLocal(entry, clientId);
  }

  /** Rows of one type for the screens: {id, version, deleted, local, data}. */
  rowsOf(type) {
    return this.db.rows.where("type").equals(type).toArray();
  }

  /** Rows of `type` that pass `filter` ({key: value} on data, or a function of the row); deleted ones only with includeDeleted. */
  async _matching(type, filter = {}, includeDeleted = false) {
    const test = typeof filter === "function" ? filter : (r) => Object.entries(filter).every(([k, v]) => String(r.data?.[k]) === String(v));
    return (await this.rowsOf(type)).filter((r) => (includeDeleted || !r.deleted) && test(r));
  }

  /** How many rows of `type` pass `filter` (see page): the true count beside a page. */
  async count(type, filter = {}, { includeDeleted = false } = {}) {
    return (await this._matching(type, filter, includeDeleted)).length;
  }

  /**
   * One page of the rows of `type` that pass `filter`: `order` is "version" / "-version"
   * (newest first, the default) or a data key, "-" for descending; ties by id.
   */
  async page(type, filter = {}, { limit = 20, offset = 0, order = "-version", includeDeleted = false } = {}) {
    const rows = await this._matching(type, filter, includeDeleted);
    const desc = order.startsWith("-");
    const key = desc ? order.slice(1) : order;
    const value = (r) => (key === "version" ? r.version ?? 0 : r.data?.[key] ?? "");
    rows.sort((a, b) => {
      const [x, y] = [value(a), value(b)];
      const by = x < y ? -1 : x > y ? 1 : String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0;
      return desc ? -by : by;
    });
    return rows.slice(offset, offset + limit);
  }

  getRow(type, id) {
    return this.db.rows.get([type, id]);
  }

  /** The highest server version of the rating rows of (learner, target): rating.put's base_version. */
  async baseVersion(studentId, targetId) {
    const ratings = await this._ratingsOf(studentId, targetId);
    return ratings.reduce((top, r) => Math.max(top, r.version ?? 0), 0);
  }

  /** Keep a file for upload (bytes as an ArrayBuffer: every browser's IndexedDB stores those). */
  async putBlob(sha256, bytes, type = "application/octet-stream") {
    const buffer = bytes instanceof ArrayBuffer ? bytes : await new Response(bytes).arrayBuffer();
    const existing = await this.db.blobs.get(sha256);
    if (existing) return existing;
    const blob = { sha256, bytes: buffer, size: buffer.byteLength, type, offset: 0, status: PENDING, reason: null };
    await this.db.blobs.put(blob);
    return blob;
  }

  pendingBlobs() {
    return this.db.blobs.where("status").equals(PENDING).toArray();
  }

  updateBlob(sha256, changes) {
    return this.db.blobs.update(sha256, changes);
  }
}
