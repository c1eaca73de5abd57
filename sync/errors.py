"""Errors of the sync library: one SyncError root, narrow subclasses, each with a reason code.

Every error carries `code` (a key of sync/reasons.py REASONS) and `params` (JSON values);
`message` is the English template filled, for logs and clients without a catalog.
"""

from __future__ import annotations

from sync.reasons import render, shown


class SyncError(Exception):
    """Root of every error the sync library raises: a reason code, its params, its words."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        self.message = render(code, params)
        super().__init__(self.message)

    def result(self, seq: int, status: str = "rejected") -> dict:
        """The push answer of a mutation refused with this error."""
        return {"seq": seq, "status": status, "code": self.code, "params": dict(self.params),
                "reason": self.message}


class ClockError(SyncError):
    """A hybrid logical clock stamp is malformed."""


class InvalidMutation(SyncError):
    """A mutation envelope or its arguments break the protocol."""


class UnknownMutation(InvalidMutation):
    """The mutation name is not part of protocol v1."""

    def __init__(self, name: object):
        super().__init__("mutation.unknown", mutation=shown(name))
        self.name = name


class NotAuthorized(SyncError):
    """The actor may not make this change."""


class NotFound(SyncError):
    """The row a mutation refers to does not exist (or is not visible)."""


class SeqGap(SyncError):
    """A push skipped sequence numbers; the client must resend from `expected_seq`."""

    def __init__(self, expected_seq: int, got_seq: int | None = None):
        params = {"expected_seq": expected_seq}
        if got_seq is not None:
            params["got_seq"] = got_seq
        super().__init__("seq.gap", **params)
        self.expected_seq = expected_seq
        self.got_seq = got_seq
