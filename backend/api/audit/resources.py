"""Read the access log (admins: the school's; families: their own child's) and the audit
log (admins). Both logs are append-only: these routes are GET only, and nothing in the API
writes them except backend/services/access_log.py."""

from datetime import UTC, datetime, time, timedelta

from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from backend.api.audit.schemas import (
    AccessLogArgsSchema,
    AuditLogArgsSchema,
    FamilyLogArgsSchema,
    FamilyLogSchema,
)
from backend.api.paging import PageSchema, envelope, page_of
from backend.auth import login_required, require_learner
from backend.extensions import db
from backend.i18n import gettext
from backend.models import AccessEntry, AuditEntry, SchoolClass, User
from backend.services.access_log import (
    ACTION_WORDS,
    FORMER_ACCOUNT,
    KIND_WORDS,
    RELATION_WORDS,
    TEACHER_OF,
)
from backend.services.audit_words import change_words, ids_to_name, target_words

blp = Blueprint("audit", __name__, url_prefix="/api",
                description="Who read a learner's record, and who changed what (read only)")


def _iso(moment: datetime) -> str:
    """ISO 8601 in UTC (SQLite hands back naive datetimes; they were written in UTC)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _start(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _names(ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def _people_named(text: str):
    """Ids of this school's accounts whose name or username holds `text` (a subquery), so
    the person filter is a search box, not a list of every account in the school."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return (select(User.id).where(User.school_id == current_user.school_id)
            .where(User.display_name.ilike(pattern, escape="\\")
                   | User.username.ilike(pattern, escape="\\")))


def _audit_names(rows: list[AuditEntry]) -> dict:
    """{("user", id): name, ("class", id): name} for the people and classes a page names."""
    user_ids, class_ids = ids_to_name(rows)
    names = {("user", u.id): u.display_name for u in _names(user_ids).values()}
    if class_ids:
        names.update({("class", c.id): c.name for c in db.session.scalars(
            select(SchoolClass).where(SchoolClass.id.in_(class_ids),
                                      SchoolClass.school_id == current_user.school_id))})
    return names


def _relation_words(entry: AccessEntry) -> str:
    if entry.relation == "teacher" and entry.detail:
        return gettext(TEACHER_OF, classes=entry.detail)
    return gettext(RELATION_WORDS.get(entry.relation, RELATION_WORDS["other"]))


def _access_views(entries: list[AccessEntry]) -> list[dict]:
    people = _names({e.reader_id for e in entries} | {e.learner_id for e in entries})

    def name(user_id: int) -> str:
        user = people.get(user_id)
        return user.display_name if user else gettext(FORMER_ACCOUNT)

    return [{
        "id": e.id,
        "reader": {"id": e.reader_id, "display_name": name(e.reader_id),
                   "role": people[e.reader_id].role if e.reader_id in people else ""},
        "learner": {"id": e.learner_id, "display_name": name(e.learner_id)},
        "kind": e.kind, "what": gettext(KIND_WORDS.get(e.kind, e.kind)),
        "relation": e.relation, "detail": e.detail, "why": _relation_words(e),
        "first_at": _iso(e.first_at), "last_at": _iso(e.last_at),
        "times": e.times,
    } for e in entries]


def _dated(query, column, args):
    if args.get("since"):
        query = query.where(column >= _start(args["since"]))
    if args.get("until"):
        query = query.where(column < _start(args["until"] + timedelta(days=1)))
    return query


@blp.route("/access-log")
class AccessLog(MethodView):
    @login_required("admin")
    @blp.arguments(AccessLogArgsSchema, location="query")
    @blp.response(200, PageSchema)
    def get(self, args):
        """Reads of learners' records in your school, newest first, filtered and paged."""
        query = select(AccessEntry).where(AccessEntry.school_id == current_user.school_id)
        for key, column in (("learner_id", AccessEntry.learner_id),
                            ("reader_id", AccessEntry.reader_id), ("kind", AccessEntry.kind)):
            if args.get(key) is not None:
                query = query.where(column == args[key])
        if (reader := (args.get("reader") or "").strip()):
            query = query.where(AccessEntry.reader_id.in_(_people_named(reader)))
        query = _dated(query, AccessEntry.period, args)
        rows, total = page_of(query.order_by(AccessEntry.last_at.desc(), AccessEntry.id.desc()),
                              args["limit"], args["offset"])
        return envelope(_access_views(rows), total, args)


@blp.route("/learners/<int:student_id>/access-log")
class LearnerAccessLog(MethodView):
    @login_required("guardian", "student", "admin")
    @blp.arguments(FamilyLogArgsSchema, location="query")
    @blp.response(200, FamilyLogSchema)
    def get(self, args, student_id):
        """Who has looked at this learner's record, newest first (your own visits left out)."""
        learner = require_learner(current_user, student_id)
        query = (select(AccessEntry)
                 .where(AccessEntry.learner_id == learner.id,
                        AccessEntry.reader_id != current_user.id)
                 .order_by(AccessEntry.last_at.desc(), AccessEntry.id.desc()))
        rows, total = page_of(query, args["limit"], args["offset"])
        return envelope(_access_views(rows), total, args,
                        learner={"id": learner.id, "display_name": learner.display_name})


@blp.route("/audit-log")
class AuditLog(MethodView):
    @login_required("admin")
    @blp.arguments(AuditLogArgsSchema, location="query")
    @blp.response(200, PageSchema)
    def get(self, args):
        """Writes by admins in your school (accounts, settings, imports…), newest first."""
        query = select(AuditEntry).where(AuditEntry.school_id == current_user.school_id)
        for key, column in (("actor_id", AuditEntry.actor_id), ("action", AuditEntry.action),
                            ("target_type", AuditEntry.target_type),
                            ("target_id", AuditEntry.target_id)):
            if args.get(key) is not None:
                query = query.where(column == args[key])
        if (actor := (args.get("actor") or "").strip()):
            query = query.where(AuditEntry.actor_id.in_(_people_named(actor)))
        query = _dated(query, AuditEntry.at, args)
        rows, total = page_of(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()),
                              args["limit"], args["offset"])
        people = _names({e.actor_id for e in rows})
        names = _audit_names(rows)
        return envelope([{
            "id": e.id, "at": _iso(e.at),
            "actor": {"id": e.actor_id, "display_name": people[e.actor_id].display_name
                      if e.actor_id in people else gettext(FORMER_ACCOUNT)},
            "action": e.action, "what": gettext(ACTION_WORDS.get(e.action, e.action)),
            "target_type": e.target_type, "target_id": e.target_id, "change": e.change,
            "target_words": target_words(e.target_type, e.target_id, names, e.change),
            "change_words": change_words(e.action, e.target_type, e.target_id, e.change,
                                         names),
        } for e in rows], total, args)


@blp.route("/privacy-notice")
class PrivacyNotice(MethodView):
    @blp.response(200)
    def get(self):
        """How long records are kept, for the public privacy page (no sign-in needed).

        With one school on this server, its own retention setting; with several, none (the
        page then says each school sets its own)."""
        from backend.models import School
        from backend.services.retention import retention_view

        schools = db.session.scalars(select(School.id).limit(2)).all()
        if len(schools) != 1:
            return {"photo_years": None, "record_years": None, "is_one_school": False}
        return {**retention_view(schools[0]), "is_one_school": True}
