"""A guardian's view of one target (/family/[learner_id]/targets/[target_id])."""

import reflex as rx

from app.state.base import SignedOut, State
from app.state.binder_target import TargetStory, target_story

NOT_THEIRS = ("We could not find that page. It may be about a child who is not linked to "
              "your account; your children are listed on My family.")


class FamilyTargetState(State):
    story: TargetStory = TargetStory()
    is_loaded: bool = False
    error: str = ""
    is_math_shown: bool = False  # "Show the math": the arithmetic behind the plain sentence

    @rx.event
    def toggle_math(self):
        """Open or close the arithmetic under the plain sentence."""
        self.is_math_shown = not self.is_math_shown

    @rx.event
    async def load_target(self):
        """The level, how it was worked out, and the events behind it."""
        if (leave := self._guard("guardian")) is not None:
            return leave
        self.is_loaded, self.error, self.is_math_shown = False, "", False
        params = self.router.page.params
        learner_id, target_id = str(params.get("learner_id", "")), str(params.get("target_id", ""))
        if not (learner_id.isdigit() and target_id.isdigit()):
            self.story, self.error, self.is_loaded = TargetStory(), NOT_THEIRS, True
            return None
        try:
            detail = await self._api("GET", f"/api/learners/{learner_id}/targets/{target_id}")
            learners = await self._api("GET", "/api/learners")
        except SignedOut:
            return self._to_login()
        if not detail.is_ok:
            self.story = TargetStory()
            self.error = NOT_THEIRS if detail.status == 404 else detail.message
            self.is_loaded = True
            return None
        name = next((row["display_name"] for row in learners.body or []
                     if str(row["id"]) == learner_id), "") if learners.is_ok else ""
        self.story = target_story(detail.body, int(learner_id), name, locale=self._locale())
        self.is_loaded = True
        return None
