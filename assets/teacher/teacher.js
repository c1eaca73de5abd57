/**
 * What is left of the teacher's old glue: rating and closing conflicts through
 * window.waypoint (the one write path for offline-capable data), with a page-wide notice.
 * The review queue moved to assets/ui/teacher_queue.js (issue 14); these parts move to
 * assets/ui/teacher_screens.js with the teacher-screens work, and this file then goes.
 */

import { flush, getRuntime, rate, resolveConflict, useRuntime } from "../sync/index.js";
import { createNotice, useNotice } from "../ui/glue.js";
import { t } from "../ui/i18n.js";
import { runtimeKey, useSharedQuery } from "../ui/shared_query.js";
// registers the service worker, so a teacher page reloads with no connection too
import "../ui/pwa.js";

const notice = createNotice();
const EMPTY_CONFLICTS = { resolved: [], waiting: [] };

function checked(name) {
  return document.querySelector(`input[name="${name}"]:checked`)?.value;
}

function text(id) {
  return document.getElementById(id)?.value?.trim() ?? "";
}

function refuse(message) {
  notice.set(message, true);
  return { ok: false, message };
}

/**
 * Queue the write; say "Saved on this phone" until the server acknowledged it, then "Sent"
 * (never before: issue 14), or that the server refused it (the strip gives the reason).
 */
async function attempt(write, done) {
  let queued;
  try {
    queued = await write();
  } catch (error) {
    return refuse(error?.message ?? String(error));
  }
  notice.set(t("{done} Saved on this phone.", { done }));
  const engine = getRuntime()?.engine;
  if (queued?.seq == null || !engine) return { ok: true, sent: false };
  const outcome = await engine.whenAnswered(queued.seq);
  if (outcome === "rejected") return refuse(t("Not saved: the school's server refused this change. The reason is shown below."));
  if (outcome === "acked") notice.set(t("{done} Sent.", { done }));
  return { ok: true, sent: outcome === "acked" };
}

export const teacher = {
  /**
   * Rate a target; base_version is the newest rating version this device has pulled, so
   * pull once first if this device never has.
   */
  async rate(studentId, targetId) {
    const level = checked(`rating-${studentId}-${targetId}`);
    if (level === undefined) return refuse(t("Choose a level first."));
    const note = text(`rating-note-${studentId}-${targetId}`);
    if (navigator.onLine) await flush().catch(() => false);
    return attempt(() => rate(Number(studentId), Number(targetId), Number(level), note || undefined), t("Rated {level}.", { level: Number(level).toFixed(1) }));
  },

  /** Close a conflict with the level chosen. */
  resolve(conflictId, level) {
    return attempt(() => resolveConflict(conflictId, Number(level)), t("Kept {level}.", { level: Number(level).toFixed(1) }));
  },
};

if (typeof window !== "undefined") window.waypointTeacher = teacher;

/** {text, isError}: what the last tap did (saved, sent, or why it was refused). */
export const useTeacherNotice = () => useNotice(notice);

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
