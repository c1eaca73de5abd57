"""The teacher's review queue (/teacher/review): only who may open it.

The queue itself reads the device's store in the browser (assets/ui/teacher_queue.js); the
REST read that used to feed it (GET /api/review-queue) is gone, so there is one path online,
offline and after an offline reload (issue 14 item 1).
"""

import reflex as rx

from app.state.base import State


class TeacherReviewState(State):
    """Teachers and admins only; everyone else goes to their own start page."""

    @rx.event
    async def load_queue(self):
        """The page's guard (the cards need no server)."""
        return self._guard("teacher", "admin")
