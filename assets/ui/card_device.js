/**
 * Marking THIS device as a shared class device (teacher or admin, signed in on it), so
 * learners can sign in on it with their cards (assets/ui/card_scan.js).
 *
 * It must be this page's own fetch: the API answers with the device's token in an httpOnly
 * cookie, and only a fetch made by the page lets that Set-Cookie reach the browser (the
 * Reflex state calls the API from the server). The write carries the session's CSRF proof.
 *
 * window.waypointDevice = { markThisDevice }; useThisDevice() → {checked, shared, name,
 * busy, error, notice}.
 */

import { useEffect } from "react";
import { CSRF_ACCESS_COOKIE, CSRF_HEADER, CSRF_REFRESH_COOKIE, readCookie } from "../sync/engine.js";
import { t } from "./i18n.js";
import { viewStore } from "./view_store.js";

export const DEVICE_FORM_ID = "device-form";
export const DEVICE_ERROR_ID = "device-name-error";
const IDLE = Object.freeze({ checked: false, shared: false, name: "", busy: false, error: "", notice: "" });
const store = viewStore(IDLE);
const set = store.set;

async function check() {
  try {
    const body = await (await fetch("/api/devices/this", { credentials: "same-origin" })).json();
    set({ checked: true, shared: Boolean(body?.shared), name: body?.name ?? "" });
  } catch {
    set({ checked: true });
  }
}

/** Whether this device is shared, asked when the page opens. */
export function useThisDevice() {
  useEffect(() => {
    check();
  }, []);
  return store.use();
}

function csrfProof() {
  const value = readCookie(document.cookie, CSRF_ACCESS_COOKIE) || readCookie(document.cookie, CSRF_REFRESH_COOKIE);
  return value ? { [CSRF_HEADER]: value } : {};
}

/** The form's submit: POST /api/devices {name}; the error goes beside the name field. */
export async function markThisDevice() {
  if (store.get().busy) return false;
  const field = document.getElementById(DEVICE_FORM_ID)?.elements?.device_name;
  const name = String(field?.value ?? "").trim();
  const fail = (error) => {
    set({ busy: false, error, notice: "" });
    setTimeout(() => field?.focus(), 0);
    return false;
  };
  if (!name) return fail(t("Give the device a name, like “Room 12 iPad 3”."));
  set({ busy: true, error: "", notice: "" });
  let response;
  try {
    response = await fetch("/api/devices", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", ...csrfProof() },
      body: JSON.stringify({ name }),
    });
  } catch {
    return fail(t("Waypoint's server did not answer. Check the connection and try again."));
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) return fail(body?.message ?? t("Something went wrong. Please try again."));
  set({
    busy: false, shared: true, name: body.name,
    notice: t("This device is now a shared class device: “{name}”. Learners can sign in here with their cards.", { name: body.name }),
  });
  return true;
}

if (typeof window !== "undefined") {
  window.waypointDevice = { markThisDevice };
}
