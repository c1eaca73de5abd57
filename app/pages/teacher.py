"""/teacher: the teacher's classes and learners; each learner opens their binder."""

import reflex as rx

from app import routes
from app.components.empty_state import empty_state, error_state, loading_state
from app.components.shell import TOUCH, page_shell
from app.routes import page
from app.state.teacher import TeacherState
from app.state.views import ClassView, LearnerLink


def _learner(learner: rx.Var[LearnerLink]) -> rx.Component:
    return rx.el.li(
        rx.link(
            rx.text(learner.display_name),
            rx.icon("chevron_right", size=18, aria_hidden="true"),
            href=learner.href,
            aria_label="Open " + learner.display_name + "'s binder",
            display="flex",
            align_items="center",
            justify_content="space-between",
            min_height=TOUCH,
            padding_x="0.25em",
            underline="none",
            width="100%",
        ),
        border_top=f"1px solid {rx.color('gray', 4)}",
        list_style="none",
    )


def _class(cls: rx.Var[ClassView]) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.heading(cls.name, as_="h2", size="4"),
            rx.text(cls.count_text, size="2", color=rx.color("gray", 11)),
            justify="between",
            align="baseline",
            gap="0.5em",
            wrap="wrap",
        ),
        rx.cond(
            TeacherState.user_role == "admin",
            rx.text("Taught by " + cls.teacher_name, size="2", color=rx.color("gray", 11)),
        ),
        rx.cond(
            cls.learners.length() > 0,
            rx.el.ul(rx.foreach(cls.learners, _learner), padding="0", margin="0.5em 0 0 0"),
            rx.text("No learners in this class yet. The school's admin enrolls them.",
                    size="2", color=rx.color("gray", 11), margin_top="0.5em"),
        ),
        width="100%",
    )


@page(routes.TEACHER, title="My classes", on_load=TeacherState.load_classes)
def teacher_page() -> rx.Component:
    """My classes: tap a learner to open their binder."""
    return page_shell(
        rx.cond(TeacherState.user_role == "admin", "All classes", "My classes"),
        rx.text("Tap a learner to open their binder.", color=rx.color("gray", 11), size="2"),
        rx.cond(
            TeacherState.is_loaded,
            rx.cond(
                TeacherState.error != "",
                error_state(TeacherState.error),
                rx.cond(
                    TeacherState.classes.length() > 0,
                    rx.vstack(rx.foreach(TeacherState.classes, _class), spacing="3",
                              width="100%"),
                    empty_state("You have no classes yet.",
                                "Ask your school's admin to set up your classes and enroll "
                                "your learners.", icon="school"),
                ),
            ),
            loading_state("your classes"),
        ),
    )
