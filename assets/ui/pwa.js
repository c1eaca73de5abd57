/**
 * Service worker registration and the update flow. A new build's worker installs (and
 * precaches) in the background but WAITS: the page says "Update ready", and only when the
 * learner taps it AND the outbox and uploads are empty does it tell the worker to take over
 * and reload. An old build with unsent changes is never swapped out from under them.
 */

import { useSyncExternalStore } from "react";
import { getRuntime } from "../sync/index.js";

let state = { ready: false, message: "" };
const listeners = new Set();
let waiting = null;

function set(changes) {
  state = { ...state, ...changes };
  for (const listener of listeners) listener();
}

function watch(registration) {
  const offer = (worker) => {
    waiting = worker;
    set({ ready: true, message: "A new version of Waypoint is ready." });
  };
  if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const incoming = registration.installing;
    incoming?.addEventListener("statechange", () => {
      // the very first worker has nothing to replace: it activates by itself
      if (incoming.state === "installed" && navigator.serviceWorker.controller) offer(incoming);
    });
  });
}

/** Unsent writes and uploads on this device (0 when nobody is signed in). */
async function unsent() {
  const runtime = getRuntime();
  if (!runtime) return 0;
  return (await runtime.store.pendingCount()) + (await runtime.store.pendingBlobs()).length;
}

/** Switch to the waiting build, but only once every change has reached the server. */
export async function applyUpdate() {
  if (!waiting) return false;
  const runtime = getRuntime();
  if (runtime) await runtime.engine.flush().catch(() => {});
  const left = await unsent();
  if (left) {
    set({ message: `Update waits until your ${left} unsent ${left === 1 ? "change is" : "changes are"} sent. Connect to the internet, then try again.` });
    return false;
  }
  navigator.serviceWorker.addEventListener("controllerchange", () => window.location.reload(), { once: true });
  waiting.postMessage({ type: "SKIP_WAITING" });
  return true;
}

/** {ready, message} of the update flow, for the sync status bar. */
export function useUpdate() {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
    () => state,
  );
}

if (typeof window !== "undefined" && "serviceWorker" in navigator && window.isSecureContext) {
  window.waypointPWA = { applyUpdate, registration: null };
  navigator.serviceWorker
    .register("/sw.js", { scope: "/" })
    .then((registration) => {
      window.waypointPWA.registration = registration;
      watch(registration);
      // look for a new build when the learner comes back to the tab
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible" && navigator.onLine) registration.update().catch(() => {});
      });
    })
    .catch((error) => console.warn("Waypoint could not install its offline copy", error));
}
