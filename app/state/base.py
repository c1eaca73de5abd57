"""The base `State`: who is signed in, and the one helper every page uses to call the API.

Tokens never reach page scripts (issue #8). The API keeps a browser's access and refresh
tokens in httpOnly cookies (backend/api/auth/cookies.py); what the page may read is:

* `session_json`, an `rx.LocalStorage` var under the key `waypoint.session`, holding only
  `{"user": {id, username, role, display_name}}`: who is signed in on this device. The
  offline sync core reads the same key, so learner pages know their person without the
  network; sign-in and sign-out write it from the page (assets/ui/session.js).
* the cookies themselves reach THIS state server-side only: the socket's handshake sends
  them, Reflex keeps the handshake's headers for the connection (`self.router.headers.cookie`,
  never serialized to the frontend), and `_api` passes the access token on as a Bearer header
  to the in-process API. The handshake is connection-scoped, so after the browser refreshes
  its access cookie this copy goes stale: on a 401 the state refreshes with the handshake's
  refresh token and keeps the new access token in `_refreshed_access`, a backend-only var
  (never sent to the browser) keyed to that refresh token, so a different person signing in
  later in the same tab never inherits it. Sign-in and sign-out end with a full navigation,
  so the next socket carries the new cookies.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

import reflex as rx

from app import routes
from app.api_client import ApiResponse, call_api
from backend.config import Config
from backend.i18n import COOKIE as LOCALE_COOKIE
from backend.i18n import negotiate, normalize

SESSION_KEY = "waypoint.session"
ACCESS_COOKIE = Config.JWT_ACCESS_COOKIE_NAME
REFRESH_COOKIE = Config.JWT_REFRESH_COOKIE_NAME


class SignedOut(Exception):
    """The session is missing or can no longer be refreshed: the browser must sign in."""


def parse_cookies(header: str) -> dict[str, str]:
    """name -> value of a Cookie request header (the first value of a repeated name)."""
    cookies: dict[str, str] = {}
    for part in (header or "").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name and name not in cookies:
            cookies[name] = value.strip().strip('"')
    return cookies


def token_subject(token: str) -> str:
    """The `sub` claim of a JWT, read WITHOUT verifying it (the API verifies every call);
    used only to notice that this tab's connection belongs to someone who signed out."""
    try:
        payload = token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return ""
    return str(data.get("sub", "")) if isinstance(data, dict) else ""


def _fingerprint(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest() if token else ""


class State(rx.State):
    """Holds who is signed in; page states subclass it and call `_api`."""

    session_json: str = rx.LocalStorage("", name=SESSION_KEY, sync=True)
    # backend-only (a leading underscore: never sent to the browser):
    # {"for": sha256 of the handshake's refresh token, "token": an access token}
    _refreshed_access: dict[str, str] = {}
    # the handshake this tab was last reloaded for, so a stale tab reloads only once
    _reloaded_for: str = ""

    def _session(self) -> dict[str, Any]:
        try:
            session = json.loads(self.session_json or "{}")
        except ValueError:
            return {}
        return session if isinstance(session, dict) else {}

    def _user(self) -> dict[str, Any]:
        user = self._session().get("user")
        return user if isinstance(user, dict) else {}

    def _handshake_tokens(self) -> tuple[str, str]:
        """(access, refresh) from the cookies this tab's socket connected with ("" if absent)."""
        cookies = parse_cookies(self.router.headers.cookie)
        return cookies.get(ACCESS_COOKIE, ""), cookies.get(REFRESH_COOKIE, "")

    def _access_token(self) -> str:
        """The access token to call the API with: one refreshed here for this very
        connection's refresh token, else the handshake's own ("" when there is none)."""
        access, refresh = self._handshake_tokens()
        saved = self._refreshed_access
        if refresh and saved.get("for") == _fingerprint(refresh) and saved.get("token"):
            return saved["token"]
        return access

    def _is_stale(self) -> bool:
        """True when this tab's connection carries someone else's session than the device's
        user (another tab signed out and in since this socket connected)."""
        access, refresh = self._handshake_tokens()
        subject = token_subject(refresh or access)
        user_id = self._user().get("id")
        return bool(subject and user_id is not None and subject != str(user_id))

    def _has_session(self) -> bool:
        """A user on this device, and this connection's cookies are theirs."""
        return bool(self._user().get("role") and any(self._handshake_tokens())
                    and not self._is_stale())

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

    def _language(self) -> str:
        """The reader's languages, as its socket's handshake sent them: the language this
        device shows first (the waypoint_locale cookie assets/ui/i18n.js keeps), then the
        browser's Accept-Language."""
        accept = str(getattr(self.router.headers, "accept_language", "") or "")
        chosen = normalize(parse_cookies(self.router.headers.cookie).get(LOCALE_COOKIE, ""))
        return f"{chosen},{accept}" if chosen else accept

    def _locale(self) -> str:
        """The reader's locale for words this state writes (gettext(…, locale=…)); the API
        uses the person's own setting first."""
        return negotiate(tag.split(";")[0].strip() for tag in self._language().split(","))

    async def _api(self, method: str, path: str, json_body: Any = None) -> ApiResponse:
        """Call the API as the signed-in user; refresh the access token once on a 401.

        Raises SignedOut when there is no session or it cannot be refreshed.
        """
        access, refresh = self._handshake_tokens()
        if not self._user() or not (access or refresh) or self._is_stale():
            raise SignedOut
        token = self._access_token()
        if token:
            response = await call_api(method, path, token=token, json=json_body,
                                      client_ip=self._client_ip(), language=self._language())
            if response.status != 401:
                return response
        if not refresh:
            raise SignedOut
        refreshed = await call_api("POST", "/api/auth/refresh", token=refresh,
                                   client_ip=self._client_ip(), language=self._language())
        if not refreshed.is_ok:
            raise SignedOut
        token = refreshed.body["access_token"]
        self._refreshed_access = {"for": _fingerprint(refresh), "token": token}
        response = await call_api(method, path, token=token, json=json_body,
                                  client_ip=self._client_ip(), language=self._language())
        if response.status == 401:
            raise SignedOut
        return response

    def _to_login(self):
        """Forget everything this tab knew and go to the sign-in page.

        A tab whose socket still carries a previous session (someone signed out and in
        again in another tab) reloads once instead, so its new socket brings the device's
        current cookies; only when the cookies stay the same does it go to sign-in.
        """
        if self._is_stale():
            handshake = _fingerprint("|".join(self._handshake_tokens()))
            if self._reloaded_for != handshake:
                self._reloaded_for = handshake
                return rx.call_script("window.location.reload()")
        self.reset()
        return rx.redirect(routes.LOGIN, replace=True)

    def _guard(self, *roles: str):
        """A redirect when the visitor may not see this page, else None."""
        role = self._user().get("role")
        if not role or not self._has_session():
            return self._to_login()
        if roles and role not in roles:
            return rx.redirect(routes.home_for(role), replace=True)
        return None

    @rx.event
    def sign_out(self):
        """Sign out from the page (assets/ui/session.js): it sends what the sync core still
        holds, revokes both tokens, clears the cookies and opens /login."""
        return rx.call_script("window.waypointSession ? window.waypointSession.signOut()"
                              f" : window.location.replace({json.dumps(routes.LOGIN)})")


def signed_in(*roles: str) -> Callable:
    """The one sign-in check for an event handler (an on_load or a form's submit):

        @rx.event
        @signed_in("admin")
        async def load(self): ...

    A visitor who is signed out (or whose session cannot be refreshed mid-handler, when
    `_api` raises SignedOut) goes to sign-in; one of another role goes to their own home.
    With no roles, any signed-in person passes. Replaces the guard-then-try/except that
    every state wrote out by hand."""

    def wrap(handler: Callable) -> Callable:
        @functools.wraps(handler)
        async def checked(self, *args, **kwargs):
            if (leave := self._guard(*roles)) is not None:
                return leave
            try:
                return await handler(self, *args, **kwargs)
            except SignedOut:
                return self._to_login()

        return checked

    return wrap
