"""Bodies of the card and shared-device routes."""

from marshmallow import Schema, fields, validate


class CardSignInSchema(Schema):
    """Either the scanned QR's text or the typed short code."""

    qr = fields.String(load_default="", validate=validate.Length(max=200), load_only=True)
    code = fields.String(load_default="", validate=validate.Length(max=40), load_only=True)
    cookies = fields.Boolean(load_default=False, load_only=True)


class CardClassSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    learners = fields.Integer(metadata={"description": "active learners in the class"})
    live_cards = fields.Integer(metadata={"description": "of them, with a card that works"})


class CardLearnerSchema(Schema):
    id = fields.Integer()
    display_name = fields.String()
    has_card = fields.Boolean()
    card_made_at = fields.DateTime(allow_none=True)
    card_last_used_at = fields.DateTime(allow_none=True)


class InvalidatedSchema(Schema):
    invalidated = fields.Integer(metadata={"description": "cards that stopped working"})


class DeviceSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    created_at = fields.DateTime(dump_only=True)
    last_used_at = fields.DateTime(dump_only=True, allow_none=True)


class ThisDeviceSchema(Schema):
    shared = fields.Boolean()
    name = fields.String()


class PrintSchema(Schema):
    which = fields.String(load_default="missing", validate=validate.OneOf(["missing", "all"]),
                          metadata={"description": "missing: learners without a card that "
                                                   "works; all: new cards for everyone"})
    learner_id = fields.Integer(load_default=None, allow_none=True,
                                metadata={"description": "only this learner (a lost card)"})
