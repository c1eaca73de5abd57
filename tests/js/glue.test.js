/** glue.js: form reading, the guarded write's words, and the beforeunload question only while work is unsent. */

import { expect, test } from "bun:test";
import { askBeforeLeaving, clear, hasUnsentWork, say, values, writeErrorText } from "../../assets/ui/glue.js";

const field = (name, value, extra = {}) => ({ name, value, type: "text", checked: false, ...extra });
const formWith = (fields) => ({
  fields,
  box: { textContent: "", dataset: {} },
  querySelectorAll(selector) {
    return selector === "[name]" ? fields : [];
  },
  querySelector(selector) {
    return selector === "[data-msg]" ? this.box : null;
  },
});

test("values: text is trimmed, a radio group gives its checked value, ticks give ids", () => {
  const form = formWith([
    field("title", "  Lab report  "),
    field("level", "1", { type: "radio" }),
    field("level", "2.5", { type: "radio", checked: true }),
    field("target_ids", "7", { type: "checkbox", checked: true }),
    field("target_ids", "8", { type: "checkbox" }),
    field("target_ids", "abc", { type: "checkbox", checked: true }),
  ]);
  const { text, ids } = values(form);
  expect(text("title")).toBe("Lab report");
  expect(text("level")).toBe("2.5");
  expect(ids("target_ids")).toEqual([7, "abc"]);
  expect(text("missing")).toBe("");
});

test("values: no level picked reads as empty (not the first radio's value)", () => {
  const form = formWith([field("level", "1", { type: "radio" }), field("level", "2", { type: "radio" })]);
  expect(values(form).text("level")).toBe("");
});

test("clear empties text and unticks; say writes the message box with its error flag", () => {
  const form = formWith([field("title", "x"), field("t", "1", { type: "checkbox", checked: true })]);
  clear(form);
  expect(form.fields.map((f) => [f.value, f.checked])).toEqual([["", false], ["1", false]]);
  say(form, "Write what your goal is first.", true);
  expect(form.box).toEqual({ textContent: "Write what your goal is first.", dataset: { error: "1" } });
});

test("a full device is said in words; other errors keep their own message", () => {
  const quota = Object.assign(new Error("QuotaExceededError: the quota has been exceeded"), { name: "QuotaExceededError" });
  expect(writeErrorText(quota)).toContain("out of storage space");
  expect(writeErrorText(new Error("Choose a level first."))).toBe("Choose a level first.");
  expect(writeErrorText(new Error(""))).toBe("That did not work. Try again.");
});

test("beforeunload asks only while the outbox holds unsent work", () => {
  const event = () => ({ prevented: false, returnValue: undefined, preventDefault() { this.prevented = true; } });
  const idle = event();
  expect(askBeforeLeaving(idle, { pending: 0 })).toBeUndefined();
  expect(idle.prevented).toBe(false);
  const busy = event();
  expect(askBeforeLeaving(busy, { pending: 2 })).toBe("");
  expect(busy.prevented).toBe(true);
  expect(busy.returnValue).toBe("");
  expect(hasUnsentWork({ pending: 1 })).toBe(true);
  expect(hasUnsentWork(undefined)).toBe(false);
});
