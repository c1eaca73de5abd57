"""The Personal Learner Profile as others read it (issue 18): section names in the third
person, the learner's choices and words, and the teachers' observations with the learner's
answers, in the reader's language. The family portal shows it read-only."""

from __future__ import annotations

import dataclasses
from typing import Any

from backend.i18n import N_, gettext

SECTION_LABELS = {
    "strengths": N_("Strengths"), "interests": N_("Interests"),
    "learn_by": N_("How they take in ideas"), "engage_by": N_("How they stay engaged"),
    "show_by": N_("How they show what they know"),
    "hard_and_helps": N_("What they find hard, and what helps"),
    "beyond_school": N_("Goals beyond school"),
}
# the same words as the learner's page (assets/ui/profile.js), so one catalog entry each
CHOICE_LABELS = {
    "watching": N_("Watching"), "reading": N_("Reading"), "doing": N_("Doing"),
    "talking": N_("Talking"), "alone": N_("Alone"), "with_peers": N_("With others"),
    "challenge": N_("A challenge"), "choice": N_("Having a choice"), "write": N_("Writing"),
    "make": N_("Making"), "present": N_("Presenting"), "record": N_("Recording"),
}
RESPONSES = {"open": N_("Not answered yet"), "accepted": N_("Accepted"),
             "discuss": N_("Wants to talk about it")}


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
    lines = []
    for s in record.get("sections", []):
        choices = ", ".join(gettext(CHOICE_LABELS.get(w, w), locale) for w in s.get("choices", []))
        if not s.get("text") and not choices:
            continue
        note = (gettext("Two texts are waiting for the learner to choose one.", locale)
                if s.get("alternatives") else "")
        lines.append(ProfileLine(
            title=gettext(SECTION_LABELS.get(s["section"], s["section"]), locale),
            choices_text=choices, text=str(s.get("text") or ""), note=note))
    return lines


def observation_lines(record: dict[str, Any], locale: str | None = None
                      ) -> list[ObservationLine]:
    """The teachers' observations, newest first, with who noticed and the learner's answer."""
    out = []
    for o in reversed(record.get("observations", [])):
        part = (gettext(SECTION_LABELS[o["section"]], locale) if o.get("section")
                in SECTION_LABELS else gettext("The whole profile", locale))
        out.append(ObservationLine(
            text=str(o.get("text") or ""),
            about=gettext("{who} noticed · {part}", locale, who=o.get("teacher") or "",
                          part=part),
            response_text=gettext(RESPONSES.get(o.get("response"), RESPONSES["open"]), locale),
            reply=str(o.get("reply") or "")))
    return out
