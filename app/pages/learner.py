"""/learner: the signed-in learner's own binder, rendered from the device's store (offline)."""

import reflex as rx

from app import routes
from app.components.empty_state import empty_state
from app.components.level_badge import level_badge
from app.components.offline_shell import learner_shell
from app.components.record_export import record_export_panel
from app.components.sync_store import learner_view, part
from app.i18n import t
from app.routes import page
from app.state.learner import LearnerState

SKILLS_SECTION = "Lifelong Learning Skills"


def _target_row(target: rx.Var) -> rx.Component:
    t = target.to(dict)
    return rx.el.li(
        rx.link(
            rx.flex(
                rx.vstack(
                    rx.text(t["title"].to(str), size="2", weight="medium"),
                    rx.text(t["code"].to(str) + " · " + t["scale_text"].to(str)
                            + rx.cond(t["evidence_text"].to(str) != "",
                                      " · " + t["evidence_text"].to(str), "")
                            + rx.cond(t["self_text"].to(str) != "",
                                      " · " + t["self_text"].to(str), ""),
                            size="1", color=rx.color("gray", 11)),
                    rx.cond(t["is_ready"].to(bool),
                            rx.badge("Ready to demonstrate", color_scheme="indigo",
                                     variant="outline")),
                    spacing="1", flex="1", min_width="0",
                ),
                level_badge(t["level_text"].to(str), t["level_words"].to(str),
                            t["level_color"].to(str)),
                gap="0.5em", align="start", justify="between", wrap="wrap",
            ),
            href=t["href"].to(str),
            underline="none",
            color="inherit",
            display="block",
            padding_y="0.6em",
            min_height="44px",
        ),
        border_top=f"1px solid {rx.color('gray', 4)}",
        list_style="none",
    )


def _topic(topic: rx.Var) -> rx.Component:
    t = topic.to(dict)
    name = t["name"].to(str)
    progress = t["progress_text"].to(str)
    return rx.box(
        rx.flex(
            rx.heading(name, as_="h4", size="3"),
            rx.text(t["level_text"].to(str), size="1", color=rx.color("gray", 11),
                    white_space="nowrap"),
            justify="between", align="baseline", gap="0.5em",
        ),
        rx.hstack(
            rx.progress(value=t["progress_percent"].to(int), size="2", flex="1",
                        aria_label=name + ": " + progress),
            rx.text(progress, size="1", color=rx.color("gray", 11), white_space="nowrap"),
            align="center", spacing="3", margin_y="0.5em",
        ),
        rx.el.ul(rx.foreach(t["targets"].to(list[dict]), _target_row), padding="0",
                 margin="0"),
        padding_y="0.5em",
    )


def _area(area: rx.Var) -> rx.Component:
    a = area.to(dict)
    return rx.card(
        rx.cond(a["is_name_shown"].to(bool),
                rx.heading(a["name"].to(str), as_="h3", size="4", margin_bottom="0.25em")),
        rx.foreach(a["topics"].to(list[dict]), _topic),
        width="100%",
    )


@page(routes.LEARNER, title="My binder", on_load=LearnerState.check_access)
def learner_page() -> rx.Component:
    """My binder: every learning target with my level, by area and topic."""
    binder = learner_view("binder")
    academic, skills = part(binder, "academic"), part(binder, "skills")
    return learner_shell(
        t("My binder"),
        routes.LEARNER,
        rx.text(t("Your level on each learning target. 3.0 means proficient. Tap a target to "
                  "see its rubric, your evidence and to assess yourself."),
                color=rx.color("gray", 11), size="2"),
        rx.heading(t("Academic learning"), as_="h2", size="5"),
        rx.cond(
            academic.length() > 0,
            rx.foreach(academic, _area),
            rx.cond(
                part(binder, "is_loaded", bool),
                empty_state(t("Your binder has no learning targets yet."),
                            t("Targets appear here once a teacher adds them to a class."),
                            icon="book_open"),
                empty_state(t("Your binder is not on this device yet."),
                            t("Connect to the internet once while signed in: your binder is "
                              "then kept here for working offline."), icon="cloud_download"),
            ),
        ),
        rx.heading(t(SKILLS_SECTION), as_="h2", size="5", margin_top="0.5em"),
        rx.text(t("Habits like planning and working with others. They are shown here on their "
                  "own and never averaged into academic levels."), size="2",
                color=rx.color("gray", 11)),
        rx.cond(
            skills.length() > 0,
            rx.foreach(skills, _area),
            empty_state(t("No Lifelong Learning Skills yet."),
                        t("Skills appear here once the school adds them."), icon="sprout"),
        ),
        record_export_panel(),
        rx.link(rx.icon("award", size=18, aria_hidden="true"), t("My credentials"),
                href=routes.LEARNER_CREDENTIALS, display="inline-flex", align_items="center",
                gap="0.4em", min_height="44px"),  # issue 17: signed badges to download
    )
