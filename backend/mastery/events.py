"""Formative rules: check every event, order by date assessed, set aside what does not count.

Applied before any calculation method, so every method sees the same counted scores:

* missing or excused work (`score` None) is skipped, never a zero;
* a re-assessment ("do-over") is just a later event: nothing here merges or drops it;
* self and peer events are shown but count only when the school lists their source in
  `count_sources` (default: teacher only);
* events are ordered by the date assessed, not the date entered. Events on the same date
  are ordered by `entered_at` (events without one first), then by `id` (numbers as
  numbers), then by score (lower first), then by source — so the order rows arrive in
  never changes a level.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from backend.i18n import N_
from backend.mastery.errors import MasteryError
from backend.mastery.words import SOURCE_WORDS, day, num

SOURCES = tuple(SOURCE_WORDS)
DEFAULT_COUNT_SOURCES = ("teacher",)
# why an event did not count: English keys in the API, msgids for the screens (gettext(reason))
MISSING_REASON = N_("missing/excused: not a zero")
SOURCE_REASONS = {"self": N_("self-assessment: shown, not counted"),
                  "peer": N_("peer assessment: shown, not counted")}


@dataclass(frozen=True)
class Event:
    """One checked event: the caller's dict plus parsed dates."""

    score: float | None
    assessed_on: date
    entered_at: datetime | None
    source: str
    id: Any
    raw: Mapping

    def sort_key(self) -> tuple:
        """Date assessed, then entry time, then id, score and source (see module docstring)."""
        return (
            self.assessed_on,
            self.entered_at is not None,
            self.entered_at or datetime.min.replace(tzinfo=UTC),
            _id_key(self.id),
            self.score is not None,
            -1.0 if self.score is None else self.score,
            self.source,
        )

    def public(self, **extra) -> dict:
        """The event as plain data for a UI, with extra keys such as weight or reason."""
        out = {
            "score": self.score,
            "assessed_on": self.assessed_on.isoformat(),
            "entered_at": self.entered_at.isoformat() if self.entered_at else None,
            "source": self.source,
        }
        if self.id is not None:
            out["id"] = self.id
        return out | extra

    def words(self) -> str:
        """'3 on 12 Sep 2025' — how the explanation names an event."""
        return f"{num(self.score)} on {day(self.assessed_on)}"

    def said(self) -> dict:
        """The event as step params: its score and its ISO day (backend/mastery/steps.py)."""
        return {"score": num(self.score), "score_on": self.assessed_on.isoformat()}


def _id_key(value: Any) -> tuple:
    # whole-number ids compare as numbers (9 before 10), anything else as text
    if value is None:
        return (0, 0, "")
    if isinstance(value, int) and not isinstance(value, bool):
        return (1, value, "")
    return (2, 0, str(value))


def _where(i: int, raw: Mapping) -> str:
    return f"event {i + 1}" + (f" (id {raw['id']})" if raw.get("id") is not None else "")


def _score(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MasteryError(f"{where}: the score must be a number from 0 to 4, got {value!r}")
    if not math.isfinite(value) or not 0 <= value <= 4:
        raise MasteryError(f"{where}: the score {value} is outside the 0–4 scale")
    if value * 2 != int(value * 2):
        raise MasteryError(f"{where}: scores go in half points (0, 0.5, 1, … 4), got {value}")
    return float(value)


def _date(value: Any, where: str) -> date:
    if value is None or value == "":
        raise MasteryError(f"{where} has no date assessed: every score needs the day it was given")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value).date()
        except ValueError:
            pass
    raise MasteryError(f"{where}: the date assessed {value!r} is not a date like 2025-09-12")


def _moment(value: Any, where: str) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise MasteryError(
                f"{where}: the entry time {value!r} is not a time like 2025-09-12T10:30:00"
            ) from None
    if isinstance(value, datetime):
        # naive times are taken as UTC, as the API stores them
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    raise MasteryError(f"{where}: the entry time {value!r} is not a time")


def check_event(i: int, raw: Any) -> Event:
    """Check one event dict; raise MasteryError naming the event and the problem."""
    if not isinstance(raw, Mapping):
        raise MasteryError(f"event {i + 1} is not a record with a score and a date")
    where = _where(i, raw)
    source = raw.get("source")
    if source not in SOURCES:
        raise MasteryError(f"{where}: the source must be teacher, self or peer, got {source!r}")
    return Event(
        score=_score(raw.get("score"), where),
        assessed_on=_date(raw.get("assessed_on"), where),
        entered_at=_moment(raw.get("entered_at"), where),
        source=source,
        id=raw.get("id"),
        raw=raw,
    )


def check_sources(count_sources: Any) -> tuple[str, ...]:
    """The sources whose events count toward a level, checked."""
    if isinstance(count_sources, str) or not isinstance(count_sources, Iterable):
        raise MasteryError("count_sources must be a list such as ['teacher']")
    sources = tuple(dict.fromkeys(count_sources))
    unknown = [s for s in sources if s not in SOURCES]
    if unknown:
        raise MasteryError(f"count_sources may hold teacher, self and peer, not {unknown}")
    if not sources:
        raise MasteryError("count_sources is empty: at least one source must count")
    return sources


def sort_out(raw_events: Any, count_sources: tuple[str, ...]) -> tuple[list[Event], list[dict]]:
    """Apply the formative rules: the counted events, oldest first, and the skipped ones."""
    if isinstance(raw_events, str | bytes | Mapping) or not isinstance(raw_events, Iterable):
        raise MasteryError("events must be a list of records")
    events = sorted((check_event(i, raw) for i, raw in enumerate(raw_events)), key=Event.sort_key)
    counted, skipped = [], []
    for event in events:
        if event.score is None:
            skipped.append(event.public(reason=MISSING_REASON))
        elif event.source not in count_sources:
            skipped.append(event.public(reason=SOURCE_REASONS[event.source]))
        else:
            counted.append(event)
    return counted, skipped
