/** A server answer's reason code said in the reader's language through the committed catalogs (assets/ui/reason_text.js). */

import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { putCatalog, setLocale } from "../../assets/ui/i18n.js";
import { reasonText } from "../../assets/ui/reason_text.js";
import { REASONS } from "../../assets/sync/spec.js";

globalThis.document ??= {};
globalThis.document.documentElement ??= {};
const catalog = (code) => JSON.parse(readFileSync(join(import.meta.dir, "..", "..", "assets", "i18n", `${code}.json`), "utf8"));

test("every reason template is a msgid the catalogs translate, braces kept", () => {
  for (const code of ["es", "vi", "zh-Hans", "ar"]) {
    const table = catalog(code);
    for (const template of Object.values(REASONS)) {
      expect([code, typeof table[template] === "string" && table[template].length > 0]).toEqual([code, true]);
      const braces = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(braces(table[template])).toEqual(braces(template));
    }
  }
});

test("a refusal's code renders in Spanish with its params; people by the name the server gave", async () => {
  await setLocale("es");
  putCatalog("es", catalog("es"));
  expect(reasonText({ code: "auth.not_your_learner", params: { student_id: 3, student: "Ana Ruiz" }, reason: "You do not teach Ana Ruiz." })).toBe("No das clase a Ana Ruiz.");
  expect(reasonText({ code: "field.not_choice", params: { field: "status", allowed: ["active", "done"], value: "x" } })).toBe("status debe ser uno de active, done (se recibió x).");
  // a code this build does not know keeps the server's words; no result says nothing
  expect(reasonText({ code: "new.code", params: {}, reason: "Words from a newer server." })).toBe("Words from a newer server.");
  expect(reasonText(null)).toBe("");
  // a cap, as the learner's status bar says it (learner.js rejectedText)
  expect(reasonText({ code: "cap.active_goals", params: { count: 500, limit: 500 } })).toBe(catalog("es")[REASONS["cap.active_goals"]].replace("{count}", "500").replace("{limit}", "500"));
  await setLocale("en");
});
