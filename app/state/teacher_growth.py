"""/teacher/growth ("My growth"): only who may open it.

The page renders from the device's store (assets/ui/growth.js); a teacher's microcredential
work is their own binder, written through the sync core, so no state holds it here.
"""

import reflex as rx

from app.state.base import State


class TeacherGrowthState(State):
    """Teachers only (their own binder); everyone else goes to their own start page."""

    @rx.event
    async def check_access(self):
        """The page's guard (the page itself needs no server)."""
        return self._guard("teacher")
