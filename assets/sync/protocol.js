/** The mutation envelope and the argument rules of every protocol v1 mutation (= sync/protocol.py). */

import { InvalidMutation, UnknownMutation } from "./errors.js";
import * as f from "./fields.js";
import { shown } from "./reasons.js";
import {
  EVIDENCE_KINDS,
  GOAL_STATUSES,
  MUTATION_ARGS,
  OBSERVATION_RESPONSES,
  PICK_STATUSES,
  PROFILE_CHOICES,
  PROFILE_SECTIONS,
  REVIEW_DECISIONS,
} from "./spec.js";
import { codePointCompare, isObject } from "./values.js";

export { EVIDENCE_KINDS, GOAL_STATUSES, OBSERVATION_RESPONSES, PICK_STATUSES, PROFILE_CHOICES, PROFILE_SECTIONS, REVIEW_DECISIONS };

const title = (name, value) => f.text(name, value, f.MAX_TITLE, true);
const oneOf = (allowed) => (name, value) => f.choice(name, value, allowed);
const requiredText = (name, value) => f.text(name, value, f.MAX_TEXT, true);
const ALL_CHOICES = Object.values(PROFILE_CHOICES).flat();
const choices = (name, value) => f.words(name, value, ALL_CHOICES);

// name -> [required args, optional args]; optional args that are omitted are not written.
export const SPECS = {
  "goal.put": [
    { id: f.rowId, student_id: f.refId, title },
    { target_ids: f.targetIds, due_on: f.date, status: oneOf(GOAL_STATUSES), reflection: f.text },
  ],
  "goal.delete": [{ id: f.rowId }, {}],
  "pick.put": [{ id: f.rowId, student_id: f.refId, activity_id: f.refId, status: oneOf(PICK_STATUSES) }, {}],
  "pick.delete": [{ id: f.rowId }, {}],
  "self_assessment.put": [{ student_id: f.refId, target_id: f.refId, level: f.level }, { note: f.text }],
  "evidence.put": [
    { id: f.rowId, student_id: f.refId, kind: oneOf(EVIDENCE_KINDS) },
    {
      caption: f.text,
      target_ids: f.targetIds,
      blob_sha256: f.sha256,
      url: f.url,
      text: f.text,
      submitted: f.boolean,
      highlight: f.boolean, // starred to show at the learner's conference
      reflection: f.text, // an educator's reflection on transfer to practice (microcredentials)
    },
  ],
  "evidence.delete": [{ id: f.rowId }, {}],
  "evidence.review": [
    { evidence_id: f.rowId, decision: oneOf(REVIEW_DECISIONS) },
    { comment: f.text, level: f.level, target_id: f.refId },
  ],
  "rating.put": [
    { student_id: f.refId, target_id: f.refId, level: f.level, base_version: f.version },
    { note: f.text },
  ],
  // note: why the teacher kept this level (kept on the resolution's assessment event)
  "conflict.resolve": [{ conflict_id: f.rowId, level: f.level }, { note: f.text }],
  // the learner's own words in one section; seen: the stamps of the versions the device showed
  "profile.section.put": [{ student_id: f.refId, section: oneOf(PROFILE_SECTIONS), text: f.text, seen: f.stamps }, { choices }],
  // a teacher's "I've noticed…" (section: the part it is about; left out: the whole profile)
  "profile.observation.put": [{ id: f.rowId, student_id: f.refId, text: requiredText }, { section: oneOf(PROFILE_SECTIONS) }],
  // the learner's answer to an observation: accepted, or discuss (with a reply)
  // "not for me" (issue 18): the learner declines a suggested activity (false takes it back)
  "suggestion.decline": [{ student_id: f.refId, activity_id: f.refId, declined: f.boolean }, {}],
  "profile.observation.respond": [{ id: f.rowId, response: oneOf(OBSERVATION_RESPONSES) }, { reply: f.text }],
};
export const MUTATION_NAMES = Object.keys(SPECS);

// the validators above must name exactly the arguments of sync/protocol.py (spec.js)
for (const [name, [required, optional]] of Object.entries(SPECS)) {
  const want = MUTATION_ARGS[name];
  if (!want || want.required.join() !== Object.keys(required).join() || want.optional.join() !== Object.keys(optional).join()) {
    throw new Error(`protocol.js: the arguments of ${name} differ from sync/protocol.py (spec.js)`);
  }
}
if (Object.keys(MUTATION_ARGS).join() !== MUTATION_NAMES.join()) throw new Error("protocol.js: the mutation names differ from spec.js");

/** Check a mutation's arguments and return them normalized; throws InvalidMutation. */
export function validateArgs(name, args) {
  if (!Object.hasOwn(SPECS, name)) throw new UnknownMutation(name, shown(name));
  if (!isObject(args)) throw new InvalidMutation("mutation.args_not_object", { mutation: name });
  const [required, optional] = SPECS[name];
  const unknown = Object.keys(args)
    .filter((k) => !Object.hasOwn(required, k) && !Object.hasOwn(optional, k))
    .sort(codePointCompare);
  if (unknown.length) throw new InvalidMutation("mutation.unknown_args", { mutation: name, args: unknown });
  const missing = Object.keys(required).filter((k) => !Object.hasOwn(args, k));
  if (missing.length) throw new InvalidMutation("mutation.missing_args", { mutation: name, args: missing });
  const clean = {};
  for (const [key, check] of Object.entries(required)) clean[key] = check(key, args[key]);
  for (const [key, check] of Object.entries(optional)) {
    if (Object.hasOwn(args, key)) clean[key] = check(key, args[key]);
  }
  if (name === "profile.section.put" && clean.choices?.length) {
    const allowed = PROFILE_CHOICES[clean.section];
    if (!allowed) throw new InvalidMutation("profile.no_choices", { section: clean.section });
    for (const word of clean.choices) f.choice("choices", word, allowed);
  }
  if (name === "evidence.review" && "level" in clean) {
    if (clean.decision !== "approved") throw new InvalidMutation("mutation.level_needs_approval");
    if (!("target_id" in clean)) throw new InvalidMutation("mutation.level_needs_target");
  }
  return clean;
}

/** The seq of a raw mutation; a missing or bad seq spoils the whole push. */
export function parseSeq(raw) {
  const seq = isObject(raw) ? raw.seq : undefined;
  if (!Number.isInteger(seq) || seq < 1) {
    throw new InvalidMutation("mutation.bad_seq", { value: shown(seq) });
  }
  return seq;
}

/** Parse the envelope {seq, name, args, hlc}, rejecting wrong types; args are checked by validateArgs. */
export function parseMutation(raw) {
  if (!isObject(raw)) throw new InvalidMutation("mutation.not_object");
  const seq = parseSeq(raw);
  const extra = Object.keys(raw)
    .filter((k) => !["seq", "name", "args", "hlc"].includes(k))
    .sort(codePointCompare);
  if (extra.length) throw new InvalidMutation("mutation.extra_keys", { keys: extra });
  const { name, args, hlc } = raw;
  if (typeof name !== "string") throw new InvalidMutation("mutation.name_not_text", { value: shown(name) });
  if (!isObject(args)) throw new InvalidMutation("mutation.args_not_object", { mutation: name });
  if (typeof hlc !== "string") throw new InvalidMutation("mutation.hlc_not_text", { value: shown(hlc) });
  return { seq, name, args, hlc };
}
