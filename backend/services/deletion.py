"""Delete a withdrawn learner: every row in one transaction, then every file, with a receipt.

Why this order: rows first, in ONE transaction, so the database never holds half a learner
(a failure rolls everything back and nothing is deleted). Files cannot take part in that
transaction, so the files to remove are written down (`blob_deletions`) inside it and
deleted after the commit; any that fail stay listed and `sweep_blob_deletions` (run again by
`flask retention-run`) retries them. A file another learner's evidence also cites (same
sha256) is kept: it is theirs too.

Devices learn of the deletion through a tombstone (`purged_learners`) stamped with a
version of the sync counter: every pull past it carries the learner's id in
`purged_learners`, and the sync core wipes that learner (sync/PROTOCOL.md, "Purged
learners").
"""

import logging
import uuid

from sqlalchemy import Table, delete, func, or_, select, update

from backend.credentials.models import ImportedCredential, LearnerCredential
from backend.errors import AppError
from backend.extensions import db
from backend.i18n import N_
from backend.models import (
    AssessmentEvent,
    Blob,
    BlobDeletion,
    Conflict,
    DeletionReceipt,
    Enrollment,
    Evidence,
    EvidenceReview,
    FieldHistory,
    Goal,
    GuardianLink,
    InteropRecord,
    LearnerGroupMember,
    Pick,
    Playlist,
    PlaylistItem,
    PurgedLearner,
    Rating,
    RecordExport,
    SelfAssessment,
    SyncClient,
    SyncMutation,
    User,
)
from backend.models._base import utcnow
from backend.services.versions import allocate_versions

log = logging.getLogger(__name__)

# a listed deletion of an evidence file: the blob store removes every variant (original,
# thumbnail, …) and every account's half-sent partial of that sha (BlobStore.delete(key))
WHOLE_FILE = "file"
EXPORT_VARIANT = "exports"

MESSAGES = {
    "not_found": N_("That learner was not found in your school."),
    "not_withdrawn": N_("Mark this learner as withdrawn before deleting their record."),
    "confirm": N_("Type the learner's username exactly to confirm the deletion."),
    "already": N_("This learner is already marked as withdrawn."),
    "not_a_learner": N_("Only a learner's record can be withdrawn or deleted here."),
}

# (receipt kind, model, the column naming the learner), children before their parents
_BY_LEARNER = (
    ("reviews", EvidenceReview, EvidenceReview.student_id),
    ("events", AssessmentEvent, AssessmentEvent.student_id),
    ("field_history", FieldHistory, FieldHistory.student_id),
    ("self_assessments", SelfAssessment, SelfAssessment.student_id),
    ("ratings", Rating, Rating.student_id),
    ("conflicts", Conflict, Conflict.student_id),
    ("goals", Goal, Goal.student_id),
    ("picks", Pick, Pick.student_id),
    ("evidence", Evidence, Evidence.student_id),
    ("guardian_links", GuardianLink, GuardianLink.student_id),
    ("enrollments", Enrollment, Enrollment.student_id),
    ("group_memberships", LearnerGroupMember, LearnerGroupMember.student_id),
    ("credentials", LearnerCredential, LearnerCredential.learner_id),  # issue 17
    ("imported_credentials", ImportedCredential, ImportedCredential.owner_id),
)


def initials(name: str) -> str:
    """"Maya R." → "MR": enough for an admin to match a receipt, too little to identify."""
    words = [w for w in (name or "").replace(".", " ").split() if w[:1].isalpha()]
    picked = words[:1] + words[1:][-1:]
    return "".join(w[0].upper() for w in picked)[:8]


def school_learner(admin: User, learner_id: int) -> User:
    """The learner of the admin's school, or a 404 in the one error shape."""
    learner = db.session.get(User, learner_id)
    if learner is None or learner.school_id != admin.school_id:
        raise AppError(MESSAGES["not_found"], status=404)
    if learner.role != "student":
        raise AppError(MESSAGES["not_a_learner"], status=409, code="not_a_learner")
    return learner


def set_withdrawn(learner: User, is_withdrawn: bool) -> User:
    """Mark a learner as having left the school (or back): starts the retention clock."""
    learner.withdrawn_at = (learner.withdrawn_at or utcnow()) if is_withdrawn else None
    return learner


def _count_delete(model, condition) -> int:
    return db.session.execute(delete(model).where(condition)).rowcount or 0


def _purge_access_log(learner_id: int, actor: User | None) -> int:
    """The access log's own purge (backend/services/access_log.py): same transaction."""
    try:
        from backend.services.access_log import purge_learner
    except ImportError:  # the access log has not landed: nothing of it to delete
        return 0
    return int(purge_learner(db.session, learner_id, by=actor.id if actor else None) or 0)


def _files_of(learner_id: int) -> tuple[set[str], set[str]]:
    """(shas to delete, shas kept because another learner's evidence or upload has them)."""
    shas = set(db.session.scalars(select(Evidence.blob_sha256).where(
        Evidence.student_id == learner_id, Evidence.blob_sha256.is_not(None))))
    shas |= set(db.session.scalars(select(Blob.sha256).where(Blob.uploader_id == learner_id)))
    uploads = _uploads_table()
    if uploads is not None:
        shas |= set(db.session.scalars(select(uploads.c.sha256).where(
            uploads.c.user_id == learner_id)))
    if not shas:
        return set(), set()
    shared = set(db.session.scalars(select(Evidence.blob_sha256).where(
        Evidence.blob_sha256.in_(shas), Evidence.student_id != learner_id)))
    if uploads is not None:
        shared |= set(db.session.scalars(select(uploads.c.sha256).where(
            uploads.c.sha256.in_(shas), uploads.c.user_id != learner_id)))
    return shas - shared, shared


def _uploads_table() -> Table | None:
    """Per-account uploads (`blob_uploads`), where the blob store has them."""
    return db.metadata.tables.get("blob_uploads")


def _keep_shared(learner_id: int, shared: set[str]) -> None:
    """A kept file whose first uploader was this learner passes to someone who also has it."""
    for blob in db.session.scalars(select(Blob).where(Blob.sha256.in_(shared),
                                                      Blob.uploader_id == learner_id)):
        other = db.session.scalar(select(Evidence.student_id).where(
            Evidence.blob_sha256 == blob.sha256, Evidence.student_id != learner_id).limit(1))
        uploads = _uploads_table()
        if uploads is not None:
            other = db.session.scalar(select(uploads.c.user_id).where(
                uploads.c.sha256 == blob.sha256, uploads.c.user_id != learner_id
            ).limit(1)) or other
        blob.uploader_id = other


def queue_files(receipt_id: str, shas: set[str]) -> None:
    """List the files to delete after the commit (the sweep retries what fails)."""
    for sha in sorted(shas):
        db.session.add(BlobDeletion(key=sha, variant=WHOLE_FILE, receipt_id=receipt_id))


def _delete_exports(receipt_id: str, learner_id: int) -> int:
    exports = list(db.session.scalars(select(RecordExport).where(or_(
        RecordExport.learner_id == learner_id, RecordExport.requested_by == learner_id))))
    for export in exports:
        if export.result_key:
            db.session.add(BlobDeletion(key=export.result_key, variant=EXPORT_VARIANT,
                                        receipt_id=receipt_id))
        db.session.delete(export)
    return len(exports)


def _delete_devices(learner_id: int) -> int:
    clients = select(SyncClient.client_id).where(SyncClient.user_id == learner_id)
    _count_delete(SyncMutation, SyncMutation.client_id.in_(clients))
    return _count_delete(SyncClient, SyncClient.user_id == learner_id)


def _delete_own_playlists(learner_id: int) -> int:
    mine = select(Playlist.id).where(Playlist.student_id == learner_id)
    _count_delete(PlaylistItem, PlaylistItem.playlist_id.in_(mine))
    return _count_delete(Playlist, Playlist.student_id == learner_id)


# the tables the sweep leaves alone: the learner's own row goes last, on its own; the
# append-only logs are purged by their own rule (access_log.purge_learner) and nothing else
_HANDLED = {"users", "access_log", "audit_log", "access_log_purges"}


def _sweep_other_tables(learner_id: int, counts: dict[str, int]) -> None:
    """Any other table naming the learner: a row that needs them goes, an optional
    reference (an author, a creator) is cleared. Tables added later are covered too."""
    for table in reversed(db.metadata.sorted_tables):
        if table.name in _HANDLED:
            continue
        for column in table.columns:
            if not any(fk.column.table.name == "users" for fk in column.foreign_keys):
                continue
            if column.nullable:
                db.session.execute(update(table).where(column == learner_id)
                                   .values({column.name: None}))
            else:
                gone = db.session.execute(delete(table).where(column == learner_id)).rowcount
                if gone:
                    counts[table.name] = counts.get(table.name, 0) + gone


def delete_learner(learner: User, *, actor: User | None, reason: str = "admin",
                   confirm: str | None = None) -> DeletionReceipt:
    """Delete a withdrawn learner's whole record and files; return the receipt (committed).

    `actor` is the admin (None for the retention command). `confirm` must equal the
    learner's username when an admin asks.
    """
    if learner.role != "student":
        raise AppError(MESSAGES["not_a_learner"], status=409, code="not_a_learner")
    if learner.withdrawn_at is None:
        raise AppError(MESSAGES["not_withdrawn"], status=409, code="not_withdrawn")
    if actor is not None and (confirm or "").strip() != learner.username:
        raise AppError(MESSAGES["confirm"], status=422, errors={"confirm": [MESSAGES["confirm"]]})
    learner_id, school_id = learner.id, learner.school_id
    receipt = DeletionReceipt(
        id=str(uuid.uuid4()), school_id=school_id, learner_ref=learner_id,
        initials=initials(learner.display_name), scope="learner", reason=reason,
        deleted_by=actor.id if actor else None,
        deleted_by_name=actor.display_name if actor else "retention schedule", counts={})
    db.session.add(receipt)
    db.session.flush()
    try:
        counts: dict[str, int] = {"access_log": _purge_access_log(learner_id, actor)}
        counts["exports"] = _delete_exports(receipt.id, learner_id)
        shas, shared = _files_of(learner_id)
        _keep_shared(learner_id, shared)
        for kind, model, column in _BY_LEARNER:
            counts[kind] = _count_delete(model, column == learner_id)
        counts["devices"] = _delete_devices(learner_id)
        counts["own_playlists"] = _delete_own_playlists(learner_id)
        db.session.execute(delete(InteropRecord).where(
            InteropRecord.kind == "user", InteropRecord.local_id == learner_id))
        _sweep_other_tables(learner_id, counts)
        if shas:
            db.session.execute(delete(Blob).where(Blob.sha256.in_(shas)))
        queue_files(receipt.id, shas)
        db.session.delete(learner)
        db.session.flush()
        version = allocate_versions(db.session, 1)
        db.session.merge(PurgedLearner(learner_id=learner_id, school_id=school_id,
                                       version=version, purged_at=utcnow()))
        counts["files_kept_shared"] = len(shared)
        receipt.counts = {k: v for k, v in counts.items() if v}
        receipt.blob_count = len(shas)
        _record_admin_write(actor, receipt)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    sweep_blob_deletions(receipt_id=receipt.id)
    return receipt


def _record_admin_write(actor: User | None, receipt: DeletionReceipt) -> None:
    """The audit log of admin writes (backend/services/access_log.py), when it exists."""
    if actor is None:
        return
    try:
        from backend.services.access_log import record_admin_write
    except ImportError:
        return
    # "deleted_learner", not "learner": the purge removes audit rows about the learner,
    # and this one must stay
    record_admin_write(actor, "learner.delete", ("deleted_learner", receipt.learner_ref),
                       {"receipt": receipt.id, "initials": receipt.initials})


def sweep_blob_deletions(*, receipt_id: str | None = None, limit: int = 5000) -> dict:
    """Delete the listed files from the store; keep (and count) the ones that failed.

    A file whose sha256 has been uploaded again since (a `blobs` row exists) is someone's
    new upload: its listing is dropped without touching it.
    """
    from backend.blobstore import blob_store

    store = blob_store()
    query = select(BlobDeletion).order_by(BlobDeletion.id).limit(limit)
    if receipt_id is not None:
        query = query.where(BlobDeletion.receipt_id == receipt_id)
    done = failed = 0
    for item in db.session.scalars(query).all():
        try:
            if item.variant == WHOLE_FILE:
                if db.session.get(Blob, item.key) is None:  # else: uploaded again since
                    store.delete(item.key)
            else:
                store.delete(item.key, item.variant)
        except Exception as err:  # the store is down: keep the listing for the next sweep
            log.warning("blob deletion %s/%s failed: %s", item.variant, item.key, err)
            item.attempts += 1
            item.last_error = str(err)[:300]
            failed += 1
            continue
        db.session.delete(item)
        done += 1
    db.session.commit()
    return {"deleted": done, "failed": failed}


def pending_blob_deletions() -> int:
    return db.session.scalar(select(func.count()).select_from(BlobDeletion)) or 0


def purged_since(school_id: int, after: int, upto: int) -> list[int]:
    """Learner ids deleted in (after, upto]: what a pull tells devices to wipe.

    A device with no cursor holds nothing yet, so it is told nothing.
    """
    if after <= 0:
        return []
    return list(db.session.scalars(select(PurgedLearner.learner_id).where(
        PurgedLearner.school_id == school_id, PurgedLearner.version > after,
        PurgedLearner.version <= upto).order_by(PurgedLearner.version)))


def receipt_view(receipt: DeletionReceipt) -> dict:
    """The receipt as the API and the printable page show it."""
    return {"id": receipt.id, "learner_ref": receipt.learner_ref,
            "initials": receipt.initials, "scope": receipt.scope, "reason": receipt.reason,
            "deleted_by": receipt.deleted_by_name, "counts": receipt.counts,
            "blob_count": receipt.blob_count, "created_at": receipt.created_at.isoformat(),
            "files_pending": db.session.scalar(select(func.count()).select_from(
                BlobDeletion).where(BlobDeletion.receipt_id == receipt.id)) or 0}
