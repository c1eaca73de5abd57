"""/login: username and password, with the API's own words when they do not match.

The form is sent by the page itself (assets/ui/session.js), so the API's httpOnly session
cookies reach the browser and the password never passes through the Reflex state.
"""

import reflex as rx

from app import routes
from app.components.empty_state import error_state
from app.components.language import language_picker, locale_direction
from app.components.session import SIGN_IN_FORM_ID, sign_in_action, sign_in_view
from app.components.shell import TOUCH
from app.i18n import t
from app.routes import PRIVACY, page
from app.state.login import LoginState


def _field(label, name: str, **props) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=name, font_weight="500"),
        rx.input(id=name, name=name, size="3", height=TOUCH, width="100%", required=True,
                 **props),
        spacing="1",
        width="100%",
    )


@page(routes.LOGIN, title="Sign in", on_load=LoginState.go_home)
def login_page() -> rx.Component:
    """The sign-in form; the footer lists the demo accounts."""
    view = sign_in_view().to(dict)
    error, busy = view["error"].to(str), view["busy"].to(bool)
    return locale_direction(rx.center(
        rx.vstack(
            rx.hstack(
                rx.icon("compass", size=28, color=rx.color("accent", 10), aria_hidden="true"),
                rx.text("Waypoint", weight="bold", size="6"),
                align="center",
                spacing="2",
            ),
            language_picker("sign-in-language"),
            rx.card(
                rx.form(
                    rx.vstack(
                        rx.heading(t("Sign in"), as_="h1", size="6"),
                        rx.text(t("Use the username and password your school gave you."),
                                color=rx.color("gray", 11), size="2"),
                        _field(t("Username"), "username", auto_complete="username",
                               auto_capitalize="none", spell_check=False),
                        _field(t("Password"), "password", type="password",
                               auto_complete="current-password"),
                        rx.cond(error != "", error_state(error)),
                        rx.button(t("Sign in"), type="submit", size="3", width="100%",
                                  min_height=TOUCH, loading=busy),
                        spacing="4",
                        width="100%",
                    ),
                    id=SIGN_IN_FORM_ID,
                    on_submit=sign_in_action(),
                    reset_on_submit=False,
                    width="100%",
                ),
                width="100%",
                size="3",
            ),
            rx.link(t("Sign in with a card"), href="/card", size="3", min_height=TOUCH,
                    display="inline-flex", align_items="center", weight="medium",
                    color=rx.color("accent", 12)),  # young learners (app/pages/card_sign_in.py)
            rx.el.footer(
                rx.text(t("Demo school accounts: student, student2, teacher, teacher2, "
                          "guardian and admin. The password for each is waypoint."),
                        size="1", color=rx.color("gray", 11), text_align="center"),
                rx.center(rx.link(t("Privacy: what Waypoint keeps and why"), href=PRIVACY,
                                  size="2", min_height=TOUCH, display="inline-flex",
                                  align_items="center", color=rx.color("accent", 12))),
            ),
            spacing="4",
            width="100%",
            max_width="26rem",
            align="center",
        ),
        min_height="100vh",
        padding="1em",
        background=rx.color("gray", 2),
    ))


@page(routes.HOME, on_load=LoginState.go_home)
def home_page() -> rx.Component:
    """"/" only forwards: to the role's page when signed in, else to sign-in."""
    return rx.center(rx.spinner(size="3"),
                     rx.text(t("Opening Waypoint…"), margin_inline_start="0.5em"),
                     min_height="100vh", role="status")
