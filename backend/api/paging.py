"""Pages of a list read by a screen: `?limit=&offset=`, with the true total beside the items.

Every list a screen reads (goals, evidence, the review queue, conflicts, a class grid's
learners) is answered one page at a time, so a learner with 5,000 goals costs a screen the
same as one with five. `page_of` runs the count and the page as two bounded queries.
"""

from marshmallow import Schema, fields, validate
from sqlalchemy import func, select
from sqlalchemy.sql import Select

from backend.extensions import db

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class PageArgsSchema(Schema):
    """`limit` (1–100, default 20) and `offset` (0 or more) of a list."""

    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(
        1, MAX_LIMIT, error=f"limit must be between 1 and {MAX_LIMIT}."))
    offset = fields.Integer(load_default=0, validate=validate.Range(
        0, error="offset must be 0 or more."))


class PageSchema(Schema):
    """The envelope of one page: its items, how many there are in all, where it starts."""

    items = fields.List(fields.Dict())
    total = fields.Integer()
    limit = fields.Integer()
    offset = fields.Integer()


def count_of(query: Select) -> int:
    """How many rows `query` selects (its ORDER BY dropped: counting needs no order)."""
    return db.session.scalar(
        select(func.count()).select_from(query.order_by(None).subquery())) or 0


def page_of(query: Select, limit: int, offset: int) -> tuple[list, int]:
    """(the rows of one page of `query`, the total it would select): two bounded queries."""
    rows = db.session.scalars(query.limit(limit).offset(offset)).all()
    if offset == 0 and len(rows) < limit:
        return rows, len(rows)  # the whole list fits in this page: no second query needed
    return rows, count_of(query)


def envelope(items: list, total: int, args: dict, **extra) -> dict:
    """The page as the API answers it."""
    return {"items": items, "total": total, "limit": args["limit"], "offset": args["offset"],
            **extra}
