/**
 * The class grid grouped by a profile answer (issue 18 item 5): "who learns best by doing,
 * among those on M5.F.2". Read from the learners' profile_section rows on the teacher's
 * device; used by gridView (teacher_views.js).
 */

import { PROFILE_CHOICES } from "../sync/spec.js";
import { t } from "./i18n.js";

// the grid's "Group by" choices beyond next target: the profile's UDL answers (issue 18)
export const GROUP_BY = {
  learn_by: () => t("How they take in ideas"),
  engage_by: () => t("How they stay engaged"),
  show_by: () => t("How they show what they know"),
};
const ANSWER_WORDS = {
  watching: () => t("Learns best by watching"),
  reading: () => t("Learns best by reading"),
  doing: () => t("Learns best by doing"),
  talking: () => t("Learns best by talking"),
  alone: () => t("Stays engaged working alone"),
  with_peers: () => t("Stays engaged working with others"),
  challenge: () => t("Stays engaged with a challenge"),
  choice: () => t("Stays engaged with a choice"),
  write: () => t("Shows what they know by writing"),
  make: () => t("Shows what they know by making"),
  present: () => t("Shows what they know by presenting"),
  record: () => t("Shows what they know by recording"),
};

/**
 * The shown learners (after the name and next-target filters: "who learns best by doing,
 * among those on M5.F.2") grouped by their answer to one UDL section of their profile
 * (profile_section rows' `choices`, pulled to their teachers). A learner who chose two
 * answers is in both groups; learners who have not answered are named apart.
 */
export function groupsByAnswer(profiles, shown, section, need = "all") {
  const answers = new Map();
  for (const r of profiles) {
    if (r.deleted || r.data?.section !== section) continue;
    answers.set(String(r.data.student_id), (r.data.choices ?? []).map(String));
  }
  const on = need === "all" ? "" : need;
  const groups = PROFILE_CHOICES[section]
    .map((choice) => {
      const members = shown.filter((m) => (answers.get(m.id) ?? []).includes(choice));
      const words = ANSWER_WORDS[choice]?.() ?? choice;
      return {
        target_id: `${section}-${choice}`,
        heading: on ? t("{answer}, on {code}", { answer: words, code: on }) : words,
        names: members.map((m) => m.name).join(", "),
        count_text: t({ one: "{n} learner", other: "{n} learners", n: members.length }),
        learner_ids: members.map((m) => Number(m.id)),
      };
    })
    .filter((g) => g.learner_ids.length > 0);
  const notSaid = shown.filter((m) => !(answers.get(m.id) ?? []).length).map((m) => m.name).join(", ");
  return Object.assign(groups, { not_said: notSaid });
}
