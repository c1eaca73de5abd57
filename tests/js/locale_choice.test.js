/** assets/ui/locale_choice.js: a language choice on this device, for the account when signed in and online, never queued unseen. */

import { afterAll, beforeEach, expect, test } from "bun:test";
import { SESSION_KEY } from "../../assets/sync/engine.js";
import { MemoryStorage } from "./fake-server.js";

const calls = [];
// this file's fake browser; the globals other test files set are put back afterwards
const saved = Object.fromEntries(["localStorage", "document", "navigator", "window", "fetch"].map((k) => [k, Object.getOwnPropertyDescriptor(globalThis, k)]));
afterAll(() => {
  for (const [key, descriptor] of Object.entries(saved)) {
    if (descriptor) Object.defineProperty(globalThis, key, descriptor);
    else delete globalThis[key];
  }
});
globalThis.localStorage = new MemoryStorage();
const jar = new Map([["waypoint_csrf_access", "abc"]]); // a cookie jar: writes add, reads list
globalThis.document = {
  documentElement: {},
  get cookie() {
    return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  },
  set cookie(line) {
    const [pair] = line.split(";");
    const at = pair.indexOf("=");
    jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  },
};
Object.defineProperty(globalThis, "navigator", { value: { onLine: true, languages: ["en-US"] }, configurable: true, writable: true });
globalThis.window = { addEventListener: () => {}, removeEventListener: () => {} };
globalThis.fetch = async (url, init = {}) => {
  calls.push({ url, method: init.method ?? "GET", headers: init.headers ?? {}, body: init.body ? JSON.parse(init.body) : null });
  if (String(url).startsWith("/i18n/")) return new Response("{}", { status: 200 });
  return new Response(JSON.stringify({ locale: JSON.parse(init.body).locale }), { status: 200 });
};

const i18n = await import("../../assets/ui/i18n.js");
const choice = await import("../../assets/ui/locale_choice.js");
const patches = () => calls.filter((c) => c.method === "PATCH");
const signedIn = (user) => localStorage.setItem(SESSION_KEY, JSON.stringify({ user }));

beforeEach(async () => {
  localStorage.clear?.();
  for (const key of [SESSION_KEY, "waypoint.locale-for-next-sign-in", "waypoint.locale-adopted", "waypoint.locale-device"]) localStorage.removeItem(key);
  navigator.onLine = true;
  await i18n.setLocale("en");
  calls.length = 0;
});

test("signed out: the device changes now and the next account to sign in takes it", async () => {
  await choice.choose("es");
  expect(i18n.getLocale()).toBe("es");
  expect(patches()).toEqual([]);
  signedIn({ id: 3, role: "guardian", locale: null });
  await choice.settle();
  expect(patches().map((c) => [c.url, c.body, c.headers["X-CSRF-TOKEN"]])).toEqual([["/api/auth/locale", { locale: "es" }, "abc"]]);
  expect(JSON.parse(localStorage.getItem(SESSION_KEY)).user.locale).toBe("es");
});

test("signed in and online: saved for the account, and the status says so only after the answer", async () => {
  signedIn({ id: 4, role: "student", locale: "en" });
  await choice.choose("vi");
  expect(patches().map((c) => c.body)).toEqual([{ locale: "vi" }]);
  expect(choice.currentStatus().state).toBe("saved");
  expect(choice.currentStatus().text).toContain("Tiếng Việt");
});

test("signed in and offline: this device only, said plainly, nothing queued", async () => {
  signedIn({ id: 4, role: "student", locale: "en" });
  navigator.onLine = false;
  await choice.choose("ar");
  expect(i18n.getLocale()).toBe("ar");
  expect(choice.currentStatus().state).toBe("device");
  expect(choice.currentStatus().text).toContain("this device only");
  navigator.onLine = true;
  await choice.settle();
  expect(patches()).toEqual([]);
});

test("a new device adopts the account's language once; an old session without one is left alone", async () => {
  signedIn({ id: 5, role: "student", locale: "ar" });
  await choice.settle();
  expect(i18n.getLocale()).toBe("ar");
  await i18n.setLocale("es"); // the person changes this device afterwards: not undone
  await choice.settle();
  expect(i18n.getLocale()).toBe("es");
  signedIn({ id: 6, role: "student" });
  await choice.settle();
  expect(patches()).toEqual([]);
});

test("a shared device: a teacher's adopted language is undone at sign-out, a hand-picked one is kept (QA F29)", async () => {
  await i18n.setLocale("ar"); // the class tablet's own language
  signedIn({ id: 9, role: "teacher", locale: "en" });
  await choice.settle();
  expect(i18n.getLocale()).toBe("en"); // the teacher reads their own language while signed in
  localStorage.removeItem(SESSION_KEY);
  choice.restoreDeviceLocale();
  expect(i18n.getLocale()).toBe("ar"); // the next learner finds the tablet as it was
  expect(localStorage.getItem(choice.DEVICE_LOCALE_KEY)).toBe(null);

  // picked by hand while signed in: that is the device's language from then on
  signedIn({ id: 9, role: "teacher", locale: "en" });
  await choice.settle();
  expect(i18n.getLocale()).toBe("en");
  await choice.choose("vi");
  localStorage.removeItem(SESSION_KEY);
  choice.restoreDeviceLocale();
  expect(i18n.getLocale()).toBe("vi");
});
