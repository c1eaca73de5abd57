"""The Reflex app: pages, and the Flask API mounted into the same ASGI server at /api."""

import reflex as rx
from a2wsgi import WSGIMiddleware
from starlette.applications import Starlette
from starlette.routing import Mount

from app.api_client import flask_app
from app.components.connection import connection_overlay
from app.pages import load_all
from app.web_security import guard_event_socket, install_cors, with_security_headers
from backend.serving import settle_for_serving


def _with_full_path(asgi_app):
    """Hand the mounted app the whole path: Flask's routes already start with /api.

    Starlette's Mount("/api") moves "/api" into root_path, which a2wsgi turns into
    SCRIPT_NAME and strips from PATH_INFO; Flask would then see /auth/login and 404.
    a2wsgi also needs `receive` to return a real coroutine (it hands it to
    run_coroutine_threadsafe), which the server's own callable is not always.
    """

    async def full_path_app(scope, receive, send):
        async def receive_coroutine():
            return await receive()

        scope = dict(scope, root_path=scope.get("app_root_path", ""))
        await asgi_app(scope, receive_coroutine, send)

    return full_path_app


# installable, offline-first: the manifest and icons are in assets/, the worker in assets/sw.js
PWA_HEAD = [
    rx.el.link(rel="manifest", href="/manifest.webmanifest"),
    rx.el.meta(name="theme-color", content="#0d9488"),
    rx.el.link(rel="apple-touch-icon", href="/icons/icon-192.png"),
]

install_cors()  # credentialed CORS for listed origins only (none by default)
app = rx.App(
    head_components=PWA_HEAD,
    stylesheets=["/theme.css"],  # Radix colours darkened to WCAG AA contrast (assets/theme.css)
    api_transformer=[
        Starlette(routes=[Mount("/api", app=_with_full_path(WSGIMiddleware(flask_app())))]),
        with_security_headers,  # CSP, frame-ancestors, nosniff on every page (the API has its own)
    ],
)
# Reflex's connection toast names a ws:// address; ours says it in plain words
app.app_wraps[(5, "Overlay")] = lambda stateful: connection_overlay() if stateful else None
guard_event_socket(app)  # the event socket refuses handshakes from other origins
app.register_lifespan_task(settle_for_serving)  # fewer, shorter GC pauses (backend/serving.py)

# every page registers itself with @page (app/routes.py) in its own module
for spec in load_all():
    app.add_page(spec.component, route=spec.route, title=spec.title, on_load=spec.on_load)
