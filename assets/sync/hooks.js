/**
 * React hooks for the Reflex pages (inject with add_hooks, DESIGN §2): live views of the
 * local store via dexie-react-hooks' useLiveQuery, and the sync status.
 */

import { useLiveQuery } from "dexie-react-hooks";
import { useSyncExternalStore } from "react";
import { buildBinder, flatten } from "./binder.js";
import { INITIAL_STATUS, getRuntime, onRuntimeChange, status as currentStatus, subscribe as subscribeStatus, wasPurged } from "./runtime.js";

/** The running {user, store, engine} (re-renders on sign-in/out). */
export function useRuntime() {
  return useSyncExternalStore(onRuntimeChange, getRuntime, () => null);
}

/** True once this page's learner was deleted by the school and the device wiped. */
export function usePurged() {
  return useSyncExternalStore(onRuntimeChange, wasPurged, () => false);
}

/** Live rows of one type as flat objects; deleted rows left out unless asked for. */
export function useRows(type, { includeDeleted = false } = {}) {
  const runtime = useRuntime();
  return useLiveQuery(
    async () => {
      if (!runtime) return [];
      const rows = await runtime.store.rowsOf(type);
      return rows.filter((r) => includeDeleted || !r.deleted).map(flatten);
    },
    [runtime, type, includeDeleted],
    [],
  );
}

export const useGoals = () => useRows("goal");
export const usePicks = () => useRows("pick");
export const useEvidence = () => useRows("evidence");
export const useReviews = () => useRows("review");
export const useTargets = () => useRows("target");
export const useActivities = () => useRows("activity");
export const usePlaylists = () => useRows("playlist");
export const useConflicts = () => useRows("conflict");

/** The binder of a learner (default: the signed-in one): areas → topics → targets with levels. */
export function useBinder(studentId = null) {
  const runtime = useRuntime();
  return useLiveQuery(
    async () => (runtime ? buildBinder(await runtime.store.db.rows.toArray(), studentId ?? runtime.user.id) : []),
    [runtime, studentId],
    [],
  );
}

/**
 * {online, syncing, pending, rejected, lastRejection, uploads, uploadList, lastSyncedAt,
 * lastError, signedIn, progress} — uploadList is [{sha256, percent}] for rx.foreach;
 * progress is a first sync's: null, {phase: "current"} (not usable yet) or {phase:
 * "history", done, total, percent} (older work still coming).
 */
export function useSyncStatus() {
  const runtime = useRuntime();
  const status = useSyncExternalStore(
    (onChange) => (runtime ? subscribeStatus(onChange) : () => {}),
    currentStatus,
    () => INITIAL_STATUS,
  );
  const uploadList = Object.entries(status.uploads ?? {}).map(([sha256, u]) => ({ sha256, ...u }));
  return { ...status, uploadList };
}

const COUNTS_KEYS = ["pending", "rejected", "lastSyncedAt"];

/**
 * {pending, rejected, lastSyncedAt} of the sync status, re-rendering only when one of them
 * moves: a screen that reads its outbox again when the counts change has no business
 * re-rendering on `syncing`, `online` or an upload's percent (every memoized component of a
 * Reflex page calls its hook: a re-render of each on every status change cost the review
 * queue hundreds of milliseconds after an offline reload).
 */
export function useSyncCounts() {
  const runtime = useRuntime();
  const key = useSyncExternalStore(
    (onChange) => (runtime ? subscribeStatus(onChange) : () => {}),
    () => JSON.stringify(COUNTS_KEYS.map((k) => currentStatus()[k] ?? null)),
    () => JSON.stringify([0, 0, null]),
  );
  const [pending, rejected, lastSyncedAt] = JSON.parse(key);
  return { pending, rejected, lastSyncedAt };
}
