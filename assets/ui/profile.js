/**
 * The Personal Learner Profile's screens (issue 18) on top of the sync core: the learner's
 * "My profile" page (app/pages/learner_profile.py) and the teacher's page of one learner's
 * profile with "I've noticed…" (app/pages/teacher_profile.py). Both read the device's store
 * (rows profile_section, profile_entry, profile_observation) and write through `mutate`, so
 * they work offline; the merge rules are sync/merge/profile.py (= assets/sync/merge/profile.js).
 */

import { useLocation } from "react-router";
import { api, useRuntime } from "../sync/index.js";
import { PROFILE_CHOICES, PROFILE_SECTIONS } from "../sync/spec.js";
import { uuid7 } from "../sync/uuid.js";
import { clear, formOf, guarded, say, values } from "./glue.js";
import { t } from "./i18n.js";
import { observationsShown } from "./profile_lists.js";
import { CHOICE_WORDS, READER_TITLES, RESPONSE_WORDS, SECTION_WORDS, choiceText, sectionTitle } from "./profile_words.js";
import { knownCode, reasonText } from "./reason_text.js";
import { dayText } from "./sentence.js";
import { runtimeKey, useSharedQuery } from "./shared_query.js";

const whenText = (hlc) => (hlc ? dayText(Number(String(hlc).split("-")[0])) : "");
const same = (a, b) => String(a) === String(b);

async function profileRows(db, studentId) {
  const [sections, entries, notes, names] = await Promise.all(
    ["profile_section", "profile_entry", "profile_observation", "staff"].map((type) => db.rows.where("type").equals(type).toArray()),
  );
  const mine = (r) => !r.deleted && same(r.data.student_id, studentId);
  const learner = await db.rows.get(["learner", Number(studentId)]) ?? await db.rows.get(["learner", String(studentId)]);
  return {
    sections: sections.filter(mine),
    entries: entries.filter(mine),
    notes: notes.filter(mine),
    staff: new Map(names.map((r) => [String(r.id), r.data.display_name])),
    learnerName: learner?.data?.display_name ?? "",
  };
}

/** One section's view: the text shown, its choices, the texts still to choose between, its history. */
function sectionView(key, row, entries, who, reader) {
  const data = row?.data ?? null;
  const versions = data ? [...(data.hlc ? [data] : []), ...(data.alternatives ?? [])] : [];
  const allowed = PROFILE_CHOICES[key] ?? [];
  const chosen = new Set(data?.choices ?? []);
  const [title, prompt] = SECTION_WORDS[key];
  const written = entries.filter((e) => e.data.section === key);
  // a year of saves is a long list: the newest HISTORY_SHOWN are shown, the count is all of them
  const history = written
    .sort((a, b) => (a.data.hlc < b.data.hlc ? 1 : -1))
    .slice(0, HISTORY_SHOWN)
    .map((e) => ({
      text: e.data.text || t("(left empty)"),
      choices_text: choiceText(e.data.choices ?? []),
      when_text: t("{day}, by {who}", { day: whenText(e.data.hlc), who: who(e.data.author_id) }),
    }));
  return {
    key,
    form_id: `profile-${key}`,
    title: reader ? READER_TITLES[key]() : title(),
    prompt: prompt(),
    text: data?.text ?? "",
    is_empty: !data?.text && !(data?.choices ?? []).length,
    choices_text: choiceText(data?.choices ?? []),
    has_choices: allowed.length > 0,
    choices: allowed.map((word) => ({ word, label: CHOICE_WORDS[word](), checked: chosen.has(word), id: `profile-${key}-${word}` })),
    seen: versions.map((v) => v.hlc).join(" "),
    has_alternatives: versions.length > 1,
    versions: versions.map((v, index) => ({
      index: String(index),
      raw_text: v.text ?? "",
      raw_choices: (v.choices ?? []).join(" "),
      text: v.text || t("(left empty)"),
      choices_text: choiceText(v.choices ?? []),
      who_text: t("Written {day}, by {who}", { day: whenText(v.hlc), who: who(v.author_id) }),
      keep_label: t("Keep this one: {text}", { text: (v.text || t("(left empty)")).slice(0, 60) }),
    })),
    history,
    history_count_text: written.length ? t({ one: "{n} change so far", other: "{n} changes so far", n: written.length }) : "",
  };
}

function observationView(row, who, reader) {
  const d = row.data;
  return {
    id: row.id,
    form_id: `obs-${row.id}`,
    text: d.text,
    section_text: d.section ? sectionTitle(d.section, reader) : t("The whole profile"),
    teacher_text: t("{who} noticed", { who: who(d.teacher_id) }),
    response: d.response,
    response_text: (RESPONSE_WORDS[d.response] ?? RESPONSE_WORDS.open)(),
    is_open: d.response === "open",
    reply: d.reply ?? "",
  };
}

const HISTORY_SHOWN = 20;
const EMPTY = { is_loaded: false, sections: [], observations: [], observations_more_text: "", learner_name: "", student_id: "" };

/**
 * The profile view: the learner's own (who = "me") or, for a teacher, the learner named by
 * ?id= in the address. Sections in the binder's order, observations newest first.
 */
export function useProfileView(who = "me") {
  const runtime = useRuntime();
  const { search } = useLocation();
  const studentId = who === "me" ? runtime?.user?.id : new URLSearchParams(search).get("id");
  const key = JSON.stringify(["profile", runtimeKey(runtime), String(studentId ?? "")]);
  const view = useSharedQuery(
    key,
    async () => {
      if (!runtime || studentId == null) return null;
      const rows = await profileRows(runtime.store.db, studentId);
      const me = String(runtime.user.id);
      const name = (id) => {
        if (id == null) return t("someone");
        if (String(id) === me) return t("you");
        if (same(id, studentId)) return rows.learnerName || t("the learner");
        return rows.staff.get(String(id)) || t("your teacher");
      };
      const bySection = new Map(rows.sections.map((r) => [r.data.section, r]));
      return {
        is_loaded: true,
        student_id: String(studentId),
        learner_name: rows.learnerName,
        sections: PROFILE_SECTIONS.map((k) => sectionView(k, bySection.get(k), rows.entries, name, who !== "me")),
        ...observationsShown(rows.notes, (r) => observationView(r, name, who !== "me")),
      };
    },
    null,
    "profile",
  );
  return view ?? EMPTY;
}

/** The teacher's link from a learner's page (/teacher/learners/<id>/…) to their profile. */
export function useProfileHref() {
  const { pathname } = useLocation();
  const id = /\/teacher\/learners\/(\d+)/.exec(pathname)?.[1];
  return id ? `/teacher/profile?id=${id}` : "/teacher";
}

// ---- actions ---------------------------------------------------------------------------------

/** A write whose refusal on this device (a text too long…) is said in the reader's words. */
const worded = (work) => async () => {
  try {
    return await work();
  } catch (error) {
    if (error?.code && knownCode(error.code)) throw new Error(reasonText({ code: error.code, params: error.params ?? {} }));
    throw error;
  }
};

// the stamps of this page's own saves per section: a second save before the screen shows the
// first (a double tap) has seen the first, and must not keep it beside itself as a rival
const ownSaves = new Map();

/** The stamps the form was showing (its data-seen) and this page's own saves: what this put replaces. */
const seenOf = (form) => [
  ...new Set([...String(form.dataset.seen ?? "").split(" ").filter(Boolean), ...(ownSaves.get(form.dataset.section) ?? [])]),
];

/** Write one section put, remembering its stamp as seen by this page. */
async function putSection(args) {
  const answer = await api.mutate("profile.section.put", args);
  if (answer?.hlc) ownSaves.set(args.section, [...(ownSaves.get(args.section) ?? []), String(answer.hlc)].slice(-20));
  return answer;
}

/** Save one section from its form: the words, the ticked choices, and what it replaces. */
async function saveSection(formId) {
  const form = formOf(formId);
  if (!form) return null;
  const { text, ids } = values(form);
  const section = form.dataset.section;
  const args = { student_id: getStudent(form), section, text: text("text"), seen: seenOf(form) };
  if (PROFILE_CHOICES[section]) args.choices = ids("choices");
  if (!args.text && !(args.choices ?? []).length) return say(form, t("Write a few words first, or tick a choice."), true);
  return guarded(form, worded(() => putSection(args)), t("Saved on this device. It is sent when you are online."));
}

/** Keep one of the texts written at the same time (index into the versions shown). */
async function keepVersion(formId, index) {
  const form = formOf(formId);
  if (!form) return null;
  const picked = form.querySelectorAll("[data-version-text]")[Number(index)];
  const args = { student_id: getStudent(form), section: form.dataset.section, text: picked?.dataset.versionText ?? "", seen: seenOf(form) };
  const choices = (picked?.dataset.versionChoices ?? "").split(" ").filter(Boolean);
  if (PROFILE_CHOICES[args.section]) args.choices = choices;
  return guarded(form, worded(() => putSection(args)), t("Kept. The other text stays in the history."));
}

const getStudent = (form) => {
  const id = form.dataset.student;
  return /^\d+$/.test(id) ? Number(id) : id;
};

/** A teacher's "I've noticed…" about the learner, from its form. */
async function observe(formId) {
  const form = formOf(formId);
  if (!form) return null;
  const { text } = values(form);
  const words = text("text");
  if (!words) return say(form, t("Write what you noticed first."), true);
  const args = { id: uuid7(), student_id: getStudent(form), text: words };
  if (text("section")) args.section = text("section");
  const ok = await guarded(form, worded(() => api.mutate("profile.observation.put", args)), t("Saved on this phone. The learner sees it after the next sync."));
  if (ok) clear(form);
  return ok;
}

/** The learner accepts an observation, or asks to talk about it (with what they would say). */
async function respond(formId, observationId, response) {
  const form = formOf(formId);
  if (!form) return null;
  const reply = values(form).text("reply");
  if (response === "discuss" && !reply) return say(form, t("Write what you would like to talk about first."), true);
  const args = { id: observationId, response };
  if (reply) args.reply = reply;
  return guarded(form, worded(() => api.mutate("profile.observation.respond", args)), response === "accepted" ? t("Accepted.") : t("Your teacher will see you want to talk about it."));
}

if (typeof window !== "undefined") {
  window.waypointProfile = { saveSection, keepVersion, observe, respond };
}
