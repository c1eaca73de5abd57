"""Limits on what a request may carry, enforced once for every route (issue 13, finding 8).

A number no column can hold, or JSON nested deeper than Python's parser recurses, used to
reach the database or the decoder and come back as a 500. Rather than a check per route:

- `IdConverter` replaces Flask's `int` URL converter: a path id beyond `MAX_INT` matches
  no route, so it is a 404 like any id that does not exist;
- `BoundedArgumentsParser` is the parser of every flask-smorest blueprint: after a schema
  has loaded a body or a query, any integer in it outside the database's INTEGER range is
  refused with 422, naming the field;
- `refuse_deep_json` (called by the JSON size guard in `backend/__init__.py`) refuses a
  JSON body nested deeper than `MAX_JSON_DEPTH` with 400, before anything parses it.
"""

import re
from itertools import accumulate

import marshmallow as ma
from flask import Flask, request
from flask_smorest import Api
from webargs.flaskparser import FlaskParser
from werkzeug.routing import IntegerConverter

from backend.errors import AppError
from backend.i18n import N_, gettext

# Every id and number column the API writes is an SQL INTEGER (32-bit on PostgreSQL, the
# scale profile); nothing larger can name a row or be stored, on SQLite either.
MAX_INT = 2**31 - 1
MIN_INT = -(2**31)
# The deepest body the API reads is a sync push (about 5 levels); 64 leaves room and is
# far below the ~1,000 levels where Python's JSON decoder gives up.
MAX_JSON_DEPTH = 64

# words a person reads (kept here, in one place, for the translation catalogs)
TOO_LARGE = N_("{value} is not a number Waypoint can use here (it must be between {low} and "
               "{high}).")
TOO_DEEP = N_("The body is nested more than {depth} levels deep; Waypoint reads at most "
              "{depth}. Send the data flatter.")


def is_storable_int(value: object) -> bool:
    """True for an int (not a bool) that fits the database's INTEGER columns."""
    return isinstance(value, int) and not isinstance(value, bool) and (
        MIN_INT <= value <= MAX_INT)


class IdConverter(IntegerConverter):
    """Flask's `<int:…>` with an upper bound: a larger id cannot exist, so it is a 404."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 (werkzeug's own argument name)
        kwargs.setdefault("max", MAX_INT)
        super().__init__(map, *args, **kwargs)


def _id_param_schema(_converter) -> dict:
    return {"type": "integer", "minimum": 0, "maximum": MAX_INT}


def _out_of_range(schema: ma.Schema, data, path: tuple = ()) -> list[tuple[tuple, int]]:
    """(path, value) of every integer the schema loaded that no INTEGER column can hold.

    Only fields the schema declares as integers (alone, in lists, in nested schemas) are
    checked: a free-form `Dict` (a sync mutation's arguments) is judged by its own
    consumer, which rejects that one mutation with a reason instead of the whole push.
    """
    if not isinstance(data, dict):
        return []
    hits = []
    for name, field in schema.fields.items():
        key = field.attribute or name
        if key in data:
            hits += _field_hits(field, data[key], (*path, field.data_key or name))
    return hits


def _field_hits(field: ma.fields.Field, value, path: tuple) -> list[tuple[tuple, int]]:
    if isinstance(field, ma.fields.Integer):
        return [] if value is None or is_storable_int(value) else [(path, value)]
    if isinstance(field, ma.fields.List) and isinstance(value, list):
        return [hit for i, item in enumerate(value)
                for hit in _field_hits(field.inner, item, (*path, i))]
    if isinstance(field, ma.fields.Nested):
        items = value if isinstance(value, list) else [value]
        return [hit for i, item in enumerate(items)
                for hit in _out_of_range(field.schema, item,
                                         (*path, i) if isinstance(value, list) else path)]
    return []


class BoundedArgumentsParser(FlaskParser):
    """webargs' Flask parser, refusing integers beyond the database's range after loading."""

    def _process_location_data(self, location_data, schema, req, location, unknown,
                               validators):
        data = super()._process_location_data(location_data, schema, req, location, unknown,
                                              validators)
        hits = _out_of_range(schema, data)
        if hits:
            messages: dict = {}
            for path, value in hits:
                field = ".".join(str(p) for p in path) or "_schema"
                messages.setdefault(field, []).append(
                    gettext(TOO_LARGE, value=value, low=MIN_INT, high=MAX_INT))
            raise ma.ValidationError(messages)
        return data


_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether `body` nests arrays and objects deeper than `limit`, found without parsing
    (a parser is what would recurse). Brackets inside strings do not count."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # fewer brackets than the limit cannot nest past it (the usual case)
    brackets = _STRINGS.sub(b"", body).translate(None, _NOT_BRACKETS)
    return max(accumulate(_STEP[b] for b in brackets), default=0) > limit


def refuse_deep_json() -> None:
    """A JSON body nested deeper than MAX_JSON_DEPTH is a 400 (call after the size check)."""
    if request.is_json and request.content_length and json_too_deep(
            request.get_data(cache=True)):
        raise AppError(TOO_DEEP, params={"depth": MAX_JSON_DEPTH}, status=400,
                           code="too_deep")


def install_id_converter(app: Flask, api: Api) -> None:
    """Bound every `<int:…>` path id; call before the blueprints are registered."""
    app.url_map.converters["int"] = IdConverter
    if not any(conv is IdConverter for conv, _ in getattr(api, "_converters", [])):
        api.register_converter(IdConverter, _id_param_schema)
