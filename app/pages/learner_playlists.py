"""/learner/playlists: activities assigned for my topics and targets; pick, start, finish."""

import reflex as rx

from app import routes
from app.components.empty_state import empty_state
from app.components.offline_shell import TOUCH, form_message, learner_shell
from app.components.sync_store import js_action, learner_view, part
from app.i18n import t
from app.routes import page
from app.state.learner import LearnerState
from backend.i18n import N_


def _pick_controls(a: rx.Var, title: rx.Var, pick_name: str) -> rx.Component:
    """Pick an activity, then move it on: in progress, then done (its status as a badge)."""
    next_status = a["next_status"].to(str)
    return rx.vstack(
        rx.cond(
            a["is_picked"].to(bool),
            rx.fragment(
                rx.badge(a["status_text"].to(str), size="2",
                         color_scheme=rx.cond(next_status == "", "grass", "blue")),
                rx.cond(next_status != "",
                        rx.button(a["next_label"].to(str), type="button", size="2",
                                  min_height=TOUCH,
                                  aria_label=t("{action}: {title}", action=a["next_label"].to(str),
                                               title=title),
                                  on_click=js_action("waypointUI.movePick", a["pick_id"],
                                                     a["next_status"]))),
            ),
            rx.button(t("Pick"), type="button", size="2", min_height=TOUCH, min_width=TOUCH,
                      aria_label=t(pick_name, title=title),
                      on_click=js_action("waypointUI.pick", a["id"])),
        ),
        align="end", spacing="1",
    )


def _activity_row(a: rx.Var, details: list, pick_name: str) -> rx.Component:
    title = a["title"].to(str)
    return rx.el.li(
        rx.flex(
            rx.vstack(
                rx.text(title, size="2", weight="medium"),
                rx.text(a["meta_text"].to(str), size="1", color=rx.color("gray", 11)),
                *details,
                spacing="1", flex="1", min_width="0",
            ),
            _pick_controls(a, title, pick_name),
            gap="0.5em", align="start", justify="between", wrap="wrap",
        ),
        padding_y="0.6em",
        border_top=f"1px solid {rx.color('gray', 4)}",
        list_style="none",
    )


def _activity(activity: rx.Var) -> rx.Component:
    a = activity.to(dict)
    url = a["url"].to(str)
    description = a["description"].to(str)
    return _activity_row(a, [
        rx.cond(description != "", rx.text(description, size="2")),
        rx.cond(url != "", rx.link(t("Open the resource"), href=url, is_external=True, size="2")),
    ], N_("Pick: {title}"))


def _playlist(playlist: rx.Var) -> rx.Component:
    p = playlist.to(dict)
    for_text = p["for_text"].to(str)
    return rx.card(
        rx.heading(p["title"].to(str), as_="h2", size="4"),
        rx.cond(for_text != "", rx.text(for_text, size="2", color=rx.color("gray", 11))),
        rx.el.ul(rx.foreach(p["activities"].to(list[dict]), _activity), padding="0",
                 margin="0"),
        width="100%",
    )


NO_SUGGESTIONS = N_("No suggestions yet — your teacher's playlist order is a good place to "
                    "start.")


def _suggested_activity(activity: rx.Var) -> rx.Component:
    a = activity.to(dict)
    title = a["title"].to(str)
    return _activity_row(a, [
        rx.text(a["why"].to(str), size="2", data_why=""),
        # "not for me" (issue 18): a sync write, offline too; Undo is in the list below
        rx.button(t("Not for me"), type="button", size="2", min_height=TOUCH,
                  variant="soft", color_scheme="gray", high_contrast=True,
                  aria_label=t("Not for me: {title}", title=title),
                  on_click=js_action("waypointUI.notForMe", a["id"], True),
                  align_self="start"),
    ], N_("Pick suggestion: {title}"))


def _declined(activity: rx.Var) -> rx.Component:
    a = activity.to(dict)
    title = a["title"].to(str)
    return rx.el.li(
        rx.flex(
            rx.text(title, size="2", flex="1", min_width="0"),
            rx.button(t("Undo"), type="button", size="2", min_height=TOUCH, min_width=TOUCH,
                      variant="soft", high_contrast=True,
                      aria_label=t("Undo not for me: {title}", title=title),
                      on_click=js_action("waypointUI.notForMe", a["id"], False)),
            gap="0.5em", align="center", justify="between", wrap="wrap",
        ),
        padding_y="0.4em", list_style="none",
    )


def _not_for_me(view: rx.Var) -> rx.Component:
    """The suggestions the learner said "not for me" to, each with Undo."""
    declined = part(view, "not_for_me")
    return rx.cond(
        declined.length() > 0,
        rx.card(
            rx.heading(t("You said “not for me” to"), as_="h3", size="3",
                       id="not-for-me-heading"),
            rx.el.ul(rx.foreach(declined, _declined), padding="0", margin="0",
                     aria_labelledby="not-for-me-heading"),
            variant="surface", width="100%",
        ),
    )


def _suggestion(suggestion: rx.Var) -> rx.Component:
    s = suggestion.to(dict)
    target_text = s["target_text"].to(str)
    return rx.card(
        rx.heading(s["topic"].to(str), as_="h3", size="3"),
        rx.cond(target_text != "",
                rx.text(t("Next target: {target}", target=target_text), size="2",
                        weight="medium"),
                rx.text(s["summary"].to(str), size="2")),
        rx.el.ul(rx.foreach(s["activities"].to(list[dict]), _suggested_activity),
                 padding="0", margin="0"),
        width="100%",
    )


def _suggested_next(view: rx.Var) -> rx.Component:
    """The server's recommendations, kept on the device: next target and why per activity."""
    suggestions = part(view, "suggestions")
    return rx.el.section(
        rx.heading(t("Suggested next"), as_="h2", size="4", id="suggested-next"),
        rx.el.div(form_message(), id="suggested-next-form"),
        rx.cond(
            suggestions.length() > 0,
            rx.vstack(rx.foreach(suggestions, _suggestion), spacing="3", width="100%"),
            rx.card(rx.text(t(NO_SUGGESTIONS), size="2"), variant="surface", width="100%"),
        ),
        _not_for_me(view),
        aria_labelledby="suggested-next",
        display="flex", flex_direction="column", gap="0.75em", width="100%",
    )


@page(routes.LEARNER_PLAYLISTS, title="My playlists", on_load=LearnerState.check_access)
def learner_playlists_page() -> rx.Component:
    """Choose an activity, then mark it in progress and done; works offline."""
    view = learner_view("playlists")
    playlists = part(view, "playlists")
    return learner_shell(
        t("My playlists"),
        routes.LEARNER_PLAYLISTS,
        rx.text(t("Choose what to work on next. When you think you have reached a target, "
                  "open it from your binder and tap \"I'm ready to demonstrate\"."), size="2",
                color=rx.color("gray", 11)),
        _suggested_next(view),
        rx.cond(
            playlists.length() > 0,
            rx.foreach(playlists, _playlist),
            empty_state(t("No playlists for you yet."),
                        t("Your teachers assign playlists to your class, your group or you. "
                          "Ask a teacher what to work on, or set a goal meanwhile."),
                        icon="list_checks"),
        ),
    )
