"""The school's retention setting and the scheduled run that enforces it.

Two periods, each counted from the day a learner was marked withdrawn (left the school),
each optional (unset = kept until an admin deletes the learner):

* `photo_years`: after this, the learner's evidence photos are deleted (the evidence rows
  stay, with their captions, levels and reviews; the photo is gone);
* `record_years`: after this, the learner's whole record is deleted, exactly as an admin's
  deletion does (services/deletion.py), with a receipt whose author is the schedule.

`run_retention` is idempotent: what it deleted is gone, so a second run finds nothing. It
also finishes what earlier runs or deletions left: files whose deletion failed (the store
was down) and family exports past their expiry.
"""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from backend.errors import AppError
from backend.extensions import db
from backend.i18n import N_
from backend.models import (
    Blob,
    BlobDeletion,
    DeletionReceipt,
    Evidence,
    RecordExport,
    RetentionSetting,
    School,
    User,
)
from backend.models._base import utcnow
from backend.services.deletion import (
    _files_of,
    delete_learner,
    initials,
    queue_files,
    sweep_blob_deletions,
)
from backend.services.record_export import VARIANT as EXPORT_VARIANT

MAX_YEARS = 50
MESSAGES = {
    "years": N_("Enter a whole number of years from 1 to 50, or leave it empty to keep until "
             "deleted."),
    "order": N_("Photos cannot be kept longer than the whole record: make the photo period "
             "the same or shorter."),
}
KEEP_FAILED_EXPORTS = timedelta(days=30)


def retention_view(school_id: int) -> dict:
    setting = db.session.get(RetentionSetting, school_id)
    return {"photo_years": setting.photo_years if setting else None,
            "record_years": setting.record_years if setting else None}


def _years(value, field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_YEARS:
        raise AppError(MESSAGES["years"], status=422, errors={field: [MESSAGES["years"]]})
    return value


def save_retention(admin: User, photo_years, record_years) -> dict:
    """Check and store the school's periods (both or neither saved)."""
    photo, record = _years(photo_years, "photo_years"), _years(record_years, "record_years")
    if photo is not None and record is not None and photo > record:
        raise AppError(MESSAGES["order"], status=422, errors={"photo_years": [MESSAGES["order"]]})
    setting = db.session.get(RetentionSetting, admin.school_id)
    if setting is None:
        setting = RetentionSetting(school_id=admin.school_id)
        db.session.add(setting)
    before = {"photo_years": setting.photo_years, "record_years": setting.record_years}
    setting.photo_years, setting.record_years, setting.updated_by = photo, record, admin.id
    try:
        from backend.services.access_log import record_admin_write
    except ImportError:
        pass
    else:
        record_admin_write(admin, "settings.retention", None,
                           {"before": before, "after": {"photo_years": photo,
                                                        "record_years": record}})
    db.session.commit()
    return retention_view(admin.school_id)


def _years_ago(now: datetime, years: int) -> datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def plan(school_id: int, now: datetime | None = None) -> dict:
    """Who is past each period now: {"records": [learner], "photos": [(learner, shas)]}."""
    now = now or utcnow()
    setting = db.session.get(RetentionSetting, school_id)
    out = {"records": [], "photos": []}
    if setting is None:
        return out
    left = select(User).where(User.school_id == school_id, User.role == "student",
                              User.withdrawn_at.is_not(None)).order_by(User.id)
    if setting.record_years:
        cutoff = _years_ago(now, setting.record_years)
        out["records"] = list(db.session.scalars(left.where(User.withdrawn_at <= cutoff)))
    if setting.photo_years:
        cutoff = _years_ago(now, setting.photo_years)
        gone = {u.id for u in out["records"]}
        for learner in db.session.scalars(left.where(User.withdrawn_at <= cutoff)):
            if learner.id in gone:
                continue
            has_photos = db.session.scalar(select(Evidence.id).where(
                Evidence.student_id == learner.id, Evidence.blob_sha256.is_not(None)).limit(1))
            if has_photos:
                out["photos"].append((learner, _files_of(learner.id)[0]))
    return out


def delete_photos(learner: User, shas: set[str]) -> DeletionReceipt:
    """Delete a learner's evidence photos (a file another learner also cites stays)."""
    receipt = DeletionReceipt(id=str(uuid.uuid4()), school_id=learner.school_id,
                              learner_ref=learner.id, initials=initials(learner.display_name),
                              scope="photos", reason="retention", deleted_by=None,
                              deleted_by_name="retention schedule", counts={})
    db.session.add(receipt)
    db.session.flush()
    cleared = db.session.execute(update(Evidence).where(
        Evidence.student_id == learner.id, Evidence.blob_sha256.is_not(None)).values(
        blob_sha256=None, version=_next_versions())).rowcount or 0
    uploads = db.metadata.tables.get("blob_uploads")
    if uploads is not None:
        db.session.execute(delete(uploads).where(uploads.c.user_id == learner.id))
    if shas:
        db.session.execute(delete(Blob).where(Blob.sha256.in_(shas)))
    queue_files(receipt.id, shas)
    receipt.counts = {"evidence_photos": cleared}
    receipt.blob_count = len(shas)
    db.session.commit()
    sweep_blob_deletions(receipt_id=receipt.id)
    return receipt


def _next_versions():
    """One fresh version for the cleared evidence rows (an UPDATE skips the flush hook), so
    devices pull the rows without their photo."""
    from backend.services.versions import allocate_versions

    return allocate_versions(db.session, 1)


def expire_exports(now: datetime | None = None, *, dry_run: bool = False) -> int:
    """Drop the zips of exports past their expiry, and old failed/expired job rows."""
    now = now or utcnow()
    done = list(db.session.scalars(select(RecordExport).where(
        RecordExport.status == "done", RecordExport.expires_at <= now)))
    if dry_run:
        return len(done)
    for job in done:
        if job.result_key:
            db.session.add(BlobDeletion(key=job.result_key, variant=EXPORT_VARIANT))
        job.status, job.result_key = "expired", None
    db.session.execute(delete(RecordExport).where(
        RecordExport.status.in_(("failed", "expired")),
        RecordExport.created_at <= now - KEEP_FAILED_EXPORTS).execution_options(
        synchronize_session=False))  # SQLite hands back naive times: compare in SQL only
    db.session.commit()
    return len(done)


def run_retention(*, dry_run: bool = False, now: datetime | None = None, echo=print) -> dict:
    """Enforce every school's retention periods; print what is (or would be) deleted."""
    now = now or utcnow()
    report = {"records": 0, "photo_learners": 0, "files": 0, "exports_expired": 0}
    verb = "Would delete" if dry_run else "Deleted"
    for school_id in db.session.scalars(select(School.id).order_by(School.id)).all():
        todo = plan(school_id, now)
        for learner in todo["records"]:
            label = f"learner {learner.id} ({initials(learner.display_name)})"
            since = learner.withdrawn_at.date().isoformat()
            if not dry_run:
                delete_learner(learner, actor=None, reason="retention")
            echo(f"{verb} the whole record of {label}, withdrawn {since}.")
            report["records"] += 1
        for learner, shas in todo["photos"]:
            label = f"learner {learner.id} ({initials(learner.display_name)})"
            if not dry_run:
                delete_photos(learner, shas)
            echo(f"{verb} the evidence photos of {label}: {len(shas)} files.")
            report["photo_learners"] += 1
            report["files"] += len(shas)
    report["exports_expired"] = expire_exports(now, dry_run=dry_run)
    if report["exports_expired"]:
        echo(f"{verb} {report['exports_expired']} expired family export(s).")
    if not dry_run:
        swept = sweep_blob_deletions()
        report["files_retried"] = swept
        if swept["failed"]:
            echo(f"{swept['failed']} file(s) could not be deleted yet; the next run retries.")
    if not any(report[k] for k in ("records", "photo_learners", "exports_expired")):
        echo("Nothing is past the retention period.")
    return report
