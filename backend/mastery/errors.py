"""The one error the mastery science raises: bad input, said so a person understands."""


class MasteryError(ValueError):
    """Bad method, bad parameter or bad event: no level is computed from bad data."""
