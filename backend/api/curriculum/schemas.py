"""Curriculum bodies: content areas, topics, learning targets with rubrics, activities."""

from marshmallow import Schema, ValidationError, fields, validate, validates

from backend.i18n import N_
from backend.models.curriculum import ACTIVITY_KINDS, AUDIENCES, MODALITIES

_name = validate.Length(min=1, max=160)


class RubricDescriptorSchema(Schema):
    score = fields.Integer(required=True, validate=validate.Range(0, 4))
    text = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class CurriculumTargetSchema(Schema):
    id = fields.Integer(dump_only=True)
    topic_id = fields.Integer(required=True)
    code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    scale_level = fields.Float(required=True, validate=validate.OneOf([2.0, 3.0, 4.0]))
    position = fields.Integer(load_default=0)
    rubric = fields.List(fields.Nested(RubricDescriptorSchema), load_default=list)

    @validates("rubric")
    def _unique_scores(self, value, **_):
        # descriptors that failed their own validation arrive without a score
        scores = [d["score"] for d in value if "score" in d]
        if len(scores) != len(set(scores)):
            raise ValidationError(N_("Each rubric score (0–4) may appear once."))


class CurriculumTopicSchema(Schema):
    id = fields.Integer(dump_only=True)
    content_area_id = fields.Integer(required=True)
    name = fields.String(required=True, validate=_name)
    description = fields.String(load_default="", validate=validate.Length(max=4000))
    level = fields.Integer(load_default=1, validate=validate.Range(1, 20))
    position = fields.Integer(load_default=0)
    targets = fields.List(fields.Nested(CurriculumTargetSchema), dump_only=True)


class CurriculumAreaSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=_name)
    is_academic = fields.Boolean(load_default=True)
    position = fields.Integer(load_default=0)
    # "educator": the district's catalog of teacher microcredentials (set when created)
    audience = fields.String(load_default="learner", validate=validate.OneOf(AUDIENCES))
    topics = fields.List(fields.Nested(CurriculumTopicSchema), dump_only=True)


class CurriculumActivitySchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(ACTIVITY_KINDS))
    modality = fields.String(load_default="independent", validate=validate.OneOf(MODALITIES))
    minutes = fields.Integer(load_default=20, validate=validate.Range(1, 600))
    description = fields.String(load_default="", validate=validate.Length(max=4000))
    url = fields.Url(load_default=None, allow_none=True, schemes={"http", "https"})
    target_ids = fields.List(fields.Integer(), load_default=list)
