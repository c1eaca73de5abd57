"""/teacher/profile?id=<learner>: one learner's Personal Learner Profile (issue 18), read
from the phone's store, the teacher's "I've noticed…" observations and their own words beside
each section (saved offline too; the learner chooses what stays)."""

import reflex as rx

from app import routes
from app.components.offline_shell import INPUT_STYLE, TOUCH, field_label, form_message
from app.components.profile import action, observations, profile_view, section_beside
from app.components.shell import page_shell
from app.components.sync_store import part
from app.components.teacher_widgets import sync_strip
from app.i18n import t
from app.routes import page
from app.state.profile_views import SECTION_LABELS
from app.state.teacher import TeacherState
from sync.protocol import PROFILE_SECTIONS

FORM = "observe-form"


def _observe_form(view: rx.Var) -> rx.Component:
    return rx.card(rx.el.div(
        rx.vstack(
            rx.heading(t("I've noticed…"), as_="h2", size="4"),
            field_label(t("What did you notice?"),
                        rx.el.textarea(name="text", rows="3", style=INPUT_STYLE),
                        hint=t("e.g. You explain your thinking clearly to others.")),
            field_label(t("About which part (optional)"), rx.el.select(
                rx.el.option(t("The whole profile"), value=""),
                *[rx.el.option(t(SECTION_LABELS[key]), value=key) for key in PROFILE_SECTIONS],
                name="section", style=INPUT_STYLE)),
            rx.button(t("Add observation"), type="button", min_height=TOUCH,
                      on_click=action("observe", FORM)),
            form_message(),
            spacing="3", width="100%"),
        id=FORM, role="form", aria_label=t("I've noticed…"),
        data_student=part(view, "student_id", str),
    ), width="100%")


@page(routes.TEACHER_PROFILE, title="Learner profile", on_load=TeacherState.check)
def teacher_profile_page() -> rx.Component:
    """A learner's profile in their words, and what the teacher noticed."""
    view = profile_view("learner")
    name = part(view, "learner_name", str)
    return page_shell(
        rx.cond(name != "", t("{name}'s profile", name=name), t("Learner profile")),
        sync_strip(),
        rx.cond(
            part(view, "is_loaded", bool),
            rx.vstack(
                _observe_form(view),
                rx.heading(t("Observations"), as_="h2", size="5"),
                observations(view, False, t("No observations yet.")),
                rx.heading(t("In their own words"), as_="h2", size="5"),
                rx.vstack(rx.foreach(part(view, "sections"),
                                     lambda s: section_beside(s, part(view, "student_id", str))),
                          spacing="3", width="100%"),
                spacing="3", width="100%"),
            rx.text(t("Loading from this phone…"), size="2"),
        ),
    )
