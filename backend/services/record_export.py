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

import csv
import hashlib
import io
import json
import logging
import threading
import time
import uuid
import zipfile
from datetime import UTC, date, datetime, timedelta

from flask import Flask, current_app
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from backend.api.binder.schemas import BinderSchema, GoalSchema
from backend.errors import AppError
from backend.extensions import db
from backend.models import (
    AssessmentEvent,
    Blob,
    Evidence,
    EvidenceReview,
    Goal,
    LearningTarget,
    RecordExport,
    SelfAssessment,
    User,
)
from backend.models._base import utcnow
from backend.services.binder import load_binder
from backend.services.levels import learner_topics

log = logging.getLogger(__name__)

FORMAT = "waypoint-record/1"
VARIANT = "exports"  # where zips live in the blob store
DEFAULT_TIME_LIMIT = 300  # seconds
DEFAULT_KEEP_DAYS = 7
MAX_PER_DAY = 5  # per requester per learner: each is a full copy of a child's record
_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp",
               "image/gif": "gif", "application/pdf": "pdf"}
_THREADS: dict[str, threading.Thread] = {}

MESSAGES = {
    "staff": "Family exports are for a learner's family, or the learner from 13 on.",
    "under_13": "A learner under 13 cannot download their own record; their family can, "
                "from the family portal.",
    "too_many": "You have asked for this record {n} times today. Please use one of those "
                "downloads, or try again tomorrow.",
    "not_found": "That export was not found.",
    "not_ready": "That export is not ready yet.",
    "expired": "That download has expired. Ask for a new one.",
    "timeout": "Preparing the record took too long and was stopped. Please try again; if "
               "it keeps happening, ask the school office.",
    "failed": "Something went wrong on our side while preparing the record. Please try again.",
    "missing": "The export file is no longer stored. Ask for a new one.",
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
    """Who may download a learner's record: a linked guardian, or the learner if 13+.

    The caller has already checked the learner is one `user` may read (else a 404).
    """
    if user.role == "guardian":
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
        raise AppError(MESSAGES["too_many"].format(n=today_count), status=429)
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
        data = build_zip(learner, progress)
        progress("zip", 98)
        from backend.api.blobs.resources import blob_store

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


# --------------------------------------------------------------------------- the zip

def _cell(value) -> str:
    """A CSV cell a spreadsheet will not run: OWASP's formula-injection rule."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return buf.getvalue()


def _iso(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def gather(learner: User, progress) -> dict:
    """The whole record as plain data: what record.json holds."""
    progress("binder", 5)
    binder = BinderSchema().dump(load_binder(learner))
    progress("levels", 15)
    codes = {t.id: t.code for t in db.session.scalars(select(LearningTarget))}
    levels = []
    for row in learner_topics(learner):
        for target in row["topic"].targets:
            result = row["levels"][target.id]
            levels.append({"target_id": target.id, "code": target.code,
                           "title": target.title, "topic": row["topic"].name,
                           "level": result["level"], "level_words": result["level_words"],
                           "method_label": result["method_label"],
                           "how_worked_out": list(result["explanation"])})
    goals = GoalSchema(many=True).dump(db.session.scalars(select(Goal).where(
        Goal.student_id == learner.id, Goal.is_deleted.is_(False)).order_by(Goal.created_at)))
    evidence = [{"id": ev.id, "kind": ev.kind, "caption": ev.caption,
                 "target_codes": [codes.get(int(t), str(t)) for t in ev.target_ids or []],
                 "status": ev.review_status, "url": ev.url, "text": ev.text,
                 "created_at": _iso(ev.created_at), "photo": None, "_sha": ev.blob_sha256}
                for ev in db.session.scalars(select(Evidence).where(
                    Evidence.student_id == learner.id, Evidence.is_deleted.is_(False))
                    .order_by(Evidence.created_at))]
    events = [{"date": _iso(e.assessed_on), "target": codes.get(e.target_id, ""),
               "level": e.score, "source": e.source, "note": e.note}
              for e in db.session.scalars(select(AssessmentEvent).where(
                  AssessmentEvent.student_id == learner.id).order_by(
                  AssessmentEvent.assessed_on, AssessmentEvent.created_at))]
    reviews = [{"evidence_id": r.evidence_id, "decision": r.decision, "comment": r.comment,
                "level": r.level, "target": codes.get(r.target_id, "") if r.target_id else "",
                "date": _iso(r.created_at)}
               for r in db.session.scalars(select(EvidenceReview).where(
                   EvidenceReview.student_id == learner.id).order_by(EvidenceReview.created_at))]
    selfs = [{"target": codes.get(s.target_id, ""), "level": s.level, "note": s.note}
             for s in db.session.scalars(select(SelfAssessment).where(
                 SelfAssessment.student_id == learner.id))]
    return {"format": FORMAT, "exported_at": utcnow().isoformat(),
            "learner": {"id": learner.id, "display_name": learner.display_name,
                        "school": learner.school.name},
            "binder": binder, "levels": levels, "goals": goals, "evidence": evidence,
            "assessments": events, "reviews": reviews, "self_assessments": selfs}


def _add_photos(zf: zipfile.ZipFile, record: dict, progress) -> None:
    from backend.api.blobs.resources import blob_store

    store = blob_store()
    photos = [ev for ev in record["evidence"] if ev["_sha"]]
    for n, ev in enumerate(photos):
        progress("photos", 40 + int(40 * n / max(len(photos), 1)))
        data = store.get(ev["_sha"], "original")
        if data is None:
            continue
        blob = db.session.get(Blob, ev["_sha"])
        ext = _EXTENSIONS.get(blob.content_type if blob else "", "bin")
        name = f"photos/{ev['id']}.{ext}"
        zf.writestr(name, data, compress_type=zipfile.ZIP_STORED)  # already compressed
        ev["photo"] = name
    for ev in record["evidence"]:
        ev.pop("_sha", None)


_ENV = Environment(loader=PackageLoader("backend.reports", "templates"),
                   autoescape=select_autoescape(["html"]), trim_blocks=True,
                   lstrip_blocks=True)
_ENV.filters["day"] = lambda d: f"{d.day} {d:%B %Y}" if d else ""


def render_pdf(learner: User, record: dict) -> bytes:
    """The readable binder: topics with levels and how each was worked out, goals, evidence."""
    from weasyprint import HTML

    by_topic: dict[str, list[dict]] = {}
    for level in record["levels"]:
        by_topic.setdefault(level["topic"], []).append(level)
    html = _ENV.get_template("record.html").render(
        title="Learning record", learner=learner, school=learner.school.name,
        today=date.today(), topics=by_topic, goals=record["goals"],
        evidence=record["evidence"], assessments=record["assessments"])
    return HTML(string=html, base_url=".").render().write_pdf()


README = """Waypoint learning record
========================

record.pdf      the binder to read or print: each topic, each learning target's level and
                how it was worked out, goals, and the list of evidence
record.json     the same record for other programs ("binder" is exactly what the
                Waypoint binder screen shows)
binder.csv, goals.csv, evidence.csv, assessments.csv
                the same again as spreadsheets
photos/         the evidence photos as stored (location data was removed at upload)
"""


def build_zip(learner: User, progress) -> bytes:
    """The zip's bytes; `progress(stage, percent)` is called between steps."""
    record = gather(learner, progress)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        _add_photos(zf, record, progress)
        progress("data", 82)
        zf.writestr("README.txt", README)
        zf.writestr("record.json", json.dumps(record, indent=1, ensure_ascii=False,
                                              default=str))
        zf.writestr("binder.csv", _csv(
            ["topic", "target_code", "target", "level", "level_words", "method"],
            [[lv["topic"], lv["code"], lv["title"], lv["level"], lv["level_words"],
              lv["method_label"]] for lv in record["levels"]]))
        zf.writestr("goals.csv", _csv(
            ["title", "status", "due_on", "reflection"],
            [[g["title"], g["status"], g["due_on"], g["reflection"]] for g in record["goals"]]))
        zf.writestr("evidence.csv", _csv(
            ["id", "kind", "caption", "targets", "status", "created_at", "photo", "url"],
            [[e["id"], e["kind"], e["caption"], " ".join(e["target_codes"]), e["status"],
              e["created_at"], e["photo"] or "", e["url"] or ""] for e in record["evidence"]]))
        zf.writestr("assessments.csv", _csv(
            ["date", "target", "level", "source", "note"],
            [[a["date"], a["target"], a["level"], a["source"], a["note"]]
             for a in record["assessments"]]))
        progress("pdf", 88)
        zf.writestr("record.pdf", render_pdf(learner, record))
    return buf.getvalue()
