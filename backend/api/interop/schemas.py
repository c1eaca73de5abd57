"""Query strings and bodies of the interop area."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.i18n import LOCALES, N_

REPORT_KINDS = ("progress", "transcript", "conference")
RECORDS_ONLY_TRANSCRIPTS = N_("Learner records (CLR) come with transcripts only.")


class ImportArgsSchema(Schema):
    dry_run = fields.Boolean(load_default=False)
    wait = fields.Boolean(load_default=False)  # answer with the finished report
    org = fields.String(validate=validate.Length(min=1, max=255))  # which school is yours


class CaseArgsSchema(Schema):
    dry_run = fields.Boolean(load_default=False)
    wait = fields.Boolean(load_default=False)
    # "educator": import into the district's catalog of teacher microcredentials
    audience = fields.String(load_default="learner",
                             validate=validate.OneOf(("learner", "educator")))


class ExportArgsSchema(Schema):
    class_id = fields.Integer()
    student_id = fields.Integer()


class ReportArgsSchema(Schema):
    format = fields.String(load_default="pdf", validate=validate.OneOf(("pdf", "html")))
    evidence = fields.List(fields.String(validate=validate.Length(max=80)),
                           load_default=list)  # the conference pack: evidence to show
    # the report's language (a teacher's pick); by default the guardian's
    locale = fields.String(load_default=None, validate=validate.OneOf(LOCALES))


class BatchSchema(Schema):
    class_id = fields.Integer(required=True)
    kind = fields.String(load_default="progress", validate=validate.OneOf(REPORT_KINDS))
    wait = fields.Boolean(load_default=False)
    # every report in this language (a teacher's pick); by default each guardian's
    locale = fields.String(load_default=None, validate=validate.OneOf(LOCALES))
    # transcripts only: a zip of the PDF and each learner's signed CLR 2.0 record
    with_records = fields.Boolean(load_default=False)

    @validates_schema
    def _records_with_transcripts(self, data, **_):
        if data.get("with_records") and data.get("kind") != "transcript":
            raise ValidationError(RECORDS_ONLY_TRANSCRIPTS, "with_records")


class JobSchema(Schema):
    id = fields.String()
    kind = fields.String()
    status = fields.String()
    dry_run = fields.Boolean()
    filename = fields.String()
    progress = fields.Dict()
    report = fields.Dict(allow_none=True)
    has_result = fields.Boolean()
    failures = fields.List(fields.Dict())  # learners left out of a batch, with the reason
    can_rerun = fields.Boolean()
    created_at = fields.String()
    finished_at = fields.String(allow_none=True)
