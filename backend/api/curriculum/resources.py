"""Curriculum read (everyone signed in) and administration (admins)."""

from datetime import UTC, datetime

from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from backend.api.curriculum.schemas import (
    CurriculumActivitySchema,
    CurriculumAreaSchema,
    CurriculumTargetSchema,
    CurriculumTopicSchema,
)
from backend.auth import login_required
from backend.errors import AppError
from backend.extensions import db
from backend.i18n import gettext
from backend.models import (
    Activity,
    ActivityTarget,
    AssessmentEvent,
    ContentArea,
    Evidence,
    LearningTarget,
    MeasurementTopic,
    RubricDescriptor,
)
from backend.services.access_log import record_admin_write

blp = Blueprint("curriculum", __name__, url_prefix="/api/curriculum",
                description="Content areas, measurement topics, learning targets, activities")


def _area(area_id: int) -> ContentArea:
    area = db.session.get(ContentArea, area_id)
    if area is None or area.school_id != current_user.school_id:
        raise AppError(gettext("That content area was not found."), status=404)
    return area


def _topic(topic_id: int) -> MeasurementTopic:
    topic = db.session.get(MeasurementTopic, topic_id)
    if topic is None or topic.content_area.school_id != current_user.school_id:
        raise AppError(gettext("That measurement topic was not found."), status=404)
    return topic


def _target(target_id: int) -> LearningTarget:
    target = db.session.get(LearningTarget, target_id)
    if (target is None or target.deleted_at is not None
            or target.topic.content_area.school_id != current_user.school_id):
        raise AppError(gettext("That learning target was not found."), status=404)
    return target


def _check_targets(ids: list[int]) -> None:
    for tid in ids:
        _target(tid)


@blp.route("/areas")
class ContentAreas(MethodView):
    @login_required()
    @blp.response(200, CurriculumAreaSchema(many=True))
    def get(self):
        """The school's curriculum tree: areas → topics → targets (with rubrics); staff also
        get the educator catalog (teacher microcredentials, `audience` "educator")."""
        query = select(ContentArea).where(ContentArea.school_id == current_user.school_id)
        if current_user.role not in ("teacher", "admin"):
            query = query.where(ContentArea.audience == "learner")
        return db.session.scalars(
            query.order_by(ContentArea.is_academic.desc(), ContentArea.position)).all()

    @login_required("admin")
    @blp.arguments(CurriculumAreaSchema)
    @blp.response(201, CurriculumAreaSchema)
    def post(self, body):
        """Add a content area."""
        area = ContentArea(school_id=current_user.school_id, **body)
        db.session.add(area)
        db.session.commit()
        record_admin_write(current_user, "curriculum.create", area, body, commit=True)
        return area


@blp.route("/areas/<int:area_id>")
class ContentAreasById(MethodView):
    @login_required("admin")
    @blp.arguments(CurriculumAreaSchema(partial=True))
    @blp.response(200, CurriculumAreaSchema)
    def patch(self, body, area_id):
        """Rename or reorder a content area."""
        area = _area(area_id)
        for key, value in body.items():
            setattr(area, key, value)
        record_admin_write(current_user, "curriculum.update", area, body)
        db.session.commit()
        return area

    @login_required("admin")
    @blp.response(204)
    def delete(self, area_id):
        """Delete an empty content area."""
        area = _area(area_id)
        if area.topics:
            raise AppError(gettext("Move or delete this area's measurement topics first."),
                           status=409)
        record_admin_write(current_user, "curriculum.delete", area, {"name": area.name})
        db.session.delete(area)
        db.session.commit()


@blp.route("/topics")
class Topics(MethodView):
    @login_required("admin")
    @blp.arguments(CurriculumTopicSchema)
    @blp.response(201, CurriculumTopicSchema)
    def post(self, body):
        """Add a measurement topic to a content area."""
        _area(body["content_area_id"])
        topic = MeasurementTopic(**body)
        db.session.add(topic)
        db.session.commit()
        record_admin_write(current_user, "curriculum.create", topic, body, commit=True)
        return topic


@blp.route("/topics/<int:topic_id>")
class TopicsById(MethodView):
    @login_required()
    @blp.response(200, CurriculumTopicSchema)
    def get(self, topic_id):
        """A measurement topic with its learning targets."""
        return _topic(topic_id)

    @login_required("admin")
    @blp.arguments(CurriculumTopicSchema(partial=True))
    @blp.response(200, CurriculumTopicSchema)
    def patch(self, body, topic_id):
        """Edit a measurement topic."""
        topic = _topic(topic_id)
        if "content_area_id" in body:
            _area(body["content_area_id"])
        for key, value in body.items():
            setattr(topic, key, value)
        record_admin_write(current_user, "curriculum.update", topic, body)
        db.session.commit()
        return topic

    @login_required("admin")
    @blp.response(204)
    def delete(self, topic_id):
        """Delete a measurement topic that has no learning targets."""
        topic = _topic(topic_id)
        if topic.targets:
            raise AppError(gettext("Delete or move this topic's learning targets first."),
                           status=409)
        # `topic.targets` hides archived targets, but they still point here (and learners'
        # events cite them): deleting the topic would break the foreign key on PostgreSQL
        archived = db.session.scalar(
            select(LearningTarget.id).where(LearningTarget.topic_id == topic.id).limit(1))
        if archived is not None:
            raise AppError(gettext("This topic has archived learning targets that learners' "
                                   "history cites, so it is kept."), status=409)
        record_admin_write(current_user, "curriculum.delete", topic, {"name": topic.name})
        db.session.delete(topic)
        db.session.commit()


@blp.route("/targets")
class Targets(MethodView):
    @login_required("admin")
    @blp.arguments(CurriculumTargetSchema)
    @blp.response(201, CurriculumTargetSchema)
    def post(self, body):
        """Add a learning target with its rubric descriptors."""
        _topic(body["topic_id"])
        rubric = body.pop("rubric")
        target = LearningTarget(**body)
        target.rubric = [RubricDescriptor(**d) for d in rubric]
        db.session.add(target)
        db.session.commit()
        record_admin_write(current_user, "curriculum.create", target, body, commit=True)
        return target


@blp.route("/targets/<int:target_id>")
class TargetsById(MethodView):
    @login_required()
    @blp.response(200, CurriculumTargetSchema)
    def get(self, target_id):
        """A learning target with its rubric."""
        return _target(target_id)

    @login_required("admin")
    @blp.arguments(CurriculumTargetSchema(partial=True))
    @blp.response(200, CurriculumTargetSchema)
    def patch(self, body, target_id):
        """Edit a learning target; a rubric sent replaces the old one."""
        target = _target(target_id)
        if "topic_id" in body:
            _topic(body["topic_id"])
        rubric = body.pop("rubric", None)
        for key, value in body.items():
            setattr(target, key, value)
        if rubric is not None:
            # delete the old descriptors first: (target_id, score) is unique and the unit of
            # work would otherwise insert the new ones before deleting the orphans
            target.rubric = []
            db.session.flush()
            target.rubric = [RubricDescriptor(**d) for d in rubric]
            target.updated_at = datetime.now(UTC)  # so devices pull the new rubric
        record_admin_write(current_user, "curriculum.update", target,
                           {**body, "rubric": "replaced"} if rubric is not None else body)
        db.session.commit()
        return target

    @login_required("admin")
    @blp.response(204)
    def delete(self, target_id):
        """Archive a learning target. Evidence and events that cite it are kept."""
        target = _target(target_id)
        # Never hard-delete: events are append-only history and evidence belongs to learners.
        target.deleted_at = datetime.now(UTC)
        record_admin_write(current_user, "curriculum.delete", target, {"code": target.code})
        db.session.commit()


@blp.route("/targets/<int:target_id>/usage")
class TargetUsage(MethodView):
    @login_required("admin")
    @blp.response(200)
    def get(self, target_id):
        """How much learner work cites this target (shown before archiving it)."""
        _target(target_id)
        events = db.session.query(AssessmentEvent).filter_by(target_id=target_id).count()
        evidence = sum(
            1 for ev in db.session.scalars(select(Evidence)) if target_id in ev.target_ids
        )
        return {"events": events, "evidence": evidence}


@blp.route("/activities")
class Activities(MethodView):
    @login_required()
    @blp.response(200, CurriculumActivitySchema(many=True))
    def get(self):
        """The school's activity library (staff also get the educator catalog's)."""
        query = select(Activity).where(Activity.school_id == current_user.school_id)
        if current_user.role not in ("teacher", "admin"):
            from backend.sync_server.visibility import educator_activities

            query = query.where(Activity.id.not_in(educator_activities()))
        rows = db.session.scalars(query.order_by(Activity.title)).all()
        for a in rows:
            a.target_ids = [t.target_id for t in a.targets]
        return rows

    @login_required("admin", "teacher")
    @blp.arguments(CurriculumActivitySchema)
    @blp.response(201, CurriculumActivitySchema)
    def post(self, body):
        """Add an activity aligned to learning targets."""
        target_ids = body.pop("target_ids")
        _check_targets(target_ids)
        activity = Activity(school_id=current_user.school_id, **body)
        activity.targets = [ActivityTarget(target_id=t) for t in target_ids]
        db.session.add(activity)
        db.session.commit()
        record_admin_write(current_user, "curriculum.create", activity,
                           {**body, "target_ids": target_ids}, commit=True)
        activity.target_ids = target_ids
        return activity
