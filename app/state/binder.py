"""One learner's binder opened by a teacher, guardian or admin (/binder/[learner_id])."""

import reflex as rx

from app import routes
from app.state.base import SignedOut, State
from app.state.views import BinderView, binder_view


class BinderState(State):
    """A binder someone other than the learner reads."""

    binder: BinderView = BinderView()
    is_loaded: bool = False
    error: str = ""

    @rx.var
    def back_href(self) -> str:
        """Where "Back" goes: the reader's own home page."""
        return routes.home_for(self.user_role)

    @rx.event
    async def load_binder(self):
        """Fetch the binder named in the address; the API decides who may read it."""
        if (leave := self._guard("teacher", "guardian", "admin")) is not None:
            return leave
        self.is_loaded, self.error = False, ""
        learner_id = str(self.router.page.params.get("learner_id", ""))
        if not learner_id.isdigit():
            self.error = "That learner was not found among the learners you can see."
            self.is_loaded = True
            return None
        try:
            response = await self._api("GET", f"/api/learners/{learner_id}/binder")
        except SignedOut:
            return self._to_login()
        if response.is_ok:
            self.binder = binder_view(response.body)
        else:
            self.binder = BinderView()
            self.error = response.message
        self.is_loaded = True
        return None
