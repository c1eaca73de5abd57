/**
 * The teacher's screens over the sync core: read what a teacher marked on this device
 * (reviews, ratings, resolutions) and send new marks through window.waypoint — the one
 * write path for offline-capable data. Form values are read from the page's own native
 * inputs, so choosing a level and tapping Approve work with the Reflex socket down.
 */

import { useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { flush, getRuntime, onRuntimeChange, rate, resolveConflict, reviewEvidence, subscribe, useRuntime } from "../sync/index.js";
import { countText, moreText, resetPage, usePageLimit } from "../ui/paging.js";
import { runtimeKey, useSharedQuery } from "../ui/shared_query.js";
// registers the service worker, so a teacher page reloads with no connection too
import "../ui/pwa.js";

// the device's review queue is shown 20 cards at a time (issue 12: no unbounded lists)
export const DEVICE_QUEUE = "review-queue-device";
const WAITING = ["piece waiting for review", "pieces waiting for review"];
const NOT_TAKEN = "Not saved: the school's server refused this change. The reason is shown below.";

// the last thing a teacher's tap led to, in words (shown by useTeacherNotice)
let notice = { text: "", isError: false };
const noticeListeners = new Set();

function say(text, isError = false) {
  notice = { text, isError };
  for (const listener of noticeListeners) listener();
}

const EMPTY_REVIEWS = { done: [], waiting: [] };
const EMPTY_CONFLICTS = { resolved: [], waiting: [] };

function checked(name) {
  return document.querySelector(`input[name="${name}"]:checked`)?.value;
}

function text(id) {
  return document.getElementById(id)?.value?.trim() ?? "";
}

function refuse(message) {
  say(message, true);
  return { ok: false, message };
}

// the online list's total as loaded when a piece was first seen reviewed on this page
const totalAtReview = new Map();

/**
 * "Showing 19 of 322 pieces waiting for review" for the online list (its items and total
 * come from the server): the pieces reviewed on this page stay on screen as "reviewed" but
 * no longer count as waiting. Each is left out only while the total is the one loaded
 * before the review (a later page's total no longer counts it).
 */
export function onlineCountText(items, total, reviewedKeys) {
  const keys = new Set(reviewedKeys ?? []);
  let here = 0;
  for (const item of items ?? []) {
    if (!keys.has(item.key)) continue;
    if (!totalAtReview.has(item.key)) totalAtReview.set(item.key, total);
    if (totalAtReview.get(item.key) === total) here += 1;
  }
  return countText((items?.length ?? 0) - here, Math.max(0, total - here), WAITING);
}

/** Queue the write, then push now when we can; offline the outbox keeps it for later. */
async function attempt(write, done) {
  let queued;
  try {
    queued = await write();
  } catch (error) {
    return refuse(error?.message ?? String(error));
  }
  say(navigator.onLine ? `${done} Sending…` : `${done} Saved on this device; it syncs when you are back online.`);
  // "Synced." as soon as the server answers this change, not when a long first sync's
  // pages end (the outbox is pushed before every page)
  const engine = getRuntime()?.engine;
  const answered = queued?.seq != null && engine ? engine.whenAnswered(queued.seq) : new Promise(() => {});
  const outcome = await Promise.race([flush().catch(() => false), answered]);
  if (outcome === "rejected") return refuse(NOT_TAKEN); // the strip below gives the reason
  const synced = outcome === true || outcome === "acked" || outcome === "gone";
  if (synced) say(`${done} Synced.`);
  else if (navigator.onLine) say(`${done} Saved on this device; it syncs as soon as the server answers.`);
  return { ok: true, synced };
}

export const teacher = {
  /** Approve a piece of evidence with the level chosen on its card (if any). */
  approve(evidenceId, targetIds) {
    keepOnScreen(evidenceId);
    const level = checked(`level-${evidenceId}`);
    const target = checked(`target-${evidenceId}`) ?? targetIds?.[0];
    const comment = text(`comment-${evidenceId}`);
    const options = {};
    if (comment) options.comment = comment;
    if (level !== undefined && level !== "" && target !== undefined) {
      options.level = Number(level);
      options.target_id = Number(target);
    }
    return attempt(() => reviewEvidence(evidenceId, "approved", options), "Approved.");
  },

  /** Return a piece of evidence to the learner; a comment says what to do next. */
  giveBack(evidenceId) {
    const comment = text(`comment-${evidenceId}`);
    if (!comment) return Promise.resolve(refuse("Write a comment so the learner knows what to change."));
    keepOnScreen(evidenceId);
    return attempt(() => reviewEvidence(evidenceId, "returned", { comment }), "Returned to the learner.");
  },

  /**
   * Rate a target; base_version is the newest rating version this device has pulled, so
   * pull once first if this device never has.
   */
  async rate(studentId, targetId) {
    const level = checked(`rating-${studentId}-${targetId}`);
    if (level === undefined) return refuse("Choose a level first.");
    const note = text(`rating-note-${studentId}-${targetId}`);
    if (navigator.onLine) await flush().catch(() => false);
    return attempt(() => rate(Number(studentId), Number(targetId), Number(level), note || undefined), `Rated ${Number(level).toFixed(1)}.`);
  },

  /** The review queue read from this device: "newest" or "oldest" first. */
  setOrder(value) {
    local = { ...local, order: value === "oldest" ? "oldest" : "newest" };
    resetPage(DEVICE_QUEUE);
    tellLocal();
  },

  /** Close a conflict with the level chosen. */
  resolve(conflictId, level) {
    return attempt(() => resolveConflict(conflictId, Number(level)), `Kept ${Number(level).toFixed(1)}.`);
  },
};

if (typeof window !== "undefined") window.waypointTeacher = teacher;

/** {text, isError}: what the last tap did (saved, synced, or why it was refused). */
export function useTeacherNotice() {
  return useSyncExternalStore(
    (listener) => {
      noticeListeners.add(listener);
      return () => noticeListeners.delete(listener);
    },
    () => notice,
    () => notice,
  );
}

/**
 * Reviews on this device: done = "<evidence id>:<caption version>" of every review the
 * device knows; waiting = those not yet on the server.
 */
export function useTeacherReviews() {
  const runtime = useRuntime();
  return useSharedQuery(
    `teacher-reviews:${runtimeKey(runtime)}`,
    async () => {
      if (!runtime) return EMPTY_REVIEWS;
      const rows = await runtime.store.rowsOf("review");
      const key = (r) => `${r.data.evidence_id}:${r.data.caption_version}`;
      return { done: rows.map(key), waiting: rows.filter((r) => r.local).map(key) };
    },
    EMPTY_REVIEWS,
  );
}

/** Conflicts closed on this device: resolved (any), waiting (not yet on the server). */
export function useTeacherConflicts() {
  const runtime = useRuntime();
  return useSharedQuery(
    `teacher-conflicts:${runtimeKey(runtime)}`,
    async () => {
      if (!runtime) return EMPTY_CONFLICTS;
      const rows = (await runtime.store.rowsOf("conflict")).filter((r) => r.data.status === "resolved");
      return { resolved: rows.map((r) => r.id), waiting: rows.filter((r) => r.local).map((r) => r.id) };
    },
    EMPTY_CONFLICTS,
  );
}

/** Ratings this device has not pushed yet, as "<student>:<target>". */
export function useTeacherRatings() {
  const runtime = useRuntime();
  return useSharedQuery(
    `teacher-ratings:${runtimeKey(runtime)}`,
    async () => {
      if (!runtime) return [];
      const rows = await runtime.store.rowsOf("rating");
      return rows.filter((r) => r.local).map((r) => `${r.data.student_id}:${r.data.target_id}`);
    },
    [],
  );
}

// ---- the review queue from the device's store (works after a reload with no connection) ----

// evidence reviewed on this page stays on screen as "reviewed (waiting to sync | synced)"
const reviewedHere = new Set();
let local = { order: "newest", tick: 0 };
const localListeners = new Set();

function tellLocal() {
  for (const listener of localListeners) listener();
}

function keepOnScreen(evidenceId) {
  reviewedHere.add(String(evidenceId));
  local = { ...local, tick: local.tick + 1 };
  tellLocal();
}

function listen(set) {
  return (listener) => {
    set.add(listener);
    return () => set.delete(listener);
  };
}

// Thumbnails: fetched while online (a same-origin GET: the browser sends the httpOnly session
// cookie, and a GET needs no CSRF header) and kept in this page's own Cache Storage (the
// service worker never caches /api), so a photo seen online still shows offline. Only the
// image bytes are kept: headers such as Set-Cookie are left out of the copy.
const THUMB_CACHE = "waypoint-teacher-thumbs";
const EMPTY_THUMBS = Object.freeze({});
let thumbs = EMPTY_THUMBS; // sha256 → object URL
const thumbListeners = new Set();
const loadingThumbs = new Set();
const thumbPath = (sha) => `/api/blobs/${sha}?size=thumb`;

async function loadThumb(sha) {
  if (!sha || thumbs[sha] || loadingThumbs.has(sha) || typeof caches === "undefined") return;
  loadingThumbs.add(sha);
  try {
    const cache = await caches.open(THUMB_CACHE);
    let hit = await cache.match(thumbPath(sha));
    if (!hit && navigator.onLine && getRuntime()) {
      const response = await fetch(thumbPath(sha), { credentials: "same-origin" });
      const type = response.headers.get("content-type") ?? "";
      if (response.ok && type.startsWith("image/")) {
        const bytes = await response.blob();
        hit = new Response(bytes, { headers: { "Content-Type": type } });
        await cache.put(thumbPath(sha), hit.clone());
      }
    }
    if (hit) {
      thumbs = { ...thumbs, [sha]: URL.createObjectURL(await hit.blob()) };
      for (const listener of thumbListeners) listener();
    }
  } catch {
    // offline or refused: the card says the photo will show when online
  } finally {
    loadingThumbs.delete(sha);
  }
}

/** Evidence waiting for a teacher: submitted, and not reviewed since its last edit. */
function isWaiting(data) {
  return Boolean(data.submitted) && (!data.reviewed || Boolean(data.edited_after_review));
}

function photoShas(evidence) {
  return evidence
    .filter((r) => !r.deleted && r.data.kind === "photo" && r.data.blob_sha256 && isWaiting(r.data))
    .map((r) => r.data.blob_sha256);
}

async function prefetchThumbs() {
  const runtime = getRuntime();
  if (!runtime || !navigator.onLine) return;
  for (const sha of photoShas(await runtime.store.rowsOf("evidence"))) await loadThumb(sha);
}

if (typeof window !== "undefined") {
  // after each sync (and on reconnect) keep the waiting photos' thumbnails on this device
  let unsubscribe = () => {};
  let lastSynced = null;
  const follow = () => {
    unsubscribe();
    unsubscribe = subscribe(() => {
      const at = getRuntime()?.engine.status().lastSyncedAt ?? null;
      if (at && at !== lastSynced) {
        lastSynced = at;
        prefetchThumbs().catch(() => {});
      }
    });
    prefetchThumbs().catch(() => {});
  };
  onRuntimeChange(follow);
  follow();
  window.addEventListener("online", () => prefetchThumbs().catch(() => {}));
}

function wallMs(stamp) {
  const ms = Number.parseInt(String(stamp ?? "").split("-")[0], 10);
  return Number.isFinite(ms) ? ms : 0;
}

/** When the piece was last written by its learner: the newest field stamp of the row. */
function sentAt(data) {
  const stamps = [data._put_hlc, ...Object.values(data._hlc ?? {})];
  return Math.max(0, ...stamps.map(wallMs));
}

function whenText(ms) {
  if (!ms) return "";
  return new Date(ms).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

const onlineNow = () => (typeof navigator === "undefined" ? true : navigator.onLine);
function listenOnline(listener) {
  window.addEventListener("online", listener);
  window.addEventListener("offline", listener);
  return () => {
    window.removeEventListener("online", listener);
    window.removeEventListener("offline", listener);
  };
}

/** The queue as ReviewItem-shaped objects (app/state/teacher_views.py), newest or oldest first. */
export function buildQueue({ evidence, learners, targets }, { order = "newest", thumbs: shown = {}, keep = new Set() } = {}) {
  const names = new Map(learners.filter((r) => !r.deleted).map((r) => [String(r.id), r.data.display_name]));
  const targetsById = new Map(targets.filter((r) => !r.deleted).map((r) => [String(r.id), r.data]));
  const items = evidence
    .filter((r) => !r.deleted && (isWaiting(r.data) || keep.has(String(r.id))))
    .map((r) => {
      const d = r.data;
      const chips = (d.target_ids ?? [])
        .filter((id) => targetsById.has(String(id)))
        .map((id) => ({ id: Number(id), code: targetsById.get(String(id)).code ?? "", title: targetsById.get(String(id)).title ?? "" }));
      const sent = sentAt(d);
      return {
        id: String(r.id),
        key: `${r.id}:${d.caption_version ?? 1}`,
        learner_id: Number(d.student_id),
        learner_name: names.get(String(d.student_id)) ?? "A learner",
        kind: d.kind ?? "",
        caption: d.caption ?? "",
        text: d.text ?? "",
        url: d.url ?? "",
        photo: (d.blob_sha256 && shown[d.blob_sha256]) || "",
        photo_path: "",
        is_full_photo: false,
        targets: chips,
        target_ids: chips.map((t) => t.id),
        submitted_text: sent ? `Sent ${whenText(sent)}` : "",
        is_edited_after_review: Boolean(d.edited_after_review),
        sort: sent || r.version || 0,
      };
    });
  items.sort((a, b) => (order === "oldest" ? a.sort - b.sort : b.sort - a.sort) || a.id.localeCompare(b.id));
  return items;
}

const EMPTY_QUEUE_ROWS = null;
const subscribeLocal = listen(localListeners);
const subscribeThumbs = listen(thumbListeners);

/**
 * {items, ready, show, order, total, shown, count_text, more_text}: the review queue from
 * this device's store, one page of cards (the rows are still read whole: the teacher's
 * screens move to bounded device reads with the teacher's-day issue). `show` says to
 * render it instead of the online list: the device is offline, or the online list has not
 * come within a few seconds (server unreachable).
 */
export function useTeacherQueue() {
  const runtime = useRuntime();
  const { order, tick } = useSyncExternalStore(subscribeLocal, () => local, () => local);
  const shown = useSyncExternalStore(subscribeThumbs, () => thumbs, () => EMPTY_THUMBS);
  const online = useSyncExternalStore(listenOnline, onlineNow, () => true);
  const [patient, setPatient] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setPatient(true), 5000);
    return () => clearTimeout(timer);
  }, []);
  // one query for every component of the page that renders from the queue
  const rows = useSharedQuery(
    `teacher-queue:${runtimeKey(runtime)}`,
    async () => {
      if (!runtime) return EMPTY_QUEUE_ROWS;
      const [evidence, learners, targets] = await Promise.all(
        ["evidence", "learner", "target"].map((type) => runtime.store.rowsOf(type)),
      );
      return { evidence, learners, targets };
    },
    EMPTY_QUEUE_ROWS,
  );
  const limit = usePageLimit(DEVICE_QUEUE);
  const all = useMemo(
    () => (rows ? buildQueue(rows, { order, thumbs: shown, keep: reviewedHere }) : []),
    [rows, order, shown, tick],
  );
  // only the cards on screen are rendered, and only their thumbnails fetched
  const items = useMemo(() => all.slice(0, limit), [all, limit]);
  useEffect(() => {
    const shaOf = new Map((rows?.evidence ?? []).map((r) => [String(r.id), r.data.blob_sha256]));
    for (const item of items) if (item.kind === "photo" && !item.photo && shaOf.get(item.id)) loadThumb(shaOf.get(item.id));
  }, [items, rows]);
  const ready = Boolean(rows);
  // a piece reviewed here stays on screen as "reviewed", but no longer counts as waiting
  const waiting = useMemo(() => (rows ? rows.evidence.filter((r) => !r.deleted && isWaiting(r.data)).length : 0), [rows]);
  const shownWaiting = useMemo(() => {
    const open = new Set((rows?.evidence ?? []).filter((r) => !r.deleted && isWaiting(r.data)).map((r) => String(r.id)));
    return items.filter((item) => open.has(item.id)).length;
  }, [rows, items]);
  return {
    items,
    ready,
    show: ready && (!online || patient),
    order,
    total: all.length,
    shown: items.length,
    count_text: countText(shownWaiting, waiting, WAITING),
    more_text: moreText(items.length, all.length, WAITING),
  };
}
