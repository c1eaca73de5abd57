"""Reflex configuration: one app (`app/app.py`), no database of its own, no telemetry."""

import os

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from app.pwa_plugin import PwaPlugin
from app.web_security import allowed_origins

config = rx.Config(
    app_name="app",
    # The Flask API owns every table (migrations/); the Reflex app defines none.
    show_built_with_reflex=False,
    telemetry_enabled=False,
    # district scale: several Reflex backends share state in Redis (unset: one process, memory)
    redis_url=os.environ.get("REDIS_URL") or None,
    # no other origin may call the app with a user's cookies unless CORS_ALLOWED_ORIGINS
    # names it (Reflex's default "*" echoed any Origin with credentials; app/web_security.py)
    cors_allowed_origins=allowed_origins(),
    frontend_port=3000,
    backend_port=3000,
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="teal", gray_color="slate", radius="medium"),
        ),
        PwaPlugin(),  # sync core's npm packages; the service worker's precache list
    ],
    disable_plugins=[SitemapPlugin],  # no public pages worth indexing
)
