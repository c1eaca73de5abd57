"""/teacher/ready: "ready to demonstrate" requests, each a tap away from rating it."""

import reflex as rx

from app import routes
from app.components.empty_state import empty_state, error_state, loading_state
from app.components.shell import TOUCH, page_shell
from app.routes import page
from app.state.teacher_ready import ReadyView, TeacherReadyState


def _request(req: rx.Var[ReadyView]) -> rx.Component:
    return rx.el.li(
        rx.link(
            rx.vstack(
                rx.text(req.learner_name, weight="bold"),
                rx.text(req.target_text, size="2"),
                rx.text(req.self_text + " · " + req.asked, size="1",
                        color=rx.color("gray", 11)),
                spacing="0", align="start",
            ),
            rx.icon("chevron_right", aria_hidden="true"),
            href=req.rate_href, display="flex", justify_content="space-between",
            align_items="center", min_height=TOUCH, underline="none", padding_y="0.5em",
            # no aria-label: the link's name is what it shows (learner, target, their own
            # level, when they asked), so voice control can say what it sees (WCAG 2.5.3)
        ),
        list_style="none", border_top=f"1px solid {rx.color('gray', 4)}",
    )


@page(routes.TEACHER_READY, title="Ready to demonstrate", on_load=TeacherReadyState.load_requests)
def teacher_ready_page() -> rx.Component:
    """Who asked to show what they know, oldest question first answered."""
    return page_shell(
        "Ready to demonstrate",
        rx.text("Learners who said they are ready to show a target. Tap one to rate it.",
                size="2", color=rx.color("gray", 11)),
        rx.cond(
            TeacherReadyState.is_loaded,
            rx.cond(
                TeacherReadyState.error != "",
                error_state(TeacherReadyState.error),
                rx.cond(
                    TeacherReadyState.requests.length() > 0,
                    rx.card(rx.el.ul(rx.foreach(TeacherReadyState.requests, _request),
                                     padding="0", margin="0"), width="100%"),
                    empty_state("No one is waiting to demonstrate.",
                                "Learners ask from their binder; their requests show up here.",
                                icon="hand"),
                ),
            ),
            loading_state("requests"),
        ),
    )
