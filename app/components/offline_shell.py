"""The frame of the learner's offline pages: header, the sync status bar, a navigation that
needs no server (it does not wait for Reflex's state, which is empty offline), then content.
"""

import reflex as rx

from app import routes
from app.components.shell import TOUCH, header_frame, nav_link, page_frame
from app.components.sync_status import sync_status_bar
from app.components.sync_store import part, sync_status
from app.i18n import t
from backend.i18n import N_

LEARNER_NAV = [
    (N_("Binder"), routes.LEARNER, "book_open"),
    (N_("Goals"), routes.LEARNER_GOALS, "flag"),
    (N_("Playlists"), routes.LEARNER_PLAYLISTS, "list_checks"),
    (N_("Evidence"), routes.LEARNER_EVIDENCE, "camera"),
    (N_("My profile"), routes.LEARNER_PROFILE, "user"),
    (N_("My conference"), routes.LEARNER_CONFERENCE, "presentation"),
]


def _header(current: str) -> rx.Component:
    nav = rx.flex(*[nav_link(t(label), href, href == current, icon=icon)
                    for label, href, icon in LEARNER_NAV], gap="0.25em", wrap="wrap")
    # Sign out (assets/ui/session.js) sends what it can and clears this device only when
    # nothing is left unsent; it works with the socket down
    return header_frame(part(sync_status(), "user_name", str), None, nav,
                        name_width="12em", padding="0.6em 1em")


def learner_shell(title: rx.Var[str] | str, current: str, *children: rx.Component,
                  subtitle: str | None = None) -> rx.Component:
    """A learner page that renders from the device's store: works with the network cut."""
    # offline, the sync status bar says it calmly ("Offline", work saved); Reflex's
    # connection toast is replaced app-wide and shows nothing on these screens
    # (app/components/connection.py, routes.OFFLINE_CAPABLE)
    # a learner the school deleted: the device is wiped, and nothing of them stays on screen
    content = rx.cond(part(sync_status(), "is_purged", bool), rx.fragment(),
                      rx.fragment(*children))
    return page_frame(_header(current), title, content, subtitle=subtitle,
                      above_main=(rx.fragment(), sync_status_bar()))


def field_label(text, control: rx.Component, hint=None) -> rx.Component:
    """A visible label wrapping its control (so get_by_label and screen readers find it).
    `text` and `hint` may be t() Vars (a Var has no truth value: test against None)."""
    return rx.el.label(
        rx.text(text, size="2", weight="medium"),
        (rx.fragment() if hint is None or (isinstance(hint, str) and not hint)
         else rx.text(hint, size="1", color=rx.color("gray", 11))),
        control,
        display="flex",
        flex_direction="column",
        gap="0.25em",
        width="100%",
    )


INPUT_STYLE = {
    "min_height": TOUCH,
    "padding": "0.5em 0.75em",
    "border": f"1px solid {rx.color('gray', 7)}",
    "border_radius": "var(--radius-2)",
    "background": rx.color("gray", 1),
    "font_size": "16px",  # 16 px keeps phones from zooming into the field
    "width": "100%",
}


def form_message() -> rx.Component:
    """Where a form's action writes what happened (filled in by assets/ui/learner.js)."""
    return rx.el.p("", data_msg="", role="status", aria_live="polite",
                   style={"min_height": "1.2em", "font_size": "14px",
                          "color": rx.color("gray", 11)})
