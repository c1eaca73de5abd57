/** The mutation envelope and the argument rules of every protocol v1 mutation (= sync/protocol.py). */

import { InvalidMutation, UnknownMutation } from "../errors.js";
import * as f from "./fields.js";
import { codePointCompare, isObject, pyRepr, pyStrRepr } from "./py.js";

export const GOAL_STATUSES = ["active", "done", "dropped"];
export const PICK_STATUSES = ["picked", "in_progress", "done"];
export const EVIDENCE_KINDS = ["photo", "file", "link", "text"];
export const REVIEW_DECISIONS = ["approved", "returned"];

const title = (name, value) => f.text(name, value, f.MAX_TITLE, true);
const oneOf = (allowed) => (name, value) => f.choice(name, value, allowed);

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
};
export const MUTATION_NAMES = Object.keys(SPECS);

/** Check a mutation's arguments and return them normalized; throws InvalidMutation. */
export function validateArgs(name, args) {
  if (!Object.hasOwn(SPECS, name)) throw new UnknownMutation(name, `unknown mutation ${pyRepr(name)}`);
  if (!isObject(args)) throw new InvalidMutation(`${name} arguments must be an object`);
  const [required, optional] = SPECS[name];
  const unknown = Object.keys(args)
    .filter((k) => !Object.hasOwn(required, k) && !Object.hasOwn(optional, k))
    .sort(codePointCompare);
  if (unknown.length) throw new InvalidMutation(`${name} does not take ${unknown.map(pyStrRepr).join(", ")}`);
  const missing = Object.keys(required).filter((k) => !Object.hasOwn(args, k));
  if (missing.length) throw new InvalidMutation(`${name} needs ${missing.join(", ")}`);
  const clean = {};
  for (const [key, check] of Object.entries(required)) clean[key] = check(key, args[key]);
  for (const [key, check] of Object.entries(optional)) {
    if (Object.hasOwn(args, key)) clean[key] = check(key, args[key]);
  }
  if (name === "evidence.review" && "level" in clean) {
    if (clean.decision !== "approved") throw new InvalidMutation("only an approval can carry a level");
    if (!("target_id" in clean)) {
      throw new InvalidMutation("a level needs the learning target (target_id) it is for");
    }
  }
  return clean;
}

/** The seq of a raw mutation; a missing or bad seq spoils the whole push. */
export function parseSeq(raw) {
  const seq = isObject(raw) ? raw.seq : undefined;
  if (!Number.isInteger(seq) || seq < 1) {
    throw new InvalidMutation(`every mutation needs a whole-number seq >= 1 (got ${pyRepr(seq)})`);
  }
  return seq;
}

/** Parse the envelope {seq, name, args, hlc}, rejecting wrong types; args are checked by validateArgs. */
export function parseMutation(raw) {
  if (!isObject(raw)) throw new InvalidMutation("a mutation must be an object");
  const seq = parseSeq(raw);
  const extra = Object.keys(raw)
    .filter((k) => !["seq", "name", "args", "hlc"].includes(k))
    .sort(codePointCompare);
  if (extra.length) throw new InvalidMutation(`a mutation has only seq, name, args, hlc (got ${pyRepr(extra)})`);
  const { name, args, hlc } = raw;
  if (typeof name !== "string") throw new InvalidMutation(`mutation name must be text (got ${pyRepr(name)})`);
  if (!isObject(args)) throw new InvalidMutation("mutation args must be an object");
  if (typeof hlc !== "string") {
    throw new InvalidMutation(`mutation hlc must be a clock stamp string (got ${pyRepr(hlc)})`);
  }
  return { seq, name, args, hlc };
}
