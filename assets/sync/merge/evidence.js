/** Merge rules of evidence (= evidence.py): immutable blob, LWW caption/targets, review bound to a version. */

import { compare } from "../clock.js";
import { InvalidMutation, NotFound } from "../errors.js";
import { assessmentEvent, authorize, checkRole, outcome, rejecting, reviewId, row } from "./common.js";
import { clone, idText } from "../values.js";
import { checkImmutable, deleteRow, finishPut, ownerOf, putFields } from "./rows.js";

export const EVIDENCE_DEFAULTS = {
  student_id: null,
  kind: null,
  caption: "",
  target_ids: [],
  blob_sha256: null,
  url: "",
  text: "",
  submitted: false,
  caption_version: 1,
  edited_after_review: false,
  reviewed: null,
  highlight: false,
};
// highlight: the learner starred it to show at their conference (LWW, not part of a review)
// reflection: an educator's words on transfer to practice (microcredentials); LWW, not in the defaults
export const EVIDENCE_FIELDS = ["caption", "target_ids", "url", "text", "submitted", "highlight", "reflection"];
const VERSIONED_FIELDS = ["caption", "target_ids"]; // what a review binds to, with the blob

/** evidence.put: blob set once; caption and targets LWW; each change bumps caption_version. */
export const mergeEvidencePut = rejecting((current, args, ctx) => {
  checkRole(ctx.actor, "evidence.put");
  authorize(ctx.actor, "evidence.put", ownerOf(current, args));
  checkImmutable("evidence", current, args, ["student_id", "kind"]);
  const storedSha = current ? current.data.blob_sha256 : null;
  const sha = args.blob_sha256 ?? null;
  if (storedSha && sha && sha !== storedSha) {
    throw new InvalidMutation("evidence.file_immutable");
  }
  const defaults = { ...EVIDENCE_DEFAULTS, student_id: args.student_id, kind: args.kind };
  const [data, changed, history] = putFields("evidence", current, args, ctx, defaults, EVIDENCE_FIELDS);
  if (sha && !storedSha) data.blob_sha256 = sha;
  if (current && VERSIONED_FIELDS.some((name) => changed.has(name))) {
    data.caption_version += 1;
    if (data.reviewed != null) data.edited_after_review = true;
  }
  if (ctx.actor.role !== "student" && data.submitted && !data.reflection) {
    // a staff member's own evidence is microcredential work: never sent without the reflection
    throw new InvalidMutation("microcredential.reflection_required");
  }
  return finishPut("evidence", current, data, history, args.id);
});

/** evidence.delete: tombstone. */
export const mergeEvidenceDelete = rejecting((current, args, ctx) =>
  deleteRow("evidence", "evidence.delete", current, args, ctx),
);

/** evidence.review: one review per caption version; an approval with a level adds an event. */
export const mergeEvidenceReview = rejecting((evidence, args, ctx) => {
  checkRole(ctx.actor, "evidence.review");
  if (!evidence || evidence.deleted) throw new NotFound("not_found.evidence", { id: args.evidence_id });
  const data = clone(evidence.data);
  authorize(ctx.actor, "evidence.review", data.student_id);
  const version = data.caption_version;
  const reviewed = data.reviewed;
  const teacher = ctx.actor.userId;
  if (reviewed && reviewed.caption_version === version) {
    if (idText(reviewed.teacher_id) !== idText(teacher)) {
      throw new InvalidMutation("review.taken", { teacher_id: reviewed.teacher_id, teacher: idText(reviewed.teacher_id), caption_version: version });
    }
    if (compare(reviewed.hlc, ctx.hlc) >= 0) return outcome({ code: "review.newer_kept" });
  }
  const summary = {
    teacher_id: teacher,
    decision: args.decision,
    caption_version: version,
    blob_sha256: data.blob_sha256,
    hlc: ctx.hlc,
  };
  data.reviewed = summary;
  data.edited_after_review = false;
  const review = {
    evidence_id: args.evidence_id,
    student_id: data.student_id,
    comment: args.comment ?? "",
    level: args.level ?? null,
    target_id: args.target_id ?? null,
    ...summary,
  };
  const rows = [row("evidence", args.evidence_id, data), row("review", reviewId(args.evidence_id, version), review)];
  if (args.decision === "approved" && args.level != null) {
    rows.push(
      assessmentEvent(ctx, data.student_id, args.target_id, args.level, "teacher", "evidence.review", {
        evidence_id: args.evidence_id,
        note: args.comment ?? "",
      }),
    );
  }
  return outcome({ rows });
});
