"""Long-running imports and report batches as jobs: a row others can poll for progress.

A job runs in a worker thread of this process (or inline, when the caller waits for it).
Its progress is written through a short session of its own, so it is visible to any server
process while the job reads and checks its input. Progress is never written while the job
holds its write transaction (SQLite allows one writer): the stage just reads "applying
changes" until it commits. A finished job keeps its report; a file it made (a batch of
PDFs) goes to the blob store, named by its sha256.

Every job ends. While it runs, a heartbeat thread stamps it every few seconds with the
process running it; a job whose stamp is stale, whose process is gone, or whose deadline
has passed is failed with a reason when the server starts and whenever a job is read
(`fail_stale_jobs`), and a report batch can be run again from what it recorded.
"""

import hashlib
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backend.extensions import db
from backend.i18n import N_
from backend.interop.problems import MAX_LISTED, ImportRefused
from backend.models import InteropJob
from backend.models._base import utcnow

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
# work(progress) -> (report dict, optional (filename, bytes) of a result file)
Work = Callable[[Progress], tuple[dict, tuple[str, bytes] | None]]
_THREADS: dict[str, threading.Thread] = {}
RUNNER = f"{socket.gethostname()[:60]}:{os.getpid()}"
UNFINISHED = ("queued", "running")

# user-facing words, in one place for the translation catalogs
RESTARTED = {  # N_: the reports page shows them in the reader's language
    "reports": N_("The server restarted while this report was being made. Run it again."),
    "import": N_("The server restarted while this import was running; nothing was changed. "
                 "Run it again."),
}
IMPORT_TOO_LONG = ("The import took too long (more than {minutes} min), so it was stopped; "
                   "nothing was changed.")
ALL_FAILED = N_("No learner's report could be made; the reasons are listed.")


class JobTimedOut(Exception):
    """A job went past its deadline; raised from its progress callback."""


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes for timezone columns; they are UTC."""
    if moment is None or moment.tzinfo:
        return moment
    return moment.replace(tzinfo=UTC)


def create_job(kind: str, *, school_id: int, user_id: int, filename: str = "",
               is_dry_run: bool = False, params: dict | None = None,
               seconds: float | None = None) -> InteropJob:
    """A queued job; `seconds` bounds it (its deadline), `params` are what a re-run needs."""
    now = _now()
    job = InteropJob(id=str(uuid.uuid4()), kind=kind, school_id=school_id, created_by=user_id,
                     filename=filename[:255], is_dry_run=is_dry_run, status="queued",
                     progress={"stage": "queued", "done": 0, "total": 0}, params=params,
                     heartbeat_at=now, runner=RUNNER,
                     deadline_at=now + timedelta(seconds=seconds) if seconds else None)
    db.session.add(job)
    db.session.commit()
    return job


def _progress_writer(job_id: str, deadline: float | None = None) -> Progress:
    last = [0.0, None]

    def progress(stage: str, done: int, total: int, failures: list | None = None) -> None:
        if deadline is not None and time.monotonic() > deadline:
            raise JobTimedOut
        now = time.monotonic()
        state = (stage, done, total, len(failures or ()))
        if state == last[1] or (now - last[0] < 0.25 and done and done < total):
            return  # at most four writes a second, and only when something changed
        last[0], last[1] = now, state
        values = {"progress": {"stage": stage, "done": done, "total": total,
                               "failed": len(failures or ())}, "heartbeat_at": _now()}
        if failures is not None:
            values["failures"] = list(failures)
        with Session(db.engine) as session:
            session.execute(update(InteropJob).where(InteropJob.id == job_id).values(**values))
            session.commit()

    return progress


def _heartbeat(app: Flask, job_id: str, stop: threading.Event) -> None:
    """Stamp the job every JOB_HEARTBEAT_SECONDS until it ends (a stale stamp: it died)."""
    every = float(app.config.get("JOB_HEARTBEAT_SECONDS", 5))
    while not stop.wait(every):
        try:
            with app.app_context(), Session(db.engine) as session:
                session.execute(update(InteropJob).where(
                    InteropJob.id == job_id, InteropJob.status.in_(UNFINISHED)).values(
                    heartbeat_at=_now(), runner=RUNNER))
                session.commit()
        except Exception:  # noqa: BLE001 - a busy database: the next beat tries again
            log.warning("job %s: heartbeat not written", job_id, exc_info=True)


def run_job(app: Flask, job_id: str, work: Work, *, background: bool) -> None:
    """Run `work` for the job, inline or in a thread; record its report either way."""

    def target():
        stop = threading.Event()
        beat = threading.Thread(target=_heartbeat, args=(app, job_id, stop), daemon=True,
                                name=f"job-{job_id}-heartbeat")
        beat.start()
        with app.app_context():
            try:
                _run(job_id, work)
            finally:
                stop.set()
                db.session.remove()
                _THREADS.pop(job_id, None)

    if not background:
        _THREADS[job_id] = threading.current_thread()  # running here: never stale
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
    from backend.reports.batch import BatchStopped

    job = db.session.get(InteropJob, job_id)
    deadline = None
    if job.deadline_at is not None:
        deadline = time.monotonic() + (_aware(job.deadline_at) - _now()).total_seconds()
    progress = _progress_writer(job_id, deadline)
    db.session.execute(update(InteropJob).where(InteropJob.id == job_id).values(
        status="running", runner=RUNNER, heartbeat_at=_now()))
    db.session.commit()
    status, report, result = "done", None, None
    try:
        report, result = work(progress)
        if report.get("failures") and not report.get("made"):
            status = "failed"
            report = {**report, "ok": False, "message": ALL_FAILED}
    except JobTimedOut:
        db.session.rollback()
        status = "failed"
        minutes = max(1, round(current_app.config.get("IMPORT_JOB_SECONDS", 600) / 60))
        report = {"ok": False, "message": IMPORT_TOO_LONG.format(minutes=minutes),
                  "errors": {}, "problems": []}
    except BatchStopped as err:
        db.session.rollback()
        status = "failed"
        report = {"ok": False, "message": err.message, "errors": {}, "problems": []}
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
    db.session.refresh(job)  # the progress writer's session moved it meanwhile
    if result is not None:
        from backend.blobstore import blob_store

        name, data = result
        sha = hashlib.sha256(data).hexdigest()
        blob_store().put(sha, data, "reports")
        job.result_sha256 = sha
        job.filename = name
    job.status, job.report, job.finished_at = status, report, utcnow()
    if report and report.get("failures") is not None:
        job.failures = report["failures"]
    total = job.progress.get("total", 0)
    job.progress = {"stage": status, "done": total if status == "done" else
                    job.progress.get("done", 0), "total": total,
                    "failed": len(job.failures or ())}
    db.session.commit()


def _is_stale(job: InteropJob, now: datetime, stale_after: float) -> bool:
    if job.id in _THREADS and _THREADS[job.id].is_alive():
        return False  # running here, now
    if job.deadline_at is not None and _aware(job.deadline_at) < now:
        return True
    host, _, pid = (job.runner or "").rpartition(":")
    if job.runner == RUNNER and job.status == "running":
        return True  # this process would be running it, and it is not
    if host == RUNNER.rpartition(":")[0] and pid.isdigit() and not _pid_alive(int(pid)):
        return True  # the process that ran it on this machine is gone (a restart)
    beat = _aware(job.heartbeat_at) or _aware(job.created_at)
    return beat < now - timedelta(seconds=stale_after)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fail_stale_jobs(school_id: int | None = None) -> int:
    """Fail every unfinished job nobody is running any more, with a reason; returns how many.

    Called when the server starts and whenever jobs are read, so no job is "running" for
    ever: a server restart, a killed worker or a job past its deadline all end here.
    """
    stale_after = float(current_app.config.get("JOB_STALE_SECONDS", 60))
    now = _now()
    query = select(InteropJob).where(InteropJob.status.in_(UNFINISHED))
    if school_id is not None:
        query = query.where(InteropJob.school_id == school_id)
    failed = 0
    for job in db.session.scalars(query).all():
        if not _is_stale(job, now, stale_after):
            continue
        words = RESTARTED["reports" if job.kind == "reports" else "import"]
        report = {"ok": False, "message": words, "errors": {}, "problems": [],
                  "failures": job.failures or [], "can_rerun": job.params is not None}
        # only if still unfinished: a job that ended meanwhile keeps its own result
        failed += db.session.execute(update(InteropJob).where(
            InteropJob.id == job.id, InteropJob.status.in_(UNFINISHED)).values(
            status="failed", report=report, finished_at=now)).rowcount
    db.session.commit()
    return failed


def recover_jobs(app: Flask) -> None:
    """At startup: fail the jobs a previous run of the server left unfinished."""
    with app.app_context():
        try:
            count = fail_stale_jobs()
        except Exception:  # noqa: BLE001 - an unmigrated database must not stop the start
            log.warning("could not check for unfinished jobs", exc_info=True)
            return
        finally:
            db.session.remove()
    if count:
        log.warning("failed %s job(s) left unfinished by a previous run", count)


def job_view(job: InteropJob) -> dict:
    """The job as the API shows it."""
    return {
        "id": job.id, "kind": job.kind, "status": job.status, "dry_run": job.is_dry_run,
        "filename": job.filename, "progress": job.progress, "report": job.report,
        "has_result": job.result_sha256 is not None,
        "failures": job.failures or [],
        "can_rerun": job.params is not None and job.status not in UNFINISHED,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
