/** assets/ui/i18n.js: catalog lookup with English per string, CLDR plurals, placeholders, formats; the committed catalogs' shape. */

import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { formatDate, formatNumber, getLocale, negotiate, normalize, putCatalog, setLocale, t } from "../../assets/ui/i18n.js";

globalThis.document ??= {}; // bun has no DOM: lang/dir land here
globalThis.document.documentElement ??= {};
const ONE = "{n} change waiting";
const plural = (n) => t({ one: ONE, other: "{n} changes waiting", n });

test("English is the msgid with placeholders filled, and English plurals", async () => {
  await setLocale("en");
  expect(t("Hello {name}", { name: "Ana" })).toBe("Hello Ana");
  expect(t("Left {x} as it is")).toBe("Left {x} as it is");
  expect(plural(1)).toBe("1 change waiting");
  expect(plural(0)).toBe("0 changes waiting");
  expect(plural(1200)).toBe("1,200 changes waiting");
});

test("a translated string is used; a missing one is English for that string alone", async () => {
  await setLocale("es");
  putCatalog("es", { "Hello {name}": "Hola, {name}", [ONE]: { one: "{n} cambio pendiente", other: "{n} cambios pendientes" } });
  expect(getLocale()).toBe("es");
  expect(t("Hello {name}", { name: "Ana" })).toBe("Hola, Ana");
  expect(t("Not in the catalog")).toBe("Not in the catalog");
  expect(plural(1)).toBe("1 cambio pendiente");
  expect(plural(3)).toBe("3 cambios pendientes");
  putCatalog("es", { "Hello {name}": "" }); // an empty translation is not a translation
  expect(t("Hello {name}", { name: "Ana" })).toBe("Hello Ana");
  expect(plural(3)).toBe("3 changes waiting");
});

test("Arabic picks among six CLDR forms; Chinese and Vietnamese have one", async () => {
  await setLocale("ar");
  const forms = { zero: "z{n}", one: "o{n}", two: "t{n}", few: "f{n}", many: "m{n}", other: "x{n}" };
  putCatalog("ar", { [ONE]: forms });
  expect([0, 1, 2, 3, 11, 100].map(plural)).toEqual(["z0", "o1", "t2", "f3", "m11", "x100"]);
  expect(document.documentElement.dir).toBe("rtl");
  await setLocale("zh-Hans");
  putCatalog("zh-Hans", { [ONE]: { other: "{n} 个更改待发送" } });
  expect([1, 5].map(plural)).toEqual(["1 个更改待发送", "5 个更改待发送"]);
  expect(document.documentElement.dir).toBe("ltr");
  expect(document.documentElement.lang).toBe("zh-Hans");
  await setLocale("en");
});

test("browser tags are negotiated against the five", () => {
  expect(normalize("es-MX")).toBe("es");
  expect(normalize("zh-CN")).toBe("zh-Hans");
  expect(normalize("zh-TW")).toBe(null);
  expect(negotiate(["fr-FR", "vi-VN", "en"])).toBe("vi");
  expect(negotiate(["fr", "de"])).toBe("en");
});

test("one date format per locale per kind; a calendar day stays that day", () => {
  expect(formatDate("2026-10-22", "date", "en")).toBe("Oct 22, 2026");
  expect(formatDate("2026-10-22", "date", "es")).toBe("22 oct 2026");
  expect(formatDate(new Date(2026, 9, 22, 14, 5), "weekdayTime", "es")).toBe("jueves, 14:05");
  expect(formatDate(null)).toBe("");
  expect(formatNumber(1234.5, "es")).toBe("1234,5");
  expect(formatNumber(1234.5, "en")).toBe("1,234.5");
});

test("every committed JS catalog is {msgid: text | {CLDR category: text}}", () => {
  for (const code of ["en", "es", "ar", "vi", "zh-Hans"]) {
    const table = JSON.parse(readFileSync(new URL(`../../assets/i18n/${code}.json`, import.meta.url), "utf8"));
    const categories = new Intl.PluralRules(code).resolvedOptions().pluralCategories;
    for (const [msgid, value] of Object.entries(table)) {
      expect(msgid.length).toBeGreaterThan(0);
      if (typeof value === "object") {
        for (const category of Object.keys(value)) expect(categories).toContain(category);
      } else {
        expect(value.length).toBeGreaterThan(0);
      }
    }
  }
});
