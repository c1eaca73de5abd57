"""Call the Flask API in-process from Reflex event handlers, as the signed-in browser would.

Why in-process and not HTTP to our own origin: the API already runs inside this very
server (mounted at /api in `app/app.py`), so a loopback HTTP call would only add a socket,
a thread hop and the need to know our own public URL. Instead every call goes through
werkzeug's test client against the *same* Flask app object the mount serves, so both
paths share one app, one database engine and one rate-limiter store. The browser's IP is
passed as REMOTE_ADDR, so per-IP limits (sign-in: 10 a minute) count the real person and
not this process. The blocking WSGI call runs in a worker thread to keep the event loop free.

The token is the one the browser's socket brought in its handshake cookies (the page itself
never holds one; see app/state/base.py), sent here as a Bearer header, so the in-process
call needs no CSRF proof: a header is not something another site can make a browser send.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
from typing import Any

from flask import Flask

from backend import create_app


@functools.cache
def flask_app() -> Flask:
    """The one Flask app of this process: mounted at /api and called by event handlers."""
    return create_app()


@dataclasses.dataclass(frozen=True)
class ApiResponse:
    """Status and parsed JSON body of one API call."""

    status: int
    body: Any

    @property
    def is_ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def message(self) -> str:
        """The API's human sentence for an error (its one error shape has `message`)."""
        if isinstance(self.body, dict) and self.body.get("message"):
            return str(self.body["message"])
        return "Something went wrong. Please try again."


def _call(method: str, path: str, token: str | None, json: Any, client_ip: str,
          language: str = "") -> ApiResponse:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if language:  # the reader's language, for the API's error words (backend/error_words.py)
        headers["Accept-Language"] = language
    environ = {"REMOTE_ADDR": client_ip or "127.0.0.1"}
    with flask_app().test_client() as client:
        response = client.open(path, method=method, json=json, headers=headers,
                               environ_base=environ)
        body = response.get_json(silent=True)
    return ApiResponse(response.status_code, body)


async def call_api(method: str, path: str, *, token: str | None = None, json: Any = None,
                   client_ip: str = "", language: str = "") -> ApiResponse:
    """Make one API call with the bearer `token` on behalf of the browser at `client_ip`
    (`language`: its Accept-Language, so refusals come back in the reader's words)."""
    return await asyncio.to_thread(_call, method, path, token, json, client_ip, language)
