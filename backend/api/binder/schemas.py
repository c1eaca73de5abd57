"""The binder API's own argument and page shapes; the binder's shapes themselves are
backend/schemas/binder.py (shared with the record export)."""

from marshmallow import Schema, fields, validate

from backend.api.paging import PageArgsSchema
from backend.schemas.binder import GoalSchema
from sync.protocol import GOAL_STATUSES


class GoalArgsSchema(PageArgsSchema):
    """Which goals: one status, or "all" (current ones first, done ones last)."""

    status = fields.String(load_default="all", validate=validate.OneOf(
        ["all", *GOAL_STATUSES],
        error="status must be one of: all, " + ", ".join(GOAL_STATUSES) + "."))


class GoalPageSchema(Schema):
    """One page of goals, the total of the chosen status, and how many goals of each status."""

    items = fields.List(fields.Nested(GoalSchema))
    total = fields.Integer()
    limit = fields.Integer()
    offset = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
