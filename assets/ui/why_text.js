/**
 * A suggestion's why (issue 18), said through the catalog: the server sends each reason as a
 * code and its params (backend/services/recommendations.py, WHY_TEMPLATES), and the device
 * words it in the learner's language. The English here is the server's, word for word, so
 * an English device shows what the server's `why` says.
 */
import { t } from "./i18n.js";

const WHY = {
  "why.worked": (p) => t("{gains} of {tries} learners who finished it scored higher on {code} within {weeks} weeks.", p),
  "why.worked_one": (p) => t("{gains} of 1 learner who finished it scored higher on {code} within {weeks} weeks.", p),
  "why.kind_done": (p) => t("You have finished {count} like it: this is {kind}.", p),
  "why.modality_done": (p) => t("You often finish {modality} work.", p),
  "why.learn_by": (p) => t("You said you take in ideas by {choice}: this is {kind}.", p),
  "why.engage_alone": (p) => t("You said you like working alone: this is {modality} work.", p),
  "why.engage_peers": (p) => t("You said you like working with others: this is {kind}.", p),
  "why.stated_word": (p) => t("You said you like {word}: this is {kind}.", p),
  "why.show_by": (p) => t("You like to show what you know by {way}: you can do that here.", p),
  "why.playlist": (p) => t("Next in your playlist “{playlist}” for {code}.", p),
  "why.aligned": (p) => t("Aligned to {code}.", p),
};
const KIND_A = {
  video: () => t("a video"),
  reading: () => t("a reading"),
  practice: () => t("a practice set"),
  project: () => t("a project"),
  seminar: () => t("a seminar"),
  lab: () => t("a hands-on lab"),
  peer: () => t("a peer activity"),
};
const MODALITY = {
  small_group: () => t("small-group"),
  whole_group: () => t("whole-group"),
  one_on_one: () => t("one-on-one"),
  independent: () => t("independent"),
};
const CHOICE = {
  watching: () => t("watching"),
  reading: () => t("reading"),
  doing: () => t("doing"),
  talking: () => t("talking"),
};

const WAY = {
  write: () => t("writing"),
  make: () => t("making"),
  present: () => t("presenting"),
  record: () => t("recording"),
};

const word = (table, key) => (key == null ? key : table[key]?.() ?? key);

/** One reason in the reader's words, or "" for a code this device does not know. */
export function reasonWords(reason) {
  const say = WHY[reason?.code];
  if (!say) return "";
  const p = { ...(reason.params ?? {}) };
  if ("kind" in p) p.kind = word(KIND_A, p.kind);
  if ("modality" in p) p.modality = word(MODALITY, p.modality);
  if ("choice" in p) p.choice = word(CHOICE, p.choice);
  if ("way" in p) p.way = word(WAY, p.way);
  return say(p);
}

/** A suggested activity's why: its reasons through the catalog, else the server's English. */
export function whyText(activity) {
  const said = (activity?.reasons ?? []).map(reasonWords);
  return said.length && said.every(Boolean) ? said.join(" ") : activity?.why ?? "";
}
