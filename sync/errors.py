"""Errors of the sync library: one SyncError root, narrow subclasses, human messages."""


class SyncError(Exception):
    """Root of every error the sync library raises; `message` is meant for a person."""

    code = "sync_error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ClockError(SyncError):
    """A hybrid logical clock stamp is malformed."""

    code = "clock_error"


class InvalidMutation(SyncError):
    """A mutation envelope or its arguments break the protocol."""

    code = "invalid_mutation"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class UnknownMutation(InvalidMutation):
    """The mutation name is not part of protocol v1."""

    code = "unknown_mutation"

    def __init__(self, name: object):
        super().__init__(f"unknown mutation {name!r}")
        self.name = name


class NotAuthorized(SyncError):
    """The actor may not make this change."""

    code = "not_authorized"


class NotFound(SyncError):
    """The row a mutation refers to does not exist (or is not visible)."""

    code = "not_found"


class SeqGap(SyncError):
    """A push skipped sequence numbers; the client must resend from `expected_seq`."""

    code = "seq_gap"

    def __init__(self, expected_seq: int, got_seq: int | None = None):
        got = "" if got_seq is None else f" (got {got_seq})"
        super().__init__(f"mutations must continue at seq {expected_seq}{got}")
        self.expected_seq = expected_seq
        self.got_seq = got_seq
