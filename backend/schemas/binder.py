"""Shapes of the binder, goals, evidence and playlists: what the online screens read
(backend/api/binder/) and what a learner's record export holds (services/record_zip.py), so
both serialise the same way. Domain code imports them from here, never from backend.api."""

from marshmallow import Schema, fields


class LearnerSchema(Schema):
    id = fields.Integer()
    display_name = fields.String()
    username = fields.String()
    classes = fields.List(fields.String())


class RubricSchema(Schema):
    score = fields.Integer()
    text = fields.String()


class BinderTargetSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    title = fields.String()
    scale_level = fields.Float()
    rubric = fields.List(fields.Nested(RubricSchema))


class EventSchema(Schema):
    id = fields.String()
    target_id = fields.Integer()
    score = fields.Float(allow_none=True)
    assessed_on = fields.Date()
    source = fields.String()
    evidence_id = fields.String(allow_none=True)
    author_id = fields.Integer(allow_none=True)
    note = fields.String()


class BinderEvidenceSchema(Schema):
    id = fields.String()
    student_id = fields.Integer()
    kind = fields.String()
    caption = fields.String()
    target_ids = fields.List(fields.Raw())
    blob_sha256 = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    text = fields.String(allow_none=True)
    review_status = fields.String()
    is_edited_after_review = fields.Boolean()
    created_at = fields.DateTime()


class BinderSchema(Schema):
    learner = fields.Dict()
    content_areas = fields.List(fields.Dict())


class ExplainedEventSchema(Schema):
    id = fields.Raw(allow_none=True)
    score = fields.Float(allow_none=True)
    assessed_on = fields.String()
    entered_at = fields.String(allow_none=True)
    source = fields.String()
    position = fields.Integer()
    weight = fields.Float(allow_none=True)  # share of the level; None for curve methods
    reason = fields.String()  # skipped events only: why it does not count


class ExplanationSchema(Schema):
    """How a level was worked out, in words a family understands."""

    method = fields.String()
    method_label = fields.String()
    params = fields.Dict()
    steps = fields.List(fields.String())  # in English (exports, older screens)
    step_data = fields.List(fields.Dict())  # the same steps as {msgid, plural?, n?, params}
    sentence = fields.Dict()  # the plain sentence first: {msgid, plural?, n?, params}
    counted = fields.List(fields.Nested(ExplainedEventSchema))
    skipped = fields.List(fields.Nested(ExplainedEventSchema))


class TargetDetailSchema(Schema):
    target = fields.Nested(BinderTargetSchema)
    topic = fields.Dict()
    level = fields.Float(allow_none=True)
    level_words = fields.String()
    method_label = fields.String()
    calculation_method = fields.String()
    has_open_conflict = fields.Boolean()
    explanation = fields.Nested(ExplanationSchema)
    events = fields.List(fields.Nested(EventSchema))
    evidence = fields.List(fields.Nested(BinderEvidenceSchema))


class GoalSchema(Schema):
    id = fields.String()
    student_id = fields.Integer()
    title = fields.String()
    target_ids = fields.List(fields.Raw())
    due_on = fields.Date(allow_none=True)
    status = fields.String()
    reflection = fields.String()
    updated_at = fields.DateTime()


class PlaylistActivitySchema(Schema):
    id = fields.Integer()
    title = fields.String()
    kind = fields.String()
    modality = fields.String()
    minutes = fields.Integer()
    description = fields.String()
    url = fields.String(allow_none=True)
    target_ids = fields.Function(lambda a: [t.target_id for t in a.targets])


class PlaylistItemSchema(Schema):
    position = fields.Integer()
    activity = fields.Nested(PlaylistActivitySchema)


class PlaylistSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    topic_id = fields.Integer(allow_none=True)
    target_id = fields.Integer(allow_none=True)
    assigned_to = fields.Function(
        lambda p: "class" if p.class_id else "group" if p.group_id else "learner"
    )
    items = fields.List(fields.Nested(PlaylistItemSchema))
