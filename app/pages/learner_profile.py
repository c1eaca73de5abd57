"""/learner/profile: the learner's Personal Learner Profile (issue 18), offline: their own
words in each section, what their teacher noticed, and how each part has changed."""

import reflex as rx

from app import routes
from app.components.offline_shell import learner_shell
from app.components.profile import observations, profile_view, section_editor
from app.components.sync_store import part
from app.i18n import t
from app.routes import page
from app.state.learner import LearnerState


@page(routes.LEARNER_PROFILE, title="My profile", on_load=LearnerState.check_access)
def learner_profile_page() -> rx.Component:
    """Write each section in your own words; answer what your teacher noticed."""
    view = profile_view("me")
    student = part(view, "student_id", str)
    return learner_shell(
        t("My profile"),
        routes.LEARNER_PROFILE,
        rx.text(t("How you learn best, in your own words. Your teacher and your family can "
                  "read it. Your teacher may add words beside yours; you choose what stays."),
                size="2", color=rx.color("gray", 11)),
        rx.vstack(rx.foreach(part(view, "sections"), lambda s: section_editor(s, student)),
                  spacing="3", width="100%"),
        rx.heading(t("What my teacher noticed"), as_="h2", size="5"),
        observations(view, True, t("Nothing yet. When your teacher notices something about "
                                   "how you learn, it shows here.")),
    )
