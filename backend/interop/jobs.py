"""Long-running imports and report batches as jobs: a row others can poll for progress.

A job runs in a worker thread of this process (or inline, when the caller waits for it).
Its progress is written through a short session of its own, so it is visible to any server
process while the job reads and checks its input. Progress is never written while the job
holds its write transaction (SQLite allows one writer): the stage just reads "applying
changes" until it commits. A finished job keeps its report; a file it made (a batch of
PDFs) goes to the blob store, named by its sha256.
"""

import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Callable

from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session

from backend.extensions import db
from backend.interop.problems import MAX_LISTED, ImportRefused
from backend.models import InteropJob
from backend.models._base import utcnow

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
# work(progress) -> (report dict, optional (filename, bytes) of a result file)
Work = Callable[[Progress], tuple[dict, tuple[str, bytes] | None]]
_THREADS: dict[str, threading.Thread] = {}


def create_job(kind: str, *, school_id: int, user_id: int, filename: str = "",
               is_dry_run: bool = False) -> InteropJob:
    job = InteropJob(id=str(uuid.uuid4()), kind=kind, school_id=school_id, created_by=user_id,
                     filename=filename[:255], is_dry_run=is_dry_run, status="queued",
                     progress={"stage": "queued", "done": 0, "total": 0})
    db.session.add(job)
    db.session.commit()
    return job


def _progress_writer(job_id: str) -> Progress:
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < 0.25 and done and done < total:
            return  # at most four writes a second
        last[0] = now
        with Session(db.engine) as session:
            session.execute(update(InteropJob).where(InteropJob.id == job_id).values(
                progress={"stage": stage, "done": done, "total": total}))
            session.commit()

    return progress


def run_job(app: Flask, job_id: str, work: Work, *, background: bool) -> None:
    """Run `work` for the job, inline or in a thread; record its report either way."""

    def target():
        with app.app_context():
            try:
                _run(job_id, work)
            finally:
                db.session.remove()
                _THREADS.pop(job_id, None)

    if not background:
        target()
        return
    thread = threading.Thread(target=target, name=f"job-{job_id}", daemon=True)
    _THREADS[job_id] = thread
    thread.start()


def wait_for_jobs(timeout: float = 30) -> None:
    """Join every job thread of this process (tests, and a clean shutdown)."""
    for thread in list(_THREADS.values()):
        thread.join(timeout)


def _run(job_id: str, work: Work) -> None:
    progress = _progress_writer(job_id)
    db.session.execute(update(InteropJob).where(InteropJob.id == job_id).values(
        status="running"))
    db.session.commit()
    status, report, result = "done", None, None
    try:
        report, result = work(progress)
    except ImportRefused as err:
        db.session.rollback()
        status = "failed"
        report = {"ok": False, "message": err.message, "errors": err.errors,
                  "problems": [p.as_dict() for p in err.problems[:MAX_LISTED]]}
    except Exception:
        log.exception("job %s failed", job_id)
        db.session.rollback()
        status = "failed"
        report = {"ok": False, "message": "Something went wrong on our side; nothing was "
                  "changed. Please try again.", "errors": {}, "problems": []}
    job = db.session.get(InteropJob, job_id)
    if result is not None:
        from backend.api.blobs.resources import blob_store

        name, data = result
        sha = hashlib.sha256(data).hexdigest()
        blob_store().put(sha, data, "reports")
        job.result_sha256 = sha
        job.filename = name
    job.status, job.report, job.finished_at = status, report, utcnow()
    job.progress = {"stage": status, "done": job.progress.get("total", 0),
                    "total": job.progress.get("total", 0)}
    db.session.commit()


def job_view(job: InteropJob) -> dict:
    """The job as the API shows it."""
    return {
        "id": job.id, "kind": job.kind, "status": job.status, "dry_run": job.is_dry_run,
        "filename": job.filename, "progress": job.progress, "report": job.report,
        "has_result": job.result_sha256 is not None,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
