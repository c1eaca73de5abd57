"""Typed view models the pages render, built from the API's JSON (no HTTP here, no state),
and the display helpers every screen shares (a level's text, words and colour; a time).

Words and colours are decided once, here, so every screen says a level the same way.
(The teacher screens' own view models left Python: they render from the device's store,
assets/ui/teacher_views.js.)
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

# The scale's words, colours and display rule have one home (backend/mastery/words.py); the
# names color_for / words_for are kept for the screens that import them from here.
from backend.i18n import N_, gettext, ngettext
from backend.mastery.words import NOT_ASSESSED, color_of, level_text, level_words
from backend.mastery.words import level_color as color_for
from backend.mastery.words import level_words as words_for

__all__ = ["color_for", "level_text", "words_for"]

# msgids (N_): screens show t(SKILLS_SECTION); scale names go through gettext below
SCALE_NAMES = {2.0: N_("Foundational"), 3.0: N_("Target"), 4.0: N_("Beyond")}
SKILLS_SECTION = N_("Lifelong Learning Skills")


@dataclasses.dataclass
class TargetView:
    """One learning target with the learner's current level, in words and colour."""

    id: int = 0
    code: str = ""
    title: str = ""
    scale_text: str = ""
    level_text: str = ""
    level_words: str = "not yet assessed"
    level_color: str = "gray"
    evidence_text: str = ""


@dataclasses.dataclass
class TopicView:
    """A measurement topic and how many of its targets the learner has reached."""

    id: int = 0
    name: str = ""
    level_text: str = ""
    progress_text: str = ""
    progress_percent: int = 0
    targets: list[TargetView] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class AreaView:
    """A content area (Math, ELA, … or a Lifelong Learning Skills area)."""

    id: int = 0
    name: str = ""
    is_name_shown: bool = True
    topics: list[TopicView] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class BinderView:
    """A learner's binder: academic areas, and Lifelong Learning Skills kept apart."""

    learner_id: int = 0
    learner_name: str = ""
    classes_text: str = ""
    academic: list[AreaView] = dataclasses.field(default_factory=list)
    skills: list[AreaView] = dataclasses.field(default_factory=list)


def _target_view(target: dict[str, Any], locale: str | None = None) -> TargetView:
    level = target.get("level")
    # the words of the number shown (the API's words come from the same rule)
    words = level_words(level) if level is not None else (
        target.get("level_words") or NOT_ASSESSED)
    scale = float(target.get("scale_level") or 0)
    count = int(target.get("evidence_count") or 0)
    return TargetView(
        id=int(target["id"]),
        code=str(target.get("code", "")),
        title=str(target.get("title", "")),
        scale_text=gettext("{scale} {number}", locale,
                           scale=gettext(SCALE_NAMES.get(scale, N_("Level")), locale),
                           number=f"{scale:.1f}"),
        level_text=level_text(level),
        level_words=words,
        level_color=color_of(words),
        evidence_text="" if not count else ngettext(
            "{n} piece of evidence", "{n} pieces of evidence", count, locale),
    )


def _topic_view(topic: dict[str, Any], locale: str | None = None) -> TopicView:
    done = int(topic.get("proficient_count") or 0)
    total = int(topic.get("target_count") or 0)
    return TopicView(
        id=int(topic["id"]),
        name=str(topic.get("name", "")),
        level_text=gettext("Level {level}", locale, level=topic["level"])
        if topic.get("level") is not None else "",
        # counted from the number shown (credit.py reaches), as the badges say it
        progress_text=ngettext("{done} of {n} target proficient",
                               "{done} of {n} targets proficient", total, locale, done=done),
        progress_percent=round(100 * done / total) if total else 0,
        targets=[_target_view(t, locale) for t in topic.get("targets", [])],
    )


def binder_view(body: dict[str, Any], classes: list[str] | None = None,
                locale: str | None = None) -> BinderView:
    """Turn GET /api/learners/<id>/binder into what the binder screens render."""
    areas = body.get("content_areas", [])
    as_views = [
        (bool(area.get("is_academic", True)),
         AreaView(id=int(area["id"]), name=str(area.get("name", "")),
                  # the skills section already carries this title: say it once
                  is_name_shown=area.get("name") != SKILLS_SECTION,
                  topics=[_topic_view(t, locale) for t in area.get("topics", [])]))
        for area in areas
    ]
    learner = body.get("learner") or {}
    return BinderView(
        learner_id=int(learner.get("id") or 0),
        learner_name=str(learner.get("display_name", "")),
        classes_text=", ".join(classes or []),
        academic=[view for is_academic, view in as_views if is_academic],
        skills=[view for is_academic, view in as_views if not is_academic],
    )


@dataclasses.dataclass
class Option:
    """One choice of a select box: its value and the words shown."""

    value: str = ""
    label: str = ""


@dataclasses.dataclass
class LearnerLink:
    """A learner in a class list, with the address of their binder."""

    id: int = 0
    display_name: str = ""
    href: str = ""


@dataclasses.dataclass
class ClassView:
    """A class with its learners."""

    id: int = 0
    name: str = ""
    teacher_name: str = ""
    count_text: str = ""
    learners: list[LearnerLink] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class CountView:
    """One number on the admin's school page."""

    label: str = ""
    value: int = 0


LEVEL_CHOICES = ["1.0", "1.5", "2.0", "2.5", "3.0", "3.5", "4.0"]
ALL_LEVELS = ["0.0", "0.5", *LEVEL_CHOICES]


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


def event_line(event: dict[str, Any], names: dict[int, str] | None = None,
               locale: str | None = None) -> EventLine:
    score = event.get("score")
    source = str(event.get("source", ""))
    who = {"self": N_("Learner's own view"), "teacher": N_("Teacher"),
           "peer": N_("A classmate")}.get(source)
    who = gettext(who, locale) if who else source
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
