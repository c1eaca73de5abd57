"""Build event dicts the way the binder service will: one per assessment event."""

from datetime import date, timedelta

START = date(2025, 9, 1)


def ev(score, day=0, source="teacher", entered_at=None, id=None):
    """One event `day` days after 1 Sep 2025."""
    out = {
        "score": score,
        "assessed_on": (START + timedelta(days=day)).isoformat(),
        "source": source,
    }
    if entered_at is not None:
        out["entered_at"] = entered_at
    if id is not None:
        out["id"] = id
    return out


def series(*scores):
    """Teacher events on consecutive days, oldest first."""
    return [ev(s, day=i) for i, s in enumerate(scores)]
