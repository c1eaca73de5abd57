"""/learner/goals: the learner's goals (their Individual Learning Plan), offline."""

import reflex as rx

from app import routes
from app.components.disclosure import disclosure
from app.components.empty_state import empty_state
from app.components.offline_shell import (
    INPUT_STYLE,
    TOUCH,
    field_label,
    form_message,
    learner_shell,
)
from app.components.paging import (
    device_pager,
    page_item_props,
    page_list_props,
    show_more_button,
)
from app.components.sync_store import LEARNER_UI, hook_var, js_action, learner_view, part
from app.components.target_picker import target_picker
from app.i18n import t
from app.routes import page
from app.state.learner import LearnerState

NEW_FORM = "goal-form-new"
# ids of the goals whose edit form was opened on this page (assets/ui/learner.js)
OPENED_EDITS = hook_var("openedEdits", "useOpenedEdits()", LEARNER_UI, "useOpenedEdits",
                        list[str]).to(list[str])


def _goal_fields(options: rx.Var, goal: rx.Var | None = None) -> list[rx.Component]:
    g = goal.to(dict) if goal is not None else None
    value = (lambda key: g[key].to(str)) if g is not None else (lambda key: "")
    return [
        field_label(t("Goal"), rx.el.input(name="title", type="text", default_value=value("title"),
                                        placeholder=t("e.g. Finish the fractions playlist"),
                                        style=INPUT_STYLE)),
        field_label(t("Due date (optional)"), rx.el.input(name="due_on", type="date",
                                                        default_value=value("due_on"),
                                                        style=INPUT_STYLE)),
        target_picker(options, g["target_ids"].to(list[str]) if g is not None else None,
                      legend=t("Link learning targets")),
        field_label(t("Reflection (optional)"),
                    rx.el.textarea(name="reflection", rows="3",
                                   default_value=value("reflection"), style=INPUT_STYLE),
                    hint=t("How is it going? What helped? What will you try next?")),
    ]


def _new_goal(options: rx.Var) -> rx.Component:
    return rx.card(
        rx.heading(t("New goal"), as_="h2", size="4"),
        rx.el.div(
            rx.vstack(
                *_goal_fields(options),
                rx.button(t("Add goal"), type="button", min_height=TOUCH,
                          on_click=js_action("waypointUI.saveGoal", NEW_FORM)),
                form_message(),
                spacing="3", width="100%",
            ),
            id=NEW_FORM, role="form", aria_label=t("New goal"),
        ),
        width="100%",
    )


def _goal(goal: rx.Var, options: rx.Var) -> rx.Component:
    g = goal.to(dict)
    form_id = "goal-" + g["id"].to(str)
    reflection = g["reflection"].to(str)
    return rx.card(
        rx.flex(
            rx.heading(g["title"].to(str), as_="h3", size="3", flex="1"),
            rx.badge(g["status_text"].to(str),
                     color_scheme=rx.cond(g["is_done"].to(bool), "grass", "blue"), size="2"),
            gap="0.5em", align="start", justify="between",
        ),
        rx.text(t("{due} · {targets}", due=g["due_text"].to(str),
                  targets=g["targets_text"].to(str)), size="2",
                color=rx.color("gray", 11)),
        rx.cond(reflection != "", rx.text(t("Reflection: {text}", text=reflection), size="2")),
        rx.flex(
            rx.cond(
                g["is_done"].to(bool),
                rx.button(t("Reopen"), type="button", variant="soft", min_height=TOUCH,
                          aria_label=t("Reopen goal: {title}", title=g["title"].to(str)),
                          on_click=js_action("waypointUI.setGoalStatus", g["id"], "active")),
                rx.button(t("Mark done"), type="button", variant="soft", min_height=TOUCH,
                          aria_label=t("Mark done: {title}", title=g["title"].to(str)),
                          on_click=js_action("waypointUI.setGoalStatus", g["id"], "done")),
            ),
            gap="0.5em", margin_top="0.5em",
        ),
        disclosure(
            t("Edit or reflect"),
            # built on the first opening only (then kept, with whatever was typed): 20 cards
            # each with every target's checkbox made the goals page slow to render
            rx.cond(
                OPENED_EDITS.contains(g["id"].to(str)),
                rx.el.div(
                    rx.vstack(
                        *_goal_fields(options, goal),
                        rx.button(t("Save goal"), type="button", min_height=TOUCH,
                                  on_click=js_action("waypointUI.saveGoal", form_id)),
                        form_message(),
                        spacing="3", width="100%",
                    ),
                    id=form_id, data_goal_id=g["id"].to(str), role="form",
                    aria_label=t("Edit goal: {title}", title=g["title"].to(str)),
                ),
            ),
            summary_props={"on_click": js_action("waypointUI.openEdit", g["id"])},
        ),
        # keyed by goal: the edit fields are uncontrolled, so a card reused for another goal
        # (when a new goal is added above it) would keep the old goal's text
        key=g["id"].to(str),
        width="100%",
        **page_item_props(),
    )


def _done_goals(view: rx.Var, options: rx.Var) -> rx.Component:
    """Done goals stay one tap away: never read or rendered until asked for."""
    done = part(view, "done_goals")
    return rx.cond(
        done.length() > 0,
        rx.vstack(
            rx.heading(t("Done goals"), as_="h2", size="5"),
            rx.vstack(rx.foreach(done, lambda goal: _goal(goal, options)), spacing="3",
                      width="100%", **page_list_props("goals-done")),
            device_pager(part(view, "done_count_text", str), part(view, "done_more_text", str),
                         "goals-done", part(view, "done_shown", int)),
            spacing="3", width="100%",
        ),
        rx.cond(part(view, "done_button_text", str) != "",
                show_more_button(part(view, "done_button_text", str),
                                 js_action("waypointPaging.showMore", "goals-done", 0))),
    )


@page(routes.LEARNER_GOALS, title="My goals", on_load=LearnerState.check_access)
def learner_goals_page() -> rx.Component:
    """Create, edit, link, date, finish and reflect on goals — with or without a network.

    Current goals come 20 at a time with their true count; done goals one tap away."""
    view = learner_view("goals")
    goals, options = part(view, "goals"), part(view, "options")
    return learner_shell(
        t("My goals"),
        routes.LEARNER_GOALS,
        _new_goal(options),
        rx.heading(t("Current goals"), as_="h2", size="5"),
        rx.cond(
            goals.length() > 0,
            rx.vstack(
                rx.vstack(rx.foreach(goals, lambda goal: _goal(goal, options)), spacing="3",
                          width="100%", **page_list_props("goals-open")),
                device_pager(part(view, "open_count_text", str),
                             part(view, "open_more_text", str), "goals-open",
                             part(view, "open_shown", int)),
                spacing="3", width="100%",
            ),
            rx.cond(part(view, "done_total", int) > 0,
                    empty_state(t("No current goals."), t("Write a new goal above, or reopen "
                                                          "a done goal below."), icon="flag"),
                    empty_state(t("No goals yet."), t("Write your first goal above, with your "
                                                      "teacher if you like: what you want to "
                                                      "learn next and by when."),
                                icon="flag")),
        ),
        _done_goals(view, options),
    )
