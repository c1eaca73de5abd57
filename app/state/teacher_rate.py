"""Rate mastery (/teacher/learners/[learner_id]/targets/[target_id]).

The page reads the target online; the rating itself is a `rating.put` through the sync core
with base_version = the newest rating version this device has pulled, so a rating made
offline while another teacher rated is kept and opens a conflict instead of overwriting.
"""

import reflex as rx

from app import routes
from app.state.base import SignedOut, State
from app.state.binder_target import TargetStory, target_story

NOT_FOUND = "That learner or target was not found among the learners you teach."


class TeacherRateState(State):
    story: TargetStory = TargetStory()
    is_loaded: bool = False
    error: str = ""

    @rx.var
    def radio_name(self) -> str:
        return f"rating-{self.story.learner_id}-{self.story.target_id}"

    @rx.var
    def note_id(self) -> str:
        return f"rating-note-{self.story.learner_id}-{self.story.target_id}"

    @rx.var
    def rating_key(self) -> str:
        """"<learner>:<target>", as the device's store names an unsent rating."""
        return f"{self.story.learner_id}:{self.story.target_id}"

    @rx.var
    def binder_href(self) -> str:
        return routes.binder_of(self.story.learner_id) if self.story.learner_id else routes.TEACHER

    @rx.event
    async def load_target(self):
        """The target, its explanation, the learner's own view and recent events."""
        if (leave := self._guard("teacher")) is not None:
            return leave
        self.is_loaded, self.error = False, ""
        params = self.router.page.params
        learner_id, target_id = str(params.get("learner_id", "")), str(params.get("target_id", ""))
        if not (learner_id.isdigit() and target_id.isdigit()):
            self.error, self.is_loaded = NOT_FOUND, True
            return None
        try:
            detail = await self._api("GET", f"/api/learners/{learner_id}/targets/{target_id}")
            learners = await self._api("GET", "/api/learners")
        except SignedOut:
            return self._to_login()
        if not detail.is_ok:
            self.error = detail.message if detail.status != 404 else NOT_FOUND
            self.is_loaded = True
            return None
        name = next((row["display_name"] for row in learners.body or []
                     if str(row["id"]) == learner_id), "") if learners.is_ok else ""
        self.story = target_story(detail.body, int(learner_id), name)
        self.is_loaded = True
        return None
