"""View models of the teacher, family and admin screens (dataclasses built from the API)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

# The scale's words, colours and display rule have one home (backend/mastery/words.py); these
# names are kept for the screens that import them from here.
from backend.mastery.words import level_color as color_for
from backend.mastery.words import level_text
from backend.mastery.words import level_words as words_for

LEVEL_CHOICES = ["1.0", "1.5", "2.0", "2.5", "3.0", "3.5", "4.0"]
ALL_LEVELS = ["0.0", "0.5", *LEVEL_CHOICES]
__all__ = ["color_for", "level_text", "words_for"]


def when_text(stamp: str | None) -> str:
    """"Mar 3, 14:05" from an ISO time (UTC), "" when absent."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return str(stamp)
    return moment.strftime("%b %-d, %H:%M")


def hlc_text(hlc: str | None) -> str:
    """The wall-clock part of a hybrid logical clock stamp, as a time."""
    try:
        wall_ms = int(str(hlc).split("-")[0])
    except (TypeError, ValueError):
        return ""
    return datetime.fromtimestamp(wall_ms / 1000).strftime("%b %-d, %H:%M")


@dataclasses.dataclass
class TargetChip:
    id: int = 0
    code: str = ""
    title: str = ""


def target_chips(targets: list[dict[str, Any]]) -> list[TargetChip]:
    return [TargetChip(id=int(t["id"]), code=str(t.get("code", "")),
                       title=str(t.get("title", ""))) for t in targets]


@dataclasses.dataclass
class ReviewItem:
    """One piece of evidence waiting for review."""

    id: str = ""
    key: str = ""  # "<id>:<caption version>": what a review binds to
    learner_id: int = 0
    learner_name: str = ""
    kind: str = ""
    caption: str = ""
    text: str = ""
    url: str = ""
    photo: str = ""  # data: URI of the thumbnail, then of the full photo
    photo_path: str = ""
    is_full_photo: bool = False
    targets: list[TargetChip] = dataclasses.field(default_factory=list)
    target_ids: list[int] = dataclasses.field(default_factory=list)
    submitted_text: str = ""
    is_edited_after_review: bool = False


def review_item(row: dict[str, Any], photo: str = "") -> ReviewItem:
    targets = target_chips(row.get("targets", []))
    return ReviewItem(
        id=str(row["id"]),
        key=f"{row['id']}:{row.get('caption_version', 1)}",
        learner_id=int(row["learner"]["id"]),
        learner_name=str(row["learner"].get("display_name", "")),
        kind=str(row.get("kind", "")),
        caption=str(row.get("caption") or ""),
        text=str(row.get("text") or ""),
        url=str(row.get("url") or ""),
        photo=photo,
        photo_path=str(row.get("photo_url") or ""),
        targets=targets,
        target_ids=[t.id for t in targets],
        submitted_text="Sent " + when_text(row.get("submitted_at")),
        is_edited_after_review=bool(row.get("is_edited_after_review")),
    )


@dataclasses.dataclass
class EventLine:
    """One assessment event in a list: when, who (source), level in words."""

    when: str = ""
    source: str = ""
    level_text: str = ""
    level_words: str = ""
    color: str = "gray"
    note: str = ""


def event_line(event: dict[str, Any], names: dict[int, str] | None = None) -> EventLine:
    score = event.get("score")
    source = str(event.get("source", ""))
    who = {"self": "Learner's own view", "teacher": "Teacher", "peer": "A classmate"}.get(
        source, source)
    if names and event.get("author_id") in names and source == "teacher":
        who = names[event["author_id"]]
    return EventLine(
        when=str(event.get("assessed_on") or ""),
        source=who,
        level_text=level_text(score),
        level_words=words_for(score) if score is not None else "not counted",
        color=color_for(score),
        note=str(event.get("note") or ""),
    )
