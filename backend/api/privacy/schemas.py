"""Bodies and answers of the privacy duties' routes."""

from marshmallow import Schema, fields, validate


class ExportSchema(Schema):
    id = fields.String()
    learner_id = fields.Integer()
    learner_name = fields.String()
    status = fields.String()  # queued, running, done, failed, expired
    percent = fields.Integer()
    stage = fields.String()
    message = fields.String()
    size = fields.Integer(allow_none=True)
    created_at = fields.String()
    expires_at = fields.String(allow_none=True)
    download_url = fields.String(allow_none=True)


class ExportableSchema(Schema):
    id = fields.Integer()
    display_name = fields.String()


class ExportListSchema(Schema):
    can_export = fields.List(fields.Nested(ExportableSchema))
    exports = fields.List(fields.Nested(ExportSchema))


class PrivacyLearnerSchema(Schema):
    id = fields.Integer()
    display_name = fields.String()
    username = fields.String()
    is_active = fields.Boolean()
    withdrawn_at = fields.DateTime(allow_none=True)
    is_13_or_older = fields.Boolean()


class LearnerQuerySchema(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=80))
    limit = fields.Integer(load_default=200, validate=validate.Range(1, 1000))


class LearnerChangeSchema(Schema):
    is_withdrawn = fields.Boolean()
    is_13_or_older = fields.Boolean()


class DeleteLearnerSchema(Schema):
    confirm = fields.String(required=True, validate=validate.Length(max=80))


class ReceiptSchema(Schema):
    id = fields.String()
    learner_ref = fields.Integer()
    initials = fields.String()
    scope = fields.String()
    reason = fields.String()
    deleted_by = fields.String()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    blob_count = fields.Integer()
    files_pending = fields.Integer()
    created_at = fields.String()


class RetentionSchema(Schema):
    photo_years = fields.Integer(allow_none=True, strict=True, load_default=None)
    record_years = fields.Integer(allow_none=True, strict=True, load_default=None)


class PurgeCheckSchema(Schema):
    purged_learners = fields.List(fields.Integer())
