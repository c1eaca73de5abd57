"""/learner/target?id=…: one learning target — rubric, history, evidence, self-assessment."""

import reflex as rx

from app import routes
from app.components.empty_state import empty_state
from app.components.evidence_card import evidence_card
from app.components.level_badge import level_badge
from app.components.offline_shell import (
    INPUT_STYLE,
    TOUCH,
    field_label,
    form_message,
    learner_shell,
)
from app.components.paging import device_pager, page_item_props, page_list_props
from app.components.sync_store import js_action, learner_view, part
from app.i18n import t
from app.routes import page
from app.state.learner import LearnerState
from backend.mastery.words import level_text, level_words

FORM_ID = "self-assessment-form"
# every half point, highest first, in the scale's own words (backend/mastery/words.py)
LEVEL_CHOICES = [(level_text(h / 2), level_text(h / 2), level_words(h / 2))
                 for h in range(8, -1, -1)]


def _rubric_row(row: rx.Var) -> rx.Component:
    r = row.to(dict)
    return rx.el.li(
        rx.hstack(rx.badge(r["score_text"].to(str), variant="outline", size="2"),
                  rx.text(r["text"].to(str), size="2"), align="start", spacing="2"),
        list_style="none", padding_y="0.3em",
    )


def _event_row(event: rx.Var) -> rx.Component:
    """One score of the target's history, newest first."""
    e = event.to(dict)
    when = e["when_text"].to(str)
    note = e["note"].to(str)
    return rx.el.li(
        rx.text(rx.cond(when != "",
                        t("{level} · {source} · {day}", level=e["level_text"].to(str),
                          source=e["source_text"].to(str), day=when),
                        t("{level} · {source}", level=e["level_text"].to(str),
                          source=e["source_text"].to(str))), size="2", weight="medium"),
        rx.cond(note != "", rx.text(note, size="1", color=rx.color("gray", 11))),
        list_style="none", padding_y="0.35em",
        border_top=f"1px solid {rx.color('gray', 4)}",
        **page_item_props(),
    )


def _self_assessment(view: rx.Var) -> rx.Component:
    target_id = part(view, "id", str)
    return rx.card(
        rx.heading(t("Assess yourself"), as_="h2", size="4"),
        rx.el.div(
            rx.vstack(
                field_label(
                    t("Your level"),
                    rx.el.select(
                        rx.el.option(t("Choose a level"), value=""),
                        *[rx.el.option(t("{level} · {words}", level=shown, words=t(words)),
                                       value=value) for value, shown, words in LEVEL_CHOICES],
                        name="level",
                        key=part(view, "self_level", str),
                        default_value=part(view, "self_level", str),
                        style=INPUT_STYLE,
                    ),
                    hint=t("3.0 means proficient: you can do what the target asks on your own."),
                ),
                field_label(t("Why (optional)"),
                            rx.el.textarea(name="note", rows="2", style=INPUT_STYLE)),
                rx.flex(
                    rx.button(t("Save self-assessment"), type="button", min_height=TOUCH,
                              on_click=js_action("waypointUI.selfAssess", FORM_ID, target_id)),
                    rx.button(t("I'm ready to demonstrate"), type="button", variant="outline",
                              min_height=TOUCH,
                              on_click=js_action("waypointUI.selfAssess", FORM_ID, target_id,
                                                 True)),
                    gap="0.5em", wrap="wrap",
                ),
                form_message(),
                spacing="3", width="100%",
            ),
            id=FORM_ID,
            key=target_id,  # a fresh form per target: its fields are uncontrolled
            role="form",
            aria_label=t("Assess yourself"),
        ),
        width="100%",
    )


@page(routes.LEARNER_TARGET, title="Learning target", on_load=LearnerState.check_access)
def learner_target_page() -> rx.Component:
    """A learning target as the learner sees it, from this device's store."""
    view = learner_view("target")
    found = part(view, "is_found", bool)
    # one page limit per target and list (assets/ui/learner.js reads the same ids)
    history_list = "history-" + part(view, "id", str)
    evidence_list = "target-evidence-" + part(view, "id", str)
    return learner_shell(
        rx.cond(found, part(view, "code", str) + " · " + part(view, "title", str),
                t("Learning target")),
        routes.LEARNER,
        rx.link(rx.icon("arrow_left", size=16, aria_hidden="true"), t("Back to my binder"),
                href=routes.LEARNER, display="inline-flex", align_items="center",
                gap="0.25em", min_height=TOUCH, high_contrast=True),
        rx.cond(
            found,
            rx.vstack(
                rx.flex(
                    level_badge(part(view, "level_text", str), part(view, "level_words", str),
                                part(view, "level_color", str)),
                    rx.text(part(view, "topic_name", str) + " · " + part(view, "scale_text", str),
                            size="2", color=rx.color("gray", 11)),
                    rx.cond(part(view, "is_ready", bool),
                            rx.badge(t("Ready to demonstrate"), color_scheme="indigo",
                                     variant="outline", size="2")),
                    gap="0.5em", align="center", wrap="wrap",
                ),
                # the plain sentence first (backend/mastery/sentence.py, rendered on the device)
                rx.cond(part(view, "sentence_text", str) != "",
                        rx.text(part(view, "sentence_text", str), size="2")),
                rx.cond(part(view, "method_text", str) != "",
                        rx.text(t("Level worked out as: {method}",
                                  method=part(view, "method_text", str)),
                                size="2", color=rx.color("gray", 11))),
                rx.card(
                    rx.heading(t("Rubric"), as_="h2", size="4"),
                    rx.el.ul(rx.foreach(part(view, "rubric"), _rubric_row), padding="0",
                             margin="0"),
                    width="100%",
                ),
                _self_assessment(view),
                rx.card(
                    rx.heading(t("History"), as_="h2", size="4"),
                    rx.cond(part(view, "events").length() > 0,
                            rx.fragment(
                                rx.el.ul(rx.foreach(part(view, "events"), _event_row),
                                         padding="0", margin="0",
                                         **page_list_props(history_list)),
                                device_pager(part(view, "history_count_text", str),
                                             part(view, "history_more_text", str),
                                             history_list, part(view, "history_shown", int)),
                            ),
                            rx.text(t("No scores yet. Your teacher's scores and your own "
                                      "self-assessments appear here."), size="2")),
                    width="100%",
                ),
                rx.card(
                    rx.heading(t("Evidence"), as_="h2", size="4"),
                    rx.cond(part(view, "evidence").length() > 0,
                            rx.fragment(
                                rx.el.ul(rx.foreach(part(view, "evidence"), evidence_card),
                                         padding="0", margin="0",
                                         **page_list_props(evidence_list)),
                                device_pager(part(view, "evidence_count_text", str),
                                             part(view, "evidence_more_text", str),
                                             evidence_list, part(view, "evidence_shown", int)),
                            ),
                            rx.text(t("No evidence for this target yet. Add a photo of your "
                                      "work and tag this target."), size="2")),
                    rx.link(t("Add evidence"), href=routes.LEARNER_EVIDENCE, min_height=TOUCH,
                            display="inline-flex", align_items="center", high_contrast=True),
                    width="100%",
                ),
                spacing="4", width="100%",
            ),
            empty_state(t("This learning target is not on this device."),
                        t("Go back to your binder and choose a target from there."),
                        icon="search_x"),
        ),
    )
