"""/teacher: the teacher's classes and learners from the device's store; each learner opens
their binder. The same online, offline and after an offline reload
(assets/ui/teacher_screens.js useClassLists)."""

import reflex as rx

from app import routes
from app.components import teacher_screens as screens
from app.components.shell import TOUCH, page_shell
from app.components.teacher_widgets import sync_strip
from app.i18n import t
from app.routes import page
from app.state.teacher import TeacherState

view = screens.class_lists


def _learner(learner: rx.Var) -> rx.Component:
    one = learner.to(dict)
    name = one["name"].to(str)
    return rx.el.li(
        rx.link(
            rx.text(name),
            rx.icon("chevron_right", size=18, aria_hidden="true"),
            href=one["href"].to(str),
            aria_label=t("Open {name}'s binder", name=name),
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


def _class(cls: rx.Var) -> rx.Component:
    one = cls.to(dict)
    learners = one["learners"].to(list[dict])
    return rx.card(
        rx.flex(
            rx.heading(one["name"].to(str), as_="h2", size="4"),
            rx.text(one["count_text"].to(str), size="2", color=rx.color("gray", 11)),
            justify="between",
            align="baseline",
            gap="0.5em",
            wrap="wrap",
        ),
        rx.cond(
            TeacherState.user_role == "admin",
            rx.text(t("Taught by {name}", name=one["teacher_name"].to(str)), size="2",
                    color=rx.color("gray", 11)),
        ),
        rx.cond(
            learners.length() > 0,
            rx.el.ul(rx.foreach(learners, _learner), padding="0", margin="0.5em 0 0 0"),
            rx.text(t("No learners in this class yet. The school's admin enrolls them."),
                    size="2", color=rx.color("gray", 11), margin_top="0.5em"),
        ),
        width="100%",
    )


@page(routes.TEACHER, title="My classes", on_load=TeacherState.check)
def teacher_page() -> rx.Component:
    """My classes: tap a learner to open their binder."""
    classes = screens.part(view, "classes", list[dict])
    return page_shell(
        rx.cond(TeacherState.user_role == "admin", t("All classes"), t("My classes")),
        rx.text(t("Tap a learner to open their binder."), color=rx.color("gray", 11), size="2"),
        sync_strip(),
        rx.cond(
            screens.part(view, "ready", bool),
            rx.cond(
                classes.length() > 0,
                rx.vstack(rx.foreach(classes, _class), spacing="3", width="100%"),
                screens.empty(t("You have no classes yet."),
                              t("Ask your school's admin to set up your classes and enroll "
                                "your learners. They show here after the next sync.")),
            ),
            screens.loading(t("Loading your classes from this phone…")),
        ),
    )
