"""Who has looked at each child's record (/family, the section of app/components/access_log.py),
from GET /api/learners/<id>/access-log: one page per child, newest first."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from app.state import paging
from app.state.base import SignedOut, State
from app.state.paging import PAGE_SIZE, Words, focus_item_script
from app.state.views import when_text
from backend.i18n import N_

# user-facing words, kept together for the translation catalogs
HEADING = "Who has looked at {name}'s record"
TIMES_ONE = "once"
TIMES_MANY = "{count} times"
WHEN = "{when} UTC"
ENTRIES = Words(N_("Showing {shown} of {n} entry", "Showing {shown} of {n} entries"),
                N_("Show {n} more entry", "Show {n} more entries"))


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
    # the same in parts, for the screen's own words in the reader's language
    # (app/components/access_log.py renders t("{when} UTC") and tn("once", "{n} times"))
    last: str = ""
    count: int = 1


@dataclasses.dataclass
class ChildLog:
    """One child's page of their log."""

    id: int = 0
    name: str = ""
    heading: str = ""
    rows: list[AccessRow] = dataclasses.field(default_factory=list)
    total: int = 0
    count_text: str = ""
    more_text: str = ""
    list_id: str = ""
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
        last=when_text(item.get("last_at")), count=times,
    )


def child_log(learner: dict[str, Any], rows: list[AccessRow], total: int,
              error: str = "", locale: str | None = None) -> ChildLog:
    """One child's section: the entries shown so far, the true total, the pager's words."""
    return ChildLog(
        id=int(learner["id"]), name=str(learner.get("display_name", "")),
        heading=HEADING.format(name=learner.get("display_name", "")),
        rows=rows, total=total,
        count_text=paging.count_text(len(rows), total, ENTRIES, locale=locale),
        more_text=paging.more_text(len(rows), total, ENTRIES, locale=locale),
        list_id=f"access-log-{int(learner['id'])}", error=error,
    )


class FamilyAccessLogState(State):
    """Each linked child's access log, a page at a time (read only: no handler writes)."""

    logs: list[ChildLog] = []
    is_loaded: bool = False
    error: str = ""

    async def _page(self, child_id: int, offset: int) -> tuple[list[AccessRow], int, str]:
        response = await self._api(
            "GET", f"/api/learners/{int(child_id)}/access-log?limit={PAGE_SIZE}"
                   f"&offset={int(offset)}")
        if not response.is_ok:
            return [], 0, response.message
        body = response.body
        return [access_row(item) for item in body["items"]], int(body["total"]), ""

    @rx.event
    async def load(self):
        """Every child's newest entries."""
        if (leave := self._guard("guardian", "student")) is not None:
            return leave
        self.is_loaded, self.error = False, ""
        try:
            learners = await self._api("GET", "/api/learners")
            if not learners.is_ok:
                self.error, self.is_loaded = learners.message, True
                return None
            logs = []
            for learner in learners.body:
                rows, total, error = await self._page(learner["id"], 0)
                logs.append(child_log(learner, rows, total, error, self._locale()))
        except SignedOut:
            return self._to_login()
        self.logs, self.is_loaded = logs, True
        return None

    @rx.event
    async def show_more(self, child_id: int):
        """One child's next entries, after those shown; focus moves to the first new one."""
        logs = list(self.logs)
        for n, log in enumerate(logs):
            if log.id != int(child_id):
                continue
            shown = len(log.rows)
            try:
                more, total, error = await self._page(log.id, shown)
            except SignedOut:
                return self._to_login()
            seen = {row.key for row in log.rows}
            rows = log.rows + [row for row in more if row.key not in seen]
            logs[n] = child_log({"id": log.id, "display_name": log.name}, rows,
                                total if not error else log.total, error, self._locale())
            self.logs = logs
            return rx.call_script(focus_item_script(log.list_id, shown))
        return None
