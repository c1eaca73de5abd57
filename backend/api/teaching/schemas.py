"""Query strings and bodies of the teaching reads and the one group write."""

from marshmallow import Schema, fields, validate


class GroupSchema(Schema):
    """A new group of a class's learners, with a copy of a playlist assigned to it."""

    id = fields.Integer(dump_only=True)
    class_id = fields.Integer(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    student_ids = fields.List(fields.Integer(), required=True,
                              validate=validate.Length(min=1, max=200))
    playlist_id = fields.Integer(required=True)
    assigned_playlist_id = fields.Integer(dump_only=True)
    assigned_playlist_title = fields.String(dump_only=True)
