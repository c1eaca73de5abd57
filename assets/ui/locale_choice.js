/**
 * Each person picks a language once: on this device at once (assets/ui/i18n.js keeps it in
 * localStorage), and for their account (PATCH /api/auth/locale) so their other devices and
 * the reports sent home use it.
 *
 * - Signed out (the sign-in page): the choice is kept on the device and given to the
 *   account that signs in next (sign-in needs the network, so that happens right after).
 * - Signed in and online: saved for the account at once; the picker says so when the server
 *   has answered, not before.
 * - Signed in and offline: only this device changes, and the picker says exactly that. There
 *   is no hidden queue: learner and teacher writes made offline go through the sync outbox
 *   only, and a language is not a record.
 * - After a sign-in the account's own language (users.locale, in the stored session) is
 *   adopted once per account and value, so a new device opens in the person's language;
 *   an account that has none takes the device's (negotiated from the browser or picked).
 *
 * Registers window.waypointLocale for the Reflex pages' pickers (app/components/language.py).
 */

import { useSyncExternalStore } from "react";
import { CSRF_ACCESS_COOKIE, CSRF_HEADER, CSRF_REFRESH_COOKIE, SESSION_KEY, readCookie } from "../sync/engine.js";
import { NAMES, getLocale, normalize, setLocale, t } from "./i18n.js";

const PENDING_KEY = "waypoint.locale-for-next-sign-in";
const ADOPTED_KEY = "waypoint.locale-adopted"; // "<user id>:<locale>" last taken from the account
// the device's own language while an account's adopted one is shown: signing out goes back to
// it, so a class tablet does not keep the last teacher's language for the next learner (F29)
export const DEVICE_LOCALE_KEY = "waypoint.locale-device";

let status = Object.freeze({ state: "idle", text: "" });
const listeners = new Set();

function say(state, text) {
  status = Object.freeze({ state, text });
  listeners.forEach((listener) => listener());
}

function session() {
  try {
    return JSON.parse(localStorage.getItem(SESSION_KEY) ?? "null");
  } catch {
    return null;
  }
}

function remember(key, value) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* storage unavailable: this page still follows the choice */
  }
}

/** PATCH the account's language; true when the server stored it. */
export async function saveForAccount(code) {
  const cookies = document.cookie;
  const csrf = readCookie(cookies, CSRF_ACCESS_COOKIE) || readCookie(cookies, CSRF_REFRESH_COOKIE);
  const response = await fetch("/api/auth/locale", {
    method: "PATCH",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", ...(csrf ? { [CSRF_HEADER]: csrf } : {}) },
    body: JSON.stringify({ locale: code }),
  });
  if (!response.ok) return false;
  const stored = session();
  if (stored?.user) {
    stored.user.locale = code;
    remember(SESSION_KEY, JSON.stringify(stored));
    remember(ADOPTED_KEY, `${stored.user.id}:${code}`);
  }
  return true;
}

/** The picker's change: this device now, the account when signed in and online. */
export async function choose(value) {
  const code = normalize(value) ?? "en";
  remember(DEVICE_LOCALE_KEY, null); // picked by hand: this is the device's language now
  await setLocale(code);
  const user = session()?.user;
  if (!user) {
    remember(PENDING_KEY, code);
    say("device", "");
    return;
  }
  if (typeof navigator !== "undefined" && navigator.onLine === false) {
    say("device", t("Changed on this device only: you are offline, so your account still has its own language. Choose again when you are online."));
    return;
  }
  say("saving", t("Saving…"));
  try {
    const saved = await saveForAccount(code);
    say(saved ? "saved" : "failed", saved ? t("{language} is saved for your account.", { language: NAMES[code] }) : t("Changed on this device only: your account could not be updated. Try again."));
  } catch {
    say("failed", t("Changed on this device only: your account could not be updated. Try again."));
  }
}

/** On each page: give the account a choice made before sign-in, else adopt the account's. */
export async function settle() {
  const user = session()?.user;
  if (!user) return;
  let pending = null;
  try {
    pending = normalize(localStorage.getItem(PENDING_KEY));
  } catch {
    return;
  }
  if (pending) {
    if (pending !== normalize(user.locale) && navigator.onLine !== false) {
      try {
        if (!(await saveForAccount(pending))) return;
      } catch {
        return;
      }
    }
    remember(PENDING_KEY, null);
    remember(ADOPTED_KEY, `${user.id}:${pending}`);
    return;
  }
  const account = normalize(user.locale);
  if (user.locale === undefined) return; // a session stored before accounts had a language
  if (!account) {
    // an account that never chose takes the language it was signed in with (a family's
    // Spanish browser), so the reports sent home are in it too
    if (navigator.onLine !== false) await saveForAccount(getLocale()).catch(() => false);
    return;
  }
  const marker = `${user.id}:${account}`;
  if (localStorage.getItem(ADOPTED_KEY) !== marker) {
    remember(ADOPTED_KEY, marker);
    if (account !== getLocale()) {
      if (localStorage.getItem(DEVICE_LOCALE_KEY) === null) remember(DEVICE_LOCALE_KEY, getLocale());
      await setLocale(account);
    }
  }
}

/** At sign-out: the device's own language again, if an account's was adopted over it. */
export function restoreDeviceLocale() {
  let own = null;
  try {
    own = normalize(localStorage.getItem(DEVICE_LOCALE_KEY));
  } catch {
    return;
  }
  remember(DEVICE_LOCALE_KEY, null);
  remember(ADOPTED_KEY, null);
  if (own && own !== getLocale()) setLocale(own);
}

function subscribe(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** {state: idle|saving|saved|device|failed, text} of the last choice. */
export const currentStatus = () => status;

/** React hook: {state: idle|saving|saved|device|failed, text} of the last choice. */
export function useLocaleStatus() {
  return useSyncExternalStore(subscribe, () => status, () => status);
}

if (typeof window !== "undefined") {
  window.waypointLocale = { choose, settle };
  settle();
}
