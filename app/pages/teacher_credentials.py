"""/teacher/credentials: a teacher's Open Badges 3.0 earned elsewhere, in their record, each
marked with its check ("Authentic …", or "Could not be checked …" for an issuer this server
does not know). Online only: adding one verifies it on the server."""

import reflex as rx

from app import routes
from app.components.empty_state import empty_state, loading_state
from app.components.shell import TOUCH, page_shell
from app.i18n import t
from app.pages.admin_imports import _named_file_input
from app.routes import page
from app.state.teacher_credentials import TeacherCredentialsState as S
from backend.i18n import N_

UPLOAD_ID = "import-credential-file"
FIELD_ID = "import-credential-text"
TITLE = N_("My credentials from elsewhere")
INTRO = N_("Add an Open Badge you earned somewhere else (a course, another district). "
           "Waypoint checks it and keeps it in your record with what the check found.")
FIELD = N_("The credential")
ADD = N_("Add it")
FILE = N_("Or choose the file")
DROP = N_("Tap to choose the .json file")
NONE = N_("No credentials from elsewhere yet.")
NEXT = N_("Paste one above, or choose its file.")
FROM = N_("From {issuer}")
ADDED_ON = N_("Added {date}")

_COLORS = {"authentic": "grass", "revoked": "red", "altered": "red", "expired": "amber",
           "not_yet_valid": "amber", "unknown_issuer": "amber", "unsigned": "amber"}


def _item(item: rx.Var[dict]) -> rx.Component:
    color = rx.match(item["verdict"], *[(k, v) for k, v in _COLORS.items()], "gray")
    return rx.el.li(rx.card(rx.vstack(
        rx.text(item["name"], weight="bold", size="3"),
        rx.text(t(FROM, issuer=item["issuer"]), size="2"),
        rx.text(item["headline"], size="2", color=rx.color(color, 11), weight="medium",
                data_verdict=item["verdict"]),
        rx.text(t(ADDED_ON, date=item["added"]), size="1", color=rx.color("gray", 11)),
        spacing="1", width="100%",
    ), width="100%"), list_style="none")


@page(routes.TEACHER_CREDENTIALS, title="My credentials from elsewhere", on_load=S.load)
def teacher_credentials_page() -> rx.Component:
    return page_shell(
        t(TITLE),
        rx.vstack(
            rx.el.label(t(FIELD), html_for=FIELD_ID, font_weight="bold"),
            rx.text_area(id=FIELD_ID, value=S.text, on_change=S.set_text, rows="4",
                         width="100%", font_family="monospace", size="3",
                         aria_invalid=rx.cond(S.error != "", "true", "false"),
                         aria_describedby=rx.cond(S.error != "", "import-error", "")),
            rx.cond(S.error != "", rx.text(t(S.error), id="import-error", role="alert",
                                           color=rx.color("red", 11), weight="medium")),
            rx.button(t(ADD), on_click=S.add, min_height=TOUCH, width="100%", size="3"),
            rx.text(t(FILE), weight="bold", size="3"),
            _named_file_input(rx.upload(
                rx.vstack(rx.icon("file-up", size=20, aria_hidden="true"),
                          rx.text(t(DROP), size="2"), align="center", spacing="1"),
                id=UPLOAD_ID, accept={"application/json": [".json", ".jwt"],
                                      "text/plain": [".txt"]},
                max_files=1, multiple=False, border="1px dashed var(--gray-8)",
                padding="1em", width="100%", min_height=TOUCH,
                on_drop=S.add_file(rx.upload_files(upload_id=UPLOAD_ID)),
            ), t(FILE)),
            rx.cond(S.message != "", rx.text(t(S.message), role="status",
                                             color=rx.color("grass", 11))),
            spacing="2", width="100%",
        ),
        rx.cond(
            S.is_loaded,
            rx.cond(S.items.length() > 0,
                    rx.el.ul(rx.foreach(S.items, _item), padding="0", margin="0",
                             width="100%", display="flex", flex_direction="column",
                             gap="0.75em"),
                    empty_state(t(NONE), t(NEXT), icon="award")),
            loading_state(t("Loading…")),
        ),
        subtitle=t(INTRO),
    )
