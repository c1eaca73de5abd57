"""/family/[learner_id]/targets/[target_id]: one level, and how it was worked out."""

import reflex as rx

from app import routes
from app.components.empty_state import loading_state
from app.components.family_target import event_row, how_worked_out, level_header
from app.components.shell import TOUCH, page_shell
from app.i18n import t
from app.routes import page
from app.state.family_target import FamilyTargetState

story = FamilyTargetState.story


def _not_found() -> rx.Component:
    return rx.callout(FamilyTargetState.error, icon="search_x", color_scheme="gray",
                      role="alert", width="100%")


@page(routes.FAMILY_TARGET, title="A target", on_load=FamilyTargetState.load_target)
def family_target_page() -> rx.Component:
    """The level in words, the method, every event that counted."""
    return page_shell(
        rx.cond(story.learner_name != "", t("{name}: one target", name=story.learner_name),
                t("Not found")),
        rx.link(rx.icon("arrow_left", size=16, aria_hidden="true"), t("Back to My family"),
                href=routes.FAMILY, display="inline-flex", align_items="center", gap="0.25em",
                min_height=TOUCH, high_contrast=True),
        rx.cond(
            FamilyTargetState.is_loaded,
            rx.cond(
                FamilyTargetState.error != "",
                _not_found(),
                rx.vstack(
                    level_header(story),
                    rx.card(how_worked_out(story, FamilyTargetState.is_math_shown,
                                           FamilyTargetState.toggle_math), width="100%"),
                    rx.cond(story.rubric.length() > 0, rx.card(
                        rx.heading(t("What each level means here"), as_="h2", size="4"),
                        rx.el.ul(rx.foreach(story.rubric, lambda r: rx.el.li(
                            rx.text(r, size="2"))), padding_inline_start="1.1em"),
                        width="100%")),
                    rx.card(
                        rx.heading(t("Every assessment, newest first"), as_="h2", size="4"),
                        rx.cond(story.recent.length() > 0,
                                rx.el.ul(rx.foreach(story.recent, event_row), padding="0",
                                         margin="0"),
                                rx.text(t("None yet."), size="2")),
                        width="100%",
                    ),
                    spacing="3", width="100%",
                ),
            ),
            loading_state(t("Loading this target…")),
        ),
    )
