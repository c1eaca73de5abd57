"""/teacher/cards: print a class's QR sign-in cards, stop a lost card, and mark this device
as a shared class device (where cards work)."""

import reflex as rx

from app.components.admin_form import notice
from app.components.empty_state import empty_state
from app.components.shell import TOUCH, page_shell
from app.components.sync_store import hook_var, js_action
from app.i18n import t, tn
from app.routes import page
from app.state.teacher_cards import (
    CARD_SIGN_IN,
    ROUTE,
    CardClass,
    CardLearner,
    Device,
    TeacherCardsState,
)

S = TeacherCardsState
DEVICE_JS = "$/public/ui/card_device.js"
DEVICE_FORM_ID = "device-form"  # assets/ui/card_device.js DEVICE_FORM_ID
DEVICE_ERROR_ID = "device-name-error"
ROW = {"list_style": "none", "padding_y": "0.5em",
       "border_top": f"1px solid {rx.color('gray', 4)}"}


def _device_view() -> rx.Var:
    return hook_var("wpDevice", "useThisDevice()", DEVICE_JS, "useThisDevice").to(dict)


def _this_device() -> rx.Component:
    view = _device_view()
    error = view["error"].to(str)
    form = rx.form(
        rx.vstack(
            rx.el.label(t("Name of this device"), html_for="device_name", font_weight="500"),
            rx.input(id="device_name", name="device_name", size="3", height=TOUCH,
                     width="100%", placeholder=t("Room 12 iPad 3"), max_length=80,
                     aria_describedby=rx.cond(error != "", DEVICE_ERROR_ID, "")),
            rx.cond(error != "", rx.text(error, id=DEVICE_ERROR_ID, role="alert",
                                         color=rx.color("red", 11), size="2")),
            rx.button(t("Mark this device as shared"), type="submit", size="3",
                      min_height=TOUCH, loading=view["busy"].to(bool)),
            spacing="2", width="100%",
        ),
        id=DEVICE_FORM_ID, on_submit=js_action("waypointDevice.markThisDevice"),
        reset_on_submit=False, width="100%",
    )
    shared = rx.vstack(
        rx.text(t("This device is a shared class device: “{name}”. Learners can sign in "
                  "here with their cards.", name=view["name"].to(str))),
        rx.link(t("Open card sign-in"), href=CARD_SIGN_IN, min_height=TOUCH,
                display="inline-flex", align_items="center", weight="medium",
                color=rx.color("accent", 12)),
        spacing="1",
    )
    return rx.card(
        rx.vstack(
            rx.heading(t("This device"), as_="h2", size="4"),
            rx.cond(view["notice"].to(str) != "",
                    rx.callout(view["notice"].to(str), icon="circle_check",
                               color_scheme="grass", role="status", width="100%")),
            rx.cond(view["shared"].to(bool), shared, rx.vstack(
                rx.text(t("Cards work only on a shared class device. Mark this one if the "
                          "class shares it; the device stays marked until you stop it "
                          "below."), size="2", color=rx.color("gray", 11)),
                form, spacing="2", width="100%")),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def _class_row(c: rx.Var[CardClass]) -> rx.Component:
    return rx.el.li(
        rx.vstack(
            rx.text(c.name, weight="bold"),
            rx.text(tn("{n} learner: {cards} with a card that works",
                       "{n} learners: {cards} with a card that works", c.learners,
                       cards=c.live_cards),
                    size="2", color=rx.color("gray", 11)),
            rx.flex(
                rx.cond(c.live_cards < c.learners,
                        rx.button(t("Print cards"), size="3", min_height=TOUCH,
                                  loading=S.busy, on_click=S.print_cards(c.id, "missing"),
                                  aria_label=t("Print cards for {name}", name=c.name))),
                rx.cond(c.live_cards > 0,
                        rx.button(t("New cards for everyone"), size="3", variant="soft",
                                  min_height=TOUCH, loading=S.busy,
                                  on_click=S.print_cards(c.id, "all"),
                                  aria_label=t("New cards for everyone in {name}",
                                               name=c.name))),
                rx.button(t("Show learners"), size="3", variant="soft", min_height=TOUCH,
                          on_click=S.open_class(c.id),
                          aria_label=t("Show learners of {name}", name=c.name)),
                rx.button(t("Stop all cards"), size="3", variant="soft", color_scheme="red",
                          min_height=TOUCH, on_click=S.stop_class(c.id),
                          aria_label=t("Stop all cards of {name}", name=c.name)),
                gap="0.5em", wrap="wrap",
            ),
            spacing="2", width="100%",
        ),
        **ROW,
    )


def _learner_row(u: rx.Var[CardLearner]) -> rx.Component:
    return rx.el.li(
        rx.flex(
            rx.vstack(
                rx.text(u.name, weight="bold"),
                rx.text(rx.cond(u.has_card, t("Card works"), t("No card yet")), size="2",
                        color=rx.color("gray", 11)),
                spacing="0", flex="1", min_width="0",
            ),
            rx.button(t("New card"), size="3", variant="soft", min_height=TOUCH,
                      loading=S.busy, on_click=S.new_card(u.id),
                      aria_label=t("New card for {name}", name=u.name)),
            rx.cond(u.has_card, rx.button(
                t("Stop card"), size="3", variant="soft", color_scheme="red",
                min_height=TOUCH, on_click=S.stop_card(u.id),
                aria_label=t("Stop card: {name}", name=u.name))),
            gap="0.5em", align="center",
        ),
        **ROW,
    )


def _device_row(d: rx.Var[Device]) -> rx.Component:
    return rx.el.li(
        rx.flex(
            rx.text(d.name, flex="1", min_width="0"),
            rx.button(t("Stop taking cards"), size="3", variant="soft", color_scheme="red",
                      min_height=TOUCH, on_click=S.revoke_device(d.id),
                      aria_label=t("Stop taking cards: {name}", name=d.name)),
            gap="0.5em", align="center",
        ),
        **ROW,
    )


def _list(items, render) -> rx.Component:
    return rx.el.ul(rx.foreach(items, render), padding="0", margin="0", width="100%")


@page(ROUTE, title="Sign-in cards", on_load=TeacherCardsState.load)
def teacher_cards_page() -> rx.Component:
    """Cards per class, one class's learners, this device, the shared devices."""
    return page_shell(
        t("Sign-in cards"),
        rx.text(t("Young learners sign in by holding a card up to the camera of a shared "
                  "class device, or by typing the short code on it. Print cards prints one for "
                  "each learner who has none that works. A card cannot be printed twice: a "
                  "new card replaces the old one. A lost card? Stop it here: it stops at "
                  "once and that learner is signed out."),
                size="2", color=rx.color("gray", 11)),
        notice(S.message, S.is_error),
        _this_device(),
        rx.heading(t("Classes"), as_="h2", size="4"),
        rx.cond(
            S.is_loaded,
            rx.cond(S.classes.length() > 0,
                    rx.card(_list(S.classes, _class_row), width="100%"),
                    empty_state(t("You have no classes yet."),
                                t("Ask your school's admin to add your classes; then print "
                                  "their cards here."), icon="id_card")),
            rx.text(t("Loading your classes…"), role="status", color=rx.color("gray", 11)),
        ),
        rx.cond(S.class_id > 0, rx.vstack(
            rx.heading(t("Learners of {name}", name=S.class_name), as_="h2", size="4"),
            rx.cond(S.learners.length() > 0,
                    rx.card(_list(S.learners, _learner_row), width="100%"),
                    empty_state(t("This class has no learners yet."),
                                t("Learners added to the class show up here."))),
            spacing="2", width="100%")),
        rx.heading(t("Shared class devices"), as_="h2", size="4"),
        rx.cond(S.devices.length() > 0,
                rx.card(_list(S.devices, _device_row), width="100%"),
                empty_state(t("No shared class devices yet."),
                            t("Sign in on the class's device and mark it as shared above."),
                            icon="tablet")),
    )
