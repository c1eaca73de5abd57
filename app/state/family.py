"""A guardian's children (/family): binder, progress by week, approved evidence with photos
and current goals. Read-only by design: this state has no handler that writes."""

import reflex as rx

from app.state.base import SignedOut, State
from app.state.binder_photos import photo_uri
from app.state.family_views import (
    FamilyChild,
    evidence_card,
    goal_line,
    progress_text,
)
from app.state.views import binder_view


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
                goals = await self._api("GET", f"{base}/goals")
                weeks = progress.body.get("weeks", []) if progress.is_ok else []
                evidence = progress.body.get("recent_evidence", []) if progress.is_ok else []
                children.append(FamilyChild(
                    binder=binder_view(binder.body, learner.get("classes")),
                    weeks=weeks,
                    progress_text=progress_text(weeks),
                    evidence=[evidence_card(row, await photo_uri(row.get("thumb_url"), token))
                              for row in evidence],
                    goals=[goal_line(g) for g in goals.body if g.get("status") == "active"]
                    if goals.is_ok else [],
                ))
        except SignedOut:
            return self._to_login()
        self.children = children
        self.is_loaded = True
        return None
