"""The admin's school page (/admin): counts from GET /api/roster/summary."""

import reflex as rx

from app.state.base import State, signed_in
from app.state.views import CountView
from backend.i18n import N_

_LABELS = (
    ("learners", N_("Learners")),
    ("teachers", N_("Teachers")),
    ("guardians", N_("Guardians")),
    ("classes", N_("Classes")),
    ("learning_targets", N_("Learning targets")),
    ("activities", N_("Activities")),
    ("evidence", N_("Pieces of evidence")),
    ("assessment_events", N_("Assessments recorded")),
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
