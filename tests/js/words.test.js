/** The level scale on the device (assets/ui/levels.js, generated from backend/mastery/words.py): the number shown and the words shown agree, and the hand-worked cases in tests/vectors/level_display.json read the same as on the server. */

import { expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import vector from "../vectors/level_display.json";
import { LEVEL_COLORS, LEVEL_WORDS, levelText, levelWords, reaches, shownLevel } from "../../assets/ui/levels.js";
import { levelView } from "../../assets/ui/views.js";

// what a reader of the scale says for a number on the screen ("3.0 means proficient")
const wordsOfNumber = (text) => LEVEL_WORDS.find(([floor]) => Number(text) >= floor)[1];

// the vector's levels, every hundredth and half point, and a spread of arbitrary floats
function* samples() {
  for (const [level] of vector.cases) yield level;
  for (let n = 0; n <= 400; n++) yield n / 100;
  let seed = 7;
  for (let i = 0; i < 5000; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    yield (4 * seed) / 2147483648;
  }
}

test("the hand-worked cases read as on the server", () => {
  for (const [level, text, words] of vector.cases) {
    expect([level, levelText(level), levelWords(level)]).toEqual([level, text, words]);
  }
});

test("the number shown and the words shown always agree, and counts follow the number", () => {
  for (const level of samples()) {
    const text = levelText(level);
    expect(text).toMatch(/^[0-4]\.\d$/);
    expect(levelWords(level)).toBe(wordsOfNumber(text));
    expect(Number(text)).toBe(shownLevel(level));
    expect(Math.abs(Number(text) - level)).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(reaches(level, 3)).toBe(Number(text) >= 3);
    expect(levelView(level)).toEqual({ level_text: text, level_words: wordsOfNumber(text), level_color: LEVEL_COLORS[wordsOfNumber(text)] });
  }
});

test("two-decimal levels round halves up, as a hand calculation would", () => {
  for (let n = 0; n <= 400; n++) {
    const tenths = Math.floor((n + 5) / 10); // integer arithmetic: hundredths → tenths, halves up
    expect(levelText(n / 100)).toBe(`${Math.floor(tenths / 10)}.${tenths % 10}`);
  }
});

test("no level reads not yet assessed, in grey", () => {
  expect(levelView(null)).toEqual({ level_text: "", level_words: "not yet assessed", level_color: "gray" });
});

test("levels.js is what the server's table generates today", () => {
  const python = new URL("../../.venv/bin/python", import.meta.url).pathname;
  if (!existsSync(python)) return; // tests/backend/mastery/test_words_scale.py checks it too
  const run = Bun.spawnSync([python, "-c", "import sys; from backend.mastery.words_js import render_js; sys.stdout.write(render_js())"], { cwd: new URL("../..", import.meta.url).pathname });
  expect(run.exitCode).toBe(0);
  const file = readFileSync(new URL("../../assets/ui/levels.js", import.meta.url), "utf8");
  expect(file).toBe(run.stdout.toString());
}, 60_000); // importing the backend takes seconds on a busy machine
