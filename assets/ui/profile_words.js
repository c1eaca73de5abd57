/**
 * The Personal Learner Profile's words (issue 18), shared by its screens (assets/ui/profile.js)
 * and the conference rehearsal (assets/ui/conference_data.js): each section's title and
 * question, as the learner and as others read it, the UDL choices and the answers to an
 * observation. No React here: the rehearsal's data module imports it.
 */

import { t } from "./i18n.js";

// each section's heading and the question that starts the learner off
export const SECTION_WORDS = {
  strengths: [() => t("My strengths"), () => t("What am I good at?")],
  interests: [() => t("My interests"), () => t("What do I care about, in school and out?")],
  learn_by: [() => t("How I take in ideas"), () => t("Watching, reading, doing, talking: what works for me?")],
  engage_by: [() => t("How I stay engaged"), () => t("Alone or with others, a challenge, a choice?")],
  show_by: [() => t("How I like to show what I know"), () => t("Write, make, present, record?")],
  hard_and_helps: [() => t("What I find hard, and what helps"), () => t("What gets in my way, and what helps me past it?")],
  beyond_school: [() => t("My goals beyond school"), () => t("What do I hope to do or become?")],
};
// the same sections as others read them (app/state/profile_views.py SECTION_LABELS)
export const READER_TITLES = {
  strengths: () => t("Strengths"),
  interests: () => t("Interests"),
  learn_by: () => t("How they take in ideas"),
  engage_by: () => t("How they stay engaged"),
  show_by: () => t("How they show what they know"),
  hard_and_helps: () => t("What they find hard, and what helps"),
  beyond_school: () => t("Goals beyond school"),
};
export const CHOICE_WORDS = {
  watching: () => t("Watching"),
  reading: () => t("Reading"),
  doing: () => t("Doing"),
  talking: () => t("Talking"),
  alone: () => t("Alone"),
  with_peers: () => t("With others"),
  challenge: () => t("A challenge"),
  choice: () => t("Having a choice"),
  write: () => t("Writing"),
  make: () => t("Making"),
  present: () => t("Presenting"),
  record: () => t("Recording"),
};
export const RESPONSE_WORDS = {
  open: () => t("Not answered yet"),
  accepted: () => t("Accepted"),
  discuss: () => t("Wants to talk about it"),
};

export const sectionTitle = (key, reader = false) => {
  const words = reader ? READER_TITLES[key] : SECTION_WORDS[key]?.[0];
  return words ? words() : t("The whole profile");
};
export const choiceText = (words) => words.map((w) => (CHOICE_WORDS[w] ? CHOICE_WORDS[w]() : w)).join(", ");

// the sections in the order a profile shows them
export const SECTION_ORDER = Object.keys(SECTION_WORDS);
