/** The page's sign-in and sign-out (assets/ui/session.js) with a fake browser around it. */

import { beforeEach, expect, test } from "bun:test";
import { SESSION_KEY } from "../../assets/sync/engine.js";
import { MemoryStorage } from "./fake-server.js";

const HOMES = { student: "/learner", teacher: "/teacher" };
const calls = [];
let answer = null; // (url, init) => Response, or throws
const page = {
  fields: { username: { value: "" }, password: { value: "" } },
  replaced: [],
  cookie: "",
  coreSignOut: null,
};

globalThis.localStorage = new MemoryStorage();
globalThis.document = {
  getElementById: (id) => (id === "sign-in" ? { elements: page.fields } : null),
  get cookie() {
    return page.cookie;
  },
};
Object.defineProperty(globalThis, "navigator", { value: { onLine: true }, configurable: true, writable: true });
globalThis.fetch = async (url, init = {}) => {
  calls.push({ url, ...init, headers: { ...(init.headers ?? {}) } });
  return answer(url, init);
};
globalThis.window = {
  location: { replace: (url) => page.replaced.push(url) },
  addEventListener: () => {},
  removeEventListener: () => {},
  get waypoint() {
    return page.coreSignOut ? { signOut: page.coreSignOut } : undefined;
  },
};

// a fresh module per test: after a sign-in or sign-out the page navigates away, so the
// module's busy flag is never reset in a real page
let loads = 0;
let session = await import("../../assets/ui/session.js");
const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

beforeEach(async () => {
  session = await import(`../../assets/ui/session.js?fresh=${++loads}`);
  calls.length = 0;
  page.replaced.length = 0;
  page.cookie = "";
  page.coreSignOut = null;
  page.fields.username.value = "";
  page.fields.password.value = "";
  globalThis.navigator.onLine = true;
  for (const key of [SESSION_KEY, session.SIGN_OUT_PENDING_KEY]) localStorage.removeItem(key);
});

function fill(username, password) {
  page.fields.username.value = username;
  page.fields.password.value = password;
}

test("sign-in posts the form with cookies, keeps only the user, opens the role's page", async () => {
  fill(" student ", "waypoint");
  localStorage.setItem(session.SIGN_OUT_PENDING_KEY, "1");
  answer = () => json(200, { user: { id: 7, username: "student", role: "student", display_name: "Maya R." } });
  expect(await session.signIn(HOMES)).toBe(true);
  expect(calls).toHaveLength(1);
  const [call] = calls;
  expect(call.url).toBe("/api/auth/login");
  expect(call).toMatchObject({ method: "POST", credentials: "same-origin" });
  expect(JSON.parse(call.body)).toEqual({ username: "student", password: "waypoint", cookies: true });
  expect(JSON.parse(localStorage.getItem(SESSION_KEY))).toEqual({ user: { id: 7, username: "student", role: "student", display_name: "Maya R.", locale: null } });
  expect(localStorage.getItem(session.SIGN_OUT_PENDING_KEY)).toBeNull();
  expect(page.replaced).toEqual(["/learner"]);
  expect(page.fields.password.value).toBe("");
});

test("a refused sign-in shows the API's words and stores nothing", async () => {
  fill("student", "nope");
  answer = () => json(401, { code: "bad_credentials", message: "That username and password do not match." });
  expect(await session.signIn(HOMES)).toBe(false);
  expect(localStorage.getItem(SESSION_KEY)).toBeNull();
  expect(page.replaced).toEqual([]);
  // what useSignIn renders: the message under the form, the button usable again
  expect(session.currentSignIn()).toEqual({ busy: false, error: "That username and password do not match." });
});

test("offline, or no answer, or empty fields: plain words and no request for empty fields", async () => {
  answer = () => {
    throw new TypeError("Failed to fetch");
  };
  fill("student", "waypoint");
  globalThis.navigator.onLine = false;
  expect(await session.signIn(HOMES)).toBe(false);
  expect(session.currentSignIn().error).toBe("You are offline. Connect to the internet to sign in.");
  globalThis.navigator.onLine = true;
  await session.signIn(HOMES);
  expect(session.currentSignIn().error).toBe("Waypoint's server did not answer. Check the connection and try again.");
  calls.length = 0;
  fill("student", "");
  await session.signIn(HOMES);
  expect(session.currentSignIn().error).toBe("Enter your username and your password.");
  expect(calls).toHaveLength(0);
});

test("the sign-in errors are in the device's language (Spanish catalog on the device, offline)", async () => {
  const i18n = await import("../../assets/ui/i18n.js");
  const es = JSON.parse(await Bun.file(new URL("../../assets/i18n/es.json", import.meta.url)).text());
  localStorage.setItem("waypoint.i18n.es", JSON.stringify(es));
  answer = () => {
    throw new TypeError("Failed to fetch");
  };
  try {
    await i18n.setLocale("es");
    fill("student", "waypoint");
    globalThis.navigator.onLine = false;
    await session.signIn(HOMES);
    expect(session.currentSignIn().error).toBe("No tienes conexión. Conéctate a internet para iniciar sesión.");
    fill("student", "");
    await session.signIn(HOMES);
    expect(session.currentSignIn().error).toBe("Escribe tu nombre de usuario y tu contraseña.");
  } finally {
    await i18n.setLocale("en");
    localStorage.removeItem("waypoint.i18n.es");
  }
});

test("sign-out: the sync core first, then revoke with the CSRF value, forget the user, /login", async () => {
  const order = [];
  page.coreSignOut = async () => {
    order.push("core");
    return { deleted: true, pending: 0 };
  };
  page.cookie = "other=1; waypoint_csrf_access=abc; waypoint_csrf_refresh=def";
  localStorage.setItem(SESSION_KEY, JSON.stringify({ user: { id: 7, role: "student" } }));
  answer = (url) => {
    order.push(url);
    return new Response(null, { status: 204 });
  };
  await session.signOut();
  expect(order).toEqual(["core", "/api/auth/logout"]);
  expect(calls[0]).toMatchObject({ method: "POST", credentials: "same-origin", headers: { "X-CSRF-TOKEN": "abc" } });
  expect(calls[0].headers.Authorization).toBeUndefined();
  expect(localStorage.getItem(SESSION_KEY)).toBeNull();
  expect(localStorage.getItem(session.SIGN_OUT_PENDING_KEY)).toBeNull();
  expect(page.replaced).toEqual(["/login"]);
});

test("after a card sign-in (a shared class device) sign-out opens /card, not /login", async () => {
  localStorage.setItem(SESSION_KEY, JSON.stringify({ user: { id: 7, role: "student" }, via: "card" }));
  answer = () => new Response(null, { status: 204 });
  await session.signOut();
  expect(localStorage.getItem(SESSION_KEY)).toBeNull();
  expect(page.replaced).toEqual(["/card"]);
  // offline too: the card page opens (it works offline only as far as it says so)
  localStorage.setItem(SESSION_KEY, JSON.stringify({ user: { id: 7, role: "student" }, via: "card" }));
  session = await import(`../../assets/ui/session.js?fresh=${++loads}`);
  answer = () => {
    throw new TypeError("offline");
  };
  await session.signOut();
  expect(page.replaced).toEqual(["/card", "/card"]);
  expect(localStorage.getItem(session.SIGN_OUT_PENDING_KEY)).toBe("1");
});

test("an expired access cookie signs out with the refresh CSRF value", async () => {
  page.cookie = "waypoint_csrf_refresh=def";
  answer = () => new Response(null, { status: 204 });
  await session.signOut();
  expect(calls[0].headers).toEqual({ "X-CSRF-TOKEN": "def" });
});

test("signed out offline: the revocation waits for the next page online", async () => {
  localStorage.setItem(SESSION_KEY, JSON.stringify({ user: { id: 7, role: "student" } }));
  answer = () => {
    throw new TypeError("Failed to fetch");
  };
  await session.signOut();
  expect(localStorage.getItem(SESSION_KEY)).toBeNull(); // nobody is signed in on this device
  expect(localStorage.getItem(session.SIGN_OUT_PENDING_KEY)).toBe("1");
  expect(page.replaced).toEqual(["/login"]);

  answer = () => new Response(null, { status: 204 });
  page.cookie = "waypoint_csrf_access=abc";
  calls.length = 0;
  expect(await session.finishPendingSignOut()).toBe(true);
  expect(calls.map((c) => c.url)).toEqual(["/api/auth/logout"]);
  expect(localStorage.getItem(session.SIGN_OUT_PENDING_KEY)).toBeNull();
  expect(await session.finishPendingSignOut()).toBe(false); // done once
});

test("a pending sign-out never ends the session of someone who signed in since", async () => {
  localStorage.setItem(session.SIGN_OUT_PENDING_KEY, "1");
  localStorage.setItem(SESSION_KEY, JSON.stringify({ user: { id: 8, role: "teacher" } }));
  answer = () => new Response(null, { status: 204 });
  expect(await session.finishPendingSignOut()).toBe(false);
  expect(calls).toHaveLength(0);
  expect(localStorage.getItem(session.SIGN_OUT_PENDING_KEY)).toBeNull();
});
