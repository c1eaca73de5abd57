/**
 * The teacher's screens over the sync core: read what a teacher marked on this device
 * (reviews, ratings, resolutions) and send new marks through window.waypoint — the one
 * write path for offline-capable data. Form values are read from the page's own native
 * inputs, so choosing a level and tapping Approve work with the Reflex socket down.
 */

import { useLiveQuery } from "dexie-react-hooks";
import { useSyncExternalStore } from "react";
import { flush, rate, resolveConflict, reviewEvidence, useRuntime } from "../sync/index.js";

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

/** Queue the write, then push now when we can; offline the outbox keeps it for later. */
async function attempt(write, done) {
  try {
    await write();
  } catch (error) {
    return refuse(error?.message ?? String(error));
  }
  say(navigator.onLine ? `${done} Sending…` : `${done} Saved on this device; it syncs when you are back online.`);
  const synced = Boolean(await flush().catch(() => false));
  if (synced) say(`${done} Synced.`);
  else if (navigator.onLine) say(`${done} Saved on this device; it syncs as soon as the server answers.`);
  return { ok: true, synced };
}

export const teacher = {
  /** Approve a piece of evidence with the level chosen on its card (if any). */
  approve(evidenceId, targetIds) {
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
  return useLiveQuery(
    async () => {
      if (!runtime) return EMPTY_REVIEWS;
      const rows = await runtime.store.rowsOf("review");
      const key = (r) => `${r.data.evidence_id}:${r.data.caption_version}`;
      return { done: rows.map(key), waiting: rows.filter((r) => r.local).map(key) };
    },
    [runtime],
    EMPTY_REVIEWS,
  );
}

/** Conflicts closed on this device: resolved (any), waiting (not yet on the server). */
export function useTeacherConflicts() {
  const runtime = useRuntime();
  return useLiveQuery(
    async () => {
      if (!runtime) return EMPTY_CONFLICTS;
      const rows = (await runtime.store.rowsOf("conflict")).filter((r) => r.data.status === "resolved");
      return { resolved: rows.map((r) => r.id), waiting: rows.filter((r) => r.local).map((r) => r.id) };
    },
    [runtime],
    EMPTY_CONFLICTS,
  );
}

/** Ratings this device has not pushed yet, as "<student>:<target>". */
export function useTeacherRatings() {
  const runtime = useRuntime();
  return useLiveQuery(
    async () => {
      if (!runtime) return [];
      const rows = await runtime.store.rowsOf("rating");
      return rows.filter((r) => r.local).map((r) => `${r.data.student_id}:${r.data.target_id}`);
    },
    [runtime],
    [],
  );
}
