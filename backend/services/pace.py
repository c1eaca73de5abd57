"""Pace and the graduation plan: how fast a learner is completing topics, and when they will.

Pace is counted in learning targets reaching proficiency (the credit rule's bar, 3.0 by
default) per week. A target "reached" on the first date its level, worked out by the
school's method from the events up to that date, stood at the bar — and it still does
now. Each required topic projects its own completion from its own pace: remaining targets
÷ targets per week. A topic is behind when that projection falls after the school's goal
date (`graduation_target_on`).

School settings read here (admin sets them through /api/mastery/settings):
  graduation_topics     topic ids required to graduate (default: every academic topic)
  graduation_target_on  ISO date the required topics should be complete by (optional)
"""

import math
from datetime import date, timedelta

from backend.mastery.words import reaches
from backend.models import MeasurementTopic, User
from backend.services.levels import learner_topics, level_of, school_topics

MIN_WEEKS = 1.0  # a pace over less than a week would swing wildly on one rating


def required_topics(school, topics: list[MeasurementTopic]) -> list[MeasurementTopic]:
    """The topics a learner must complete: the school's list, or every academic topic."""
    chosen = (school.settings or {}).get("graduation_topics")
    if chosen is None:
        return [t for t in topics if t.content_area.is_academic]
    wanted = {int(t) for t in chosen}
    return [t for t in topics if t.id in wanted]


def goal_date(school) -> date | None:
    """The date the school wants the required topics complete by, if it set one."""
    value = (school.settings or {}).get("graduation_target_on")
    return date.fromisoformat(value) if value else None


def day_words(d: date, today: date) -> str:
    """12 March, or 12 March 2027 when it is not this year."""
    return f"{d.day} {d:%B}" + ("" if d.year == today.year else f" {d.year}")


def _span_words(days: int) -> str:
    days = abs(days)
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    return f"{round(days / 7)} weeks"


def _reached_on(events: list[dict], settings: dict, bar: float, today: date) -> date | None:
    """The first date the level (from the events up to then) stood at `bar` or above."""
    dates = sorted({e["assessed_on"] for e in events if e["assessed_on"] <= today.isoformat()})
    for day in dates:
        upto = [e for e in events if e["assessed_on"] <= day]
        if reaches(level_of(upto, settings)["level"], bar):  # as shown (words.py)
            return date.fromisoformat(day)
    return None


def topic_plan(row: dict, today: date, goal: date | None) -> dict:
    """One required topic of a learner: progress, pace, projection and a summary line."""
    topic, credit, settings = row["topic"], row["credit"], row["settings"]
    bar = credit["rule"]["proficient"]
    counted_dates = [
        date.fromisoformat(e["assessed_on"])
        for t in topic.targets
        for e in row["levels"][t.id]["counted"]
        if e["assessed_on"] <= today.isoformat()
    ]
    reached = []
    for t in topic.targets:
        if reaches(row["levels"][t.id]["level"], bar):
            when = _reached_on(row["events"][t.id], settings, bar, today)
            if when is not None:
                reached.append({"target_id": t.id, "code": t.code, "reached_on": when})
    started_on = min(counted_dates) if counted_dates else None
    weeks = max((today - started_on).days / 7, MIN_WEEKS) if started_on else None
    pace = round(len(reached) / weeks, 2) if weeks else 0.0
    required_below_floor = sum(1 for b in credit["blocking"] if b["is_required"])
    remaining = 0 if credit["is_met"] else max(credit["more_needed"], required_below_floor, 1)

    projected_on = None
    if credit["is_met"]:
        status = "complete"
        projected_on = max((r["reached_on"] for r in reached), default=None)
    elif pace > 0:
        projected_on = today + timedelta(days=math.ceil(remaining / pace * 7))
        status = "behind" if goal and projected_on > goal else "on_track"
    else:
        status = "no_pace_yet"
    return {
        "topic_id": topic.id,
        "name": topic.name,
        "status": status,
        "is_complete": credit["is_met"],
        "is_behind": status == "behind",
        "proficient_count": credit["proficient_count"],
        "proficient_needed": credit["proficient_needed"],
        "target_count": credit["target_count"],
        "remaining": remaining,
        "started_on": started_on,
        "reached": reached,
        "pace_per_week": pace,
        "projected_on": projected_on,
        "summary": _summary(topic.name, status, projected_on, goal, today, bar, remaining),
    }


def _summary(name, status, projected_on, goal, today, bar, remaining) -> str:
    if status == "complete":
        return f"{name} is complete."
    if status == "no_pace_yet":
        return (
            f"{name}: no target has reached {bar:g} yet, so there is no pace to project from; "
            f"{remaining} more to go."
        )
    line = f"At this pace, {name} will be complete around {day_words(projected_on, today)}"
    if goal is None:
        return line + "."
    gap = (projected_on - goal).days
    if gap > 0:
        return line + f" — {_span_words(gap)} after the goal date ({day_words(goal, today)})."
    if gap < 0:
        return line + f" — {_span_words(gap)} before the goal date ({day_words(goal, today)})."
    return line + " — on the goal date."


def load_pace(learner: User, today: date | None = None) -> dict:
    """The graduation plan of one learner: per required topic, progress, pace, projection."""
    today = today or date.today()
    school = learner.school
    goal = goal_date(school)
    required = required_topics(school, school_topics(learner.school_id))
    rows = learner_topics(learner, required, until=today)
    topics = [topic_plan(row, today, goal) for row in rows]
    reached = sum(len(t["reached"]) for t in topics)
    starts = [t["started_on"] for t in topics if t["started_on"]]
    weeks = max((today - min(starts)).days / 7, MIN_WEEKS) if starts else None
    behind = [t["name"] for t in topics if t["is_behind"]]
    complete = sum(1 for t in topics if t["is_complete"])
    projections = [t["projected_on"] for t in topics if t["projected_on"]]
    all_projected = all(t["projected_on"] for t in topics)
    if not topics:
        summary = "No topics are required to graduate yet."
    elif behind:
        summary = f"{complete} of {len(topics)} required topics complete; behind in " + (
            ", ".join(behind) + "."
        )
    else:
        summary = f"{complete} of {len(topics)} required topics complete; none behind."
    return {
        "learner": {"id": learner.id, "display_name": learner.display_name},
        "today": today,
        "goal_on": goal,
        "pace_per_week": round(reached / weeks, 2) if weeks else 0.0,
        "projected_on": max(projections) if projections and all_projected else None,
        "is_behind": bool(behind),
        "summary": summary,
        "topics": topics,
    }
