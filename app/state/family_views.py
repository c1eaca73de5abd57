"""What the guardian portal shows per child: binder, progress by week, approved evidence,
current goals — plain words, no controls."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from app.state.paging import Words, count_text, more_text
from app.state.profile_views import ObservationLine, ProfileLine
from app.state.views import BinderView
from backend.i18n import N_, gettext, ngettext
from backend.mastery.words import day


def day_text(stamp: Any, locale: str | None = None) -> str:
    """An ISO date or time as the one date format of the family pages ("8 Nov 2026"): the
    same `day` as "How this level was worked out", so a page never mixes formats."""
    if not stamp:
        return ""
    text = str(stamp).replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
    except ValueError:
        return ""
    return day(moment.date() if isinstance(moment, datetime) else moment, locale)


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
class GoalList:
    """One status's goals as far as the guardian has paged, with the true total."""

    rows: list[GoalLine] = dataclasses.field(default_factory=list)
    total: int = 0
    count_text: str = ""
    more_text: str = ""


@dataclasses.dataclass
class FamilyChild:
    binder: BinderView = dataclasses.field(default_factory=BinderView)
    weeks: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    progress_text: str = ""
    evidence: list[EvidenceCard] = dataclasses.field(default_factory=list)
    goals: GoalList = dataclasses.field(default_factory=GoalList)  # current: the first page
    done: GoalList = dataclasses.field(default_factory=GoalList)  # loaded on a tap
    done_button_text: str = ""  # "Show done goals (4,857)", "" with none done
    # the Personal Learner Profile, read-only (app/state/profile_views.py)
    profile: list[ProfileLine] = dataclasses.field(default_factory=list)
    observations: list[ObservationLine] = dataclasses.field(default_factory=list)
    observations_more: str = ""  # "The newest 50 of 61 … are shown", "" when all are


def evidence_card(row: dict[str, Any], photo: str, locale: str | None = None) -> EvidenceCard:
    return EvidenceCard(
        caption=str(row.get("caption") or gettext("Untitled work", locale)),
        text=str(row.get("text") or ""),
        url=str(row.get("url") or ""),
        photo=photo,
        targets_text=", ".join(f"{t['code']} {t['title']}" for t in row.get("targets", [])),
        comment=str(row.get("comment") or ""),
        when=gettext("Approved {day}", locale, day=day_text(row.get("approved_at"), locale))
        if row.get("approved_at") else "",
    )


def goal_line(row: dict[str, Any], locale: str | None = None) -> GoalLine:
    due = row.get("due_on")
    return GoalLine(title=str(row.get("title", "")),
                    due_text=gettext("due {day}", locale, day=day_text(due, locale)) if due
                    else gettext("no due date", locale),
                    status={"active": gettext("working on it", locale),
                            "done": gettext("done", locale),
                            "dropped": gettext("set aside", locale)}.get(str(row.get("status")),
                                                                 str(row.get("status", ""))))


CURRENT = Words(N_("Showing {shown} of {n} current goal", "Showing {shown} of {n} current goals"),
                N_("Show {n} more current goal", "Show {n} more current goals"))
DONE = Words(N_("Showing {shown} of {n} done goal", "Showing {shown} of {n} done goals"),
             N_("Show {n} more done goal", "Show {n} more done goals"))
SHOW_DONE = N_("Show done goals ({n})")


def goal_list(items: list[GoalLine], total: int, words: Words,
              locale: str | None = None) -> GoalList:
    """A goal list with its count and "Show 20 more" words worked out, in `locale`."""
    return GoalList(rows=items, total=total,
                    count_text=count_text(len(items), total, words, locale=locale),
                    more_text=more_text(len(items), total, words, locale=locale))


def chart_weeks(weeks: list[dict[str, Any]], locale: str | None = None) -> list[dict[str, Any]]:
    """The progress weeks with each tick labelled in the page's one date format (the API's
    `label` is a fixed English "Oct 4"): the chart never shows a second date format."""
    return [{**week, "label": day_text(week.get("week_ending"), locale) or week.get("label", "")}
            for week in weeks]


def progress_text(weeks: list[dict[str, Any]], locale: str | None = None) -> str:
    """The chart in one sentence, for everyone (and for screen readers)."""
    if not weeks:
        return gettext("No assessments yet.", locale)
    first, last = weeks[0]["proficient"], weeks[-1]["proficient"]
    # one whole sentence per direction, each with its plural (never fragments glued together)
    if last > first:
        return ngettext("Now {n} learning target at proficient or above, up from {first} ten "
                        "weeks ago.", "Now {n} learning targets at proficient or above, up "
                        "from {first} ten weeks ago.", last, locale, first=first)
    if last < first:
        return ngettext("Now {n} learning target at proficient or above, down from {first} "
                        "ten weeks ago.", "Now {n} learning targets at proficient or above, "
                        "down from {first} ten weeks ago.", last, locale, first=first)
    return ngettext("Now {n} learning target at proficient or above, the same as ten weeks "
                    "ago.", "Now {n} learning targets at proficient or above, the same as ten "
                    "weeks ago.", last, locale)
