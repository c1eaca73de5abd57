"""The learner's own binder (/learner)."""

import reflex as rx

from app.state.base import SignedOut, State
from app.state.views import BinderView, binder_view


class LearnerState(State):
    """The signed-in learner's binder."""

    binder: BinderView = BinderView()
    is_loaded: bool = False
    error: str = ""

    @rx.event
    async def load_binder(self):
        """Fetch the learner's own binder; visitors who are not learners are sent away."""
        if (leave := self._guard("student")) is not None:
            return leave
        self.is_loaded, self.error = False, ""
        try:
            response = await self._api("GET", f"/api/learners/{self._user()['id']}/binder")
        except SignedOut:
            return self._to_login()
        if response.is_ok:
            self.binder = binder_view(response.body)
        else:
            self.error = response.message
        self.is_loaded = True
        return None
