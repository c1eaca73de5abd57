"""One learning target of one learner, as teacher and family screens show it: level, how it
was worked out, the learner's own view, recent events (GET /api/learners/<id>/targets/<tid>)."""

from __future__ import annotations

import dataclasses
from typing import Any

from app.state.views import EventLine, color_for, event_line, level_text, words_for


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
    steps: list[str] = dataclasses.field(default_factory=list)
    counted: list[EventLine] = dataclasses.field(default_factory=list)
    skipped: list[EventLine] = dataclasses.field(default_factory=list)
    self_text: str = ""
    recent: list[EventLine] = dataclasses.field(default_factory=list)
    rubric: list[str] = dataclasses.field(default_factory=list)
    has_open_conflict: bool = False


def _explained(event: dict[str, Any]) -> EventLine:
    line = event_line(event)
    if event.get("reason"):
        line.note = str(event["reason"])
    elif event.get("weight") is not None:
        line.note = f"counts for {round(100 * float(event['weight']))}% of the level"
    return line


def target_story(body: dict[str, Any], learner_id: int, learner_name: str,
                 names: dict[int, str] | None = None) -> TargetStory:
    """Turn the target detail into what the screens render."""
    target = body.get("target") or {}
    level = body.get("level")
    explanation = body.get("explanation") or {}
    events = body.get("events") or []
    own = next((e for e in events if e.get("source") == "self"), None)
    self_text = ""
    if own is not None and own.get("score") is not None:
        self_text = (f"{level_text(own['score'])} · {words_for(own['score'])}"
                     f" (on {own.get('assessed_on', '')})")
        if own.get("note"):
            self_text += f" — “{own['note']}”"
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
        method_label=str(explanation.get("method_label") or body.get("method_label") or ""),
        steps=[str(s) for s in explanation.get("steps") or []],
        counted=[_explained(e) for e in explanation.get("counted") or []],
        skipped=[_explained(e) for e in explanation.get("skipped") or []],
        self_text=self_text,
        recent=[event_line(e, names) for e in events[:6]],
        rubric=[f"{d.get('score')}: {d.get('text', '')}" for d in
                sorted(target.get("rubric") or [], key=lambda d: -int(d.get("score", 0)))],
        has_open_conflict=bool(body.get("has_open_conflict")),
    )
