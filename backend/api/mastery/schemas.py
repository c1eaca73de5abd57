"""Shapes of the mastery settings, the graduation plan and recommendations."""

from marshmallow import Schema, fields, validate

SOURCES = ("teacher", "self", "peer")


class MethodSchema(Schema):
    name = fields.String()
    label = fields.String()
    params = fields.Dict()  # parameter name -> default


class SchoolSettingsSchema(Schema):
    """The school's calculation method, its parameters, what counts, the credit rule, the plan."""

    calculation_method = fields.String(required=True)
    method_params = fields.Dict(load_default=dict)
    count_sources = fields.List(
        fields.String(validate=validate.OneOf(SOURCES)), load_default=lambda: ["teacher"]
    )
    credit_rule = fields.Dict(load_default=None, allow_none=True)
    graduation_topics = fields.List(fields.Integer(), load_default=None, allow_none=True)
    graduation_target_on = fields.Date(load_default=None, allow_none=True)
    method_label = fields.String(dump_only=True)
    methods = fields.List(fields.Nested(MethodSchema), dump_only=True)


class TopicOverrideSchema(Schema):
    """Keys a topic may set to override the school, key by key."""

    calculation_method = fields.String()
    method_params = fields.Dict()
    count_sources = fields.List(fields.String(validate=validate.OneOf(SOURCES)))
    credit_rule = fields.Dict()


class TopicSettingsSchema(Schema):
    """PUT {"override": {...}} sets the topic's override; {"override": null} clears it."""

    topic_id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    override = fields.Nested(TopicOverrideSchema, required=True, allow_none=True)
    effective = fields.Dict(dump_only=True)
    method_label = fields.String(dump_only=True)


class PaceTopicSchema(Schema):
    topic_id = fields.Integer()
    name = fields.String()
    status = fields.String()  # complete | on_track | behind | no_pace_yet
    is_complete = fields.Boolean()
    is_behind = fields.Boolean()
    proficient_count = fields.Integer()
    proficient_needed = fields.Integer()
    target_count = fields.Integer()
    remaining = fields.Integer()
    started_on = fields.Date(allow_none=True)
    reached = fields.List(fields.Dict())
    pace_per_week = fields.Float()
    projected_on = fields.Date(allow_none=True)
    summary = fields.String()


class PaceSchema(Schema):
    learner = fields.Dict()
    today = fields.Date()
    goal_on = fields.Date(allow_none=True)
    pace_per_week = fields.Float()
    projected_on = fields.Date(allow_none=True)
    is_behind = fields.Boolean()
    summary = fields.String()
    topics = fields.List(fields.Nested(PaceTopicSchema))


class PaceQueryArgsSchema(Schema):
    today = fields.Date(load_default=None, metadata={"description": "project as of this day"})


class RecommendedActivitySchema(Schema):
    id = fields.Integer()
    title = fields.String()
    kind = fields.String()
    modality = fields.String()
    minutes = fields.Integer()
    url = fields.String(allow_none=True)
    playlist_id = fields.Integer(allow_none=True)
    position = fields.Integer(allow_none=True)
    score = fields.Float()
    gains = fields.Integer()
    tries = fields.Integer()
    why = fields.String()


class RecommendedTopicSchema(Schema):
    topic_id = fields.Integer()
    name = fields.String()
    next_target = fields.Dict(allow_none=True)
    activities = fields.List(fields.Nested(RecommendedActivitySchema))
    summary = fields.String()


class RecommendationsSchema(Schema):
    learner = fields.Dict()
    basis = fields.String()  # history | playlist (a learner with no history yet)
    gain_days = fields.Integer()
    topics = fields.List(fields.Nested(RecommendedTopicSchema))
