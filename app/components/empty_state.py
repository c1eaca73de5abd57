"""What to show when there is nothing yet: say so plainly, and say what to do next."""

import reflex as rx
from reflex_components_core.core.banner import has_too_many_connection_errors

from app.i18n import t


def _words(text):
    """Plain English goes through the catalog (callers: give t("…") so it is extracted)."""
    return t(text) if isinstance(text, str) else text


def empty_state(title, next_step, icon: str = "inbox") -> rx.Component:
    """A quiet box: what is missing, then the next step a person can take."""
    return rx.card(
        rx.hstack(
            rx.icon(icon, size=24, color=rx.color("gray", 9), aria_hidden="true"),
            rx.vstack(
                rx.text(_words(title), weight="bold", size="3"),
                rx.text(_words(next_step), color=rx.color("gray", 11), size="2"),
                spacing="1",
            ),
            spacing="3",
            align="start",
        ),
        variant="surface",
        width="100%",
    )


def loading_state(what) -> rx.Component:
    """Shown while the API answers. `what` is the whole sentence as a t() Var
    (t("Loading people…")), or an English noun phrase ("people"). With no connection to
    the server the answer cannot come: the spinner gives way to saying so (QA F34), beside
    the page's connection notice (app/components/connection.py)."""
    words = t("Loading {what}…", what=what) if isinstance(what, str) else what
    return rx.cond(
        has_too_many_connection_errors,
        rx.hstack(
            rx.icon("wifi_off", size=20, aria_hidden="true", color=rx.color("gray", 11)),
            rx.text(t("Not loaded: there is no connection to the school's server."),
                    color=rx.color("gray", 11)),
            spacing="2", align="center", role="status", padding_y="1em",
        ),
        rx.hstack(
            rx.spinner(size="2"),
            rx.text(words, color=rx.color("gray", 11)),
            spacing="2",
            align="center",
            role="status",
            padding_y="1em",
        ),
    )


def error_state(message: rx.Var[str]) -> rx.Component:
    """The API's own sentence, in a callout screen readers announce."""
    return rx.callout(message, icon="triangle_alert", color_scheme="red", role="alert",
                      width="100%")
