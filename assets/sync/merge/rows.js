/** Put and delete of rows devices create (goals, picks, evidence): LWW fields plus tombstones (= rows.py). */

import { InvalidMutation, NotFound } from "../errors.js";
import { authorize, checkRole, isTombstoned, lww, newer, outcome, row } from "./common.js";
import { shown } from "../reasons.js";
import { clone, deepEqual, idText } from "../values.js";

/** The learner a row belongs to: the stored one wins over what the mutation claims. */
export function ownerOf(current, args) {
  return current ? current.data.student_id : args.student_id;
}

/** Refuse a put that tries to change a field fixed at creation. */
export function checkImmutable(rowType, current, args, names) {
  if (!current) return;
  for (const name of names) {
    const stored = current.data[name] ?? null;
    if (name in args && idText(args[name]) !== idText(stored)) {
      if (name === "student_id") throw new InvalidMutation("row.other_learner", { row_type: rowType });
      throw new InvalidMutation("row.immutable", { row_type: rowType, field: name, stored: shown(stored), value: shown(args[name]) });
    }
  }
}

/** Merge a put into a copy of the row's data: [new data, changed fields, history rows]. */
export function putFields(rowType, current, args, ctx, defaults, lwwNames) {
  const data = current ? clone(current.data) : clone(defaults);
  data._hlc ??= {};
  const changes = {};
  for (const name of lwwNames) if (name in args) changes[name] = args[name];
  const [changed, history] = lww(rowType, args.id, data, changes, ctx.hlc);
  data._put_hlc = newer(data._put_hlc ?? null, ctx.hlc);
  if (!("_delete_hlc" in data)) data._delete_hlc = null;
  return [data, changed, history];
}

/** The outcome of a put: rewrite the row only if its data changed. */
export function finishPut(rowType, current, data, history, rowId) {
  const rows = [];
  if (!current || !deepEqual(data, current.data)) rows.push(row(rowType, rowId, data, isTombstoned(data)));
  rows.push(...history);
  if (isTombstoned(data)) return outcome({ code: "row.stays_deleted", params: { row_type: rowType }, rows });
  return outcome({ rows });
}

/** Tombstone a row; a delete wins over every put whose stamp is not newer. */
export function deleteRow(rowType, name, current, args, ctx) {
  checkRole(ctx.actor, name);
  if (!current) throw new NotFound(`not_found.${rowType}`, { id: args.id });
  authorize(ctx.actor, name, current.data.student_id);
  const data = clone(current.data);
  data._delete_hlc = newer(data._delete_hlc ?? null, ctx.hlc);
  if (deepEqual(data, current.data)) return outcome();
  const deleted = isTombstoned(data);
  const rows = [row(rowType, args.id, data, deleted)];
  return deleted ? outcome({ rows }) : outcome({ code: "row.newer_edit_kept", params: { row_type: rowType }, rows });
}
