"""One learning target of one learner, as teacher and family screens show it: level, how it
was worked out, the learner's own view, recent events (GET /api/learners/<id>/targets/<tid>)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from app.state.views import EventLine, color_for, event_line, level_text, words_for
from backend.i18n import gettext
from backend.mastery.sentence import render
from backend.mastery.words import day


@dataclasses.dataclass
class TargetStory:
    """Everything a reader needs to understand one level."""

    learner_id: int = 0
    learner_name: str = ""
    target_id: int = 0
    code: str = ""
    title: str = ""
    topic_name: str = ""
    level_text: str = ""
    level_words: str = "not yet assessed"
    level_color: str = "gray"
    method_label: str = ""
    sentence: str = ""  # the plain sentence first; the steps are "the math" behind it
    steps: list[str] = dataclasses.field(default_factory=list)
    counted: list[EventLine] = dataclasses.field(default_factory=list)
    skipped: list[EventLine] = dataclasses.field(default_factory=list)
    self_text: str = ""
    recent: list[EventLine] = dataclasses.field(default_factory=list)
    rubric: list[str] = dataclasses.field(default_factory=list)
    has_open_conflict: bool = False


def _day_of(iso: Any, locale: str | None = None) -> str:
    """An event's ISO day in the one date format (backend/mastery/words.py `day`)."""
    try:
        return day(date.fromisoformat(str(iso)[:10]), locale)
    except ValueError:
        return ""


def _dated(event: dict[str, Any], names: dict[int, str] | None = None,
           locale: str | None = None) -> EventLine:
    line = event_line(event, names, locale)
    line.when = _day_of(event.get("assessed_on"), locale)
    return line


def _explained(event: dict[str, Any], locale: str | None = None) -> EventLine:
    line = _dated(event, locale=locale)
    if event.get("reason"):
        line.note = gettext(str(event["reason"]), locale)  # an N_ msgid (mastery/events.py)
    elif event.get("weight") is not None:
        line.note = gettext("counts for {percent}% of the level", locale,
                            percent=round(100 * float(event["weight"])))
    return line


def _label(msgid: Any, locale: str | None) -> str:
    """A method's name (an N_ msgid, backend/mastery METHODS) in the reader's language."""
    return gettext(str(msgid), locale) if msgid else ""


def target_story(body: dict[str, Any], learner_id: int, learner_name: str,
                 names: dict[int, str] | None = None,
                 locale: str | None = None) -> TargetStory:
    """Turn the target detail into what the screens render."""
    target = body.get("target") or {}
    level = body.get("level")
    explanation = body.get("explanation") or {}
    events = body.get("events") or []
    own = next((e for e in events if e.get("source") == "self"), None)
    self_text = ""
    if own is not None and own.get("score") is not None:
        params = {"level": level_text(own["score"]), "words": words_for(own["score"]),
                  "day": _day_of(own.get("assessed_on"), locale)}
        self_text = (gettext("{level} · {words} (on {day}) — “{note}”", locale,
                             note=own["note"], **params)
                     if own.get("note") else gettext("{level} · {words} (on {day})", locale,
                                                     **params))
    return TargetStory(
        learner_id=learner_id,
        learner_name=learner_name,
        target_id=int(target.get("id") or 0),
        code=str(target.get("code", "")),
        title=str(target.get("title", "")),
        topic_name=str((body.get("topic") or {}).get("name", "")),
        level_text=level_text(level),
        level_words=words_for(level) if level is not None else str(
            body.get("level_words") or words_for(level)),
        level_color=color_for(level),
        method_label=_label(explanation.get("method_label") or body.get("method_label"), locale),
        sentence=render(explanation["sentence"], locale) if explanation.get("sentence") else "",
        steps=([render(s, locale) for s in explanation["step_data"]]
               if explanation.get("step_data") else
               [str(s) for s in explanation.get("steps") or []]),
        counted=[_explained(e, locale) for e in explanation.get("counted") or []],
        skipped=[_explained(e, locale) for e in explanation.get("skipped") or []],
        self_text=self_text,
        recent=[_dated(e, names, locale) for e in events[:6]],
        rubric=[f"{d.get('score')}: {d.get('text', '')}" for d in
                sorted(target.get("rubric") or [], key=lambda d: -int(d.get("score", 0)))],
        has_open_conflict=bool(body.get("has_open_conflict")),
    )
