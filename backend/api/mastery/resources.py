"""Mastery settings (admins write), a learner's graduation plan and recommendations (readers)."""

from datetime import date

from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint

from backend.api.mastery.schemas import (
    PaceQueryArgsSchema,
    PaceSchema,
    RecommendationsSchema,
    SchoolSettingsSchema,
    TopicSettingsSchema,
)
from backend.auth import login_required, require_learner
from backend.errors import AppError
from backend.extensions import db
from backend.i18n import N_, gettext
from backend.mastery import METHODS, MasteryError
from backend.models import MeasurementTopic
from backend.services.access_log import record_admin_write, record_read
from backend.services.levels import (
    METHOD_KEYS,
    effective_settings,
    school_settings,
    school_topics,
    validate_settings,
)
from backend.services.pace import load_pace
from backend.services.recommendations import load_recommendations

blp = Blueprint("mastery", __name__, url_prefix="/api",
                description="Calculation methods, credit rules, pace and recommendations")
PLAN_KEYS = ("graduation_topics", "graduation_target_on")


_CANNOT_USE = {  # whole sentences, for the catalog
    None: N_("These mastery settings cannot be used: {why}."),
    "override": N_("These mastery settings cannot be used with topic {topic}'s override: {why}."),
    "topic": N_("These mastery settings cannot be used for topic {topic}: {why}."),
}


def _invalid(err: MasteryError, topic: str | None = None, case: str | None = None) -> AppError:
    # Nothing is saved: the views raise before touching the row.
    return AppError(_CANNOT_USE[case], params={"why": str(err), "topic": repr(topic)},
                    status=422, errors={"settings": [str(err)]})


def _methods() -> list[dict]:
    return [
        {"name": name, "label": spec.label,
         "params": {p: default for p, (default, _check) in spec.params.items()}}
        for name, spec in METHODS.items()
    ]


def _topic(topic_id: int) -> MeasurementTopic:
    topic = db.session.get(MeasurementTopic, topic_id)
    if topic is None or topic.content_area.school_id != current_user.school_id:
        raise AppError(gettext("That measurement topic was not found."), status=404)
    return topic


def _school_view(school) -> dict:
    settings = school_settings(school)
    stored = school.settings or {}
    return {
        **settings,
        "graduation_topics": stored.get("graduation_topics"),
        "graduation_target_on": date.fromisoformat(stored["graduation_target_on"])
        if stored.get("graduation_target_on") else None,
        "method_label": METHODS[settings["calculation_method"]].label
        if settings["calculation_method"] in METHODS else None,
        "methods": _methods(),
    }


def _topic_view(topic, school) -> dict:
    effective = effective_settings(school_settings(school), topic)
    return {
        "topic_id": topic.id, "name": topic.name, "override": topic.settings,
        "effective": effective,
        "method_label": METHODS[effective["calculation_method"]].label
        if effective["calculation_method"] in METHODS else None,
    }


@blp.route("/mastery/settings")
class MasterySettings(MethodView):
    @login_required("admin", "teacher")
    @blp.response(200, SchoolSettingsSchema)
    def get(self):
        """The school's calculation method, parameters, counted sources, credit rule, plan."""
        return _school_view(current_user.school)

    @login_required("admin")
    @blp.arguments(SchoolSettingsSchema)
    @blp.response(200, SchoolSettingsSchema)
    def put(self, body):
        """Replace the school's mastery settings; levels are recomputed on the next read."""
        school = current_user.school
        new = {key: body[key] for key in METHOD_KEYS if body.get(key) is not None}
        try:
            checked = validate_settings(new)
        except MasteryError as err:
            raise _invalid(err) from err
        for topic in school_topics(school.id):  # an override must still work on top of it
            if topic.settings:
                try:
                    validate_settings({**checked, **topic.settings})
                except MasteryError as err:
                    raise _invalid(err, topic.name, "override") from err
        known = {t.id for t in school_topics(school.id)}
        plan_topics = body.get("graduation_topics")
        if plan_topics is not None and not set(plan_topics) <= known:
            raise AppError(gettext(
                "graduation_topics lists a topic this school does not have."),
                           status=422, errors={"graduation_topics": ["unknown topic"]})
        kept = {k: v for k, v in (school.settings or {}).items()
                if k not in METHOD_KEYS + PLAN_KEYS}
        plan = {"graduation_topics": plan_topics,
                "graduation_target_on": body["graduation_target_on"].isoformat()
                if isinstance(body.get("graduation_target_on"), date) else None}
        school.settings = kept | checked | {k: v for k, v in plan.items() if v is not None}
        record_admin_write(current_user, "settings.update", ("school", school.id), school.settings)
        db.session.commit()
        return _school_view(school)


@blp.route("/mastery/topics/<int:topic_id>/settings")
class TopicMasterySettings(MethodView):
    @login_required("admin", "teacher")
    @blp.response(200, TopicSettingsSchema)
    def get(self, topic_id):
        """A topic's override of the school's settings and the settings in effect."""
        return _topic_view(_topic(topic_id), current_user.school)

    @login_required("admin")
    @blp.arguments(TopicSettingsSchema)
    @blp.response(200, TopicSettingsSchema)
    def put(self, body, topic_id):
        """Set a topic's override (key by key over the school's); null clears it."""
        topic = _topic(topic_id)
        override = body["override"] or None
        if override:
            try:
                validate_settings(effective_settings(school_settings(current_user.school), None)
                                  | override)
            except MasteryError as err:
                raise _invalid(err, topic.name, "topic") from err
        topic.settings = override
        record_admin_write(current_user, "settings.update", topic, {"override": override})
        db.session.commit()
        return _topic_view(topic, current_user.school)


@blp.route("/learners/<int:student_id>/pace")
class LearnerPace(MethodView):
    @login_required()
    @blp.arguments(PaceQueryArgsSchema, location="query")
    @blp.response(200, PaceSchema)
    def get(self, args, student_id):
        """A learner's graduation plan: progress, pace and projected completion per topic."""
        learner = require_learner(current_user, student_id)
        record_read(current_user, [learner.id], "plan")
        return load_pace(learner, today=args["today"])


@blp.route("/learners/<int:student_id>/recommendations")
class LearnerRecommendations(MethodView):
    @login_required()
    @blp.response(200, RecommendationsSchema)
    def get(self, student_id):
        """The next learning target per topic and activities for it, each with a why."""
        learner = require_learner(current_user, student_id)
        record_read(current_user, [learner.id], "plan")
        return load_recommendations(learner)
