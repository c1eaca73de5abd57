"""The conflicts inbox (/teacher/conflicts): pairs of ratings that crossed, from
GET /api/conflicts; each is closed by one `conflict.resolve` through the sync core."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from app import routes
from app.state import paging
from app.state.base import SignedOut, State
from app.state.paging import PAGE_SIZE, Words
from app.state.teacher_nav import TeacherNavState
from app.state.views import color_for, hlc_text, level_text, when_text, words_for


@dataclasses.dataclass
class ConflictSide:
    """One teacher's rating in a conflict."""

    teacher_name: str = ""
    level: str = ""
    level_words: str = ""
    color: str = "gray"
    when: str = ""
    device: str = ""
    is_shown: bool = False
    level_value: float = 0.0


@dataclasses.dataclass
class ConflictView:
    id: str = ""
    learner_name: str = ""
    target_text: str = ""
    opened: str = ""
    rate_href: str = ""
    sides: list[ConflictSide] = dataclasses.field(default_factory=list)


def _side(conflict: dict[str, Any], member: dict[str, Any]) -> ConflictSide:
    level = float(member.get("level") or 0)
    node = str(member.get("hlc", "")).split("-", 2)[-1]
    return ConflictSide(
        teacher_name=str(member.get("teacher_name") or "A teacher"),
        level=level_text(level),
        level_words=words_for(level),
        color=color_for(level),
        when=hlc_text(member.get("hlc")),
        device="device …" + node[-6:] if node else "",
        is_shown=str(member.get("teacher_id")) == str(conflict.get("shown_teacher_id")),
        level_value=level,
    )


def conflict_view(conflict: dict[str, Any]) -> ConflictView:
    target = conflict.get("target") or {}
    learner = conflict.get("learner") or {}
    return ConflictView(
        id=str(conflict["id"]),
        learner_name=str(learner.get("display_name") or ""),
        target_text=f"{target.get('code', '')} · {target.get('title', '')}",
        opened="Opened " + when_text(conflict.get("opened_at")),
        rate_href=routes.rate_target(learner.get("id"), target.get("id")),
        sides=[_side(conflict, m) for m in conflict.get("members") or []],
    )


OPEN = Words("open conflict", "open conflicts")
LIST_ID = "conflicts"


class TeacherConflictsState(State):
    """Open conflicts of the teacher's learners, oldest first, 20 at a time."""

    conflicts: list[ConflictView] = []
    total: int = 0
    is_loaded: bool = False
    error: str = ""

    async def _page(self, offset: int) -> list[ConflictView] | None:
        response = await self._api(
            "GET", f"/api/conflicts?status=open&limit={PAGE_SIZE}&offset={offset}")
        if not response.is_ok:
            self.error = response.message
            return None
        self.total = int(response.body.get("total", 0))
        return [conflict_view(c) for c in response.body.get("conflicts", [])]

    @rx.event
    async def load_conflicts(self):
        """The first page of open conflicts of the teacher's learners."""
        if (leave := self._guard("teacher")) is not None:
            return leave
        self.error = ""
        try:
            conflicts = await self._page(0)
        except SignedOut:
            return self._to_login()
        if conflicts is not None:
            self.conflicts = conflicts
        self.is_loaded = True
        return TeacherNavState.load_badge

    @rx.var
    def count_text(self) -> str:
        """"Showing 20 of 31 open conflicts"."""
        return paging.count_text(len(self.conflicts), self.total, OPEN)

    @rx.var
    def more_text(self) -> str:
        return paging.more_text(len(self.conflicts), self.total, OPEN)

    @rx.event
    async def show_more(self):
        """The next page (settled ones leave the server's list: never shown twice)."""
        shown = len(self.conflicts)
        try:
            more = await self._page(shown)
        except SignedOut:
            return self._to_login()
        seen = {c.id for c in self.conflicts}
        self.conflicts = self.conflicts + [c for c in more or [] if c.id not in seen]
        return rx.call_script(paging.focus_item_script(LIST_ID, shown))
