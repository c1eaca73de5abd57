"""The admin's school page (/admin): counts from GET /api/roster/summary."""

import reflex as rx

from app.state.base import State, signed_in
from app.state.views import CountView

_LABELS = (
    ("learners", "Learners"),
    ("teachers", "Teachers"),
    ("guardians", "Guardians"),
    ("classes", "Classes"),
    ("learning_targets", "Learning targets"),
    ("activities", "Activities"),
    ("evidence", "Pieces of evidence"),
    ("assessment_events", "Assessments recorded"),
)


class AdminState(State):
    """The school's name and its counts."""

    school_name: str = ""
    counts: list[CountView] = []
    is_loaded: bool = False
    error: str = ""

    @rx.event
    @signed_in("admin")
    async def load_summary(self):
        """Fetch the school's counts."""
        self.is_loaded, self.error = False, ""
        response = await self._api("GET", "/api/roster/summary")
        if response.is_ok:
            self.school_name = response.body.get("school", "")
            self.counts = [CountView(label=label, value=int(response.body.get(key) or 0))
                           for key, label in _LABELS]
        else:
            self.error = response.message
        self.is_loaded = True
        return None
