"""A teacher's classes with their learners (/teacher); an admin sees every class."""

import reflex as rx

from app import routes
from app.state.base import SignedOut, State
from app.state.views import ClassView, LearnerLink


class TeacherState(State):
    """Classes from GET /api/roster/classes."""

    classes: list[ClassView] = []
    is_loaded: bool = False
    error: str = ""

    @rx.event
    async def load_classes(self):
        """Fetch the classes the signed-in teacher teaches (all of them for an admin)."""
        if (leave := self._guard("teacher", "admin")) is not None:
            return leave
        self.is_loaded, self.error = False, ""
        try:
            response = await self._api("GET", "/api/roster/classes")
        except SignedOut:
            return self._to_login()
        if response.is_ok:
            self.classes = [
                ClassView(
                    id=cls["id"],
                    name=cls["name"],
                    teacher_name=cls.get("teacher_name", ""),
                    count_text=_learner_count(len(cls.get("learners", []))),
                    learners=[
                        LearnerLink(id=s["id"], display_name=s["display_name"],
                                    href=routes.binder_of(s["id"]))
                        for s in cls.get("learners", [])
                    ],
                )
                for cls in response.body
            ]
        else:
            self.error = response.message
        self.is_loaded = True
        return None


def _learner_count(n: int) -> str:
    return "No learners yet" if n == 0 else f"{n} learner{'s' if n != 1 else ''}"
