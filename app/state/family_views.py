"""What the guardian portal shows per child: binder, progress by week, approved evidence,
current goals — plain words, no controls."""

from __future__ import annotations

import dataclasses
from typing import Any

from app.state.teacher_views import when_text
from app.state.views import BinderView


@dataclasses.dataclass
class EvidenceCard:
    caption: str = ""
    text: str = ""
    url: str = ""
    photo: str = ""
    targets_text: str = ""
    comment: str = ""
    when: str = ""


@dataclasses.dataclass
class GoalLine:
    title: str = ""
    due_text: str = ""
    status: str = ""


@dataclasses.dataclass
class FamilyChild:
    binder: BinderView = dataclasses.field(default_factory=BinderView)
    weeks: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    progress_text: str = ""
    evidence: list[EvidenceCard] = dataclasses.field(default_factory=list)
    goals: list[GoalLine] = dataclasses.field(default_factory=list)


def evidence_card(row: dict[str, Any], photo: str) -> EvidenceCard:
    return EvidenceCard(
        caption=str(row.get("caption") or "Untitled work"),
        text=str(row.get("text") or ""),
        url=str(row.get("url") or ""),
        photo=photo,
        targets_text=", ".join(f"{t['code']} {t['title']}" for t in row.get("targets", [])),
        comment=str(row.get("comment") or ""),
        when="Approved " + when_text(row.get("approved_at")),
    )


def goal_line(row: dict[str, Any]) -> GoalLine:
    due = row.get("due_on")
    return GoalLine(title=str(row.get("title", "")),
                    due_text=f"due {due}" if due else "no due date",
                    status={"active": "working on it", "done": "done",
                            "dropped": "set aside"}.get(str(row.get("status")),
                                                        str(row.get("status", ""))))


def progress_text(weeks: list[dict[str, Any]]) -> str:
    """The chart in one sentence, for everyone (and for screen readers)."""
    if not weeks:
        return "No assessments yet."
    first, last = weeks[0]["proficient"], weeks[-1]["proficient"]
    change = ("up from" if last > first else "the same as" if last == first else "down from")
    return (f"Now {last} learning target{'s' if last != 1 else ''} at proficient or above, "
            f"{change} {first} ten weeks ago.")
