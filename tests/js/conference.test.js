/** The conference rehearsal's slides from the device's store (issue 18 item 4): the profile in
 * the learner's words and only the observations they accepted, the starred work (with the
 * thumbnail kept on the device), goals not set aside, levels; and the slide moves. */

import "fake-indexeddb/auto";
import { afterEach, expect, test } from "bun:test";
import { openDatabase } from "../../assets/sync/store.js";
import { go } from "../../assets/ui/conference.js";
import { SLIDES, conferenceData } from "../../assets/ui/conference_data.js";
import { thumbKey } from "../../assets/ui/learner_data.js";

const dbs = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete().catch(() => {});
});

const row = (type, id, data, deleted = false) => ({ type, id, version: 1, deleted, local: 0, data });

async function device(rows) {
  const db = openDatabase(`conference-${dbs.length}-${Date.now()}`);
  dbs.push(db);
  await db.rows.bulkPut(rows);
  return db;
}

test("slides: the learner's words, accepted observations, starred work, goals, levels", async () => {
  const db = await device([
    row("content_area", "1", { name: "Math", is_academic: true, position: 1 }),
    row("topic", "10", { name: "Fractions", content_area_id: "1", position: 1 }),
    row("target", "100", { code: "M5.F.1", title: "Add fractions", topic_id: "10", scale_level: 3, position: 1 }),
    row("target", "101", { code: "M5.F.2", title: "Compare fractions", topic_id: "10", scale_level: 3, position: 2 }),
    row("level", "l1", { student_id: 7, target_id: "100", level: 3 }),
    row("staff", "3", { display_name: "Ms. Lee" }),
    row("profile_section", "s-strengths", { student_id: 7, section: "strengths", text: "I build things", choices: [] }),
    row("profile_section", "s-learn", { student_id: 7, section: "learn_by", text: "", choices: ["doing"] }),
    row("profile_section", "s-other", { student_id: 8, section: "strengths", text: "not mine", choices: [] }),
    row("profile_observation", "o1", { student_id: 7, teacher_id: 3, text: "You explain clearly", response: "accepted" }),
    row("profile_observation", "o2", { student_id: 7, teacher_id: 3, text: "You rush", response: "discuss" }),
    row("evidence", "e1", { student_id: 7, kind: "photo", caption: "My bridge", blob_sha256: "aa", highlight: true }),
    row("evidence", "e2", { student_id: 7, kind: "text", caption: "", text: "My poem", highlight: true }),
    row("evidence", "e3", { student_id: 7, kind: "text", caption: "Not starred", highlight: false }),
    row("evidence", "e4", { student_id: 7, kind: "text", caption: "Deleted", highlight: true }, true),
    row("goal", "g1", { student_id: 7, title: "Finish my report", status: "active", target_ids: [] }),
    row("goal", "g2", { student_id: 7, title: "Set aside", status: "dropped", target_ids: [] }),
  ]);
  await db.meta.put({ key: thumbKey("aa"), value: "data:image/jpeg;base64,AAAA" });
  const view = await conferenceData(db, 7);
  expect(view.profile).toEqual([
    { title: "My strengths", text: "I build things", choices_text: "" },
    { title: "How I take in ideas", text: "", choices_text: "Doing" },
  ]);
  expect(view.accepted).toEqual([{ text: "You explain clearly", who: "Ms. Lee" }]);
  expect(view.highlights.map((h) => [h.caption, h.text, h.thumb])).toEqual([
    ["(no caption)", "My poem", ""],
    ["My bridge", "", "data:image/jpeg;base64,AAAA"],
  ]);
  expect(view.goals.map((g) => g.title)).toEqual(["Finish my report"]);
  expect(view.levels.map((tp) => [tp.name, tp.targets.map((tg) => tg.code)])).toEqual([["Fractions", ["M5.F.1"]]]);
});

test("the slides move one at a time and stop at the ends", () => {
  expect(SLIDES).toEqual(["profile", "highlights", "goals", "levels"]);
  go(-5);
  expect(go(1)).toBe(1);
  expect(go(1)).toBe(2);
  expect(go(1)).toBe(3);
  expect(go(1)).toBe(3);
  expect(go(-1)).toBe(2);
  go(-5);
});
