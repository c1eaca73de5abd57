"""Typed view models the pages render, built from the API's JSON (no HTTP here, no state).

Words and colours are decided once, here, so every screen says a level the same way.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from backend.mastery.words import NOT_ASSESSED, color_of, level_text, level_words

SCALE_NAMES = {2.0: "Foundational", 3.0: "Target", 4.0: "Beyond"}
SKILLS_SECTION = "Lifelong Learning Skills"


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


def _target_view(target: dict[str, Any]) -> TargetView:
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
        scale_text=f"{SCALE_NAMES.get(scale, 'Level')} {scale:.1f}",
        level_text=level_text(level),
        level_words=words,
        level_color=color_of(words),
        evidence_text="" if not count else f"{count} piece{'s' if count != 1 else ''} of evidence",
    )


def _topic_view(topic: dict[str, Any]) -> TopicView:
    done = int(topic.get("proficient_count") or 0)
    total = int(topic.get("target_count") or 0)
    return TopicView(
        id=int(topic["id"]),
        name=str(topic.get("name", "")),
        level_text=f"Level {topic['level']}" if topic.get("level") is not None else "",
        progress_text=f"{done} of {total} targets proficient",
        progress_percent=round(100 * done / total) if total else 0,
        targets=[_target_view(t) for t in topic.get("targets", [])],
    )


def binder_view(body: dict[str, Any], classes: list[str] | None = None) -> BinderView:
    """Turn GET /api/learners/<id>/binder into what the binder screens render."""
    areas = body.get("content_areas", [])
    as_views = [
        (bool(area.get("is_academic", True)),
         AreaView(id=int(area["id"]), name=str(area.get("name", "")),
                  # the skills section already carries this title: say it once
                  is_name_shown=area.get("name") != SKILLS_SECTION,
                  topics=[_topic_view(t) for t in area.get("topics", [])]))
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
