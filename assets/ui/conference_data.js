/**
 * What the conference rehearsal's slides show (assets/ui/conference.js), read from the
 * device's store with no React: the profile in the learner's own words (= the titles of
 * assets/ui/profile.js) and the observations they accepted, the work they starred with the
 * thumbnails kept on the device, their goals (not those set aside) and their levels.
 */

import { rowsOfTypes } from "../sync/pages.js";
import { t } from "./i18n.js";
import { SECTION_ORDER, SECTION_WORDS, choiceText } from "./profile_words.js";
import { binderData, thumbsOf } from "./learner_data.js";
import { binderView, goalView, indexRows } from "./views.js";

export const SLIDES = ["profile", "highlights", "goals", "levels"];
async function profileRows(db, studentId) {
  const [sections, notes, names] = await Promise.all(
    ["profile_section", "profile_observation", "staff"].map((type) => db.rows.where("type").equals(type).toArray()),
  );
  const mine = (r) => !r.deleted && same(r.data.student_id, studentId);
  return {
    sections: sections.filter(mine).sort((a, b) => SECTION_ORDER.indexOf(a.data.section) - SECTION_ORDER.indexOf(b.data.section)),
    notes: notes.filter(mine),
    staff: new Map(names.map((r) => [String(r.id), r.data.display_name])),
  };
}

const same = (a, b) => String(a) === String(b);

/** What the slides show, from this device's store: the learner's words, stars, goals, levels. */
export async function conferenceData(db, studentId) {
  const [profile, evidenceRows, goalRows, binder] = await Promise.all([
    profileRows(db, studentId),
    db.rows.where("type").equals("evidence").toArray(),
    rowsOfTypes(db, ["goal"]),
    binderData(db, studentId),
  ]);
  const starred = evidenceRows
    .filter((r) => !r.deleted && same(r.data.student_id, studentId) && r.data.highlight === true)
    .sort((a, b) => String(b.id).localeCompare(String(a.id)));
  const thumbs = await thumbsOf(db, starred.map((r) => r.data.blob_sha256));
  const sections = profile.sections
    .filter((r) => r.data.text || (r.data.choices ?? []).length)
    .map((r) => ({ title: (SECTION_WORDS[r.data.section]?.[0]?.() ?? r.data.section), text: r.data.text ?? "", choices_text: choiceText(r.data.choices ?? []) }));
  const accepted = profile.notes
    .filter((r) => r.data.response === "accepted")
    .map((r) => ({ text: r.data.text ?? "", who: profile.staff.get(String(r.data.teacher_id)) || t("your teacher") }));
  const ix = indexRows(goalRows.filter((r) => !r.deleted), studentId);
  const goals = ix.goals
    .filter((g) => g.data.status !== "dropped")
    .map((g) => goalView(binder, g))
    .sort((a, b) => Number(a.is_done) - Number(b.is_done) || String(b.id).localeCompare(String(a.id)));
  const levels = [];
  const tree = binderView(binder);
  for (const area of [...tree.academic, ...tree.skills]) {
    for (const topic of area.topics) {
      const assessed = topic.targets.filter((tg) => tg.level !== null && tg.level !== undefined);
      if (assessed.length) levels.push({ name: topic.name, progress_text: topic.progress_text, targets: assessed.map((tg) => ({ code: tg.code, title: tg.title, level_text: tg.level_text ?? "" })) });
    }
  }
  return {
    profile: sections,
    accepted,
    highlights: starred.map((r) => ({ id: r.id, caption: r.data.caption || t("(no caption)"), text: r.data.text ?? "", thumb: thumbs.get(r.data.blob_sha256) ?? "" })),
    goals,
    levels,
  };
}

