"""The Personal Learner Profile's pieces (issue 18), shared by the learner's "My profile"
page and the teacher's page of one learner's profile. They render the view of
assets/ui/profile.js (the device's store) and call its actions, so they work offline."""

from __future__ import annotations

from typing import Any

import reflex as rx

from app.components.disclosure import disclosure
from app.components.offline_shell import INPUT_STYLE, TOUCH, field_label, form_message
from app.components.sync_store import hook_var, js_action, part
from app.i18n import t

PROFILE_UI = "$/public/ui/profile.js"


def profile_view(who: str) -> rx.Var:
    """The profile view: "me" (the learner's own) or "learner" (the one named by ?id=)."""
    return hook_var(f"wpProfile_{who}", f'useProfileView("{who}")', PROFILE_UI,
                    "useProfileView", dict[str, Any], typed=True)


# the teacher's link from a learner's page to their profile (assets/ui/profile.js)
profile_href = hook_var("wpProfileHref", "useProfileHref()", PROFILE_UI, "useProfileHref", str)


def action(name: str, *args: Any) -> rx.Var:
    return js_action(f"waypointProfile.{name}", *args)


def _history(section: rx.Var) -> rx.Component:
    s = section.to(dict)
    entries = s["history"].to(list[dict[str, Any]])
    return rx.cond(
        entries.length() > 0,
        disclosure(
            t("How this has changed ({count})", count=s["history_count_text"].to(str)),
            rx.el.ul(rx.foreach(entries, lambda e: rx.el.li(
                rx.text(e.to(dict)["text"].to(str), size="2"),
                rx.cond(e.to(dict)["choices_text"].to(str) != "",
                        rx.text(e.to(dict)["choices_text"].to(str), size="1")),
                rx.text(e.to(dict)["when_text"].to(str), size="1", color=rx.color("gray", 11)),
                padding_y="0.3em", list_style="none",
                border_top=f"1px solid {rx.color('gray', 4)}")),
                padding="0", margin="0"),
        ),
    )


def _versions(section: rx.Var, form_id: rx.Var) -> rx.Component:
    """Texts written at the same time elsewhere: both kept until the learner keeps one."""
    s = section.to(dict)
    return rx.cond(
        s["has_alternatives"].to(bool),
        rx.callout.root(
            rx.callout.text(t("This part was changed in two places at the same time. Both "
                              "texts are kept: keep one, or write a new text above and "
                              "save.")),
            rx.vstack(rx.foreach(s["versions"].to(list[dict[str, Any]]), lambda v: rx.card(
                rx.text(v.to(dict)["text"].to(str), size="2"),
                rx.text(v.to(dict)["choices_text"].to(str), size="1"),
                rx.text(v.to(dict)["who_text"].to(str), size="1", color=rx.color("gray", 11)),
                rx.button(t("Keep this one"), type="button", variant="soft", min_height=TOUCH,
                          aria_label=v.to(dict)["keep_label"].to(str),
                          on_click=action("keepVersion", form_id, v.to(dict)["index"])),
                data_version_text=v.to(dict)["raw_text"].to(str),
                data_version_choices=v.to(dict)["raw_choices"].to(str),
                width="100%")), spacing="2", width="100%"),
            color="amber", role="group", width="100%",
        ),
    )


def _choices(section: rx.Var) -> rx.Component:
    s = section.to(dict)
    return rx.cond(
        s["has_choices"].to(bool),
        rx.el.fieldset(
            rx.el.legend(t("Tick any that fit"), style={"font_size": "14px",
                                                         "font_weight": "500"}),
            rx.flex(rx.foreach(s["choices"].to(list[dict[str, Any]]), lambda c: rx.el.label(
                rx.el.input(type="checkbox", name="choices", value=c.to(dict)["word"].to(str),
                            default_checked=c.to(dict)["checked"].to(bool),
                            style={"width": "20px", "height": "20px"}),
                rx.text(c.to(dict)["label"].to(str), size="2"),
                display="inline-flex", align_items="center", gap="0.4em",
                min_height=TOUCH, padding_x="0.5em")), wrap="wrap", gap="0.25em"),
            style={"border": "none", "padding": "0", "margin": "0"},
        ),
    )


def section_editor(section: rx.Var, student_id: rx.Var) -> rx.Component:
    """One section, editable by the learner: choices, own words, both texts, history."""
    s = section.to(dict)
    form_id = s["form_id"].to(str)
    return rx.card(
        rx.el.div(
            rx.vstack(
                rx.heading(s["title"].to(str), as_="h2", size="4"),
                _choices(section),
                field_label(t("In my own words"),
                            rx.el.textarea(name="text", rows="3", default_value=s["text"].to(str),
                                           style=INPUT_STYLE),
                            hint=s["prompt"].to(str)),
                _versions(section, form_id),
                rx.button(t("Save"), type="button", min_height=TOUCH,
                          aria_label=t("Save: {section}", section=s["title"].to(str)),
                          on_click=action("saveSection", form_id)),
                form_message(),
                _history(section),
                spacing="3", width="100%",
            ),
            id=form_id, role="form", aria_label=s["title"].to(str),
            data_section=s["key"].to(str), data_seen=s["seen"].to(str),
            data_student=student_id.to(str),
        ),
        # keyed by section: the text field is uncontrolled and keeps what was typed
        key=s["key"].to(str), width="100%",
    )


def section_reader(section: rx.Var) -> rx.Component:
    """One section as others read it (the teacher): its text, choices and history."""
    s = section.to(dict)
    return rx.card(
        rx.vstack(
            rx.heading(s["title"].to(str), as_="h3", size="3"),
            rx.cond(s["is_empty"].to(bool),
                    rx.text(t("Not written yet."), size="2", color=rx.color("gray", 11)),
                    rx.fragment(
                        rx.cond(s["choices_text"].to(str) != "",
                                rx.text(s["choices_text"].to(str), size="2", weight="medium")),
                        rx.text(s["text"].to(str), size="2", white_space="pre-wrap"))),
            rx.cond(s["has_alternatives"].to(bool),
                    rx.text(t("Two texts are waiting for the learner to choose one."),
                            size="1", color=rx.color("amber", 11))),
            _history(section),
            spacing="2", width="100%",
        ),
        key=s["key"].to(str), width="100%",
    )


def section_beside(section: rx.Var, student_id: rx.Var) -> rx.Component:
    """One section as the teacher reads it, and the teacher's own words to put beside the
    learner's (the merge never lets them replace the learner's: sync/PROTOCOL.md, Profile)."""
    s = section.to(dict)
    form_id = s["form_id"].to(str)
    return rx.vstack(
        section_reader(section),
        rx.el.div(
            rx.vstack(
                field_label(t("Your words, beside theirs"),
                            rx.el.textarea(name="text", rows="2", style=INPUT_STYLE),
                            hint=t("The learner sees them beside their own words and keeps "
                                   "the one they want.")),
                rx.button(t("Add beside their words"), type="button", min_height=TOUCH,
                          aria_label=t("Add beside their words: {section}",
                                       section=s["title"].to(str)),
                          on_click=action("saveSection", form_id)),
                form_message(),
                spacing="2", width="100%",
            ),
            id=form_id, role="form", aria_label=s["title"].to(str),
            data_section=s["key"].to(str), data_seen=s["seen"].to(str),
            data_student=student_id.to(str), style={"width": "100%"},
        ),
        key=s["key"].to(str), spacing="2", width="100%",
    )


def observation_card(obs: rx.Var, can_answer: bool) -> rx.Component:
    """A teacher's "I've noticed…"; the learner accepts it or asks to talk about it."""
    o = obs.to(dict)
    form_id = o["form_id"].to(str)
    answer = rx.el.div(
        rx.vstack(
            field_label(t("What would you like to say? (optional)"),
                        rx.el.textarea(name="reply", rows="2", default_value=o["reply"].to(str),
                                       style=INPUT_STYLE)),
            rx.flex(
                rx.button(t("Accept"), type="button", min_height=TOUCH,
                          on_click=action("respond", form_id, o["id"], "accepted")),
                rx.button(t("I'd like to talk about it"), type="button", variant="soft",
                          min_height=TOUCH,
                          on_click=action("respond", form_id, o["id"], "discuss")),
                gap="0.5em", wrap="wrap"),
            form_message(),
            spacing="2", width="100%"),
        id=form_id, role="form", aria_label=t("Answer: {text}", text=o["text"].to(str)),
    ) if can_answer else rx.fragment()
    return rx.card(
        rx.vstack(
            rx.text(o["teacher_text"].to(str), " · ", o["section_text"].to(str), size="1",
                    color=rx.color("gray", 11)),
            rx.text(o["text"].to(str), size="3"),
            rx.badge(o["response_text"].to(str), size="2",
                     color_scheme=rx.cond(o["is_open"].to(bool), "gray", "grass")),
            rx.cond(o["reply"].to(str) != "",
                    rx.text(t("Reply: {text}", text=o["reply"].to(str)), size="2")),
            answer,
            spacing="2", width="100%"),
        key=o["id"].to(str), width="100%",
    )


def observations(view: rx.Var, can_answer: bool, empty_text: str | rx.Var) -> rx.Component:
    notes = part(view, "observations")
    return rx.cond(
        notes.length() > 0,
        rx.vstack(rx.foreach(notes, lambda o: observation_card(o, can_answer)),
                  rx.cond(part(view, "observations_more_text").to(str) != "",
                          rx.text(part(view, "observations_more_text").to(str), size="2",
                                  color=rx.color("gray", 11))),
                  spacing="3", width="100%"),
        rx.text(empty_text, size="2", color=rx.color("gray", 11)),
    )
