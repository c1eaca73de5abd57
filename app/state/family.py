"""A guardian's children (/family): binder, progress by week, approved evidence with photos
and current goals. Read-only by design: this state has no handler that writes."""

import reflex as rx

from app.state.base import SignedOut, State
from app.state.binder_photos import photo_uri
from app.state.family_views import (
    CURRENT,
    DONE,
    SHOW_DONE,
    FamilyChild,
    chart_weeks,
    evidence_card,
    goal_line,
    goal_list,
    progress_text,
)
from app.state.paging import PAGE_SIZE, focus_item_script
from app.state.profile_views import observation_lines, observations_more, profile_lines
from app.state.views import binder_view
from backend.i18n import format_number, gettext


def _goal_lists(page: dict, locale: str | None = None) -> dict:
    """The first page of current goals and the done goals' button, from a goals page."""
    counts = page.get("counts") or {}
    done = int(counts.get("done", 0))
    return {"goals": goal_list([goal_line(g, locale) for g in page.get("items", [])],
                               int(page.get("total", 0)), CURRENT, locale),
            "done_button_text": (gettext(SHOW_DONE, locale, n=format_number(done, locale))
                                 if done else "")}


class FamilyState(State):
    """Everything a guardian sees about each linked child."""

    children: list[FamilyChild] = []
    is_loaded: bool = False
    error: str = ""

    @rx.event
    async def load_children(self):
        """Fetch the guardian's children, then each child's binder, progress and goals."""
        if (leave := self._guard("guardian")) is not None:
            return leave
        self.is_loaded, self.error = False, ""
        try:
            learners = await self._api("GET", "/api/learners")
            if not learners.is_ok:
                self.error = learners.message
                self.is_loaded = True
                return None
            token = self._access_token()  # after _api: refreshed if it had expired
            children = []
            for learner in learners.body:
                base = f"/api/learners/{learner['id']}"
                binder = await self._api("GET", f"{base}/binder")
                if not binder.is_ok:
                    continue
                progress = await self._api("GET", f"{base}/progress")
                goals = await self._api("GET", f"{base}/goals?status=active&limit={PAGE_SIZE}")
                profile = await self._api("GET", f"{base}/profile")
                record = profile.body if profile.is_ok else {}
                weeks = progress.body.get("weeks", []) if progress.is_ok else []
                evidence = progress.body.get("recent_evidence", []) if progress.is_ok else []
                children.append(FamilyChild(
                    binder=binder_view(binder.body, learner.get("classes"), self._locale()),
                    weeks=chart_weeks(weeks, self._locale()),
                    progress_text=progress_text(weeks, self._locale()),
                    evidence=[evidence_card(row, await photo_uri(row.get("thumb_url"), token),
                                            self._locale())
                              for row in evidence],
                    **_goal_lists(goals.body if goals.is_ok else {}, self._locale()),
                    profile=profile_lines(record, self._locale()),
                    observations=observation_lines(record, self._locale()),
                    observations_more=observations_more(record, self._locale()),
                ))
        except SignedOut:
            return self._to_login()
        self.children = children
        self.is_loaded = True
        return None

    @rx.event
    async def more_goals(self, learner_id: int, status: str):
        """The next page of one child's current ("active") or done goals (the first tap on
        "Show done goals" loads the first page of those). Focus goes to the first new one."""
        index = next((i for i, c in enumerate(self.children)
                      if str(c.binder.learner_id) == str(learner_id)), None)
        if index is None or status not in ("active", "done"):
            return None
        child = self.children[index]
        shown = child.goals if status == "active" else child.done
        try:
            page = await self._api(
                "GET", f"/api/learners/{int(learner_id)}/goals?status={status}"
                       f"&limit={PAGE_SIZE}&offset={len(shown.rows)}")
        except SignedOut:
            return self._to_login()
        if not page.is_ok:
            self.error = page.message
            return None
        grown = goal_list(shown.rows + [goal_line(g, self._locale())
                                        for g in page.body.get("items", [])],
                          int(page.body.get("total", 0)), CURRENT if status == "active" else DONE,
                          self._locale())
        if status == "active":
            child.goals = grown
        else:
            child.done = grown
        self.children = [*self.children[:index], child, *self.children[index + 1:]]
        list_id = f"goals-{status}-{int(learner_id)}"
        return rx.call_script(focus_item_script(list_id, len(shown.rows)))
