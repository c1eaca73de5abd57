"""Who may talk to the app from another origin (nobody, by default), and the security headers
of its pages: one home for both the single-port server (`make run`) and nginx (issue 13, #3
and #9d).

CORS. Reflex wraps the whole server, the Flask API included, in Starlette's CORSMiddleware
with `allow_credentials=True`; with Reflex's default origin list `("*",)` that echoed any
`Origin` back with `Access-Control-Allow-Credentials: true`, so a page on another port
could read a signed-in learner's binder. `allowed_origins()` is the list instead: empty
unless a district names origins in `CORS_ALLOWED_ORIGINS` (comma separated, exact
`scheme://host[:port]`). A same-origin request needs no CORS header at all. Reflex's
middleware also sends `Access-Control-Allow-Credentials: true` to every origin (inert
without the origin, but a reviewer's red flag), so `install_cors` puts ours in its place:
credentials only ever go with a listed origin. The event
socket (`/_event`, socket.io) is checked by `origin_allowed`: its own origin or a listed
one, never any other (Reflex would hand socket.io the empty list, which switches its
origin check off).

Headers. `PAGE_HEADERS` are what every page, script and file of the app carries;
`deploy/nginx-security-headers.conf` says the same to nginx, and
tests/e2e/test_security_headers.py holds the two equal. The API (`/api`) sets its own,
stricter set (`backend/__init__.py`).
"""

from __future__ import annotations

import os
import re

from starlette.datastructures import MutableHeaders
from starlette.middleware.cors import CORSMiddleware

# 'unsafe-inline' for scripts: the production build inlines ~9 small scripts into every
# page (React Router's hydration context and stream, React's reveal functions, the colour
# mode). They are fixed per build, so hashes would be possible, but they differ per page
# and per build, and nginx serves the same pages from a static configuration file that
# cannot follow a build. 'unsafe-eval': Reflex runs rx.call_script and its event callbacks
# with eval() (.web/utils/state.js), and the teacher screens use call_script.
# The rest stays closed: scripts, sockets and workers only from this origin, no plugins,
# no framing, no <base> or form posts elsewhere. data: and blob: images are the thumbnails
# and photos the sync core keeps in IndexedDB.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])

PAGE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
}

_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$")
CORS_SETTING = "CORS_ALLOWED_ORIGINS"


class CorsSettingError(SystemExit):
    """A start-up refusal naming the setting (one line, exit code 1)."""

    def __init__(self, message: str):
        super().__init__(f"waypoint: {CORS_SETTING}: {message}")
        self.code = 1


def allowed_origins(value: str | None = None) -> list[str]:
    """Origins other than the app's own that may call it with the user's cookies."""
    raw = os.environ.get(CORS_SETTING, "") if value is None else value
    origins = [o.strip().rstrip("/") for o in raw.split(",") if o.strip()]
    for origin in origins:
        if origin == "*":
            raise CorsSettingError("'*' would let any website read signed-in data; list "
                                   "exact origins such as https://portal.district.org")
        if not _ORIGIN.match(origin):
            raise CorsSettingError(f"{origin!r} is not an origin; write scheme://host[:port], "
                                   "e.g. https://portal.district.org")
    return origins


def _own_origins(environ: dict) -> set[str]:
    """The origins this request was addressed to (directly, or as nginx forwarded it)."""
    host = environ.get("HTTP_X_FORWARDED_HOST") or environ.get("HTTP_HOST") or ""
    host = host.split(",")[0].strip()
    scheme = (environ.get("HTTP_X_FORWARDED_PROTO") or environ.get("wsgi.url_scheme")
              or "http").split(",")[0].strip()
    return {f"{scheme}://{host}"} if host else set()


def origin_allowed(origin: str | None, environ: dict | None = None) -> bool:
    """socket.io's origin check for the event socket: same origin or a listed one."""
    if not origin:
        return True  # not a browser's cross-origin request (browsers always send Origin)
    origin = origin.rstrip("/")
    if origin in allowed_origins():
        return True
    return origin in _own_origins(environ or {})


class ListedOriginsCORS(CORSMiddleware):
    """Starlette's CORS middleware, granting nothing (not even the credentials flag) to an
    origin that is not listed, and never "*"."""

    def __init__(self, app, **options):
        options["allow_origins"] = [o for o in options.get("allow_origins", ()) if o != "*"]
        super().__init__(app, **options)

    async def send(self, message, send, request_headers) -> None:
        origin = request_headers.get("Origin")
        if origin is None or self.is_allowed_origin(origin=origin):
            await super().send(message, send, request_headers)
            return

        async def send_nothing_granted(msg):
            if msg["type"] == "http.response.start":
                del MutableHeaders(scope=msg)["Access-Control-Allow-Credentials"]
            await send(msg)

        await super().send(message, send_nothing_granted, request_headers)


def _add_cors(api) -> None:
    api.add_middleware(ListedOriginsCORS, allow_credentials=True, allow_methods=["*"],
                       allow_headers=["*"], allow_origins=allowed_origins())


def install_cors() -> None:
    """Reflex adds its CORS middleware through `App._add_cors` (on its own routes, on the
    mounted API and around everything); make that ours. Call before `rx.App(...)`."""
    from reflex.app import App

    App._add_cors = staticmethod(_add_cors)


def guard_event_socket(app) -> None:
    """Make the Reflex app's socket.io server refuse handshakes from other origins."""
    if app.sio is not None:
        app.sio.eio.cors_allowed_origins = origin_allowed


def with_security_headers(asgi_app):
    """ASGI wrapper: PAGE_HEADERS on every HTTP answer outside /api that lacks them."""

    async def app_with_headers(scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith("/api/"):
            await asgi_app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in PAGE_HEADERS.items():
                    if name not in headers:
                        headers.append(name, value)
            await send(message)

        await asgi_app(scope, receive, send_with_headers)

    return app_with_headers

