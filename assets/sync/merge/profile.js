/**
 * Merge rules of the Personal Learner Profile (= profile.py): sections (a multi-value register
 * whose versions a later put that saw them replaces), their history, and the teacher's
 * observations with the learner's answers.
 */

import { HLC, compare } from "../clock.js";
import { NotAuthorized, NotFound } from "../errors.js";
import { clone, deepEqual, idText } from "../values.js";
import { authorize, checkRole, derivedId, outcome, rejecting, row } from "./common.js";
import { checkImmutable, finishPut, ownerOf, putFields } from "./rows.js";

export const OBSERVATION_DEFAULTS = { student_id: null, teacher_id: null, section: "", text: "", response: "open", reply: "" };

/** The register of one section of one learner's profile. */
export const profileSectionId = (studentId, section) => derivedId("profile_section", studentId, section);
/** The history entry appended by profile.section.put (clientId, seq). */
export const profileEntryId = (clientId, seq) => derivedId("profile_entry", clientId, seq);

const version = (data) => ({ text: data.text, choices: data.choices, author_id: data.author_id, hlc: data.hlc });

/** The versions a stored section still shows: its text, then its alternatives. */
export function liveVersions(data) {
  if (!data) return [];
  if (data.hlc == null) return [...data.alternatives];
  return [version(data), ...data.alternatives];
}

/** A section's row data from its live versions: the newest stamp is the text. */
export function sectionData(studentId, section, live, replaced) {
  const ordered = [...live].sort((a, b) => compare(HLC.parse(b.hlc), HLC.parse(a.hlc)));
  const head = ordered[0] ?? { text: "", choices: [], author_id: null, hlc: null };
  return {
    student_id: studentId,
    section,
    text: head.text,
    choices: head.choices,
    author_id: head.author_id,
    hlc: head.hlc,
    alternatives: ordered.slice(1),
    _replaced: [...replaced].sort(),
  };
}

/**
 * profile.section.put: the learner's own words, or their teacher's beside them; concurrent
 * texts are all kept. A teacher's put replaces only versions that teacher wrote: their words
 * stand beside the learner's until the learner keeps one.
 */
export const mergeProfileSectionPut = rejecting((current, args, ctx) => {
  const name = "profile.section.put";
  checkRole(ctx.actor, name);
  const student = current ? current.data.student_id : args.student_id;
  authorize(ctx.actor, name, student);
  const section = args.section;
  const mine = { text: args.text, choices: [...(args.choices ?? [])], author_id: ctx.actor.userId, hlc: ctx.hlc };
  const replaced = new Set(current ? current.data._replaced ?? [] : []);
  const own = ctx.actor.role === "student" ? null : new Set(
    liveVersions(current ? current.data : null).filter((v) => String(v.author_id) === String(ctx.actor.userId)).map((v) => v.hlc),
  );
  for (const stamp of args.seen) if (!own || own.has(stamp)) replaced.add(stamp);
  let live = liveVersions(current ? current.data : null).filter((v) => v.hlc !== ctx.hlc);
  live.push(mine);
  live = live.filter((v) => !replaced.has(v.hlc));
  const data = clone(sectionData(student, section, live, replaced));
  const rows = [];
  if (!current || !deepEqual(data, current.data)) rows.push(row("profile_section", profileSectionId(student, section), data));
  rows.push(row("profile_entry", profileEntryId(ctx.clientId, ctx.seq), { student_id: student, section, ...clone(mine) }));
  if (live.every((v) => v.hlc !== ctx.hlc)) return outcome({ code: "profile.newer_kept", rows });
  if (live.length > 1) return outcome({ code: "profile.both_kept", params: { section }, rows });
  return outcome({ rows });
});

/** profile.observation.put: a teacher's "I've noticed…"; LWW per field, author fixed. */
export const mergeObservationPut = rejecting((current, args, ctx) => {
  const name = "profile.observation.put";
  checkRole(ctx.actor, name);
  authorize(ctx.actor, name, ownerOf(current, args));
  checkImmutable("profile_observation", current, args, ["student_id"]);
  if (current && idText(current.data.teacher_id) !== idText(ctx.actor.userId)) {
    throw new NotAuthorized("profile.not_your_observation");
  }
  const defaults = { ...OBSERVATION_DEFAULTS, student_id: args.student_id, teacher_id: ctx.actor.userId };
  const [data, , history] = putFields("profile_observation", current, args, ctx, defaults, ["text", "section"]);
  return finishPut("profile_observation", current, data, history, args.id);
});

/** profile.observation.respond: the learner accepts an observation or asks to discuss it. */
export const mergeObservationRespond = rejecting((current, args, ctx) => {
  const name = "profile.observation.respond";
  checkRole(ctx.actor, name);
  if (!current) throw new NotFound("not_found.profile_observation", { id: args.id });
  authorize(ctx.actor, name, current.data.student_id);
  const [data, , history] = putFields("profile_observation", current, args, ctx, {}, ["response", "reply"]);
  return finishPut("profile_observation", current, data, history, args.id);
});
