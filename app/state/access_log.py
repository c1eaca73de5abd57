"""Who has looked at each child's record (/family, the section of app/components/access_log.py),
from GET /api/learners/<id>/access-log: one page per child, newest first."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from app.state.base import SignedOut, State
from app.state.teacher_views import when_text

PAGE = 10
# user-facing words, kept together for the translation catalogs
HEADING = "Who has looked at {name}'s record"
TIMES_ONE = "once"
TIMES_MANY = "{count} times"
WHEN = "{when} UTC"
PAGE_TEXT = "{first}–{last} of {total}"


@dataclasses.dataclass
class AccessRow:
    """One line of an access log: who, why they may, what they looked at, when, how often."""

    key: str = ""
    who: str = ""
    why: str = ""
    what: str = ""
    when: str = ""
    times: str = ""
    learner: str = ""


@dataclasses.dataclass
class ChildLog:
    """One child's page of their log."""

    id: int = 0
    name: str = ""
    heading: str = ""
    rows: list[AccessRow] = dataclasses.field(default_factory=list)
    total: int = 0
    offset: int = 0
    page_text: str = ""
    has_older: bool = False
    has_newer: bool = False
    error: str = ""


def access_row(item: dict[str, Any]) -> AccessRow:
    """The API's entry in the words a family reads."""
    times = int(item.get("times") or 1)
    return AccessRow(
        key=str(item.get("id", "")),
        who=str((item.get("reader") or {}).get("display_name", "")),
        why=str(item.get("why", "")),
        what=str(item.get("what", "")),
        when=WHEN.format(when=when_text(item.get("last_at"))),
        times=TIMES_ONE if times == 1 else TIMES_MANY.format(count=times),
        learner=str((item.get("learner") or {}).get("display_name", "")),
    )


def page_text(total: int, offset: int, shown: int) -> str:
    """"11–20 of 23", or "" when there is nothing to count."""
    if not total or not shown:
        return ""
    return PAGE_TEXT.format(first=offset + 1, last=offset + shown, total=total)


def child_log(learner: dict[str, Any], body: dict[str, Any] | None, error: str = "") -> ChildLog:
    """One child's section from their page of the log (or the API's error)."""
    body = body or {}
    items = body.get("items") or []
    total, offset = int(body.get("total") or 0), int(body.get("offset") or 0)
    return ChildLog(
        id=int(learner["id"]),
        name=str(learner.get("display_name", "")),
        heading=HEADING.format(name=learner.get("display_name", "")),
        rows=[access_row(item) for item in items],
        total=total, offset=offset, page_text=page_text(total, offset, len(items)),
        has_older=offset + len(items) < total, has_newer=offset > 0, error=error,
    )


class FamilyAccessLogState(State):
    """Each linked child's access log, a page at a time (read only: no handler writes)."""

    logs: list[ChildLog] = []
    is_loaded: bool = False
    error: str = ""

    async def _page(self, learner: dict[str, Any], offset: int) -> ChildLog:
        response = await self._api(
            "GET", f"/api/learners/{int(learner['id'])}/access-log?limit={PAGE}&offset={offset}")
        if not response.is_ok:
            return child_log(learner, None, response.message)
        return child_log(learner, response.body)

    @rx.event
    async def load(self):
        """Every child's newest page."""
        if (leave := self._guard("guardian", "student")) is not None:
            return leave
        self.is_loaded, self.error = False, ""
        try:
            learners = await self._api("GET", "/api/learners")
            if not learners.is_ok:
                self.error, self.is_loaded = learners.message, True
                return None
            self.logs = [await self._page(learner, 0) for learner in learners.body]
        except SignedOut:
            return self._to_login()
        self.is_loaded = True
        return None

    async def _move(self, child_id: int, step: int):
        logs = list(self.logs)
        for n, log in enumerate(logs):
            if log.id == int(child_id):
                offset = max(0, log.offset + step)
                try:
                    logs[n] = await self._page({"id": log.id, "display_name": log.name},
                                               offset)
                except SignedOut:
                    return self._to_login()
        self.logs = logs
        return None

    @rx.event
    async def older(self, child_id: int):
        """The next page back in time for one child."""
        return await self._move(child_id, PAGE)

    @rx.event
    async def newer(self, child_id: int):
        """The page before, nearer to now, for one child."""
        return await self._move(child_id, -PAGE)
