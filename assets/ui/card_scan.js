/**
 * Signing in with a QR card (issue 15 #7), the way K-2 classes already do with Clever Badges:
 * the learner holds their printed card up to the device camera, or types the short code.
 *
 * The camera's frames are decoded here with jsQR (nothing leaves the device but the card's
 * text); the text or the typed code is posted to /api/auth/card by THIS page, so the API's
 * httpOnly session cookies reach the browser exactly as after a password sign-in
 * (assets/ui/session.js). Cards work only on a shared class device: the server checks the
 * device's httpOnly cookie, and the page asks /api/devices/this first so it can say so in
 * plain words instead of showing a camera that can never work.
 *
 * window.waypointCards = { startCamera, stopCamera, showCode, submitCode }; useCardScan()
 * gives the page {checked, unknown, shared, camera, typing, busy, error, notice}.
 */

import jsQR from "jsqr";
import { useEffect } from "react";
import { SESSION_KEY } from "../sync/engine.js";
import { t } from "./i18n.js";
import { viewStore } from "./view_store.js";
import { SIGN_OUT_PENDING_KEY } from "./session.js";

export const VIDEO_ID = "card-camera";
export const CODE_FORM_ID = "card-code-form";
export const ERROR_ID = "card-error";
const CARD_PREFIX = "WPCARD1:";
const SCAN_EVERY_MS = 150;
const MAX_WIDTH = 640; // frames are scaled down before decoding: fast on a Chromebook

const IDLE = Object.freeze({
  checked: false, unknown: false, shared: false, camera: false, typing: false, busy: false, error: "", notice: "",
});
const store = viewStore(IDLE);
const set = store.set;
let stream = null;
let timer = null;
// a card just refused is not sent again while it is still in front of the camera
let refused = { text: "", until: 0 };
const REFUSED_PAUSE_MS = 4000;

/** The view now (what useCardScan renders). */
export function currentCardScan() {
  return store.get();
}

/** The page's view of the card sign-in (what useCardScan renders); asks about the device
 * when the page opens and closes the camera when it goes. */
export function useCardScan() {
  useEffect(() => {
    if (!store.get().checked) checkDevice();
    return stopCamera;
  }, []);
  return store.use();
}

/** Move the eye (and the screen reader) to the error, beside the control it is about. */
function focusError() {
  setTimeout(() => document.getElementById(ERROR_ID)?.focus(), 0);
}

/** Is this a shared class device? Asked when the page opens. Unanswered (offline, server
 * down) is `unknown`, never "not shared": the page must not say more than it knows. */
export async function checkDevice() {
  try {
    const response = await fetch("/api/devices/this", { credentials: "same-origin" });
    if (!response.ok) throw new Error(String(response.status));
    const body = await response.json();
    set({ checked: true, unknown: false, shared: Boolean(body?.shared), error: "" });
  } catch {
    set({
      checked: true,
      unknown: true,
      shared: false,
      error: navigator.onLine === false
        ? t("You are offline. Connect to the internet to sign in.")
        : t("Waypoint's server did not answer. Check the connection and try again."),
    });
  }
}

/** The text of a decoded QR, if it is one of Waypoint's cards. */
export function cardText(decoded) {
  const text = String(decoded ?? "").trim();
  return text.startsWith(CARD_PREFIX) ? text : "";
}

/** Post the card (QR text or typed code); on success keep {user} and open their binder. */
async function signInWith(payload, homes) {
  set({ busy: true, error: "" });
  let response;
  try {
    response = await fetch("/api/auth/card", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...payload, cookies: true }),
    });
  } catch {
    set({ busy: false, error: t("Waypoint's server did not answer. Check the connection and try again.") });
    focusError();
    return false;
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok || !body?.user?.role) {
    if (payload.qr) refused = { text: payload.qr, until: Date.now() + REFUSED_PAUSE_MS };
    set({ busy: false, error: body?.message ?? t("Something went wrong. Please try again.") });
    focusError();
    return false;
  }
  stopCamera();
  const { id, username, role, display_name } = body.user;
  // via "card": this is a shared class device (the server signs cards in nowhere else), so
  // signing out opens /card again for the next learner (assets/ui/session.js signOut)
  localStorage.setItem(SESSION_KEY, JSON.stringify({ user: { id, username, role, display_name }, via: "card" }));
  localStorage.removeItem(SIGN_OUT_PENDING_KEY); // the cookies are this new session's now
  set({ notice: t("Hello {name}!", { name: display_name }) });
  window.location.replace(homes?.[role] ?? "/");
  return true;
}

function scanFrame(video, canvas, homes) {
  if (!stream || store.get().busy || video.readyState < 2 || !video.videoWidth) return;
  const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
  const width = Math.round(video.videoWidth * scale);
  const height = Math.round(video.videoHeight * scale);
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(video, 0, 0, width, height);
  const found = jsQR(context.getImageData(0, 0, width, height).data, width, height, {
    inversionAttempts: "dontInvert",
  });
  const qr = cardText(found?.data);
  if (qr && !(qr === refused.text && Date.now() < refused.until)) signInWith({ qr }, homes);
}

/** Open the camera and look for a card in every frame until one signs someone in. */
export async function startCamera(homes = {}) {
  stopCamera();
  set({ typing: false, error: "", notice: "" });
  if (!navigator.mediaDevices?.getUserMedia) {
    set({ typing: true, error: t("This device has no camera Waypoint can use. Type your code instead.") });
    focusError();
    return false;
  }
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: "user", width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false,
    });
  } catch (error) {
    stream = null;
    const denied = error?.name === "NotAllowedError" || error?.name === "SecurityError";
    set({
      typing: true,
      error: denied
        ? t("The camera is turned off for Waypoint. Type your code instead, or ask your teacher to turn the camera on.")
        : t("Waypoint could not find a camera. Type your code instead."),
    });
    focusError();
    return false;
  }
  set({ camera: true, notice: t("Hold your card up to the camera.") });
  const video = document.getElementById(VIDEO_ID);
  if (!video) return false;
  video.srcObject = stream;
  video.muted = true;
  video.setAttribute("playsinline", "");
  await video.play().catch(() => {});
  const canvas = document.createElement("canvas");
  timer = setInterval(() => scanFrame(video, canvas, homes), SCAN_EVERY_MS);
  return true;
}

/** Close the camera (the light goes off). */
export function stopCamera() {
  if (timer) clearInterval(timer);
  timer = null;
  for (const track of stream?.getTracks?.() ?? []) track.stop();
  stream = null;
  const video = typeof document !== "undefined" ? document.getElementById(VIDEO_ID) : null;
  if (video) video.srcObject = null;
  if (store.get().camera) set({ camera: false, notice: "" });
}

/** "Type my code": the camera closes and the code field takes focus. */
export function showCode() {
  stopCamera();
  set({ typing: true, error: "" });
  setTimeout(() => document.getElementById("card-code")?.focus(), 0);
}

/** The code form's submit (the form's own handler has already called preventDefault). */
export async function submitCode(homes = {}) {
  if (store.get().busy) return false;
  const field = document.getElementById(CODE_FORM_ID)?.elements?.code;
  const code = String(field?.value ?? "").trim();
  if (!code) {
    set({ error: t("Type the letters on your card.") });
    focusError();
    return false;
  }
  return signInWith({ code }, homes);
}

if (typeof window !== "undefined") {
  window.waypointCards = { startCamera, stopCamera, showCode, submitCode, checkDevice };
  window.addEventListener("pagehide", stopCamera);
}
