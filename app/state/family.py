"""A guardian's children, each with their binder (/family). Read-only by design."""

import reflex as rx

from app.state.base import SignedOut, State
from app.state.views import BinderView, binder_view


class FamilyState(State):
    """The binders of the learners linked to this guardian."""

    children: list[BinderView] = []
    is_loaded: bool = False
    error: str = ""

    @rx.event
    async def load_children(self):
        """Fetch the guardian's children, then each child's binder."""
        if (leave := self._guard("guardian")) is not None:
            return leave
        self.is_loaded, self.error = False, ""
        try:
            learners = await self._api("GET", "/api/learners")
            if not learners.is_ok:
                self.error = learners.message
                self.is_loaded = True
                return None
            children = []
            for learner in learners.body:
                binder = await self._api("GET", f"/api/learners/{learner['id']}/binder")
                if binder.is_ok:
                    children.append(binder_view(binder.body, learner.get("classes")))
        except SignedOut:
            return self._to_login()
        self.children = children
        self.is_loaded = True
        return None
