"""The zip of a family export: a readable PDF, record.json, CSV files and the photos.

`record.json`'s `binder` is exactly `GET /api/learners/<id>/binder`'s answer (the same
schema over the same service), so the family's copy and the screen agree. CSV cells that a
spreadsheet would run as a formula are neutralised as OWASP describes.
"""

import io
import json
import zipfile
from datetime import date, datetime

from sqlalchemy import select

from backend.downloads import csv_text
from backend.extensions import db
from backend.models import (
    AssessmentEvent,
    Blob,
    Evidence,
    EvidenceReview,
    Goal,
    LearningTarget,
    SelfAssessment,
    User,
)
from backend.models._base import utcnow
from backend.schemas.binder import BinderSchema, GoalSchema
from backend.services.binder import load_binder
from backend.services.levels import learner_topics
from backend.services.profile import observations_read, profile_record, sections_read

FORMAT = "waypoint-record/1"
_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp",
               "image/gif": "gif", "application/pdf": "pdf"}

def _csv(header: list[str], rows: list[list]) -> str:
    """The one CSV writer (backend/downloads.py): every cell quoted, formulas neutralised."""
    return csv_text(header, rows)


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
            "assessments": events, "reviews": reviews, "self_assessments": selfs,
            "profile": profile_record(learner.id),
            # "not for me" (issue 18): the suggested activities the learner declined
            "not_for_me": _not_for_me(learner.id)}


def _not_for_me(learner_id: int) -> list[dict]:
    from backend.models import Activity, SuggestionDecline

    return [{"activity": title, "date": _iso(when)}
            for title, when in db.session.execute(
                select(Activity.title, SuggestionDecline.updated_at)
                .join(Activity, Activity.id == SuggestionDecline.activity_id)
                .where(SuggestionDecline.student_id == learner_id,
                       SuggestionDecline.declined.is_(True))
                .order_by(SuggestionDecline.updated_at, Activity.title))]


def _add_photos(zf: zipfile.ZipFile, record: dict, progress) -> None:
    from backend.blobstore import blob_store
    from backend.services.evidence_files import sent_by

    store = blob_store()
    learner_id = record["learner"]["id"]
    # only files the learner sent: older evidence may cite someone else's (issue 13 #4)
    photos = [ev for ev in record["evidence"] if ev["_sha"] and sent_by(learner_id, ev["_sha"])]
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


def render_pdf(learner: User, record: dict) -> bytes:
    """The readable binder: topics with levels and how each was worked out, goals, evidence."""
    from weasyprint import HTML

    by_topic: dict[str, list[dict]] = {}
    for level in record["levels"]:
        by_topic.setdefault(level["topic"], []).append(level)
    # the reports' templates, in the family's language (backend/reports/render.py)
    from backend.i18n import gettext
    from backend.reports.render import environment, report_locale

    locale = report_locale(learner)
    html = environment(locale).get_template("record.html").render(
        title=gettext("Learning record", locale=locale), learner=learner,
        school=learner.school.name,
        today=date.today(), topics=by_topic, goals=record["goals"],
        evidence=record["evidence"], assessments=record["assessments"],
        profile=sections_read(record["profile"], locale),
        observations=observations_read(record["profile"], locale))
    return HTML(string=html, base_url=".").render().write_pdf()


README = """Waypoint learning record
========================

record.pdf      the binder to read or print: each topic, each learning target's level and
                how it was worked out, goals, and the list of evidence
record.json     the same record for other programs ("binder" is exactly what the
                Waypoint binder screen shows)
binder.csv, goals.csv, evidence.csv, assessments.csv, profile.csv
                the same again as spreadsheets
photos/         the evidence photos as stored (location data was removed at upload)
credentials-clr.json
                the learner's signed credentials and topic results as one Comprehensive
                Learner Record (CLR 2.0); anyone can check it on the school's /verify page
"""


def _clr(learner: User) -> str:
    """The signed CLR 2.0 of the learner's credentials (issue 17, docs/credentials.md)."""
    from backend.credentials import clr, issue

    issue.issue_missing(learner)
    return json.dumps(issue.enveloped(clr.signed_clr(learner)), indent=2)


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
        zf.writestr("profile.csv", _csv(
            ["section", "text", "choices", "written_by", "stamp", "shown_now"],
            [[h["section"], h["text"], " ".join(h["choices"]), h["author"], h["hlc"],
              any(s["hlc"] == h["hlc"] for s in record["profile"]["sections"])]
             for h in record["profile"]["history"]]))
        zf.writestr("credentials-clr.json", _clr(learner))
        progress("pdf", 88)
        zf.writestr("record.pdf", render_pdf(learner, record))
    return buf.getvalue()
