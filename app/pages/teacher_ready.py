"""/teacher/ready: "ready to demonstrate" requests from the device's store, each a tap away
from rating it; the same online, offline and after an offline reload."""

import reflex as rx

from app import routes
from app.components import teacher_screens as screens
from app.components.paging import device_pager, page_item_props, page_list_props
from app.components.shell import TOUCH, page_shell
from app.components.teacher_widgets import sync_strip
from app.i18n import t
from app.routes import page
from app.state.teacher import TeacherState

view = screens.ready


def _request(req: rx.Var) -> rx.Component:
    r = req.to(dict)
    return rx.el.li(
        rx.link(
            rx.vstack(
                rx.text(r["learner_name"].to(str), weight="bold"),
                rx.text(r["target_text"].to(str), size="2"),
                rx.text(r["detail"].to(str), size="1", color=rx.color("gray", 11)),
                spacing="0", align="start",
            ),
            rx.icon("chevron_right", aria_hidden="true"),
            href=r["rate_href"].to(str), display="flex", justify_content="space-between",
            align_items="center", min_height=TOUCH, underline="none", padding_y="0.5em",
            # no aria-label: the link's name is what it shows (learner, target, their own
            # level, when they asked), so voice control can say what it sees (WCAG 2.5.3)
        ),
        list_style="none", border_top=f"1px solid {rx.color('gray', 4)}",
        **page_item_props(),
    )


@page(routes.TEACHER_READY, title="Ready to demonstrate", on_load=TeacherState.check)
def teacher_ready_page() -> rx.Component:
    """Who asked to show what they know, oldest question first."""
    items = screens.part(view, "items", list[dict])
    return page_shell(
        t("Ready to demonstrate"),
        rx.text(t("Learners who said they are ready to show a target. Tap one to rate it."),
                size="2", color=rx.color("gray", 11)),
        sync_strip(),
        rx.cond(
            ~screens.part(view, "ready", bool),
            screens.loading(t("Loading requests from this phone…")),
            rx.cond(
                items.length() > 0,
                rx.vstack(
                    rx.card(rx.el.ul(rx.foreach(items, _request), padding="0", margin="0",
                                     **page_list_props("ready")), width="100%"),
                    device_pager(screens.part(view, "count_text"),
                                 screens.part(view, "more_text"), "ready",
                                 screens.part(view, "shown", int)),
                    spacing="3", width="100%"),
                screens.empty(t("No one is waiting to demonstrate."),
                              t("Learners ask from their binder; their requests show up here "
                                "after the next sync.")),
            ),
        ),
    )
