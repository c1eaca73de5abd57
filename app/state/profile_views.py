"""The Personal Learner Profile as others read it (issue 18): section names in the third
person, the learner's choices and words, and the teachers' observations with the learner's
answers, in the reader's language. The family portal shows it read-only. The words are
backend/services/profile.py's (the record's PDF uses the same)."""

from __future__ import annotations

import dataclasses
from typing import Any

from backend.i18n import ngettext
from backend.services.profile import SECTION_LABELS, observations_read, sections_read

__all__ = ["SECTION_LABELS", "ObservationLine", "ProfileLine", "observation_lines",
           "observations_more", "profile_lines"]


@dataclasses.dataclass
class ProfileLine:
    title: str = ""
    choices_text: str = ""
    text: str = ""
    note: str = ""  # two texts still to choose between


@dataclasses.dataclass
class ObservationLine:
    text: str = ""
    about: str = ""
    response_text: str = ""
    reply: str = ""


def profile_lines(record: dict[str, Any], locale: str | None = None) -> list[ProfileLine]:
    """Each written section of GET /api/learners/<id>/profile, in the reader's language."""
    return [ProfileLine(**line) for line in sections_read(record, locale)]


def observation_lines(record: dict[str, Any], locale: str | None = None
                      ) -> list[ObservationLine]:
    """The teachers' observations, newest first, with who noticed and the learner's answer."""
    return [ObservationLine(**line) for line in observations_read(record, locale)]


def observations_more(record: dict[str, Any], locale: str | None = None) -> str:
    """"The newest 50 of 61 are shown." when a page reads only the newest; "" otherwise."""
    shown, total = len(record.get("observations") or []), record.get("observations_total", 0)
    if total <= shown:
        return ""
    return ngettext("The newest {shown} of {n} observation are shown; the record export "
                    "has them all.",
                    "The newest {shown} of {n} observations are shown; the record export "
                    "has them all.", total, locale, shown=shown)
