"""The teacher's home (/teacher): who may open it. The classes themselves come from the
device's store (assets/ui/teacher_screens.js useClassLists), not from this state."""

import reflex as rx

from app.state.base import State


class TeacherState(State):
    """A sign-in check for the teacher screens that render from the store."""

    @rx.event
    def check(self):
        """Teachers and admins stay; anyone else goes to their own home (or sign-in)."""
        return self._guard("teacher", "admin")
