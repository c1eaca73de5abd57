"""A learner's binder, read-only: content area → measurement topic → learning targets.

Lifelong Learning Skills are shown in their own section, never mixed into academic levels.
"""

import reflex as rx

from app.components.empty_state import empty_state
from app.components.level_badge import level_badge
from app.i18n import t
from app.state.views import SKILLS_SECTION, AreaView, BinderView, TargetView, TopicView


def _target_row(target: rx.Var[TargetView]) -> rx.Component:
    return rx.el.li(
        rx.flex(
            rx.vstack(
                rx.text(target.title, size="2", weight="medium"),
                rx.text(target.code + " · " + target.scale_text
                        + rx.cond(target.evidence_text != "", " · " + target.evidence_text, ""),
                        size="1", color=rx.color("gray", 11)),
                spacing="1",
                flex="1",
                min_width="0",
            ),
            level_badge(target.level_text, target.level_words, target.level_color),
            gap="0.5em",
            align="start",
            justify="between",
            wrap="wrap",
        ),
        padding_y="0.6em",
        border_top=f"1px solid {rx.color('gray', 4)}",
        list_style="none",
    )


def _topic(topic: rx.Var[TopicView], heading: str) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.heading(topic.name, as_=heading, size="3"),
            rx.text(topic.level_text, size="1", color=rx.color("gray", 11),
                    white_space="nowrap"),
            justify="between",
            align="baseline",
            gap="0.5em",
        ),
        rx.hstack(
            rx.progress(value=topic.progress_percent, size="2", flex="1",
                        aria_label=topic.name + ": " + topic.progress_text),
            rx.text(topic.progress_text, size="1", color=rx.color("gray", 11),
                    white_space="nowrap"),
            align="center",
            spacing="3",
            margin_y="0.5em",
        ),
        rx.cond(
            topic.targets.length() > 0,
            rx.el.ul(rx.foreach(topic.targets, _target_row), padding="0", margin="0"),
            rx.text(t("No learning targets in this topic yet."), size="2",
                    color=rx.color("gray", 11)),
        ),
        padding_y="0.5em",
    )


def _area(area: rx.Var[AreaView], heading: str, topic_heading: str) -> rx.Component:
    return rx.card(
        rx.cond(area.is_name_shown,
                rx.heading(area.name, as_=heading, size="4", margin_bottom="0.25em")),
        rx.foreach(area.topics, lambda topic: _topic(topic, topic_heading)),
        width="100%",
    )


def binder_view(binder: rx.Var[BinderView], level: int = 2,
                is_own: bool = False) -> rx.Component:
    """The whole binder; `level` is the heading level of its two sections."""
    section, area_h, topic_h = (f"h{min(n, 6)}" for n in (level, level + 1, level + 2))
    return rx.vstack(
        rx.heading(t("Academic learning"), as_=section, size="5"),
        rx.cond(
            binder.academic.length() > 0,
            rx.foreach(binder.academic, lambda area: _area(area, area_h, topic_h)),
            empty_state(
                t("Your binder has no learning targets yet.") if is_own
                else t("This binder has no learning targets yet."),
                t("Targets appear here once a teacher adds them to a class. Ask a teacher "
                  "which topics come first."),
                icon="book_open",
            ),
        ),
        rx.heading(t(SKILLS_SECTION), as_=section, size="5", margin_top="0.5em"),
        rx.text(t("Habits like planning and working with others. They are shown here on their "
                  "own and never averaged into academic levels."), size="2",
                color=rx.color("gray", 11)),
        rx.cond(
            binder.skills.length() > 0,
            rx.foreach(binder.skills, lambda area: _area(area, area_h, topic_h)),
            empty_state(t("No Lifelong Learning Skills yet."),
                        t("Skills appear here once the school adds them."), icon="sprout"),
        ),
        spacing="3",
        width="100%",
    )
