/** The plain sentence on the device (assets/ui/sentence.js) reads exactly as the server's
 * (backend/mastery/sentence.py) for every hand-checked case of tests/vectors/level_sentences.json. */

import { expect, test } from "bun:test";
import vector from "../vectors/level_sentences.json";
import { dayText, renderSentence } from "../../assets/ui/sentence.js";

test("every case reads on the device as on the server", () => {
  expect(vector.cases.length).toBeGreaterThan(8);
  for (const c of vector.cases) expect(renderSentence(c.sentence)).toBe(c.text);
});

test("every step behind 'Show the math' reads on the device as on the server", () => {
  let steps = 0;
  for (const c of vector.cases) {
    expect(c.steps.map(renderSentence)).toEqual(c.steps_text);
    steps += c.steps.length;
  }
  expect(steps).toBeGreaterThan(50);
});

test("a _label param is a msgid and reads translated", () => {
  const level = { msgid: "Level: {level} ({words_label}).", params: { level: "2.6", words_label: "developing" } };
  expect(renderSentence(level)).toBe("Level: 2.6 (developing).");
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

test("the steps read in Spanish from the committed catalog, as on the server", async () => {
  const { putCatalog, setLocale } = await import("../../assets/ui/i18n.js");
  const { readFileSync } = await import("node:fs");
  globalThis.document ??= {};
  globalThis.document.documentElement ??= {};
  const c = vector.cases.find((x) => x.method === "decaying_average" && x.events.length === 3);
  await setLocale("es");
  putCatalog("es", JSON.parse(readFileSync(new URL("../../assets/i18n/es.json", import.meta.url), "utf8")));
  const spanish = c.steps.map(renderSentence);
  // the same words tests/backend/mastery/test_sentence.py expects from gettext
  expect(spanish[0]).toBe("Método: Promedio decreciente (el trabajo más reciente cuenta más) (peso 65 %).");
  expect(spanish[4]).toBe("Se empieza por la calificación más antigua: 2 el 22 oct 2026.");
  expect(spanish.at(-1)).toBe("Nivel: 2.6 (en desarrollo).");
  spanish.forEach((text, i) => expect(text).not.toBe(c.steps_text[i]));
  await setLocale("en");
});
