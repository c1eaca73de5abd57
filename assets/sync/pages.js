/**
 * Bounded reads of the device store for the screens: one page of a kind of row, and counts,
 * without copying every row of the kind into memory (issue 12: a learner with 5,000 goals
 * held a tab at 75 % CPU because the goals screen read and rendered all of them).
 *
 * Pages walk the rows table's primary key [type+id] in one type's key range, newest id first
 * (ids of rows a device makes are UUIDv7, so id order is creation order), and stop as soon
 * as the page is full. Counts walk the same range without keeping rows. Kept apart from
 * store.js so the store's schema stays as it is; a status index in a later schema version
 * would let `countBy` count from the index alone.
 */

import Dexie from "dexie";

export const PAGE_SIZE = 20;

const everything = () => true;

/** The rows of one type, in primary-key order: a Dexie Collection (not yet read). */
export function rowsOfType(db, type, { newestFirst = true } = {}) {
  const range = db.rows.where("[type+id]").between([type, Dexie.minKey], [type, Dexie.maxKey]);
  return newestFirst ? range.reverse() : range;
}

/**
 * One page of live (not deleted) rows of `type` that pass `where`, newest id first:
 * `offset` matching rows skipped, then at most `limit` read. Resolves to an array of rows.
 */
export function page(db, type, { where = everything, limit = PAGE_SIZE, offset = 0, newestFirst = true } = {}) {
  const size = Math.max(0, Math.floor(limit));
  if (!size) return Promise.resolve([]);
  return rowsOfType(db, type, { newestFirst })
    .filter((row) => !row.deleted && where(row))
    .offset(Math.max(0, Math.floor(offset)))
    .limit(size)
    .toArray();
}

/** How many live rows of `type` pass `where`. */
export function count(db, type, where = everything) {
  return rowsOfType(db, type).filter((row) => !row.deleted && where(row)).count();
}

/**
 * Live rows of `type` that pass `where`, counted per `keyOf(row)` in one pass:
 * e.g. goals by status → {active: 12, done: 4857}.
 */
export async function countBy(db, type, keyOf, where = everything) {
  const counts = {};
  await rowsOfType(db, type).each((row) => {
    if (row.deleted || !where(row)) return;
    const key = String(keyOf(row));
    counts[key] = (counts[key] ?? 0) + 1;
  });
  return counts;
}

/** Every row (deleted ones too) of the given types: the small kinds a screen needs whole. */
export function rowsOfTypes(db, types) {
  return db.rows.where("type").anyOf(types).toArray();
}
