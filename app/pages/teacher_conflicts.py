"""/teacher/conflicts: two teachers' ratings side by side; keep one with a single tap."""

import reflex as rx

from app import routes
from app.components import sync_store as sync
from app.components.empty_state import empty_state, error_state, loading_state
from app.components.level_badge import level_badge
from app.components.paging import (
    count_line,
    page_item_props,
    page_list_props,
    show_more_button,
)
from app.components.shell import TOUCH, page_shell
from app.components.teacher_widgets import sync_strip
from app.routes import page
from app.state.teacher_conflicts import (
    LIST_ID,
    ConflictSide,
    ConflictView,
    TeacherConflictsState,
)


def _side(conflict: rx.Var[ConflictView], side: rx.Var[ConflictSide]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(side.teacher_name, weight="bold", size="2"),
            level_badge(side.level, side.level_words, side.color),
            rx.text(side.when, size="1", color=rx.color("gray", 11)),
            rx.text(side.device, size="1", color=rx.color("gray", 11)),
            rx.cond(side.is_shown, rx.text("Shown for now", size="1",
                                           color=rx.color("gray", 11))),
            rx.button(
                "Keep " + side.level,
                on_click=sync.teacher_action("resolve", conflict.id, side.level_value),
                size="2", min_height=TOUCH, width="100%",
                aria_label="Keep " + side.level + " from " + side.teacher_name + " for "
                + conflict.learner_name,
            ),
            spacing="1", align="start", width="100%",
        ),
        flex="1", min_width="0",
    )


def _conflict(conflict: rx.Var[ConflictView]) -> rx.Component:
    return rx.cond(
        sync.resolved_conflicts.contains(conflict.id),
        rx.card(rx.text(rx.text.strong(conflict.learner_name), " · settled ",
                        rx.cond(sync.waiting_conflicts.contains(conflict.id),
                                "(waiting to sync)", "(synced)"), size="2"),
                width="100%", role="status"),
        rx.card(
            rx.vstack(
                rx.heading(conflict.learner_name, as_="h2", size="4"),
                rx.text(conflict.target_text, size="2"),
                rx.text(conflict.opened, size="1", color=rx.color("gray", 11)),
                rx.flex(rx.foreach(conflict.sides, lambda s: _side(conflict, s)),
                        gap="0.5em", width="100%"),
                rx.link("Rate again instead", href=conflict.rate_href, size="2",
                        min_height=TOUCH, display="inline-flex", align_items="center"),
                spacing="2", width="100%",
            ),
            width="100%", role="article",
            aria_label="Conflict: " + conflict.learner_name + ", " + conflict.target_text,
        ),
    )


@page(routes.TEACHER_CONFLICTS, title="Conflicts",
      on_load=TeacherConflictsState.load_conflicts)
def teacher_conflicts_page() -> rx.Component:
    """The open conflicts of my learners, oldest first, 20 at a time with the true count."""
    return page_shell(
        "Conflicts",
        rx.text("Two teachers rated the same target without seeing each other's rating. Both "
                "are kept; choose the level that stands.", size="2", color=rx.color("gray", 11)),
        sync_strip(),
        rx.cond(
            TeacherConflictsState.is_loaded,
            rx.cond(
                TeacherConflictsState.error != "",
                error_state(TeacherConflictsState.error),
                rx.cond(
                    TeacherConflictsState.conflicts.length() > 0,
                    rx.vstack(
                        count_line(TeacherConflictsState.count_text),
                        rx.vstack(rx.foreach(TeacherConflictsState.conflicts,
                                             lambda c: rx.box(_conflict(c), width="100%",
                                                              **page_item_props())),
                                  spacing="3", width="100%", **page_list_props(LIST_ID)),
                        rx.cond(TeacherConflictsState.more_text != "",
                                show_more_button(TeacherConflictsState.more_text,
                                                 TeacherConflictsState.show_more)),
                        spacing="3", width="100%"),
                    empty_state("No conflicts.", "When two teachers rate the same target at "
                                "the same time, the pair shows up here to settle.",
                                icon="circle_check"),
                ),
            ),
            loading_state("conflicts"),
        ),
    )
