"""A target's level explained: the level in words, the method, every counted event."""

import reflex as rx

from app.components.level_badge import level_badge
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
            rx.hstack(rx.text("Level now:", size="2"),
                      level_badge(story.level_text, story.level_words, story.level_color),
                      align="center", wrap="wrap"),
            rx.cond(story.has_open_conflict,
                    rx.callout("Two teachers gave different levels; a teacher will settle it.",
                               icon="info", color_scheme="amber", size="1")),
            spacing="2", width="100%",
        ),
        width="100%",
    )


def how_worked_out(story: rx.Var[TargetStory], heading: str = "h2") -> rx.Component:
    """"How this level was worked out": the method in words, then what counted and what not."""
    return rx.el.section(
        rx.heading("How this level was worked out", as_=heading, size="4"),
        # the API's own steps open with the method ("Method: …"); say it only when they don't
        rx.cond((story.method_label != "") & (story.steps.length() == 0),
                rx.text("Method: " + story.method_label, size="2", weight="medium")),
        rx.cond(
            story.steps.length() > 0,
            rx.el.ol(rx.foreach(story.steps, lambda s: rx.el.li(rx.text(s, size="2"))),
                     padding_left="1.2em", margin="0.25em 0"),
            rx.text("No assessments yet, so there is no level to explain.", size="2",
                    color=rx.color("gray", 11)),
        ),
        rx.cond(story.counted.length() > 0, rx.vstack(
            rx.heading("What counted", as_="h3", size="3"),
            rx.el.ul(rx.foreach(story.counted, event_row), padding="0", margin="0",
                     width="100%"),
            width="100%", spacing="1")),
        rx.cond(story.skipped.length() > 0, rx.vstack(
            rx.heading("What did not count, and why", as_="h3", size="3"),
            rx.el.ul(rx.foreach(story.skipped, event_row), padding="0", margin="0",
                     width="100%"),
            width="100%", spacing="1")),
        aria_label="How this level was worked out",
        width="100%",
    )
