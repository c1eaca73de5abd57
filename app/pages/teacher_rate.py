"""/teacher/learners/<id>/targets/<id>: rate one learner on one target, from the device's
store (names, the rubric, the level now, their own view, recent history), so it opens and
saves offline too. The rating is a `rating.put` through the sync core."""

import reflex as rx

from app import routes
from app.components import teacher_screens as screens
from app.components.disclosure import disclosure
from app.components.offline_shell import form_message
from app.components.profile import profile_href
from app.components.shell import TOUCH, page_shell
from app.components.teacher_widgets import level_chips, sync_strip
from app.i18n import t
from app.routes import page
from app.state.teacher import TeacherState
from app.state.views import ALL_LEVELS

view = screens.rate
FORM = "rate-form"


def _history_line(line: rx.Var) -> rx.Component:
    h = line.to(dict)
    return rx.el.li(rx.text(h["text"].to(str), size="2"),
                    rx.cond(h["note"].to(str) != "",
                            rx.text(h["note"].to(str), size="1", color=rx.color("gray", 11))),
                    padding_y="0.25em", list_style="none",
                    border_top=f"1px solid {rx.color('gray', 4)}")


def _rate_form() -> rx.Component:
    rubric = screens.part(view, "rubric", list[dict])
    return rx.card(
        rx.el.div(
            rx.vstack(
                rx.heading(t("Your rating"), as_="h2", size="4", id="rate-heading"),
                level_chips("level", t("Level"), ALL_LEVELS),
                disclosure(
                    t("Rubric"),
                    rx.cond(rubric.length() > 0,
                            rx.el.ul(rx.foreach(rubric, lambda d: rx.el.li(
                                rx.text.strong(d["score"].to(str)), " ", d["text"].to(str))),
                                padding_inline_start="1.2em", margin="0"),
                            rx.text(t("This target has no rubric yet."), size="2")),
                    width="100%",
                ),
                rx.vstack(
                    rx.el.label(t("Note (optional)"), html_for="rate-note", font_weight="500",
                                font_size="0.9em"),
                    rx.el.textarea(id="rate-note", name="note", rows=2, max_length=4000,
                                   style={**screens.SELECT, "padding": "0.5em"}),
                    spacing="1", width="100%",
                ),
                rx.button(t("Save rating"), type="button", size="3", min_height=TOUCH,
                          width="100%",
                          on_click=screens.action("rate", FORM,
                                                  screens.part(view, "learner_id"),
                                                  screens.part(view, "target_id"))),
                form_message(),
                screens.status_line(screens.part(view, "status_text")),
                rx.cond(screens.part(view, "waiting") != "",
                        rx.text(screens.part(view, "waiting"), size="2", role="status",
                                color=rx.color("amber", 11))),
                spacing="3", width="100%",
            ),
            id=FORM, role="form", aria_labelledby="rate-heading",
        ),
        width="100%",
    )


def _beside() -> rx.Component:
    history = screens.part(view, "history", list[dict])
    own = screens.part(view, "self_text")
    return rx.vstack(
        rx.card(
            rx.heading(t("The learner's own view"), as_="h2", size="3"),
            rx.cond(own != "", rx.text(own, size="2"),
                    rx.text(t("No self-assessment yet."), size="2",
                            color=rx.color("gray", 11))),
            width="100%",
        ),
        rx.card(
            rx.heading(t("Recent assessments"), as_="h2", size="3"),
            rx.cond(history.length() > 0,
                    rx.el.ul(rx.foreach(history, _history_line), padding="0", margin="0"),
                    rx.text(t("None on this phone yet. They arrive as the history syncs."),
                            size="2", color=rx.color("gray", 11))),
            width="100%",
        ),
        width="100%", spacing="3",
    )


@page(routes.TEACHER_RATE, title="Rate", on_load=TeacherState.check)
def teacher_rate_page() -> rx.Component:
    """Rate one learner on one target."""
    found = screens.part(view, "found", bool)
    return page_shell(
        rx.cond(found, t("Rate {name}", name=screens.part(view, "learner_name")),
                t("Rate mastery")),
        sync_strip(),
        rx.cond(
            ~screens.part(view, "ready", bool),
            screens.loading(t("Loading from this phone…")),
            rx.cond(
                found,
                rx.vstack(
                    rx.link(t("Open the whole binder"),
                            href=screens.part(view, "binder_href"), min_height=TOUCH,
                            display="inline-flex", align_items="center", high_contrast=True),
                    rx.link(t("Profile and observations"), href=profile_href,
                            min_height=TOUCH, display="inline-flex", align_items="center",
                            high_contrast=True),
                    rx.card(rx.vstack(
                        rx.heading(screens.part(view, "target_text"), as_="h2", size="4"),
                        rx.text(t("Now: {level} {words}", level=screens.part(view, "level"),
                                  words=screens.part(view, "level_words")), size="2"),
                        spacing="1"), width="100%"),
                    _rate_form(), _beside(), spacing="3", width="100%"),
                screens.empty(t("That learner or target is not on this phone."),
                              t("Open the grid or your classes and pick a learner you teach. "
                                "A new learner shows up after the next sync.")),
            ),
        ),
    )
