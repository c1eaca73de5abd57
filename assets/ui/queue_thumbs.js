/**
 * The review queue's thumbnails, kept in Cache Storage so a photo seen online still shows
 * offline: looked up when the page is idle, a moment after the cards render; the cards are
 * rebuilt once for every thumbnail found in the same moment (teacher_queue.js).
 */

import { getRuntime } from "../sync/index.js";

let rebuild = () => {};
/** Who rebuilds the cards when thumbnails are found (the queue). */
export function onThumbsFound(listener) {
  rebuild = listener;
}

/** The thumbnails known so far: sha → {url} | {unreadable: true}. */
export const thumbs = () => found;

const THUMB_CACHE = "waypoint-teacher-thumbs";
let found = {}; // sha → {url} | {unreadable: true}
const loadingThumbs = new Set();
const thumbPath = (sha) => `/api/blobs/${sha}?size=thumb`;
let thumbsShown = null; // a timer: the cards are rebuilt once for the thumbnails found meanwhile

/**
 * A thumbnail is known: rebuild the cards once for every one found in the next moment, not
 * once each (a page of 20 photo cards out of Cache Storage after a reload rebuilt and
 * re-rendered the queue 20 times, and a tap's IndexedDB write waited for the page's turns).
 */
function thumbFound(sha, value) {
  found = { ...found, [sha]: value };
  if (thumbsShown) return;
  thumbsShown = setTimeout(() => {
    thumbsShown = null;
    rebuild();
  }, 50);
}

export const IDLE_TIMEOUT_MS = 1000;
export const THUMBS_AFTER_MS = 500;

/**
 * Run `work` when the main thread is idle, not before `afterMs` (at the latest IDLE_TIMEOUT_MS
 * after that; a short timer where requestIdleCallback is missing). Returns the cancel function.
 */
export function whenIdle(work, { afterMs = 0, timeoutMs = IDLE_TIMEOUT_MS, scope = globalThis } = {}) {
  let handle = null;
  let cancelled = false;
  const idle = () => {
    if (cancelled) return;
    if (typeof scope.requestIdleCallback === "function") handle = scope.requestIdleCallback(work, { timeout: timeoutMs });
    else handle = setTimeout(work, 200);
  };
  const delay = afterMs > 0 ? setTimeout(idle, afterMs) : (idle(), null);
  return () => {
    cancelled = true;
    clearTimeout(delay);
    if (handle !== null) (typeof scope.requestIdleCallback === "function" ? scope.cancelIdleCallback?.(handle) : clearTimeout(handle));
  };
}

const thumbsWanted = new Set();
let thumbsJob = null;

/**
 * Look the cards' thumbnails up a moment after they render, when the page is idle: each
 * batch found rebuilds and re-renders every card, which right after an offline reload took
 * the main-thread turns a first tap's outbox write waits for (docs/benchmarks.md).
 */
export function wantThumbs(shas) {
  for (const sha of shas) if (sha && !found[sha]) thumbsWanted.add(sha);
  if (thumbsJob || !thumbsWanted.size) return;
  thumbsJob = whenIdle(() => {
    thumbsJob = null;
    const batch = [...thumbsWanted];
    thumbsWanted.clear();
    for (const sha of batch) loadThumb(sha);
  }, { afterMs: THUMBS_AFTER_MS });
}

async function loadThumb(sha) {
  if (!sha || found[sha] || loadingThumbs.has(sha) || typeof caches === "undefined") return;
  loadingThumbs.add(sha);
  try {
    const cache = await caches.open(THUMB_CACHE);
    let hit = await cache.match(thumbPath(sha));
    if (!hit && navigator.onLine && getRuntime()) {
      const response = await fetch(thumbPath(sha), { credentials: "same-origin" });
      const type = response.headers.get("content-type") ?? "";
      if (response.ok && type.startsWith("image/")) {
        hit = new Response(await response.blob(), { headers: { "Content-Type": type } });
        await cache.put(thumbPath(sha), hit.clone());
      } else if (response.status === 404 || response.status === 415 || response.status === 422) {
        // the server holds no picture of it (not an image, or it could not be read)
        thumbFound(sha, { unreadable: true });
      }
    }
    if (hit) {
      thumbFound(sha, { url: URL.createObjectURL(await hit.blob()) });
    }
  } catch {
    // offline: the card says the photo will show when online
  } finally {
    loadingThumbs.delete(sha);
  }
}
