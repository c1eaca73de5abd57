/** Canonical, comparable form of a server's rows (= project.py), for vectors and convergence tests. */

import { shownRating } from "./ratings.js";
import { canonicalJson, codePointCompare, idText } from "../values.js";

export const ROW_TYPES = [
  "goal",
  "pick",
  "evidence",
  "review",
  "self_assessment",
  "rating",
  "conflict",
  "event",
  "history",
  "profile_section",
  "profile_entry",
  "profile_observation",
  "suggestion_decline",
];
// their ids derive from API ids (a profile section's from (learner, section)), so drop them
const KEYED_BY_DATA = new Set(["self_assessment", "rating", "profile_section", "suggestion_decline"]);
// Not comparable across servers: which value a loser lost to depends on arrival order, and
// base_version is a server version number.
const DROPPED = { history: ["winner_hlc"], rating: ["base_version"] };
export const SECTIONS = Object.fromEntries(
  ROW_TYPES.map((t) => [t, t === "evidence" || t === "history" ? t : t === "profile_entry" ? "profile_entries" : `${t}s`]),
);
// the profile's sections appear only when there is something in them, so the projection of a
// state without a profile (every vector older than issue 18) is what it always was
const OPTIONAL = ["profile_sections", "profile_entries", "profile_observations", "suggestion_declines"];

/** Every stored row of an in-memory state, in the shape GET /api/sync/pull returns, sorted by (type, id). */
export function stateRows(state) {
  const rows = Object.values(state.rows).flatMap((byId) => Object.values(byId));
  return rows.sort((a, b) => codePointCompare(a.type, b.type) || codePointCompare(a.id, b.id));
}

function sortCanonical(entries) {
  const keyed = entries.map((e) => [canonicalJson(e), e]);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)); // ASCII only: code unit order = code point order
  return keyed.map(([, e]) => e);
}

/**
 * Project rows {type, id, deleted, data, …} to sorted sections without bookkeeping: drops
 * versions, "_" keys of data, ids of registers, history's winner_hlc and rating's base_version;
 * adds "shown", the teacher level shown per (learner, target). Rows of other types
 * (reference rows of a pull: target, activity…) are ignored.
 */
export function projectRows(rows) {
  const out = Object.fromEntries(Object.values(SECTIONS).map((s) => [s, []]));
  const byPair = new Map();
  for (const r of rows) {
    if (!(r.type in SECTIONS)) continue;
    const data = Object.fromEntries(Object.entries(r.data).filter(([k]) => !k.startsWith("_")));
    for (const key of DROPPED[r.type] ?? []) delete data[key];
    const entry = { deleted: r.deleted, ...data };
    if (!KEYED_BY_DATA.has(r.type)) entry.id = r.id;
    out[SECTIONS[r.type]].push(entry);
    if (r.type === "rating" || r.type === "conflict") {
      const pair = `${idText(r.data.student_id)}\u0000${idText(r.data.target_id)}`;
      if (!byPair.has(pair)) byPair.set(pair, { rating: [], conflict: [], ids: r.data });
      byPair.get(pair)[r.type].push(r);
    }
  }
  for (const key of Object.keys(out)) out[key] = sortCanonical(out[key]);
  const shown = [];
  for (const slot of byPair.values()) {
    const level = shownRating(slot.rating, slot.conflict);
    if (level !== null) shown.push({ student_id: slot.ids.student_id, target_id: slot.ids.target_id, ...level });
  }
  out.shown = sortCanonical(shown);
  for (const key of OPTIONAL) if (!out[key].length) delete out[key];
  return out;
}

/** projectRows over an in-memory state. */
export function project(state) {
  return projectRows(stateRows(state));
}
