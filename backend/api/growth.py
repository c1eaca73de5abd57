"""Teacher microcredentials for admins (issue 17 part 3): the district's talent view (who
works on which microcredential, and how far), what an awarded credential was worth
(stipend paid, recertification hours: recorded and audit-logged), and the terms of each
microcredential (requirements, stipend, hours). The catalog itself (areas with audience
"educator", their topics and competencies) is edited with the curriculum API and imported
with the CASE import (`audience=educator`).
"""

from datetime import UTC

from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backend.api.credentials import award_view
from backend.api.paging import PageArgsSchema, envelope
from backend.auth import login_required
from backend.credentials.issue import stamp
from backend.credentials.models import LearnerCredential, MicrocredentialAward
from backend.errors import AppError
from backend.extensions import db
from backend.i18n import N_, gettext
from backend.models import (
    ContentArea,
    Evidence,
    Goal,
    MeasurementTopic,
    MicrocredentialTerms,
    User,
)
from backend.models._base import utcnow
from backend.services.access_log import record_admin_write

blp = Blueprint("growth", __name__, url_prefix="/api/admin",
                description="Teacher microcredentials: talent view, awards, terms")

NO_CREDENTIAL = N_("That microcredential award was not found in your school.")
NO_MICROCREDENTIAL = N_("That microcredential was not found in your school's educator "
                        "catalog.")
STAFF = ("teacher", "admin")
MAX_EVIDENCE_READ = 20_000  # staff evidence rows one talent view reads at most


class AwardSchema(Schema):
    stipend_cents = fields.Integer(allow_none=True, load_default=None,
                                   validate=validate.Range(0, 100_000_000))
    recert_hours = fields.Float(allow_none=True, load_default=None,
                                validate=validate.Range(0, 10_000))
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class TermsSchema(Schema):
    requirements = fields.String(validate=validate.Length(max=10_000))
    stipend_cents = fields.Integer(allow_none=True, validate=validate.Range(0, 100_000_000))
    recert_hours = fields.Float(allow_none=True, validate=validate.Range(0, 10_000))


def _when(value):
    if value is None:
        return None
    return stamp(value if value.tzinfo else value.replace(tzinfo=UTC))


def _catalog(school_id: int) -> list[MeasurementTopic]:
    return list(db.session.scalars(
        select(MeasurementTopic).join(ContentArea).where(
            ContentArea.school_id == school_id, ContentArea.audience == "educator")
        .order_by(ContentArea.position, MeasurementTopic.position)
        .options(selectinload(MeasurementTopic.targets), selectinload(MeasurementTopic.terms))))


def _terms(topic: MeasurementTopic) -> dict:
    terms = topic.terms
    return {"requirements": terms.requirements if terms else "",
            "stipend_cents": terms.stipend_cents if terms else None,
            "recert_hours": terms.recert_hours if terms else None}


def _ids(values) -> set[int]:
    return {int(v) for v in (values or []) if str(v).isdigit()}


def _status(counts: dict, awarded: bool) -> str:
    if awarded:
        return "awarded"
    if counts["submitted_count"]:
        return "submitted"
    if counts["returned_count"]:
        return "returned"
    return "working"


def talent_rows(school_id: int) -> list[dict]:
    """Per educator and microcredential they work on (a goal naming one of its
    competencies, or evidence tagged with one): status, counts, last activity, the award.
    Bounded: the school's staff × its catalog, from one read of each table."""
    topics = _catalog(school_id)
    target_topic = {t.id: topic for topic in topics for t in topic.targets}
    if not target_topic:
        return []
    staff = {u.id: u for u in db.session.scalars(select(User).where(
        User.school_id == school_id, User.role.in_(STAFF)))}
    ids = list(staff)
    work: dict[tuple[int, int], dict] = {}

    def slot(user_id: int, topic: MeasurementTopic) -> dict:
        key = (user_id, topic.id)
        if key not in work:
            work[key] = {"evidence_count": 0, "submitted_count": 0, "returned_count": 0,
                         "approved_count": 0, "approved_targets": set(), "last": None,
                         "has_goal": False}
        return work[key]

    def touch(entry: dict, when) -> None:
        if when is not None and (entry["last"] is None or when > entry["last"]):
            entry["last"] = when

    for goal in db.session.scalars(select(Goal).where(
            Goal.student_id.in_(ids), Goal.is_deleted.is_(False))):
        for topic in {target_topic[t] for t in _ids(goal.target_ids) if t in target_topic}:
            entry = slot(goal.student_id, topic)
            entry["has_goal"] = True
            touch(entry, goal.updated_at)
    evidence = db.session.scalars(select(Evidence).where(
        Evidence.student_id.in_(ids), Evidence.is_deleted.is_(False))
        .order_by(Evidence.version.desc()).limit(MAX_EVIDENCE_READ))
    for ev in evidence:
        tagged = [t for t in _ids(ev.target_ids) if t in target_topic]
        for topic in {target_topic[t] for t in tagged}:
            entry = slot(ev.student_id, topic)
            entry["evidence_count"] += 1
            status = ev.review_status
            if status in ("submitted", "returned", "approved"):
                entry[f"{status}_count"] += 1
            if status == "approved":
                entry["approved_targets"] |= {t for t in tagged
                                              if target_topic[t].id == topic.id}
            touch(entry, ev.updated_at)
    credentials = {(c.learner_id, c.topic_id): c for c in db.session.scalars(
        select(LearnerCredential).where(
            LearnerCredential.learner_id.in_(ids), LearnerCredential.revoked_at.is_(None),
            LearnerCredential.topic_id.in_([t.id for t in topics])))}
    awards = {a.credential_id: a for a in db.session.scalars(select(MicrocredentialAward).where(
        MicrocredentialAward.credential_id.in_([c.id for c in credentials.values()])))} \
        if credentials else {}
    by_id = {t.id: t for t in topics}
    order = {t.id: n for n, t in enumerate(topics)}
    out = []
    for (user_id, topic_id), entry in work.items():
        topic, person = by_id[topic_id], staff[user_id]
        credential = credentials.get((user_id, topic_id))
        counts = {k: entry[k] for k in ("evidence_count", "submitted_count",
                                        "returned_count", "approved_count")}
        out.append({
            "educator_id": user_id, "educator_name": person.display_name,
            "topic_id": topic_id, "topic_name": topic.name,
            "status": _status(counts, credential is not None), **counts,
            "competencies": len(topic.targets),
            "competencies_approved": len(entry["approved_targets"]),
            "has_goal": entry["has_goal"],
            "last_activity": _when(entry["last"]),
            "credential_id": credential.id if credential else None,
            "award": award_view(awards.get(credential.id)) if credential else None,
            "terms": _terms(topic),
        })
    out.sort(key=lambda r: (r["educator_name"].lower(), r["educator_id"],
                            order[r["topic_id"]]))
    return out


@blp.route("/growth")
class Growth(MethodView):
    @login_required("admin")
    @blp.arguments(PageArgsSchema, location="query")
    def get(self, args):
        """The talent view: each educator and each microcredential they work on, with its
        status (working, submitted, returned, awarded), counts, last activity and what was
        recorded for the award. Paged (`limit`, `offset`)."""
        rows = talent_rows(current_user.school_id)
        page = rows[args["offset"]:args["offset"] + args["limit"]]
        return envelope(page, len(rows), args)


def _educator_credential(credential_id: str) -> LearnerCredential:
    row = db.session.get(LearnerCredential, credential_id) if len(credential_id) <= 36 \
        else None
    if row is None or row.school_id != current_user.school_id:
        raise AppError(gettext(NO_CREDENTIAL), status=404)
    topic = db.session.get(MeasurementTopic, row.topic_id)
    if topic is None or topic.content_area.audience != "educator":
        raise AppError(gettext(NO_CREDENTIAL), status=404)
    return row


@blp.route("/growth/awards/<credential_id>")
class GrowthAward(MethodView):
    @login_required("admin")
    @blp.arguments(AwardSchema)
    def put(self, body, credential_id):
        """Record the stipend paid and the recertification hours granted for an educator's
        microcredential (replaces what was recorded; audit-logged)."""
        row = _educator_credential(credential_id)
        award = db.session.get(MicrocredentialAward, row.id)
        if award is None:
            award = MicrocredentialAward(credential_id=row.id)
            db.session.add(award)
        award.stipend_cents, award.recert_hours = body["stipend_cents"], body["recert_hours"]
        award.note = body["note"].strip()
        award.recorded_by, award.recorded_at = current_user.id, utcnow()
        record_admin_write(current_user, "microcredential.award", ("credential", row.id),
                           {"educator_id": row.learner_id, "topic_id": row.topic_id,
                            "stipend_cents": award.stipend_cents,
                            "recert_hours": award.recert_hours})
        db.session.commit()
        return award_view(award) | {"credential_id": row.id}


def _catalog_item(topic: MeasurementTopic) -> dict:
    return {"topic_id": topic.id, "name": topic.name, "description": topic.description,
            "content_area_id": topic.content_area_id, **_terms(topic),
            "competencies": [{"id": t.id, "code": t.code, "title": t.title,
                              "rubric": [{"score": d.score, "text": d.text}
                                         for d in t.rubric]} for t in topic.targets]}


@blp.route("/microcredentials")
class Microcredentials(MethodView):
    @login_required("admin")
    def get(self):
        """The district's educator catalog with each microcredential's terms."""
        return {"items": [_catalog_item(t) for t in _catalog(current_user.school_id)]}


@blp.route("/microcredentials/<int:topic_id>")
class MicrocredentialTermsEdit(MethodView):
    @login_required("admin")
    @blp.arguments(TermsSchema)
    def put(self, body, topic_id):
        """Set what a microcredential requires and what earning it is worth (requirements,
        stipend in cents, recertification hours); fields left out keep their value."""
        topic = db.session.get(MeasurementTopic, topic_id)
        if (topic is None or topic.content_area.school_id != current_user.school_id
                or topic.content_area.audience != "educator"):
            raise AppError(gettext(NO_MICROCREDENTIAL), status=404)
        terms = db.session.get(MicrocredentialTerms, topic.id)
        if terms is None:
            terms = MicrocredentialTerms(topic_id=topic.id, requirements="")
            db.session.add(terms)
        for key, value in body.items():
            setattr(terms, key, value.strip() if isinstance(value, str) else value)
        # the topic row carries its terms to devices: move its version
        topic.updated_at = utcnow()
        record_admin_write(current_user, "microcredential.terms", topic, dict(body))
        db.session.commit()
        db.session.refresh(topic)
        return _catalog_item(topic)

