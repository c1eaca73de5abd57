import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";

import { putCatalog, setLocale } from "../../assets/ui/i18n.js";
import { reasonWords, whyText } from "../../assets/ui/why_text.js";

globalThis.document ??= {}; // bun has no DOM: lang/dir land here
globalThis.document.documentElement ??= {};

describe("a suggestion's why, through the catalog (issue 18)", () => {
  test("English is the server's why word for word; codes the device does not know fall back to it", () => {
    const lab = {
      why: "You said you take in ideas by doing: this is a hands-on lab. You like to show what you know by recording: you can do that here.",
      reasons: [
        { code: "why.learn_by", params: { choice: "doing", kind: "lab" } },
        { code: "why.show_by", params: { way: "record" } },
      ],
    };
    expect(whyText(lab)).toBe(lab.why);
    expect(reasonWords({ code: "why.stated_word", params: { word: "robots", kind: "project" } })).toBe("You said you like robots: this is a project.");
    expect(reasonWords({ code: "why.worked", params: { gains: 2, tries: 3, code: "M5.F.2", weeks: 3 } })).toBe(
      "2 of 3 learners who finished it scored higher on M5.F.2 within 3 weeks.",
    );
    expect(whyText({ why: "Server words.", reasons: [{ code: "why.new_in_a_later_version", params: {} }] })).toBe("Server words.");
    expect(whyText({ why: "Older server words." })).toBe("Older server words.");
  });

  test("in Spanish from the committed catalog: the template, the kind and the choice", async () => {
    await setLocale("es");
    putCatalog("es", JSON.parse(readFileSync(new URL("../../assets/i18n/es.json", import.meta.url), "utf8")));
    try {
      expect(reasonWords({ code: "why.learn_by", params: { choice: "doing", kind: "lab" } })).toBe(
        "Dijiste que aprendes haciendo: esto es un laboratorio práctico.",
      );
      expect(reasonWords({ code: "why.stated_word", params: { word: "robots", kind: "video" } })).toBe("Dijiste que te gusta «robots»: esto es un video.");
    } finally {
      await setLocale("en");
    }
  });
});
