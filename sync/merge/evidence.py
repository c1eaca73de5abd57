"""Merge rules of evidence: immutable blob, LWW caption/targets, review bound to a version."""

from __future__ import annotations

from sync.clock import HLC
from sync.errors import InvalidMutation, NotFound
from sync.merge.common import (
    Context,
    Outcome,
    assessment_event,
    authorize,
    check_role,
    json_copy,
    rejecting,
    review_id,
    row,
)
from sync.merge.rows import check_immutable, delete_row, finish_put, owner_of, put_fields

EVIDENCE_DEFAULTS = {
    "student_id": None,
    "kind": None,
    "caption": "",
    "target_ids": [],
    "blob_sha256": None,
    "url": "",
    "text": "",
    "submitted": False,
    "caption_version": 1,
    "edited_after_review": False,
    "reviewed": None,
    "highlight": False,
}
# highlight: the learner starred it to show at their conference (LWW, not part of a review)
EVIDENCE_FIELDS = ("caption", "target_ids", "url", "text", "submitted", "highlight",
                   "reflection")
# reflection: an educator's words on transfer to classroom practice (teacher
# microcredentials); LWW, not in EVIDENCE_DEFAULTS: a row has it only once it is written
VERSIONED_FIELDS = {"caption", "target_ids"}  # what a review binds to, with the blob


@rejecting
def merge_evidence_put(current: dict | None, args: dict, ctx: Context) -> Outcome:
    """evidence.put: blob set once; caption and targets LWW; each change bumps caption_version."""
    check_role(ctx.actor, "evidence.put")
    authorize(ctx.actor, "evidence.put", owner_of(current, args))
    check_immutable("evidence", current, args, ("student_id", "kind"))
    stored_sha = current["data"]["blob_sha256"] if current else None
    sha = args.get("blob_sha256")
    if stored_sha and sha and sha != stored_sha:
        raise InvalidMutation("evidence.file_immutable")
    defaults = {**EVIDENCE_DEFAULTS, "student_id": args["student_id"], "kind": args["kind"]}
    data, changed, history = put_fields("evidence", current, args, ctx, defaults, EVIDENCE_FIELDS)
    if sha and not stored_sha:
        data["blob_sha256"] = sha
    if current is not None and changed & VERSIONED_FIELDS:
        data["caption_version"] += 1
        if data["reviewed"] is not None:
            data["edited_after_review"] = True
    if ctx.actor.role != "student" and data["submitted"] and not data.get("reflection"):
        # a staff member's own evidence is microcredential work: transfer to practice is
        # the point, so it is never sent for review without the reflection
        raise InvalidMutation("microcredential.reflection_required")
    return finish_put("evidence", current, data, history, args["id"])


@rejecting
def merge_evidence_delete(current: dict | None, args: dict, ctx: Context) -> Outcome:
    """evidence.delete: tombstone."""
    return delete_row("evidence", "evidence.delete", current, args, ctx)


@rejecting
def merge_evidence_review(evidence: dict | None, args: dict, ctx: Context) -> Outcome:
    """evidence.review: one review per caption version; an approval with a level adds an event."""
    check_role(ctx.actor, "evidence.review")
    if evidence is None or evidence["deleted"]:
        raise NotFound("not_found.evidence", id=args["evidence_id"])
    data = json_copy(evidence["data"])
    authorize(ctx.actor, "evidence.review", data["student_id"])
    version, reviewed = data["caption_version"], data["reviewed"]
    teacher = ctx.actor.user_id
    if reviewed and reviewed["caption_version"] == version:
        if str(reviewed["teacher_id"]) != str(teacher):
            raise InvalidMutation("review.taken", teacher_id=reviewed["teacher_id"],
                                  teacher=str(reviewed["teacher_id"]), caption_version=version)
        if HLC.parse(reviewed["hlc"]) >= HLC.parse(ctx.hlc):
            return Outcome(code="review.newer_kept")
    summary = {
        "teacher_id": teacher,
        "decision": args["decision"],
        "caption_version": version,
        "blob_sha256": data["blob_sha256"],
        "hlc": ctx.hlc,
    }
    data["reviewed"] = summary
    data["edited_after_review"] = False
    review = {
        "evidence_id": args["evidence_id"],
        "student_id": data["student_id"],
        "comment": args.get("comment", ""),
        "level": args.get("level"),
        "target_id": args.get("target_id"),
        **summary,
    }
    rows = [
        row("evidence", args["evidence_id"], data),
        row("review", review_id(args["evidence_id"], version), review),
    ]
    if args["decision"] == "approved" and args.get("level") is not None:
        rows.append(
            assessment_event(
                ctx,
                data["student_id"],
                args["target_id"],
                args["level"],
                "teacher",
                origin="evidence.review",
                evidence_id=args["evidence_id"],
                note=args.get("comment", ""),
            )
        )
    return Outcome(rows=rows)
