"""The credentials panel (family page, binder page): each earned Open Badge with a
download button, the whole record as CLR, and where anyone can check them (/verify)."""

import reflex as rx

from app import routes
from app.components.empty_state import loading_state
from app.components.shell import TOUCH
from app.i18n import t
from app.state.credentials import SHARING_FAILED as SHARING_FAILED_WORDS
from app.state.credentials import CredentialsState as S
from backend.i18n import N_

HEADING = N_("Credentials")
ABOUT = N_("When a topic is complete, the school issues a signed credential (Open Badges "
           "3.0). Download it as a file to keep or to share; anyone can check it on the "
           "check page.")
NONE = N_("No credentials yet. One comes when a topic is complete.")
DOWNLOAD = N_("Download {name}")
REVOKED = N_("Withdrawn by the school")
ISSUED = N_("Issued {date}")
CLR = N_("Download the whole record (CLR) for {name}")
VERIFY = N_("Check a credential")
ELSEWHERE = N_("My credentials from elsewhere")
WITHDRAW = N_("Withdraw {name}")
WITHDRAW_SURE = N_("Withdraw it")
KEEP = N_("Keep it")
SHARE_HEADING = N_("What badges share")
SHARE_ABOUT = N_("A badge can link to the work that earned it. Only people the school allows "
                 "(the learner, their teachers and family) can open the link; the photo "
                 "itself is never in the badge.")
SHARE_LABEL = N_("{name}'s badges may link to their approved work")
SHARE_OFF_BY_SCHOOL = N_("The school keeps work links out of every badge.")
SURE = N_("Withdraw {name}? Anyone who checks it will be told it was revoked. This cannot be "
          "undone; the learner can be issued a new one.")


def _row(item: rx.Var[dict]) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(item["name"], weight="bold", size="3"),
            rx.text(rx.cond(item["learner"] != "", item["learner"] + " · ", ""),
                    t(ISSUED, date=item["issued"]), size="2", color=rx.color("gray", 11)),
            rx.cond(item["revoked"] != "", rx.badge(t(REVOKED), color_scheme="red")),
            spacing="1", flex="1", min_width="12em",
        ),
        rx.button(rx.icon("download", size=16, aria_hidden="true"),
                  t(DOWNLOAD, name=item["name"]), on_click=S.download(item["id"]),
                  variant="soft", min_height=TOUCH, high_contrast=True),
        rx.cond((S.user_role == "admin") & (item["revoked"] == ""), _withdraw(item)),
        width="100%", align="center", wrap="wrap",
    )


def _withdraw(item: rx.Var[dict]) -> rx.Component:
    """An admin withdraws (revokes) a credential, after saying so once more."""
    return rx.cond(
        S.confirm_id == item["id"],
        rx.vstack(
            rx.text(t(SURE, name=item["name"]), size="2", role="alert"),
            rx.hstack(
                rx.button(t(WITHDRAW_SURE), color_scheme="red", min_height=TOUCH,
                          on_click=S.withdraw(item["id"])),
                rx.button(t(KEEP), variant="soft", min_height=TOUCH, high_contrast=True,
                          on_click=S.keep),
                wrap="wrap",
            ),
            width="100%",
        ),
        rx.button(t(WITHDRAW, name=item["name"]), variant="outline", color_scheme="red",
                  min_height=TOUCH, on_click=S.ask_withdraw(item["id"])),
    )


def _sharing_row(row: rx.Var[dict]) -> rx.Component:
    words = t(SHARE_LABEL, name=row["name"].to(str))
    return rx.vstack(
        rx.el.label(
            rx.checkbox(checked=row["allowed"].to(str) == "yes", aria_label=words,
                        disabled=row["school_allows"].to(str) != "yes",
                        on_change=lambda value: S.set_sharing(row["id"].to(str), value)),
            words, display="flex", gap="0.75em", align_items="center", min_height=TOUCH),
        rx.cond(row["school_allows"].to(str) != "yes",
                rx.text(t(SHARE_OFF_BY_SCHOOL), size="2", color=rx.color("gray", 11))),
        spacing="1", width="100%")


def _sharing() -> rx.Component:
    """A guardian's consent per child (saved at once; the answer is read out)."""
    return rx.cond(
        S.sharing.length() > 0,
        rx.vstack(
            rx.heading(t(SHARE_HEADING), as_="h3", size="3"),
            rx.text(t(SHARE_ABOUT), size="2", color=rx.color("gray", 11)),
            rx.foreach(S.sharing, _sharing_row),
            rx.box(rx.cond(S.sharing_error != "",
                           rx.text(t(SHARING_FAILED_WORDS, reason=S.sharing_error),
                                   color=rx.color("red", 11)),
                           rx.cond(S.sharing_message != "",
                                   rx.text(t(S.sharing_message), color=rx.color("grass", 11)))),
                   role="status", width="100%"),
            spacing="2", width="100%", id="credential-sharing"),
    )


def credentials_panel() -> rx.Component:
    return rx.el.section(
        rx.card(rx.vstack(
            rx.heading(t(HEADING), as_="h2", size="4"),
            rx.text(t(ABOUT), size="2", color=rx.color("gray", 11)),
            rx.cond(S.error != "", rx.text(t(S.error), role="alert", color=rx.color("red", 11))),
            rx.cond(S.message != "", rx.text(t(S.message, name=S.withdrawn_name),
                                             role="status", color=rx.color("grass", 11))),
            rx.cond(
                S.is_loaded,
                rx.cond(S.items.length() > 0,
                        rx.vstack(rx.foreach(S.items, _row), spacing="3", width="100%"),
                        rx.text(t(NONE), size="2")),
                loading_state(t("Loading credentials…")),
            ),
            rx.foreach(S.learners, lambda who: rx.button(
                rx.icon("file-down", size=16, aria_hidden="true"),
                t(CLR, name=who["name"]), on_click=S.download_clr(who["id"]), variant="outline",
                min_height=TOUCH, high_contrast=True)),
            _sharing(),
            rx.link(t(VERIFY), href=routes.VERIFY, min_height=TOUCH, display="inline-flex",
                    align_items="center"),
            rx.cond((S.user_role == "teacher") | (S.user_role == "admin"),
                    rx.link(t(ELSEWHERE), href=routes.TEACHER_CREDENTIALS, min_height=TOUCH,
                            display="inline-flex", align_items="center")),
            spacing="3", width="100%",
        ), width="100%"),
        on_mount=S.load, width="100%", id="credentials",
    )
