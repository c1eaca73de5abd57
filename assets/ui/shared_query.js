/**
 * One live query per key, shared by every component that renders from it.
 *
 * Reflex compiles each Var that carries a hook into the hook's own call in every memoized
 * component that uses it (app/components/sync_store.py): a goals page calls
 * useLearnerView("goals") in a dozen components. With Dexie's useLiveQuery each of those
 * ran its own queries, and re-ran all of them on every change of the store, a dozen times the
 * work (with every row read per run, the 5,000-goal learner's tab stayed at 75 % CPU).
 * Here the first component with a key runs the query; the others read its latest answer; it
 * runs again after a write to the rows or photos (Dexie's storagemutated event, which also
 * carries other tabs' writes), at most every RERUN_MS while writes keep coming, and stops a
 * moment after the last reader unmounts.
 */

import Dexie from "dexie";
import { useCallback, useRef, useSyncExternalStore } from "react";

const LINGER_MS = 2000; // keep a query this long after its last reader leaves (re-renders)
const RERUN_MS = 500; // while writes keep coming, a screen reads again at most this often
const entries = new Map(); // key → {value, shownValue, listeners, timer, stop}

/** Did a write touch the rows or the photos (not the outbox, the cursor or the status)? */
function touchesScreens(parts) {
  return Object.keys(parts ?? {}).some((part) => /\/(rows|blobs)\//.test(part));
}

function entryFor(key, querier, label) {
  let entry = entries.get(key);
  if (!entry) {
    entry = { value: undefined, shownValue: undefined, listeners: new Set(), timer: null, stop: null };
    let shown = null;
    let running = false;
    let again = false;
    let lastRun = -Infinity;
    let rerun = null;
    // each run is a User Timing measure ("waypoint:<label>"): bench/year_screens_bench.py
    // reads how long a screen's reads take apart from the page's own loading
    const run = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      lastRun = performance.now();
      try {
        const value = await querier();
        if (value !== null && value !== undefined) performance.measure(`waypoint:${label}`, { start: lastRun }); // null: nobody signed in yet
        entry.value = value;
        const text = JSON.stringify(value);
        if (text !== shown) {
          // re-render only for a new answer: most pages of a first sync change nothing shown
          shown = text;
          entry.shownValue = value;
          for (const listener of entry.listeners) listener();
        }
      } catch (error) {
        console.error("waypoint: a screen's query failed", error);
      } finally {
        running = false;
        if (again) {
          again = false;
          schedule();
        }
      }
    };
    // after a write: run again at once, or RERUN_MS after the last run while writes keep
    // coming (a first sync writes a page of rows every few hundred ms)
    const schedule = () => {
      if (rerun) return;
      rerun = setTimeout(() => {
        rerun = null;
        run();
      }, Math.max(0, lastRun + RERUN_MS - performance.now()));
    };
    const onWrite = (parts) => {
      if (touchesScreens(parts)) schedule();
    };
    Dexie.on.storagemutated.subscribe(onWrite);
    entry.stop = () => {
      Dexie.on.storagemutated.unsubscribe(onWrite);
      clearTimeout(rerun);
    };
    entries.set(key, entry);
    run();
  }
  clearTimeout(entry.timer);
  return entry;
}

function release(key, entry) {
  if (entry.listeners.size) return;
  entry.timer = setTimeout(() => {
    if (entry.listeners.size || entries.get(key) !== entry) return;
    entry.stop();
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
  // what was last told (not the latest answer while a re-render waits its turn)
  const value = useSyncExternalStore(subscribe, () => entries.get(key)?.shownValue, () => undefined);
  const last = useRef(fallback);
  if (value !== undefined) last.current = value;
  return value !== undefined ? value : last.current;
}
