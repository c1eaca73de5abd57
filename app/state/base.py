"""The base `State`: the signed-in session and the one helper every page uses to call the API.

The session lives in the browser, not on the server: `session_json` is an
`rx.LocalStorage` var stored under the single localStorage key `waypoint.session`, holding
`{"access_token", "refresh_token", "user": {id, username, role, display_name}}` as JSON.
Reflex hydrates it into this state on every page load (before `on_load` runs) and writes
it back whenever a handler changes it. Keeping it in localStorage, not only in server
memory, is deliberate: the offline sync core (plain JS, a later issue) reads the same key
to push and pull while the socket is down, and a reload or a server restart does not sign
anyone out.
"""

from __future__ import annotations

import json
from typing import Any

import reflex as rx

from app import routes
from app.api_client import ApiResponse, call_api

SESSION_KEY = "waypoint.session"


class SignedOut(Exception):
    """The session is missing or can no longer be refreshed: the browser must sign in."""


class State(rx.State):
    """Holds the session; page states subclass it and call `_api`."""

    session_json: str = rx.LocalStorage("", name=SESSION_KEY, sync=True)

    def _session(self) -> dict[str, Any]:
        try:
            session = json.loads(self.session_json or "{}")
        except ValueError:
            return {}
        return session if isinstance(session, dict) else {}

    def _user(self) -> dict[str, Any]:
        user = self._session().get("user")
        return user if isinstance(user, dict) else {}

    def _store_session(self, session: dict[str, Any]) -> None:
        self.session_json = json.dumps(session, separators=(",", ":"))

    @rx.var
    def user_display_name(self) -> str:
        """The signed-in person's name as the school wrote it."""
        return str(self._user().get("display_name", ""))

    @rx.var
    def user_role(self) -> str:
        """student, teacher, guardian or admin; empty when signed out."""
        return str(self._user().get("role", ""))

    def _client_ip(self) -> str:
        return self.router.session.client_ip

    async def _api(self, method: str, path: str, json_body: Any = None) -> ApiResponse:
        """Call the API as the signed-in user; refresh the access token once on a 401.

        Raises SignedOut when there is no session or it cannot be refreshed.
        """
        session = self._session()
        if not session.get("access_token"):
            raise SignedOut
        response = await call_api(method, path, token=session["access_token"], json=json_body,
                                  client_ip=self._client_ip())
        if response.status != 401:
            return response
        refreshed = await call_api("POST", "/api/auth/refresh",
                                   token=session.get("refresh_token"),
                                   client_ip=self._client_ip())
        if not refreshed.is_ok:
            raise SignedOut
        session["access_token"] = refreshed.body["access_token"]
        self._store_session(session)
        response = await call_api(method, path, token=session["access_token"], json=json_body,
                                  client_ip=self._client_ip())
        if response.status == 401:
            raise SignedOut
        return response

    def _to_login(self):
        """Forget everything this tab knew and go to the sign-in page."""
        self.reset()
        return rx.redirect(routes.LOGIN, replace=True)

    def _guard(self, *roles: str):
        """A redirect when the visitor may not see this page, else None."""
        role = self._user().get("role")
        if not role or not self._session().get("access_token"):
            return self._to_login()
        if roles and role not in roles:
            return rx.redirect(routes.home_for(role), replace=True)
        return None

    @rx.event
    async def sign_out(self):
        """Revoke both tokens (best effort: offline is fine) and return to sign-in."""
        session = self._session()
        for token in (session.get("access_token"), session.get("refresh_token")):
            if token:
                await call_api("POST", "/api/auth/logout", token=token,
                               client_ip=self._client_ip())
        return self._to_login()
