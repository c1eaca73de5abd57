"""/card: a young learner signs in by holding their card up to the camera, or by typing
the short code on it. Big buttons, few words; works at 375×812. Only on a shared class
device (a teacher marks it on /teacher/cards); elsewhere the page says so plainly."""

import reflex as rx

from app import routes
from app.components.language import locale_direction
from app.components.shell import TOUCH, page_footer
from app.components.sync_store import hook_var, js_action
from app.i18n import t
from app.routes import page
from app.state.card_sign_in import ROUTE, CardSignInState

CARD_JS = "$/public/ui/card_scan.js"
VIDEO_ID = "card-camera"  # the ids card_scan.js looks for
CODE_FORM_ID = "card-code-form"
ERROR_ID = "card-error"
BIG = "64px"  # a child's thumb, not a fingertip


class CardScanDeps(rx.Fragment):
    """Adds jsQR (the QR decoder card_scan.js imports) to the app's frontend build."""

    lib_dependencies: list[str] = ["jsqr@1.4.0"]


def _view() -> rx.Var:
    return hook_var("wpCard", "useCardScan()", CARD_JS, "useCardScan").to(dict)


def _password_link() -> rx.Component:
    return rx.link(t("Sign in with a username and password"), href=routes.LOGIN, size="3",
                   min_height=TOUCH, display="inline-flex", align_items="center",
                   color=rx.color("accent", 12))


def _code_form(view: rx.Var) -> rx.Component:
    has_error = view["error"].to(str) != ""
    return rx.form(
        rx.vstack(
            rx.el.label(t("My code"), html_for="card-code", font_weight="600", font_size="1.2em"),
            rx.input(id="card-code", name="code", size="3", height=BIG, width="100%",
                     font_size="1.5em", letter_spacing="0.1em", auto_complete="off",
                     auto_capitalize="characters", spell_check=False, max_length=20,
                     aria_describedby=rx.cond(has_error, ERROR_ID, "")),
            rx.button(t("Sign in"), type="submit", size="4", width="100%", min_height=BIG,
                      loading=view["busy"].to(bool)),
            spacing="2", width="100%",
        ),
        id=CODE_FORM_ID, on_submit=js_action("waypointCards.submitCode", routes.HOME_BY_ROLE),
        reset_on_submit=False, width="100%",
    )


def _scanner(view: rx.Var) -> rx.Component:
    error, notice = view["error"].to(str), view["notice"].to(str)
    camera = view["camera"].to(bool)
    return rx.vstack(
        rx.cond(error != "", rx.callout(error, icon="triangle_alert", color_scheme="red",
                                        id=ERROR_ID, role="alert", tab_index=-1,
                                        width="100%")),
        rx.cond(notice != "", rx.text(notice, role="status", size="4", weight="medium")),
        rx.el.video(id=VIDEO_ID, muted=True, auto_play=True, plays_inline=True,
                    aria_label=t("The camera's picture: hold your card here"),
                    style={"width": "100%", "maxHeight": "45vh", "borderRadius": "12px",
                           "background": "#111", "transform": "scaleX(-1)",
                           "display": rx.cond(camera, "block", "none")}),
        rx.cond(camera,
                rx.button(t("Stop the camera"), size="4", variant="soft", color_scheme="gray",
                          width="100%", min_height=BIG,
                          on_click=js_action("waypointCards.stopCamera")),
                rx.button(rx.icon("camera", aria_hidden="true"), t("Show my card"), size="4",
                          width="100%", min_height=BIG,
                          on_click=js_action("waypointCards.startCamera",
                                             routes.HOME_BY_ROLE))),
        rx.cond(view["typing"].to(bool), _code_form(view),
                rx.button(rx.icon("keyboard", aria_hidden="true"), t("Type my code"), size="4",
                          variant="outline", width="100%", min_height=BIG,
                          on_click=js_action("waypointCards.showCode"))),
        spacing="3", width="100%",
    )


def _unanswered(view: rx.Var) -> rx.Component:
    """Offline or no answer: say so, and offer to ask again (not "this device is not set up",
    which the page does not know)."""
    return rx.vstack(
        rx.callout(view["error"].to(str), icon="wifi_off", color_scheme="amber", role="alert",
                   width="100%"),
        rx.button(t("Try again"), size="4", width="100%", min_height=BIG,
                  on_click=js_action("waypointCards.checkDevice")),
        spacing="3", width="100%")


@page(ROUTE, title="Sign in with my card", on_load=CardSignInState.go_home)
def card_sign_in_page() -> rx.Component:
    """The camera and the typed code, on a shared class device."""
    view = _view()
    not_shared = rx.vstack(
        rx.callout(t("This device is not set up for sign-in cards. Ask your teacher."),
                   icon="info", color_scheme="amber", width="100%"),
        spacing="2", width="100%")
    # the footer as on every page: Privacy and the language picker (a class tablet's /card
    # is in the language the device was given, QA F29)
    return locale_direction(rx.center(
        CardScanDeps.create(),
        rx.vstack(
            rx.heading(t("Sign in with my card"), as_="h1", size="7", text_align="center"),
            rx.card(
                rx.cond(view["checked"].to(bool),
                        rx.cond(view["shared"].to(bool), _scanner(view),
                                rx.cond(view["unknown"].to(bool), _unanswered(view),
                                        not_shared)),
                        rx.text(t("Checking this device…"), role="status")),
                width="100%", size="3",
            ),
            rx.center(_password_link(), width="100%"),
            page_footer(),
            spacing="4", width="100%", max_width="28rem", align="center",
        ),
        min_height="100vh", padding="1em", background=rx.color("gray", 2),
    ))
