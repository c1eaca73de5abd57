/**
 * Bounded reads of the device store for the screens: one page of a kind of row, and counts,
 * without copying every row of the kind into memory (issue 12: a learner with 5,000 goals
 * held a tab at 75 % CPU because the goals screen read and rendered all of them).
 *
 * Pages walk the rows table's primary key [type+id] in one type's key range, newest id first
 * (ids of rows a device makes are UUIDv7, so id order is creation order), a chunk of rows per
 * request, and stop as soon as the page is full. Counts walk the same range a chunk at a time
 * without keeping rows. Kept apart from store.js so the store's schema stays as it is; a
 * status index in a later schema version would let `countBy` count from the index alone.
 */

import Dexie from "dexie";

export const PAGE_SIZE = 20;

const everything = () => true;

/** The rows of one type, in primary-key order: a Dexie Collection (not yet read). */
export function rowsOfType(db, type, { newestFirst = true } = {}) {
  const range = db.rows.where("[type+id]").between([type, Dexie.minKey], [type, Dexie.maxKey]);
  return newestFirst ? range.reverse() : range;
}

// rows read per IndexedDB request: a cursor pays one round trip per row (5,000 goals took
// over a second), a getAll over a key range one per chunk
const CHUNK = 250;

/** The primary keys of one type's rows, ascending (keys only: no row is copied). */
function keysOfType(db, type) {
  return rowsOfType(db, type, { newestFirst: false }).primaryKeys();
}

/** The rows between two primary keys (both included), ascending, in one request. */
function chunk(db, keys, lo, hi) {
  return db.rows.where("[type+id]").between(keys[lo], keys[hi - 1], true, true).toArray();
}

/**
 * One page of live (not deleted) rows of `type` that pass `where`, newest id first:
 * `offset` matching rows skipped, then at most `limit`. Reads the newest chunk of rows
 * first and stops as soon as the page is full. Resolves to an array of rows.
 */
export async function page(db, type, { where = everything, limit = PAGE_SIZE, offset = 0, newestFirst = true } = {}) {
  const size = Math.max(0, Math.floor(limit));
  if (!size) return [];
  let skip = Math.max(0, Math.floor(offset));
  const keys = await keysOfType(db, type);
  const out = [];
  const take = (rows) => {
    for (const row of rows) {
      if (row.deleted || !where(row)) continue;
      if (skip) skip -= 1;
      else if (out.push(row) >= size) return true;
    }
    return false;
  };
  if (newestFirst) {
    for (let hi = keys.length; hi > 0; hi -= CHUNK) {
      if (take((await chunk(db, keys, Math.max(0, hi - CHUNK), hi)).reverse())) break;
    }
  } else {
    for (let lo = 0; lo < keys.length; lo += CHUNK) {
      if (take(await chunk(db, keys, lo, Math.min(keys.length, lo + CHUNK)))) break;
    }
  }
  return out;
}

/** Every live row of `type` that passes `where`, chunk by chunk (none kept): `visit(row)`. */
export async function scan(db, type, where, visit) {
  const keys = await keysOfType(db, type);
  for (let lo = 0; lo < keys.length; lo += CHUNK) {
    for (const row of await chunk(db, keys, lo, Math.min(keys.length, lo + CHUNK))) {
      if (!row.deleted && (where ?? everything)(row)) visit(row);
    }
  }
}

/** How many live rows of `type` pass `where`. */
export async function count(db, type, where = everything) {
  let n = 0;
  await scan(db, type, where, () => {
    n += 1;
  });
  return n;
}

/**
 * Live rows of `type` that pass `where`, counted per `keyOf(row)` in one pass:
 * e.g. goals by status → {active: 12, done: 4857}.
 */
export async function countBy(db, type, keyOf, where = everything) {
  const counts = {};
  await scan(db, type, where, (row) => {
    const key = String(keyOf(row));
    counts[key] = (counts[key] ?? 0) + 1;
  });
  return counts;
}

/** The live rows of `type` that pass `where` (for lists bounded by their filter, e.g. one
 * target's events). */
export async function select(db, type, where = everything) {
  const out = [];
  await scan(db, type, where, (row) => out.push(row));
  return out;
}

/** Every row (deleted ones too) of the given types: the small kinds a screen needs whole. */
export function rowsOfTypes(db, types) {
  return db.rows.where("type").anyOf(types).toArray();
}
