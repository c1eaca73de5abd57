"""/learner: the signed-in learner's own binder."""

import reflex as rx

from app.components.binder import binder_view
from app.components.empty_state import error_state, loading_state
from app.components.shell import page_shell
from app.state.learner import LearnerState


def learner_page() -> rx.Component:
    """My binder: every learning target with my level, by area and topic."""
    return page_shell(
        "My binder",
        rx.text("Your level on each learning target. 3.0 means proficient.",
                color=rx.color("gray", 11), size="2"),
        rx.cond(
            LearnerState.is_loaded,
            rx.cond(
                LearnerState.error != "",
                error_state(LearnerState.error),
                binder_view(LearnerState.binder, is_own=True),
            ),
            loading_state("your binder"),
        ),
    )
