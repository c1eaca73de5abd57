"""The sign-in page's routing. Signing in itself happens in the page (assets/ui/session.js):
the API answers with httpOnly cookies, which only the browser's own fetch can receive."""

import reflex as rx

from app import routes
from app.state.base import State


class LoginState(State):
    """Where "/" and "/login" send a visitor."""

    @rx.event
    def go_home(self):
        """Signed in: straight to the role's page. Signed out: to the sign-in form."""
        role = self._user().get("role")
        if role and self._has_session():
            return rx.redirect(routes.home_for(role), replace=True)
        if self.router.page.path != routes.LOGIN:
            return rx.redirect(routes.LOGIN, replace=True)
        return None
