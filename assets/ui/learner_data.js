/**
 * What each learner screen reads from the device store, bounded (issue 12): every screen
 * reads only the kinds of rows it shows, and its long lists (goals, evidence, a target's
 * history and evidence) one page at a time with true counts (assets/sync/pages.js), so a
 * learner with 5,000 goals or 2,000 pieces of evidence costs a screen what a demo learner
 * costs it. Pure async functions over a Dexie database: learner.js wraps them in useLiveQuery.
 */

import { count, countBy, page, rowsOfTypes, scan, select } from "../sync/pages.js";
import { t } from "./i18n.js";
import { countText, moreText } from "./paging.js";
import { evidenceView, goalView, indexRows, targetDetailView, targetOptions } from "./views.js";

// each list's words as whole sentences with their plurals (paging.js countText / moreText)
const OPEN_GOALS = {
  showing: (shown, n) => t({ one: "Showing {shown} of {n} current goal", other: "Showing {shown} of {n} current goals", n, shown }),
  more: (n) => t({ one: "Show {n} more current goal", other: "Show {n} more current goals", n }),
};
const DONE_GOALS = {
  showing: (shown, n) => t({ one: "Showing {shown} of {n} done goal", other: "Showing {shown} of {n} done goals", n, shown }),
  more: (n) => t({ one: "Show {n} more done goal", other: "Show {n} more done goals", n }),
};
const EVIDENCE = {
  showing: (shown, n) => t({ one: "Showing {shown} of {n} piece of evidence", other: "Showing {shown} of {n} pieces of evidence", n, shown }),
  more: (n) => t({ one: "Show {n} more piece of evidence", other: "Show {n} more pieces of evidence", n }),
};
const HISTORY = {
  showing: (shown, n) => t({ one: "Showing {shown} of {n} score", other: "Showing {shown} of {n} scores", n, shown }),
  more: (n) => t({ one: "Show {n} more score", other: "Show {n} more scores", n }),
};
const SHOW_DONE = (n) => t("Show done goals ({n})", { n: n.toLocaleString("en-US") });
// while a new device's older work still streams in (first sync, history phase) a count is
// only what has arrived: say so, rather than present it as the learner's true total
const SHOW_DONE_SO_FAR = (n) => t("Show done goals ({n} so far)", { n: n.toLocaleString("en-US") });
const SO_FAR = (text) => (text ? t("{count} so far", { count: text }) : "");

// the learner's own thumbnails (made at capture, assets/ui/evidence_photos.js) in `meta`
export const thumbKey = (sha) => `thumb:${sha}`;

/** The thumbnails of these files (sha256 → data URL): one indexed read, never the photos. */
export async function thumbsOf(db, shas) {
  const wanted = [...new Set(shas.filter(Boolean))];
  if (!wanted.length) return new Map();
  const rows = await db.meta.bulkGet(wanted.map(thumbKey));
  return new Map(rows.filter(Boolean).map((r) => [r.key.slice("thumb:".length), r.value]));
}

/** countText, marked "so far" while history is still arriving. */
const countNow = (shown, total, words, streaming) => (streaming ? SO_FAR : String)(countText(shown, total, words));

// the kinds of rows each screen needs whole (small: curriculum, levels, registers)
const BINDER_TYPES = ["content_area", "topic", "target", "level", "self_assessment", "event"];
const PLAYLIST_TYPES = ["topic", "target", "playlist", "activity", "pick", "recommendation", "suggestion_decline"];
const TARGET_TYPES = ["topic", "target", "level", "self_assessment"];

const same = (a, b) => String(a) === String(b);
const isDone = (row) => row.data.status === "done";

/** Evidence pieces per target id, counted in one pass without keeping the rows. */
async function evidenceCounts(db, studentId) {
  const counts = new Map();
  await scan(db, "evidence", (row) => same(row.data.student_id, studentId), (row) => {
    for (const t of row.data.target_ids ?? []) counts.set(String(t), (counts.get(String(t)) ?? 0) + 1);
  });
  return counts;
}

/**
 * Pieces whose one evidence.put the server refused because their file was refused first: the
 * row is gone, the refused write is kept in the outbox until the learner acts on it, so the
 * piece stays in the list with "Upload refused" and its fix (assets/ui/evidence_photos.js).
 */
export async function refusedPieces(db, studentId, where = () => true) {
  const entries = await db.outbox.where("status").equals("rejected").toArray();
  const latest = new Map();
  for (const e of entries) {
    if (e.name !== "evidence.put" || !e.args?.blob_sha256 || !same(e.args.student_id, studentId)) continue;
    latest.set(String(e.args.id), { type: "evidence", id: e.args.id, version: 0, deleted: false, local: 1, data: { ...e.args } });
  }
  const rows = [...latest.values()].filter(where);
  const standing = await db.rows.bulkGet(rows.map((r) => ["evidence", r.id]));
  return rows.filter((r, i) => !standing[i] || standing[i].deleted);
}

/**
 * Pieces added on this device and not yet on the server (local, version 0), newest first by
 * their own id (UUIDv7: the time they were made), read through the [type+local] index: they
 * have no server order yet, so the list puts them first, where the learner is looking.
 */
export async function unsentPieces(db, studentId, where = () => true) {
  const local = await db.rows.where("[type+local]").equals(["evidence", 1]).toArray();
  return local
    .filter((r) => !r.deleted && !r.version && same(r.data.student_id, studentId) && where(r))
    .sort((a, b) => String(b.id).localeCompare(String(a.id)));
}

/** The page of a list: refused and unsent pieces first (newest first), then the stored page. */
async function newestFirst(db, studentId, where, limit) {
  const [refused, unsent] = await Promise.all([refusedPieces(db, studentId, where), unsentPieces(db, studentId, where)]);
  const first = new Set(unsent.map((r) => String(r.id)));
  const shown = unsent.slice(0, limit);
  const stored = await page(db, "evidence", { where: (r) => where(r) && !first.has(String(r.id)), limit: limit - shown.length });
  return { items: [...refused, ...shown, ...stored], refused: refused.length };
}

/**
 * The photo pieces of a page with no thumbnail on this device (made elsewhere, or before a
 * wipe): their sha256s, for evidence_photos.js fetchThumbs to fetch once online and keep.
 */
export function missingThumbs(items, ix, blobs) {
  const shas = items
    .filter((r) => r.data.kind === "photo" && r.data.blob_sha256 && !ix.thumbs.has(r.data.blob_sha256))
    .map((r) => r.data.blob_sha256)
    .filter((sha) => !blobs.get(sha) || blobs.get(sha).status === "uploaded");
  return [...new Set(shas)];
}

/** The reviews of the given evidence ids only. */
function reviewsOf(db, evidenceIds) {
  const ids = new Set(evidenceIds.map(String));
  return select(db, "review", (r) => ids.has(String(r.data.evidence_id)));
}

/** The rows and index a screen's view is built from. */
export async function binderData(db, studentId) {
  const ix = indexRows(await rowsOfTypes(db, BINDER_TYPES), studentId);
  ix.evidenceCounts = await evidenceCounts(db, studentId);
  return ix;
}

export async function playlistsData(db, studentId) {
  return indexRows(await rowsOfTypes(db, PLAYLIST_TYPES), studentId);
}

/**
 * Goals: a page of current goals (not done), newest first, and — only once asked for —
 * a page of done goals; the counts of both.
 */
export async function goalsData(db, studentId, { openLimit, doneLimit, streaming = false }) {
  const mine = (row) => same(row.data.student_id, studentId);
  const [reference, open, done, counts] = await Promise.all([
    rowsOfTypes(db, ["target"]),
    page(db, "goal", { where: (r) => mine(r) && !isDone(r), limit: openLimit }),
    page(db, "goal", { where: (r) => mine(r) && isDone(r), limit: doneLimit }),
    countBy(db, "goal", (r) => (isDone(r) ? "done" : "open"), mine),
  ]);
  const ix = indexRows(reference, studentId);
  const [openTotal, doneTotal] = [counts.open ?? 0, counts.done ?? 0];
  return {
    goals: open.map((g) => goalView(ix, g)),
    options: targetOptions(ix),
    open_total: openTotal,
    open_shown: open.length,
    open_count_text: countNow(open.length, openTotal, OPEN_GOALS, streaming),
    open_more_text: moreText(open.length, openTotal, OPEN_GOALS),
    done_goals: done.map((g) => goalView(ix, g)),
    done_total: doneTotal,
    done_shown: done.length,
    done_count_text: countNow(done.length, doneTotal, DONE_GOALS, streaming),
    done_more_text: moreText(done.length, doneTotal, DONE_GOALS),
    done_button_text: doneTotal && !done.length ? (streaming ? SHOW_DONE_SO_FAR : SHOW_DONE)(doneTotal) : "",
  };
}

/** Evidence: a page, newest first, with the reviews of that page only and the true count. */
export async function evidenceData(db, studentId, blobs, uploads, { limit, streaming = false }) {
  const mine = (row) => same(row.data.student_id, studentId);
  const [reference, { items, refused }, storedTotal] = await Promise.all([
    rowsOfTypes(db, ["target"]),
    newestFirst(db, studentId, mine, limit),
    count(db, "evidence", mine),
  ]);
  const total = storedTotal + refused;
  const ix = indexRows([...reference, ...(await reviewsOf(db, items.map((r) => r.id)))], studentId);
  ix.thumbs = await thumbsOf(db, items.map((r) => r.data.blob_sha256));
  return {
    items: items.map((ev) => evidenceView(ix, ev, blobs, uploads)),
    missing_thumbs: missingThumbs(items, ix, blobs),
    options: targetOptions(ix),
    total,
    shown: items.length,
    count_text: countNow(items.length, total, EVIDENCE, streaming),
    more_text: moreText(items.length, total, EVIDENCE),
  };
}

/**
 * One target: its rubric and level, the newest page of its history (the target's own events)
 * and a page of the evidence tagged with it.
 */
export async function targetData(db, studentId, targetId, blobs, uploads, { historyLimit, evidenceLimit }) {
  const tagged = (row) => same(row.data.student_id, studentId) && (row.data.target_ids ?? []).some((t) => same(t, targetId));
  const [reference, events, { items: evidence, refused }, storedTotal] = await Promise.all([
    rowsOfTypes(db, TARGET_TYPES),
    select(db, "event", (r) => same(r.data.target_id, targetId)),
    newestFirst(db, studentId, tagged, evidenceLimit),
    count(db, "evidence", tagged),
  ]);
  const evidenceTotal = storedTotal + refused;
  const reviews = await reviewsOf(db, evidence.map((r) => r.id));
  const ix = indexRows([...reference, ...events, ...evidence, ...reviews], studentId);
  ix.evidenceCounts = new Map([[String(targetId), evidenceTotal]]); // not just this page's
  ix.thumbs = await thumbsOf(db, evidence.map((r) => r.data.blob_sha256));
  const view = targetDetailView(ix, targetId, blobs, uploads);
  if (!view.is_found) return view;
  const history = view.events ?? [];
  const shownHistory = history.slice(0, historyLimit);
  return {
    ...view,
    missing_thumbs: missingThumbs(evidence, ix, blobs),
    events: shownHistory,
    history_shown: shownHistory.length,
    history_count_text: countText(shownHistory.length, history.length, HISTORY),
    history_more_text: moreText(shownHistory.length, history.length, HISTORY),
    evidence_shown: evidence.length,
    evidence_count_text: countText(evidence.length, evidenceTotal, EVIDENCE),
    evidence_more_text: moreText(evidence.length, evidenceTotal, EVIDENCE),
  };
}
