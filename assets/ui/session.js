/**
 * Sign-in and sign-out in the browser. The page never holds a token: the API answers sign-in
 * with httpOnly cookies (the access and refresh tokens) plus readable CSRF cookies, so the
 * sign-in must be this page's own fetch (its Set-Cookie reaches the browser), not a call from
 * the Reflex server. localStorage["waypoint.session"] keeps only {user} — who is signed in on
 * this device, which the offline pages need without the network.
 *
 * After signing in or out the page does a full navigation, so the Reflex socket reconnects
 * and its handshake carries the new cookies to the server-side state (app/state/base.py).
 */

import { useSyncExternalStore } from "react";
import { t } from "./i18n.js";
import { restoreDeviceLocale } from "./locale_choice.js";
import { CSRF_ACCESS_COOKIE, CSRF_REFRESH_COOKIE, CSRF_HEADER, SESSION_KEY, readCookie } from "../sync/engine.js";

// set when a sign-out could not reach the server (offline): the tokens are revoked and the
// cookies cleared on the next page that loads online
export const SIGN_OUT_PENDING_KEY = "waypoint.signout-pending";
const THUMB_CACHE = "waypoint-teacher-thumbs";
const LOGIN = "/login";
const CARD = "/card"; // app/routes.py CARD_SIGN_IN: where a card signs in on a shared device

const IDLE = Object.freeze({ busy: false, error: "" });
let signInState = IDLE;
let signOutState = IDLE;
const listeners = new Set();

function tell() {
  for (const listener of listeners) listener();
}

function subscribe(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const offline = () => typeof navigator !== "undefined" && navigator.onLine === false;

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** The CSRF proof for a cookie-authenticated write: the access value, else the refresh one. */
function csrfProof() {
  const cookies = document.cookie;
  const value = readCookie(cookies, CSRF_ACCESS_COOKIE) || readCookie(cookies, CSRF_REFRESH_COOKIE);
  return value ? { [CSRF_HEADER]: value } : {};
}

/**
 * The login form's submit (the form's own handler has already called preventDefault):
 * POST /api/auth/login {cookies: true}; on success keep {user} and open the role's page.
 * `homes` maps each role to its page (app/routes.py HOME_BY_ROLE); the fields are read
 * from the form with id `formId`, so the password never passes through the Reflex state.
 */
export async function signIn(homes = {}, formId = "sign-in") {
  const form = document.getElementById(formId);
  const username = String(form?.elements?.username?.value ?? "").trim();
  const password = String(form?.elements?.password?.value ?? "");
  if (signInState.busy) return false;
  if (!username || !password) {
    signInState = { busy: false, error: t("Enter your username and your password.") };
    tell();
    return false;
  }
  signInState = { busy: true, error: "" };
  tell();
  let response;
  try {
    response = await fetch("/api/auth/login", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username, password, cookies: true }),
    });
  } catch {
    signInState = {
      busy: false,
      error: offline()
        ? t("You are offline. Connect to the internet to sign in.")
        : t("Waypoint's server did not answer. Check the connection and try again."),
    };
    tell();
    return false;
  }
  const body = await readJson(response);
  if (!response.ok || !body?.user?.role) {
    signInState = { busy: false, error: body?.message ?? t("Something went wrong. Please try again.") };
    tell();
    return false;
  }
  const { id, username: name, role, display_name, locale = null } = body.user;
  // locale: the account's language, adopted by this device (assets/ui/locale_choice.js)
  localStorage.setItem(SESSION_KEY, JSON.stringify({ user: { id, username: name, role, display_name, locale } }));
  localStorage.removeItem(SIGN_OUT_PENDING_KEY); // the cookies are this new session's now
  if (form?.elements?.password) form.elements.password.value = "";
  window.location.replace(homes[role] ?? "/");
  return true;
}

/** Did this session start with a sign-in card (so this is a shared class device)? */
function signedInWithCard() {
  try {
    return JSON.parse(localStorage.getItem(SESSION_KEY) ?? "null")?.via === "card";
  } catch {
    return false;
  }
}

/** Revoke both tokens and clear the cookies; false when the server could not be reached. */
async function endServerSession() {
  try {
    await fetch("/api/auth/logout", { method: "POST", credentials: "same-origin", headers: csrfProof() });
    return true; // 204; or 401: no usable token was left, and the server cleared the cookies
  } catch {
    return false;
  }
}

/**
 * Sign out: send what the sync core can (it deletes this user's local data only when nothing
 * is left unsent), revoke both tokens and clear the cookies, forget the user, open /login —
 * or /card after a card sign-in (session `via: "card"`, left by assets/ui/card_scan.js): cards
 * sign in only on a shared class device, so the next learner there needs the card page.
 * Offline, the revocation waits for the next page loaded online.
 */
export async function signOut() {
  if (signOutState.busy) return;
  signOutState = { busy: true, error: "" };
  tell();
  const core = typeof window !== "undefined" ? window.waypoint : null;
  let unsent = 0;
  try {
    if (core?.signOut) unsent = (await core.signOut())?.pending ?? 0;
  } catch {
    unsent = 1; // the local data stays; signing out goes on
  }
  // photos a teacher saw stay only while their unsent work does
  if (!unsent && typeof caches !== "undefined") await caches.delete(THUMB_CACHE).catch(() => {});
  const next = signedInWithCard() ? CARD : LOGIN;
  if (!(await endServerSession())) localStorage.setItem(SIGN_OUT_PENDING_KEY, "1");
  localStorage.removeItem(SESSION_KEY);
  restoreDeviceLocale();
  window.location.replace(next);
}

/** An offline sign-out left the cookies: end that session now that the server answers. */
export async function finishPendingSignOut() {
  if (!localStorage.getItem(SIGN_OUT_PENDING_KEY) || offline()) return false;
  if (localStorage.getItem(SESSION_KEY)) {
    localStorage.removeItem(SIGN_OUT_PENDING_KEY); // someone signed in since: their cookies
    return false;
  }
  if (await endServerSession()) localStorage.removeItem(SIGN_OUT_PENDING_KEY);
  return true;
}

/** The sign-in form's {busy, error} now (what useSignIn renders). */
export function currentSignIn() {
  return signInState;
}

/** {busy, error} of the sign-in form. */
export function useSignIn() {
  return useSyncExternalStore(subscribe, () => signInState, () => IDLE);
}

/** {busy} of the Sign out button (sending what is left can take a moment). */
export function useSignOut() {
  return useSyncExternalStore(subscribe, () => signOutState, () => IDLE);
}

if (typeof window !== "undefined") {
  window.waypointSession = { signIn, signOut, finishPendingSignOut };
  finishPendingSignOut().catch(() => {});
  window.addEventListener("online", () => finishPendingSignOut().catch(() => {}));
}
