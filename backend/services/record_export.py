"""A family's export of a learner's whole record: one zip, made in the background.

The zip holds a readable PDF (the binder by topic, each level with how it was worked out,
goals, the evidence list), the same record as JSON and as CSV files, and the evidence
photos as stored (EXIF was stripped at upload). Its `record.json` carries the binder
exactly as `GET /api/learners/<id>/binder` answers, so a family's copy and the screen agree.

Why a job: a binder with a year of photos takes seconds to gather and render, longer than a
phone should hold a request open. The job runs in a worker thread of this process, writes
its percent to its row as it goes (any server process can answer "how far along"), stops
with a reason when it runs past `EXPORT_TIME_LIMIT`, and its zip expires after
`EXPORT_KEEP_DAYS`. A job a dead process left behind reads as failed once it is past the
limit, so nobody waits on it forever.
"""

import hashlib
import logging
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from backend.errors import AppError
from backend.extensions import db
from backend.i18n import N_
from backend.models import RecordExport, User
from backend.models._base import utcnow
from backend.services.record_zip import build_zip

log = logging.getLogger(__name__)

VARIANT = "exports"  # where zips live in the blob store
DEFAULT_TIME_LIMIT = 300  # seconds
DEFAULT_KEEP_DAYS = 7
MAX_PER_DAY = 5  # per requester per learner: each is a full copy of a child's record
_THREADS: dict[str, threading.Thread] = {}

MESSAGES = {
    "staff": N_("Family exports are for a learner's family, or the learner from 13 on."),
    "under_13": N_("A learner under 13 cannot download their own record; their family can, "
                "from the family portal."),
    "too_many": N_("You have asked for this record {n} times today. Please use one of those "
                "downloads, or try again tomorrow."),
    "not_found": N_("That export was not found."),
    "not_ready": N_("That export is not ready yet."),
    "expired": N_("That download has expired. Ask for a new one."),
    "timeout": N_("Preparing the record took too long and was stopped. Please try again; if "
               "it keeps happening, ask the school office."),
    "failed": N_("Something went wrong on our side while preparing the record. Please try again."),
    "missing": N_("The export file is no longer stored. Ask for a new one."),
}
STAGES = {
    "queued": "Waiting to start",
    "binder": "Gathering the binder",
    "levels": "Working out each level",
    "data": "Writing the data files",
    "photos": "Adding the photos",
    "pdf": "Making the PDF",
    "zip": "Packing the zip",
    "done": "Ready to download",
}


class ExportTimeout(Exception):
    """The job ran past its time limit."""


def _limit() -> int:
    return int(current_app.config.get("EXPORT_TIME_LIMIT", DEFAULT_TIME_LIMIT))


def may_export(user: User, learner: User) -> None:
    """Who may download a learner's record: a linked guardian, the learner if 13+, or the
    school's office (an admin of their school: a records request, a transfer). Teachers read
    the binder but do not take the record away.

    The caller has already checked the learner is one `user` may read (else a 404).
    """
    if user.role in ("guardian", "admin"):
        return
    if user.role == "student" and user.id == learner.id:
        if not learner.is_13_or_older:
            raise AppError(MESSAGES["under_13"], status=403, code="under_13")
        return
    raise AppError(MESSAGES["staff"], status=403)


def start_export(app: Flask, user: User, learner: User, *, background: bool = True
                 ) -> RecordExport:
    """Create the job (or return the one already under way) and start it."""
    busy = db.session.scalar(select(RecordExport).where(
        RecordExport.learner_id == learner.id, RecordExport.requested_by == user.id,
        RecordExport.status.in_(("queued", "running"))))
    if busy is not None and not _is_stale(busy):
        return busy
    since = utcnow() - timedelta(days=1)
    today_count = db.session.scalar(select(func.count()).select_from(RecordExport).where(
        RecordExport.learner_id == learner.id, RecordExport.requested_by == user.id,
        RecordExport.created_at >= since)) or 0
    if today_count >= MAX_PER_DAY:
        raise AppError(MESSAGES["too_many"], params={"n": today_count}, status=429)
    job = RecordExport(id=str(uuid.uuid4()), school_id=learner.school_id,
                       learner_id=learner.id, requested_by=user.id, status="queued",
                       percent=0, stage="queued", message="")
    db.session.add(job)
    db.session.commit()
    job_id = job.id

    def target():
        with app.app_context():
            try:
                _run(job_id)
            finally:
                db.session.remove()
                _THREADS.pop(job_id, None)

    if background:
        thread = threading.Thread(target=target, name=f"export-{job_id}", daemon=True)
        _THREADS[job_id] = thread
        thread.start()
    else:
        target()
        db.session.expire_all()
    return db.session.get(RecordExport, job_id)


def wait_for_exports(timeout: float = 60) -> None:
    """Join every export thread of this process (tests, and a clean shutdown)."""
    for thread in list(_THREADS.values()):
        thread.join(timeout)


def _is_stale(job: RecordExport) -> bool:
    """Queued or running past its limit (with a minute's grace): its process is gone."""
    started = _aware(job.started_at or job.created_at)
    return started < utcnow() - timedelta(seconds=_limit() + 60)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _write(job_id: str, **values) -> None:
    """Progress through a session of its own: visible at once to every process."""
    with Session(db.engine) as session:
        session.execute(update(RecordExport).where(RecordExport.id == job_id).values(**values))
        session.commit()


def _run(job_id: str) -> None:
    job = db.session.get(RecordExport, job_id)
    deadline = time.monotonic() + _limit()

    def progress(stage: str, percent: int) -> None:
        if time.monotonic() > deadline:
            raise ExportTimeout
        _write(job_id, stage=stage, percent=percent)

    _write(job_id, status="running", started_at=utcnow(), stage="binder", percent=1)
    try:
        learner = db.session.get(User, job.learner_id)
        data = build_zip(learner, progress)  # backend/services/record_zip.py
        progress("zip", 98)
        from backend.blobstore import blob_store

        key = hashlib.sha256(data).hexdigest()
        blob_store().put(key, data, VARIANT)
        keep = int(current_app.config.get("EXPORT_KEEP_DAYS", DEFAULT_KEEP_DAYS))
        now = utcnow()
        _write(job_id, status="done", stage="done", percent=100, result_key=key,
               size=len(data), finished_at=now, expires_at=now + timedelta(days=keep))
    except ExportTimeout:
        _write(job_id, status="failed", message=MESSAGES["timeout"], finished_at=utcnow())
    except Exception:
        log.exception("record export %s failed", job_id)
        db.session.rollback()
        _write(job_id, status="failed", message=MESSAGES["failed"], finished_at=utcnow())


def job_view(job: RecordExport, learner_name: str = "") -> dict:
    """The job as the API shows it; a stale one reads as failed, an old one as expired."""
    status, message = job.status, job.message
    if status in ("queued", "running") and _is_stale(job):
        status, message = "failed", MESSAGES["timeout"]
    if status == "done" and job.expires_at and _aware(job.expires_at) <= utcnow():
        status, message = "expired", MESSAGES["expired"]
    return {"id": job.id, "learner_id": job.learner_id, "learner_name": learner_name,
            "status": status, "percent": 100 if status == "done" else job.percent,
            "stage": STAGES.get(job.stage, job.stage), "message": message,
            "size": job.size, "created_at": _aware(job.created_at).isoformat(),
            "expires_at": _aware(job.expires_at).isoformat() if job.expires_at else None,
            "download_url": f"/api/privacy/exports/{job.id}/download"
            if status == "done" else None}


def download_name(learner: User, job: RecordExport) -> str:
    """An ASCII file name (no child's name in it: it may sit in a shared Downloads folder)."""
    day = _aware(job.finished_at or job.created_at).date().isoformat()
    return f"waypoint-record-{learner.id}-{day}.zip"
