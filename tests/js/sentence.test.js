/** The plain sentence on the device (assets/ui/sentence.js) reads exactly as the server's
 * (backend/mastery/sentence.py) for every hand-checked case of tests/vectors/level_sentences.json. */

import { expect, test } from "bun:test";
import vector from "../vectors/level_sentences.json";
import { dayText, renderSentence } from "../../assets/ui/sentence.js";

test("every case reads on the device as on the server", () => {
  expect(vector.cases.length).toBeGreaterThan(8);
  for (const c of vector.cases) expect(renderSentence(c.sentence)).toBe(c.text);
});

test("plural forms follow n", () => {
  const one = { msgid: "{n} score", plural: "{n} scores", n: 1, params: {} };
  expect(renderSentence(one)).toBe("1 score");
  expect(renderSentence({ ...one, n: 3 })).toBe("3 scores");
});

test("one date format, whatever the input", () => {
  expect(dayText("2026-11-08")).toBe("Nov 8, 2026");
  expect(dayText(new Date(2026, 0, 31, 23, 59))).toBe("Jan 31, 2026");
  expect(dayText("")).toBe("");
  expect(dayText("not a date")).toBe("");
  expect(renderSentence(null)).toBe("");
});
