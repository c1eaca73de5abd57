"""Rate mastery on one target for one learner, with their own view and recent events."""

import reflex as rx

from app import routes
from app.components import sync_store as sync
from app.components.empty_state import error_state, loading_state
from app.components.family_target import event_row, how_worked_out, level_header
from app.components.shell import TOUCH, page_shell
from app.components.teacher_widgets import comment_box, level_chips, sync_strip
from app.routes import page
from app.state.teacher_rate import TeacherRateState
from app.state.views import ALL_LEVELS

story = TeacherRateState.story


def _rate_form() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Your rating", as_="h2", size="4"),
            level_chips(TeacherRateState.radio_name, "Level", ALL_LEVELS),
            comment_box(TeacherRateState.note_id, "Note (optional)"),
            rx.button("Save rating", size="3", min_height=TOUCH, width="100%",
                      on_click=sync.teacher_action("rate", story.learner_id, story.target_id)),
            rx.cond(sync.unsent_ratings.contains(TeacherRateState.rating_key),
                    rx.text("Your rating waits on this device to sync.", role="status",
                            size="2", color=rx.color("amber", 11))),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def _beside() -> rx.Component:
    return rx.vstack(
        rx.card(
            rx.heading("The learner's own view", as_="h2", size="3"),
            rx.cond(story.self_text != "", rx.text(story.self_text, size="2"),
                    rx.text("No self-assessment yet.", size="2", color=rx.color("gray", 11))),
            width="100%",
        ),
        rx.card(
            rx.heading("Recent assessments", as_="h2", size="3"),
            rx.cond(story.recent.length() > 0,
                    rx.el.ul(rx.foreach(story.recent, event_row), padding="0", margin="0"),
                    rx.text("None yet.", size="2", color=rx.color("gray", 11))),
            width="100%",
        ),
        rx.card(how_worked_out(story, heading="h2"), width="100%"),
        width="100%", spacing="3",
    )


@page(routes.TEACHER_RATE, title="Rate", on_load=TeacherRateState.load_target)
def teacher_rate_page() -> rx.Component:
    """Rate one learner on one target."""
    return page_shell(
        rx.cond(story.learner_name != "", "Rate " + story.learner_name, "Rate mastery"),
        rx.link("Open the whole binder", href=TeacherRateState.binder_href,
                min_height=TOUCH, display="inline-flex", align_items="center",
                high_contrast=True),
        sync_strip(),
        rx.cond(
            TeacherRateState.is_loaded,
            rx.cond(
                TeacherRateState.error != "",
                error_state(TeacherRateState.error),
                rx.vstack(level_header(story), _rate_form(), _beside(), spacing="3",
                          width="100%"),
            ),
            loading_state("the target"),
        ),
    )
