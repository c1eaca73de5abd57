"""Read a learner's binder, target detail, goals and playlists (writes go through sync)."""

from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint
from sqlalchemy import case, func, or_, select

from backend.api.binder.schemas import GoalArgsSchema, GoalPageSchema
from backend.api.paging import envelope, page_of
from backend.auth import learner_ids_for, login_required, require_learner
from backend.errors import AppError
from backend.extensions import db
from backend.i18n import gettext
from backend.models import (
    Enrollment,
    Goal,
    LearnerGroupMember,
    LearningTarget,
    Playlist,
    SchoolClass,
    User,
)
from backend.schemas.binder import BinderSchema, LearnerSchema, PlaylistSchema, TargetDetailSchema
from backend.services.access_log import record_read
from backend.services.binder import load_binder, load_target_detail

blp = Blueprint("binder", __name__, url_prefix="/api/learners", description="Learners' binders")


def _classes_of(student_ids: set[int]) -> dict[int, list[str]]:
    rows = db.session.execute(
        select(Enrollment.student_id, SchoolClass.name)
        .join(SchoolClass, SchoolClass.id == Enrollment.class_id)
        .where(Enrollment.student_id.in_(student_ids))
        .order_by(SchoolClass.name)
    )
    out: dict[int, list[str]] = {}
    for sid, name in rows:
        out.setdefault(sid, []).append(name)
    return out


@blp.route("")
class Learners(MethodView):
    @login_required()
    @blp.response(200, LearnerSchema(many=True))
    def get(self):
        """The learners whose binders the caller may read."""
        ids = learner_ids_for(current_user)
        learners = db.session.scalars(
            select(User).where(User.id.in_(ids)).order_by(User.display_name)
        ).all()
        classes = _classes_of(ids)
        return [
            {"id": u.id, "display_name": u.display_name, "username": u.username,
             "classes": classes.get(u.id, [])}
            for u in learners
        ]


@blp.route("/<int:student_id>/binder")
class Binder(MethodView):
    @login_required()
    @blp.response(200, BinderSchema)
    def get(self, student_id):
        """A learner's binder by content area and measurement topic."""
        learner = require_learner(current_user, student_id)
        record_read(current_user, [learner.id], "binder")
        return load_binder(learner)


@blp.route("/<int:student_id>/targets/<int:target_id>")
class BinderTarget(MethodView):
    @login_required()
    @blp.response(200, TargetDetailSchema)
    def get(self, student_id, target_id):
        """One learning target in a learner's binder: rubric, events, evidence."""
        learner = require_learner(current_user, student_id)
        target = db.session.get(LearningTarget, target_id)
        if target is None or target.topic.content_area.school_id != learner.school_id:
            raise AppError(gettext("That learning target was not found."), status=404)
        record_read(current_user, [learner.id], "target")
        return load_target_detail(learner, target)


@blp.route("/<int:student_id>/goals")
class LearnerGoals(MethodView):
    @login_required()
    @blp.arguments(GoalArgsSchema, location="query")
    @blp.response(200, GoalPageSchema)
    def get(self, args, student_id):
        """A page of a learner's goals (their Individual Learning Plan), current ones first."""
        require_learner(current_user, student_id)
        record_read(current_user, [student_id], "goals")
        live = (Goal.student_id == student_id, Goal.is_deleted.is_(False))
        query = select(Goal).where(*live)
        if args["status"] != "all":
            query = query.where(Goal.status == args["status"])
        # current goals first, then set aside, then done; newest change first within each
        rank = case((Goal.status == "active", 0), (Goal.status == "dropped", 1), else_=2)
        query = query.order_by(rank, Goal.updated_at.desc(), Goal.id)
        goals, total = page_of(query, args["limit"], args["offset"])
        counts = dict(db.session.execute(
            select(Goal.status, func.count()).where(*live).group_by(Goal.status)).all())
        return envelope(goals, total, args, counts={
            status: counts.get(status, 0) for status in ("active", "done", "dropped")})


@blp.route("/<int:student_id>/playlists")
class LearnerPlaylists(MethodView):
    @login_required()
    @blp.response(200, PlaylistSchema(many=True))
    def get(self, student_id):
        """Playlists assigned to the learner, their groups or their classes."""
        require_learner(current_user, student_id)
        record_read(current_user, [student_id], "playlists")
        class_ids = select(Enrollment.class_id).where(Enrollment.student_id == student_id)
        group_ids = select(LearnerGroupMember.group_id).where(
            LearnerGroupMember.student_id == student_id
        )
        return db.session.scalars(
            select(Playlist)
            .where(
                or_(
                    Playlist.student_id == student_id,
                    Playlist.class_id.in_(class_ids),
                    Playlist.group_id.in_(group_ids),
                )
            )
            .order_by(Playlist.id)
        ).all()


@blp.route("/<int:student_id>/profile")
class Profile(MethodView):
    @login_required()
    def get(self, student_id):
        """A learner's Personal Learner Profile (issue 18), read-only: sections in the
        learner's words with any texts still to choose between, every text each section has
        had, and the teachers' observations with the learner's answers: the newest 50 of the
        history and of the observations, with their totals (the record export has them all).
        Written only through sync (profile.* mutations)."""
        from backend.services.profile import SHOWN, profile_record

        learner = require_learner(current_user, student_id)
        record_read(current_user, [learner.id], "binder")
        return profile_record(learner.id, newest=SHOWN)
