"""What a page says when the Reflex socket cannot reach the server: plain words, never a
`ws://` address or a developer message (issues 14 and 15).

Reflex's own overlay (a red toast "Cannot connect to server: websocket error. Check if
server is reachable at ws://…/_event", and a pulsing wifi icon titled "Connection Error")
is replaced app-wide by `connection_overlay` (app/app.py puts it in Reflex's "Overlay" app
wrap). Screens that render from the device's store (routes.OFFLINE_CAPABLE) show nothing
here: their sync status line already says "Offline" calmly. Every other screen needs the
server to load and save, and says so in a bar at the foot of the window; it does not
touch the page, so what was typed stays.
"""

from __future__ import annotations

import json
import re

import reflex as rx
from reflex.utils.imports import ImportVar
from reflex.vars.base import VarData
from reflex_components_core.core.banner import has_too_many_connection_errors

from app import routes
from app.components.shell import CONTENT_WIDTH
from app.i18n import t

NOTICE_ID = "connection-notice"


def route_pattern(route: str) -> str:
    """A route as an anchored regex: "/binder/[learner_id]" matches "/binder/12" (and "/x/")."""
    parts = [r"[^/]+" if re.fullmatch(r"\[[^\]]+\]", p) else re.escape(p)
             for p in route.strip("/").split("/")]
    return "^/" + "/".join(parts) + "/?$" if route != "/" else "^/$"


def _on_offline_capable_screen() -> rx.Var:
    """True on a screen that works with no server (its path, as the browser has it now)."""
    patterns = json.dumps([route_pattern(r) for r in routes.OFFLINE_CAPABLE])
    return rx.Var(
        f"{patterns}.some((p) => new RegExp(p).test(wpLocation.pathname))",
        _var_type=bool,
        _var_data=VarData(imports={"react-router": [ImportVar(tag="useLocation")]},
                          hooks={"const wpLocation = useLocation();": None}),
    ).to(bool)


def connection_notice() -> rx.Component:
    """The bar itself: what is wrong, and that nothing typed is lost."""
    return rx.box(
        rx.hstack(
            rx.icon("wifi_off", size=20, aria_hidden="true", flex_shrink="0"),
            rx.vstack(
                rx.text(t("No connection to the school's server."), weight="bold"),
                rx.text(t("This page needs a connection to load and save. What you typed "
                          "stays here; try again when you are back online.")),
                spacing="1",
            ),
            spacing="3",
            align="start",
            max_width=CONTENT_WIDTH,
            margin_x="auto",
        ),
        id=NOTICE_ID,
        role="status",
        aria_live="polite",
        position="fixed",
        bottom="0",
        left="0",
        right="0",
        z_index="50",
        padding="0.75em 1em",
        color=rx.color("gray", 12),
        background=rx.color("amber", 3),
        border_top=f"2px solid {rx.color('amber', 9)}",
    )


def connection_overlay() -> rx.Component:
    """Reflex's connection toast and pulser, replaced: the notice on online-only screens."""
    return rx.cond(has_too_many_connection_errors & ~_on_offline_capable_screen(),
                   connection_notice())
