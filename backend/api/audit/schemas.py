"""Query strings of the access and audit log reads (the logs have no write route at all)."""

from datetime import date

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.api.paging import PageArgsSchema, PageSchema
from backend.i18n import N_
from backend.services.access_log import KINDS

_ID = validate.Range(1, 2**31 - 1, error=N_("Use an id the school gave you."))
# dates a log can hold; beyond them "the day after until" would not exist (9999-12-31)
_DAY = validate.Range(date(2000, 1, 1), date(2100, 12, 31),
                      error=N_("Use a date between 2000-01-01 and 2100-12-31."))

# a person filter typed as part of a name or username (a search, not a list of everyone)
_SEARCH = validate.Length(max=80, error=N_("Type at most 80 letters of a name or username."))


class _DatesSchema(Schema):
    """`since` and `until` as dates (both included), in UTC."""

    since = fields.Date(load_default=None, validate=_DAY)
    until = fields.Date(load_default=None, validate=_DAY)

    @validates_schema
    def _in_order(self, data, **_kw):
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise ValidationError(N_("The first date must not be after the last date."), "until")


class AccessLogArgsSchema(PageArgsSchema, _DatesSchema):
    """Filters of the admin's access log: learner, reader, kind of read, dates."""

    learner_id = fields.Integer(load_default=None, validate=_ID)
    reader_id = fields.Integer(load_default=None, validate=_ID)
    reader = fields.String(load_default=None, validate=_SEARCH)
    kind = fields.String(load_default=None, validate=validate.OneOf(
        KINDS, error="Choose one of: " + ", ".join(KINDS) + "."))


class AuditLogArgsSchema(PageArgsSchema, _DatesSchema):
    """Filters of the admin's audit log: who, which action, what target, dates."""

    actor_id = fields.Integer(load_default=None, validate=_ID)
    actor = fields.String(load_default=None, validate=_SEARCH)
    action = fields.String(load_default=None, validate=validate.Length(max=40))
    target_type = fields.String(load_default=None, validate=validate.Length(max=24))
    target_id = fields.String(load_default=None, validate=validate.Length(max=64))


class FamilyLogArgsSchema(PageArgsSchema):
    """One page of a child's access log, newest first."""


class FamilyLogSchema(PageSchema):
    """A page of one learner's access log, with whose log it is."""

    learner = fields.Dict()
