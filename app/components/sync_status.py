"""The sync status bar, always visible on offline-capable pages: online or offline, how many
changes are waiting, when this device last synced, uploads in progress, a rejection in
plain words, and "Update ready" when a new build waits for the outbox to empty."""

import reflex as rx

from app import routes
from app.components.sync_store import js_action, part, sync_status
from app.i18n import t
from backend.i18n import N_

TOUCH = "44px"
# msgids shown through t(...) below (N_ puts them in the catalog)
SIGN_IN_AGAIN = N_("Sign in again")
SIGN_IN = N_("Sign in")


def _text(status: rx.Var, key: str) -> rx.Var:
    return part(status, key, str)


def _flag(status: rx.Var, key: str) -> rx.Var:
    return part(status, key, bool)


def sync_status_bar() -> rx.Component:
    """A slim bar that sticks to the top of the page; details wrap on a phone."""
    status = sync_status()
    is_online = _flag(status, "is_online")
    return rx.box(
        rx.flex(
            rx.hstack(
                rx.cond(is_online,
                        rx.icon("wifi", size=16, aria_hidden="true"),
                        rx.icon("wifi_off", size=16, aria_hidden="true")),
                rx.text(_text(status, "state_text"), weight="bold", size="2"),
                align="center",
                spacing="1",
            ),
            rx.cond(_text(status, "pending_text") != "",
                    rx.text(_text(status, "pending_text"), size="2")),
            rx.cond(_text(status, "synced_text") != "",
                    rx.text(_text(status, "synced_text"), size="2",
                            color=rx.color("gray", 11))),
            rx.cond(_text(status, "uploads_text") != "",
                    rx.text(_text(status, "uploads_text"), size="2")),
            gap="0.25em 1em",
            wrap="wrap",
            align="center",
            role="status",
            aria_label=t("Sync status"),
            aria_live="polite",
        ),
        rx.cond(
            _flag(status, "has_rejection"),
            rx.callout.root(
                rx.callout.text(_text(status, "rejection_text")),
                rx.button(t("OK, dismiss"), size="2", variant="soft", color_scheme="red",
                          min_height=TOUCH,
                          on_click=js_action("waypointUI.dismissRejection",
                                             _text(status, "rejection_seq"))),
                color_scheme="red",
                role="alert",
                size="1",
                margin_top="0.5em",
            ),
        ),
        rx.cond(_flag(status, "is_signed_out_remote"), _sign_in_again(status)),
        rx.cond(_flag(status, "is_purged"), _purged(status)),
        rx.cond(
            _flag(status, "update_ready"),
            rx.flex(
                rx.text(_text(status, "update_text"), size="2"),
                rx.button(t("Update now"), size="2", min_height=TOUCH,
                          on_click=js_action("waypointPWA.applyUpdate")),
                gap="0.5em",
                align="center",
                wrap="wrap",
                margin_top="0.5em",
            ),
        ),
        position="sticky",
        top="0",
        z_index="10",
        padding="0.4em 1em",
        background=rx.cond(is_online, rx.color("accent", 2), rx.color("amber", 3)),
        border_bottom=f"1px solid {rx.color('gray', 5)}",
    )


def _sign_in_link(label: str) -> rx.Component:
    # a full navigation: /login starts a fresh page (and a fresh Reflex socket)
    return rx.link(label, href=routes.LOGIN, underline="none", weight="medium",
                   display="inline-flex", align_items="center", min_height=TOUCH,
                   padding_x="1em", border_radius="var(--radius-2)",
                   color="white", background=rx.color("accent", 10))


def _sign_in_again(status: rx.Var) -> rx.Component:
    """The server ended this device's sign-in: say so in its words, and offer to sign in."""
    return rx.callout.root(
        rx.callout.icon(rx.icon("key_round")),
        rx.callout.text(_text(status, "signed_out_text")),
        rx.cond(_text(status, "kept_text") != "",
                rx.callout.text(_text(status, "kept_text"))),
        _sign_in_link(t(SIGN_IN_AGAIN)),
        color_scheme="amber", role="alert", size="1", margin_top="0.5em",
    )


def _purged(status: rx.Var) -> rx.Component:
    """The school deleted this learner and the device was wiped: one line, and a way on."""
    return rx.callout.root(
        rx.callout.text(_text(status, "purged_text")),
        _sign_in_link(t(SIGN_IN)),
        color_scheme="gray", role="alert", size="1", margin_top="0.5em",
    )
