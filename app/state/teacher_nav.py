"""The open-conflicts badge in a teacher's navigation (GET /api/conflicts → open_count)."""

import reflex as rx

from app.state.base import SignedOut, State


class TeacherNavState(State):
    """How many conflicting ratings wait for this teacher."""

    open_conflicts: int = 0

    @rx.event
    async def load_badge(self):
        """Count the open conflicts of the teacher's learners (quietly: it is only a badge)."""
        if self._user().get("role") not in ("teacher", "admin"):
            return
        try:
            response = await self._api("GET", "/api/conflicts?status=open&limit=1")
        except SignedOut:
            return
        if response.is_ok:
            self.open_conflicts = int(response.body.get("open_count") or 0)
