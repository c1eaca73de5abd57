"""/verify: anyone checks a credential (Open Badges 3.0 / CLR 2.0) in plain words:
authentic, unaltered, not revoked, who issued it and when. Public, phone first, no sign-in;
the check runs on the server (POST /api/credentials/verify) and nothing is kept."""

import reflex as rx

from app import routes
from app.components.shell import TOUCH, page_frame
from app.i18n import t
from app.pages.admin_imports import _named_file_input
from app.pages.privacy import _header
from app.routes import page
from app.state.verify import VerifyState as S
from backend.i18n import N_

UPLOAD_ID = "credential-file"
FIELD_ID = "credential-text"
HINT_ID = "credential-hint"
ERROR_ID = "credential-error"
TITLE = N_("Check a credential")
INTRO = N_("Paste a credential, or choose the file you were given. Waypoint checks who "
           "issued it, that nothing in it was changed and that it was not withdrawn. Nothing "
           "you check is kept.")
FIELD = N_("The credential")
HINT = N_("The text of the .json file, or the long code that starts with \"ey\".")
FILE = N_("Or choose the file")
DROP = N_("Tap to choose the .json file")
CHECK = N_("Check")
CHECKING = N_("Checking…")
ISSUED_BY = N_("Issued by")
ISSUED_ON = N_("Issued on")
FOR = N_("For")
WHAT = N_("Achievement")
PASSED = N_("yes")
FAILED = N_("no")

_COLORS = {"authentic": "grass", "revoked": "red", "altered": "red", "unreadable": "red",
           "expired": "amber", "not_yet_valid": "amber", "unknown_issuer": "amber",
           "unsigned": "amber"}


def _color() -> rx.Var:
    return rx.match(S.verdict, *[(k, v) for k, v in _COLORS.items()], "gray")


def _check_row(check: rx.Var[dict]) -> rx.Component:
    ok = check["ok"] == "yes"
    return rx.el.li(
        rx.hstack(
            rx.cond(ok, rx.icon("circle-check", size=18, color=rx.color("grass", 11),
                                aria_hidden="true"),
                    rx.icon("circle-x", size=18, color=rx.color("red", 11), aria_hidden="true")),
            rx.text(check["words"], size="3"),
            rx.text(rx.cond(ok, t(PASSED), t(FAILED)), class_name="sr-only",
                    position="absolute", width="1px", height="1px", overflow="hidden",
                    clip="rect(0 0 0 0)"),
            align="center", spacing="2",
        ),
        list_style="none",
    )


def _detail(label: str, value: rx.Var) -> rx.Component:
    return rx.cond(value != "", rx.hstack(
        rx.text(t(label), weight="bold", size="3", min_width="8em"),
        rx.text(value, size="3"),
        wrap="wrap", spacing="2",
    ))


def _result() -> rx.Component:
    return rx.box(
        rx.cond(S.verdict != "", rx.card(
            rx.vstack(
                rx.heading(S.headline, as_="h2", size="5", color=rx.color(_color(), 11),
                           id="verdict-headline", data_verdict=S.verdict),
                rx.el.ul(rx.foreach(S.checks, _check_row), padding="0", margin="0"),
                _detail(ISSUED_BY, S.issuer),
                _detail(ISSUED_ON, S.issued),
                _detail(FOR, S.learner),
                _detail(WHAT, S.achievement),
                spacing="3", width="100%",
            ),
            border=f"2px solid {rx.color('gray', 7)}", width="100%",
        )),
        role="status", aria_live="polite", width="100%",
    )


def _form() -> rx.Component:
    return rx.vstack(
        rx.el.label(t(FIELD), html_for=FIELD_ID, font_weight="bold"),
        rx.text(t(HINT), id=HINT_ID, size="2", color=rx.color("gray", 11)),
        rx.text_area(
            id=FIELD_ID, value=S.text, on_change=S.set_text, rows="6", width="100%",
            aria_describedby=rx.cond(S.error != "", f"{HINT_ID} {ERROR_ID}", HINT_ID),
            aria_invalid=rx.cond(S.error != "", "true", "false"),
            spell_check=False, auto_complete=False, font_family="monospace", size="3",
        ),
        rx.cond(S.error != "", rx.text(t(S.error), id=ERROR_ID, role="alert", size="3",
                                       color=rx.color("red", 11), weight="medium")),
        rx.button(rx.cond(S.is_checking, t(CHECKING), t(CHECK)), on_click=S.check,
                  loading=S.is_checking, min_height=TOUCH, width="100%", size="3",
                  id="check-credential"),
        rx.text(t(FILE), weight="bold", size="3", margin_top="0.5em"),
        _named_file_input(rx.upload(
            rx.vstack(
                rx.icon("file-up", size=20, aria_hidden="true"),
                rx.text(t(DROP), size="2"),
                align="center", spacing="1",
            ),
            id=UPLOAD_ID, accept={"application/json": [".json", ".jwt"],
                                  "text/plain": [".txt", ".jwt"]},
            max_files=1, multiple=False, border="1px dashed var(--gray-8)", padding="1em",
            width="100%", min_height=TOUCH,
            on_drop=S.check_file(rx.upload_files(upload_id=UPLOAD_ID)),
        ), t(FILE)),
        spacing="2", width="100%",
    )


@page(routes.VERIFY, title="Check a credential")
def verify_page() -> rx.Component:
    """The public credential check."""
    return page_frame(_header(), t(TITLE), _form(), _result(), subtitle=t(INTRO))
