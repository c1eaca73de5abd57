/**
 * The device's store: one Dexie database per signed-in user ("waypoint-<userId>").
 *
 * rows    [type+id] → {type, id, version, deleted, data, local}: server rows with the
 *         learner's own pending writes applied on top (what the screens render)
 * shadow  [type+id] → {type, id, row}: the server copy of every row a pending write changed
 *         (row null = the row did not exist), so a pull can rebase instead of guessing
 * outbox  seq → {seq, name, args, hlc, status, reason, result, created_at}
 *         status: pending (to push) | acked (applied on the server, kept until the next
 *         complete pull) | rejected (kept with its reason until the learner dismisses it)
 * blobs   sha256 → {sha256, bytes (ArrayBuffer), size, type, offset, status, reason}
 * meta    key → {key, value}: client_id, next_seq, last_hlc, cursor, last_synced_at,
 *         last_error (the engine's status is kept in memory, not here: engine.js _set)
 */

import Dexie from "dexie";
import { Clock, HLC } from "./clock.js";
import { CAPS } from "./caps.js";
import { activatesGoal, countCap, evidenceStatus, localCounts } from "./capcheck.js";
import { Actor, merge, rowsTouched, validateArgs } from "./merge.js";
import { asksToDemonstrate } from "./ready.js";
import { uuid7 } from "./uuid.js";

export const ACKED = "acked";
export const PENDING = "pending";
export const REJECTED = "rejected";

/** The index of rows by (type, learner, target): a teacher screen's pairs, a rating register. */
export const PAIR_INDEX = "[type+data.student_id+data.target_id]";

/**
 * The PAIR_INDEX keys of (learner, target) pairs of one type. A key is typed in IndexedDB and
 * ids reach the store as numbers (the server's JSON) or strings (an address), so both forms.
 */
export function pairIndexKeys(type, pairs) {
  const keys = new Map();
  for (const [student, target] of pairs) {
    keys.set(`s${student}:${target}`, [type, String(student), String(target)]);
    const [s, t] = [Number(student), Number(target)];
    if (String(student) !== "" && String(target) !== "" && Number.isFinite(s) && Number.isFinite(t)) keys.set(`n${s}:${t}`, [type, s, t]);
  }
  return [...keys.values()];
}

// the mutations a count cap can refuse (sync/caps.py: new active goals, new evidence)
const CAPPED = new Set(["goal.put", "evidence.put"]);

/** The key of the rows index of evidence waiting for review: where("[type+wait]").equals(WAITING). */
export const WAIT_INDEX = "[type+wait]";
export const WAITING = ["evidence", 1];

/**
 * A live piece of evidence waiting for a teacher's review: submitted and not reviewed since
 * its last edit (evidenceStatus "submitted" = sync.phases.review_status, the server's rule
 * for a teacher's current phase; tests/js/store.test.js holds them equal on their cases).
 */
export function waitsForReview(row) {
  return row?.type === "evidence" && !row.deleted && evidenceStatus(row.data) === "submitted";
}

/** `row` as stored: with `wait: 1` when it waits for review, without a `wait` key otherwise. */
export function withWait(row) {
  if (waitsForReview(row)) return row.wait === 1 ? row : { ...row, wait: 1 };
  if (row && "wait" in row) {
    const { wait, ...rest } = row;
    return rest;
  }
  return row;
}

/** The key of the rows index of self-assessments asking to demonstrate: where(ASK_INDEX).equals(ASKING). */
export const ASK_INDEX = "[type+ask]";
export const ASKING = ["self_assessment", 1];

/** A live self-assessment asking to demonstrate (ready.js: its note says "Ready to demonstrate"). */
export function asksToShow(row) {
  return row?.type === "self_assessment" && !row.deleted && asksToDemonstrate(row.data);
}

/** `row` as stored: its derived index keys (`wait`, `ask`) set when they hold, absent otherwise. */
export function withDerivedKeys(row) {
  const waited = withWait(row);
  if (asksToShow(waited)) return waited.ask === 1 ? waited : { ...waited, ask: 1 };
  if (waited && "ask" in waited) {
    const { ask, ...rest } = waited;
    return rest;
  }
  return waited;
}

/** The IndexedDB name of a user's store. */
export function dbName(userId) {
  return `waypoint-${userId}`;
}

/** Open (or create) the Dexie database of one user; `dexieOptions` may pass {indexedDB, IDBKeyRange}. */
export function openDatabase(userId, dexieOptions = {}) {
  const db = new Dexie(dbName(userId), dexieOptions);
  db.version(1).stores({
    rows: "[type+id], type, version",
    shadow: "[type+id]",
    outbox: "seq, status",
    blobs: "sha256, status",
    meta: "key",
  });
  // the teacher's screens read the rows of the (learner, target) pairs they show, and the
  // ratings not yet sent, through these instead of every row of a type (ui/teacher_reads.js);
  // adding indexes keeps every row: IndexedDB builds them on the upgrade
  db.version(2).stores({
    rows: "[type+id], type, version, [type+data.student_id+data.target_id], [type+local]",
  });
  // the review queue reads the evidence that waits for a teacher by key (`wait`: 1, derived
  // by this store on every write; absent otherwise, so the index holds only those rows)
  // instead of every evidence row of the year; the upgrade derives it for the rows held
  db.version(3)
    .stores({
      rows: "[type+id], type, version, [type+data.student_id+data.target_id], [type+local], [type+wait]",
    })
    .upgrade((tx) =>
      tx
        .table("rows")
        .where("type")
        .equals("evidence")
        .modify((row) => {
          if (waitsForReview(row)) row.wait = 1; // (the write goes through withWait too)
          else delete row.wait;
        }),
    );
  // the Ready screen reads the self-assessments asking to demonstrate by key (`ask`: 1, derived
  // like `wait`) instead of every self-assessment of the school; the upgrade marks those held
  db.version(4)
    .stores({
      rows: "[type+id], type, version, [type+data.student_id+data.target_id], [type+local], [type+wait], [type+ask]",
    })
    .upgrade((tx) =>
      tx
        .table("rows")
        .where("type")
        .equals("self_assessment")
        .modify((row) => {
          if (asksToShow(row)) row.ask = 1;
          else delete row.ask;
        }),
    );
  // every row written (by this store, a test, an upgrade) gets its `wait` and `ask` keys
  // here, so the indexes can never disagree with the row's data
  db.use({
    stack: "dbcore",
    name: "waypoint-wait-key",
    create: (down) => ({
      ...down,
      table(name) {
        const table = down.table(name);
        if (name !== "rows") return table;
        return {
          ...table,
          mutate: (req) => table.mutate(req.type === "add" || req.type === "put" ? { ...req, values: req.values.map(withDerivedKeys) } : req),
        };
      },
    }),
  });
  return db;
}

/**
 * One user's offline store. `user` is the signed-in user {id, role, learner_ids?}; the local
 * Actor accepts any learner for a teacher (the server checks the roster).
 */
export class SyncStore {
  constructor(user, { db = null, now = () => Date.now(), dexieOptions = {} } = {}) {
    this.user = user;
    this.db = db ?? openDatabase(user.id, dexieOptions);
    this.now = now;
    this.actor = new Actor(user.id, user.role, user.role === "teacher" ? null : []);
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
    if (name === "goal.put" ? !activatesGoal(prior, clean) : prior) return null; // edits are never capped
    // fewer rows (and queued changes) than the cap: it cannot be reached; a key count
    // spares reading every row on each write of an ordinary learner
    const [held, queued] = await Promise.all([this.db.rows.where("type").equals(type).count(), type === "evidence" ? this.db.outbox.count() : 0]);
    if (type === "goal" ? held < CAPS.active_goals : held < CAPS.open_evidence && queued < CAPS.evidence_per_day) return null;
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
    await db.transaction("rw", db.outbox, async () => {
      for (const result of results) {
        const entry = await db.outbox.get(result.seq);
        if (!entry || entry.status !== PENDING) continue;
        const status = result.status === "rejected" ? REJECTED : ACKED;
        if (status === REJECTED) rejected.push({ ...result, name: entry.name, args: entry.args });
        await db.outbox.update(result.seq, {
          status,
          reason: result.reason ?? null,
          result,
          server_hlc: result.clamped ? result.hlc : entry.server_hlc ?? null,
        });
      }
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
