/** The card sign-in page's script (assets/ui/card_scan.js) with a fake browser around it. */

import { beforeEach, expect, test } from "bun:test";
import { SESSION_KEY } from "../../assets/sync/engine.js";
import { MemoryStorage } from "./fake-server.js";

const HOMES = { student: "/learner", teacher: "/teacher" };
const calls = [];
let answer = null; // (url, init) => Response
const page = { code: { value: "" }, replaced: [], focused: [] };

globalThis.localStorage = new MemoryStorage();
globalThis.document = {
  getElementById: (id) => {
    if (id === "card-code-form") return { elements: { code: page.code } };
    if (id === "card-error") return { focus: () => page.focused.push(id) };
    return null;
  },
  cookie: "",
};
Object.defineProperty(globalThis, "navigator", { value: { onLine: true }, configurable: true, writable: true });
globalThis.fetch = async (url, init = {}) => {
  calls.push({ url, ...init });
  return answer(url, init);
};
globalThis.window = {
  location: { replace: (url) => page.replaced.push(url) },
  addEventListener: () => {},
  removeEventListener: () => {},
};

const scan = await import("../../assets/ui/card_scan.js");
const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

beforeEach(() => {
  calls.length = 0;
  page.replaced.length = 0;
  page.focused.length = 0;
  page.code.value = "";
  localStorage.removeItem(SESSION_KEY);
});

test("only a Waypoint card's text is taken from a QR code", () => {
  expect(scan.cardText("WPCARD1:abc")).toBe("WPCARD1:abc");
  expect(scan.cardText("  WPCARD1:abc \n")).toBe("WPCARD1:abc");
  expect(scan.cardText("https://example.com/WPCARD1:abc")).toBe("");
  expect(scan.cardText(null)).toBe("");
});

test("a refused code says the server's words, takes focus, and opens nothing", async () => {
  answer = () => json(401, { code: "bad_card", status: 401, message: "That code did not work.", errors: {} });
  page.code.value = "WRONG";
  expect(await scan.submitCode(HOMES)).toBe(false);
  await new Promise((done) => setTimeout(done, 5));
  expect(page.focused).toEqual(["card-error"]);
  expect(scan.currentCardScan().error).toBe("That code did not work.");
  expect(page.replaced).toEqual([]);
  expect(localStorage.getItem(SESSION_KEY)).toBeNull();
});

test("an empty code is not sent", async () => {
  answer = () => {
    throw new Error("nothing should be sent");
  };
  expect(await scan.submitCode(HOMES)).toBe(false);
  expect(calls).toHaveLength(0);
  expect(scan.currentCardScan().error).toBe("Type the letters on your card.");
  await new Promise((done) => setTimeout(done, 5));
  expect(page.focused).toEqual(["card-error"]);
});

test("no camera at all: plain words and the code field instead", async () => {
  expect(await scan.startCamera(HOMES)).toBe(false);
  await new Promise((done) => setTimeout(done, 5));
  expect(page.focused).toEqual(["card-error"]);
  expect(scan.currentCardScan().typing).toBe(true);
  expect(scan.currentCardScan().camera).toBe(false);
  expect(scan.currentCardScan().error).toBe("This device has no camera Waypoint can use. Type your code instead.");
});

test("a device the server did not answer about is 'unknown', never 'not shared'", async () => {
  answer = () => {
    throw new TypeError("Failed to fetch");
  };
  await scan.checkDevice();
  expect(scan.currentCardScan()).toMatchObject({ checked: true, unknown: true, shared: false });
  expect(scan.currentCardScan().error).toBe("Waypoint's server did not answer. Check the connection and try again.");
  answer = () => json(200, { shared: false, name: "" });
  await scan.checkDevice();
  expect(scan.currentCardScan()).toMatchObject({ checked: true, unknown: false, shared: false, error: "" });
  answer = () => json(200, { shared: true, name: "Room 12" });
  await scan.checkDevice();
  expect(scan.currentCardScan()).toMatchObject({ unknown: false, shared: true });
});

// last: a sign-in that worked keeps the page busy while the binder opens
test("a typed code signs in like a password: the session keeps {user} and the binder opens", async () => {
  answer = () => json(200, { user: { id: 7, username: "student2", role: "student", display_name: "Eli T." } });
  page.code.value = " kmpt-3479 ";
  expect(await scan.submitCode(HOMES)).toBe(true);
  expect(calls).toHaveLength(1);
  expect(calls[0].url).toBe("/api/auth/card");
  expect(JSON.parse(calls[0].body)).toEqual({ code: "kmpt-3479", cookies: true });
  expect(calls[0].credentials).toBe("same-origin");
  expect(JSON.parse(localStorage.getItem(SESSION_KEY))).toEqual({
    user: { id: 7, username: "student2", role: "student", display_name: "Eli T." },
    via: "card",
  });
  expect(page.replaced).toEqual(["/learner"]);
});
