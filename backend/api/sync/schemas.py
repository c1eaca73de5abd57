"""Envelopes of push and pull (each mutation's own arguments are checked by sync/)."""

from marshmallow import Schema, fields, validate


class PushSchema(Schema):
    client_id = fields.String(required=True, validate=validate.Regexp(
        r"^[A-Za-z0-9_-]{8,64}$", error="client_id must be 8–64 letters, digits, - or _."))
    mutations = fields.List(fields.Dict(), required=True)


class MutationResultSchema(Schema):
    """One mutation's answer (sync/PROTOCOL.md): a rejection, a conflict or a noted
    "applied" carries a reason code of sync/reasons.py, its params and the code's words in
    the requester's language; keys with nothing to say are left out."""

    seq = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(
        ("applied", "rejected", "conflict", "duplicate")))
    code = fields.String(metadata={"description": "a key of sync/reasons.py REASONS"})
    params = fields.Dict(metadata={"description": "the code's params: JSON values"})
    reason = fields.String(metadata={"description": "the code's words, requester's language"})
    conflict_id = fields.String()
    clamped = fields.Boolean()
    hlc = fields.String()


class PushResultSchema(Schema):
    last_seq = fields.Integer()
    results = fields.List(fields.Nested(MutationResultSchema))
    server_hlc = fields.String()


class PullArgsSchema(Schema):
    cursor = fields.String(load_default=None)
    limit = fields.Integer(load_default=500, validate=validate.Range(1, 1000))
    # add computed `level` and `topic_progress` rows (the school's method, credit, pace)
    computed = fields.Boolean(load_default=False)
    # a new device's first sync (sync/phases.py): "current" from no cursor, then "history"
    # with the cursor the current phase gave; absent: the plain v1 pull of changes
    phase = fields.String(load_default=None, validate=validate.OneOf(
        ["current", "history"], error="phase must be current or history."))


class PullSchema(Schema):
    changes = fields.List(fields.Dict())
    cursor = fields.String(allow_none=True)
    has_more = fields.Boolean()
    last_seq = fields.Integer(allow_none=True)
    server_hlc = fields.String()
    phase = fields.String()  # only on phased pulls: current or history
    history = fields.Dict()  # the current phase's last page: {cursor, total}
    # ids of learners deleted since the cursor: wipe every row and file of theirs
    purged_learners = fields.List(fields.Integer())
