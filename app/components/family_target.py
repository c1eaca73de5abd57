"""A target's level explained: the level in words, the method, every counted event."""

from typing import Any

import reflex as rx

from app.components.level_badge import level_badge
from app.components.shell import TOUCH
from app.i18n import t
from app.state.binder_target import TargetStory
from app.state.views import EventLine


def event_row(line: rx.Var[EventLine]) -> rx.Component:
    return rx.el.li(
        rx.flex(
            rx.vstack(
                rx.text(line.source, size="2", weight="medium"),
                rx.text(line.when + rx.cond(line.note != "", " · " + line.note, ""), size="1",
                        color=rx.color("gray", 11)),
                spacing="0", flex="1", min_width="0",
            ),
            level_badge(line.level_text, line.level_words, line.color),
            gap="0.5em", align="center", justify="between",
        ),
        list_style="none", padding_y="0.4em", border_top=f"1px solid {rx.color('gray', 4)}",
    )


def level_header(story: rx.Var[TargetStory]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(story.topic_name + " · " + story.code, size="1",
                    color=rx.color("gray", 11)),
            rx.heading(story.title, as_="h2", size="4"),
            rx.hstack(rx.text(t("Level now:"), size="2"),
                      level_badge(story.level_text, story.level_words, story.level_color),
                      align="center", wrap="wrap"),
            rx.cond(story.has_open_conflict,
                    rx.callout(t("Two teachers gave different levels; a teacher will settle it."),
                               icon="info", color_scheme="amber", size="1")),
            spacing="2", width="100%",
        ),
        width="100%",
    )


MATH_ID = "level-math"


def _math(story: rx.Var[TargetStory]) -> rx.Component:
    """The arithmetic: each step, what counted and what did not (behind "Show the math")."""
    return rx.vstack(
        rx.el.ol(rx.foreach(story.steps, lambda s: rx.el.li(rx.text(s, size="2"))),
                 padding_inline_start="1.2em", margin="0.25em 0"),
        rx.cond(story.counted.length() > 0, rx.vstack(
            rx.heading(t("What counted"), as_="h3", size="3"),
            rx.el.ul(rx.foreach(story.counted, event_row), padding="0", margin="0",
                     width="100%"),
            width="100%", spacing="1")),
        rx.cond(story.skipped.length() > 0, rx.vstack(
            rx.heading(t("What did not count, and why"), as_="h3", size="3"),
            rx.el.ul(rx.foreach(story.skipped, event_row), padding="0", margin="0",
                     width="100%"),
            width="100%", spacing="1")),
        id=MATH_ID, width="100%", spacing="2",
    )


def how_worked_out(story: rx.Var[TargetStory], is_math_shown: rx.Var[bool],
                   toggle_math: Any, heading: str = "h2") -> rx.Component:
    """"How this level was worked out": one plain sentence first, then the method's name;
    the arithmetic waits behind a real "Show the math" button (aria-expanded)."""
    return rx.el.section(
        rx.heading(t("How this level was worked out"), as_=heading, size="4"),
        rx.cond(
            story.steps.length() > 0,
            rx.vstack(
                rx.cond(story.sentence != "", rx.text(story.sentence, size="3")),
                rx.cond(story.method_label != "",
                        rx.text(t("Method: {method}", method=story.method_label), size="2",
                                color=rx.color("gray", 11))),
                rx.button(
                    rx.icon(rx.cond(is_math_shown, "chevron_up", "chevron_down"), size=16,
                            aria_hidden="true"),
                    rx.cond(is_math_shown, t("Hide the math"), t("Show the math")),
                    on_click=toggle_math, variant="outline", size="2", min_height=TOUCH,
                    aria_expanded=rx.cond(is_math_shown, "true", "false"),
                    aria_controls=MATH_ID, type="button",
                ),
                rx.cond(is_math_shown, _math(story)),
                width="100%", spacing="2", align="start",
            ),
            rx.text(t("No assessments yet, so there is no level to explain."), size="2",
                    color=rx.color("gray", 11)),
        ),
        aria_label=t("How this level was worked out"),
        width="100%",
    )
