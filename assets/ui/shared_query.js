/**
 * One live query per key, shared by every component that renders from it.
 *
 * Reflex compiles each Var that carries a hook into the hook's own call in every memoized
 * component that uses it (app/components/sync_store.py): a goals page calls
 * useLearnerView("goals") in a dozen components. With Dexie's useLiveQuery each of those
 * ran its own queries, and re-ran all of them on every change of the store, a dozen times the
 * work (with every row read per run, the 5,000-goal learner's tab stayed at 75 % CPU).
 * Here the first component with a key starts one Dexie liveQuery; the others read its
 * latest value; it stops a moment after the last one unmounts.
 */

import { liveQuery } from "dexie";
import { useCallback, useRef, useSyncExternalStore } from "react";

const LINGER_MS = 2000; // keep a query this long after its last reader leaves (re-renders)
const entries = new Map(); // key → {value, error, listeners, subscription, timer}

function entryFor(key, querier, label) {
  let entry = entries.get(key);
  if (!entry) {
    entry = { value: undefined, listeners: new Set(), subscription: null, timer: null };
    const tell = () => {
      for (const listener of entry.listeners) listener();
    };
    // each run is a User Timing measure ("waypoint:<label>"): bench/year_screens_bench.py
    // reads how long a screen's reads take apart from the page's own loading
    const timed = async () => {
      const start = performance.now();
      const value = await querier();
      if (value !== null && value !== undefined) performance.measure(`waypoint:${label}`, { start }); // null: nobody signed in yet
      return value;
    };
    entry.subscription = liveQuery(timed).subscribe({
      next: (value) => {
        entry.value = value;
        tell();
      },
      error: (error) => {
        console.error("waypoint: a screen's query failed", error);
      },
    });
    entries.set(key, entry);
  }
  clearTimeout(entry.timer);
  return entry;
}

function release(key, entry) {
  if (entry.listeners.size) return;
  entry.timer = setTimeout(() => {
    if (entry.listeners.size || entries.get(key) !== entry) return;
    entry.subscription.unsubscribe();
    entries.delete(key);
  }, LINGER_MS);
}

// a number per running store: a query of one signed-in session never answers another's
const runtimeIds = new WeakMap();
let nextRuntimeId = 1;

/** A key part naming the running {user, store, engine} (0 when nobody is signed in). */
export function runtimeKey(runtime) {
  if (!runtime) return 0;
  if (!runtimeIds.has(runtime)) runtimeIds.set(runtime, nextRuntimeId++);
  return runtimeIds.get(runtime);
}

/**
 * The latest value of `querier` (an async function over IndexedDB), shared by key. While a
 * new key's first answer is on its way, the component keeps showing its previous value
 * (so "Show 20 more" never flashes an empty list); `fallback` before any answer at all.
 */
export function useSharedQuery(key, querier, fallback, label = "query") {
  const subscribe = useCallback(
    (listener) => {
      const entry = entryFor(key, querier, label);
      entry.listeners.add(listener);
      return () => {
        entry.listeners.delete(listener);
        release(key, entry);
      };
    },
    // the querier is the key's: same key, same query
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );
  const value = useSyncExternalStore(subscribe, () => entries.get(key)?.value, () => undefined);
  const last = useRef(fallback);
  if (value !== undefined) last.current = value;
  return value !== undefined ? value : last.current;
}
