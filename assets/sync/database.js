/**
 * The device's database: one Dexie database per signed-in user ("waypoint-<userId>"), its
 * schema versions and upgrades, and the keys it derives for its indexes. The replica logic
 * over it (optimistic writes, the outbox, rebasing on a pull) is store.js.
 *
 * rows    [type+id] → {type, id, version, deleted, data, local}: server rows with the
 *         learner's own pending writes applied on top (what the screens render); indexed
 *         by type, version, (type, learner, target) (PAIR_INDEX), [type+local], and the
 *         derived keys `wait` (WAIT_INDEX) and `ask` (ASK_INDEX)
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
import { evidenceStatus } from "./caps.js";
import { asksToDemonstrate } from "./ready.js";

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

/**
 * The key of the rows index of a staff member's own binder rows (teacher microcredentials:
 * rows whose student_id is the signed-in teacher's own id): where(OWN_INDEX).equals([type,
 * 1]). A teacher's store also holds a year of their learners' rows; "My growth" reads its
 * owner's few rows by key instead of scanning every goal, pick and piece of evidence.
 */
export const OWN_INDEX = "[type+own]";
export const OWN_TYPES = Object.freeze(["goal", "evidence", "pick", "review", "self_assessment", "event", "level"]);
const OWN = new Set(OWN_TYPES);

/** `row` as stored in a staff store of `ownerId`: `own: 1` when it is the owner's own binder row. */
export function withOwnKey(row, ownerId) {
  if (!row || ownerId === null || ownerId === undefined) return row;
  if (OWN.has(row.type) && row.data && String(row.data.student_id) === String(ownerId)) return row.own === 1 ? row : { ...row, own: 1 };
  if ("own" in row) {
    const { own, ...rest } = row;
    return rest;
  }
  return row;
}

/** The IndexedDB name of a user's store. */
export function dbName(userId) {
  return `waypoint-${userId}`;
}

/**
 * Open (or create) the Dexie database of one user; `dexieOptions` may pass {indexedDB,
 * IDBKeyRange}. `ownKeys` (a staff member's store): derive the OWN_INDEX key of their rows.
 */
export function openDatabase(userId, dexieOptions = {}, { ownKeys = false } = {}) {
  const owner = ownKeys ? userId : null;
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
  // a staff member's own binder rows by key (OWN_INDEX: "My growth"); the upgrade marks those
  // held (a learner's store derives no `own` key: every row there is the learner's)
  db.version(5)
    .stores({
      rows: "[type+id], type, version, [type+data.student_id+data.target_id], [type+local], [type+wait], [type+ask], [type+own]",
    })
    .upgrade((tx) =>
      owner === null
        ? undefined
        : tx
            .table("rows")
            .where("type")
            .anyOf(OWN_TYPES)
            .modify((row) => {
              if (withOwnKey(row, owner).own === 1) row.own = 1;
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
          mutate: (req) => table.mutate(req.type === "add" || req.type === "put" ? { ...req, values: req.values.map((row) => withOwnKey(withDerivedKeys(row), owner)) } : req),
        };
      },
    }),
  });
  return db;
}
