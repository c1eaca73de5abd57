"""Sign-in: exchange a username and password for tokens and land on the role's page."""

import reflex as rx

from app import routes
from app.api_client import call_api
from app.state.base import State


class LoginState(State):
    """The sign-in form's message and busy flag (the password never stays in state)."""

    error: str = ""
    is_busy: bool = False

    @rx.event
    def go_home(self):
        """Signed in: straight to the role's page. Signed out: to the sign-in form."""
        role = self._user().get("role")
        if role and self._session().get("access_token"):
            return rx.redirect(routes.home_for(role), replace=True)
        if self.router.page.path != routes.LOGIN:
            return rx.redirect(routes.LOGIN, replace=True)
        return None

    @rx.event
    async def sign_in(self, form_data: dict):
        """Ask the API for tokens; keep them in the browser or say what went wrong."""
        username = str(form_data.get("username", "")).strip()
        password = str(form_data.get("password", ""))
        if not username or not password:
            self.error = "Enter your username and your password."
            return
        self.is_busy = True
        self.error = ""
        yield
        response = await call_api(
            "POST",
            "/api/auth/login",
            json={"username": username, "password": password},
            client_ip=self._client_ip(),
        )
        self.is_busy = False
        if not response.is_ok:
            self.error = response.message
            return
        self._store_session(response.body)
        yield rx.redirect(routes.home_for(response.body["user"]["role"]), replace=True)
