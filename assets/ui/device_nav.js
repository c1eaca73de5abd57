/**
 * Who is signed in on this device, for the page header (app/components/shell.py).
 *
 * Why: Reflex's State.user_role / user_display_name come over the websocket, which never
 * connects after an offline reload, so a header built on them lost every link and the name
 * (QA F18). The sync core keeps the signed-in user on the device, in
 * localStorage["waypoint.session"] = {user} (assets/ui/session.js writes it at sign-in and
 * removes it at sign-out), so the header reads it here: the same links online, offline and
 * after an offline reload. The current path comes from the client router, not the server.
 */

import { useSyncExternalStore } from "react";
import { useLocation } from "react-router";
import { SESSION_KEY, readSession } from "../sync/engine.js";

const NOBODY = Object.freeze({ role: "", name: "" });
let lastRaw;
let lastUser = NOBODY;

/** {role, name} of the device's session; the same object while the stored text is unchanged. */
function snapshot() {
  let raw = null;
  try {
    raw = globalThis.localStorage?.getItem(SESSION_KEY) ?? null;
  } catch {
    raw = null; // storage blocked: nobody on this device
  }
  if (raw !== lastRaw) {
    lastRaw = raw;
    const user = raw ? readSession({ getItem: () => raw })?.user : null;
    lastUser = user?.role
      ? { role: String(user.role), name: String(user.display_name ?? user.username ?? "") }
      : NOBODY;
  }
  return lastUser;
}

// another tab signing in or out changes the session here too
function subscribe(onChange) {
  const onStorage = (event) => {
    if (event.key === null || event.key === SESSION_KEY) onChange();
  };
  globalThis.addEventListener?.("storage", onStorage);
  return () => globalThis.removeEventListener?.("storage", onStorage);
}

// the prerendered page knows nobody: the header fills in once React runs in the browser
const serverSnapshot = () => NOBODY;

/** Path without a trailing slash ("/teacher/review/" and "/teacher/review" are one page). */
export function normalPath(path) {
  const text = String(path ?? "");
  return text.length > 1 ? text.replace(/\/+$/, "") : text;
}

/**
 * The header's view: {role, name, path} — role "" when nobody is signed in on this device
 * (the header then falls back to the server's state, for pages that need the network anyway).
 */
export function useDeviceNav() {
  const user = useSyncExternalStore(subscribe, snapshot, serverSnapshot);
  const path = normalPath(useLocation().pathname);
  return { role: user.role, name: user.name, path };
}
