"""/teacher/grid: learners × targets of a topic, coloured by level, from the device's store.

Tap a cell to rate that learner on that target (the rubric one tap away, below the grid);
the rating goes through the sync core, so it works offline. "Group by next target" shows
who needs what; "Group by" a profile answer (issue 18: how they take in ideas, stay engaged,
show what they know, read from the learners' profile rows on this phone) shows who learns
best by doing, among those the filters keep (a next target: "among those on M5.F.2").
Making a group with a playlist needs a connection and says so.
"""

import reflex as rx

from app import routes
from app.components import teacher_screens as screens
from app.components.disclosure import disclosure
from app.components.offline_shell import form_message
from app.components.shell import TOUCH, page_shell
from app.components.teacher_widgets import level_chips, sync_strip
from app.i18n import t
from app.routes import page
from app.state.teacher import TeacherState
from app.state.views import ALL_LEVELS

grid = screens.grid
RATE_FORM = "grid-rate"


def _cell(cell: rx.Var) -> rx.Component:
    c = cell.to(dict)
    learner, target = c["learner_id"].to(str), c["target_id"].to(str)
    return rx.el.td(
        rx.el.button(
            c["text"].to(str),
            id="cell-" + learner + "-" + target,
            type="button",
            aria_label=c["label"].to(str),
            on_click=screens.action("openCell", learner, target),
            style={"min_width": TOUCH, "min_height": TOUCH, "width": "100%",
                   "border": "none", "cursor": "pointer", "font": "inherit",
                   "color": rx.color("gray", 12),
                   "background": rx.cond(c["is_set"].to(bool),
                                         "var(--" + c["color"].to(str) + "-4)",
                                         "var(--gray-2)"),
                   "outline": rx.cond(c["conflict"].to(bool), "2px solid var(--red-9)", "none"),
                   "outline_offset": "-3px"},
        ),
        padding="0", border=f"1px solid {rx.color('gray', 5)}",
    )


def _row(row: rx.Var) -> rx.Component:
    r = row.to(dict)
    return rx.el.tr(
        rx.el.th(r["name"].to(str), scope="row", text_align="start", padding="0.5em",
                 position="sticky", inset_inline_start="0", background=rx.color("gray", 1),
                 white_space="nowrap", border=f"1px solid {rx.color('gray', 5)}"),
        rx.foreach(r["cells"].to(list[dict]), _cell),
    )


def _table() -> rx.Component:
    return rx.box(
        rx.el.table(
            rx.el.thead(rx.el.tr(
                rx.el.th(t("Learner"), scope="col", text_align="start", padding="0.5em",
                         position="sticky", inset_inline_start="0", background=rx.color("gray", 3)),
                rx.foreach(screens.part(grid, "codes", list[str]),
                           lambda c: rx.el.th(c, scope="col", padding="0.5em",
                                              font_size="0.8em", white_space="nowrap",
                                              background=rx.color("gray", 3))),
            )),
            rx.el.tbody(rx.foreach(screens.part(grid, "rows", list[dict]), _row)),
            border_collapse="collapse", font_size="0.9em",
        ),
        overflow_x="auto", width="100%", tab_index=0, role="region",
        aria_label=t("Levels by learner and target (scrolls sideways). Tap a cell to rate."),
    )


def _rate_panel() -> rx.Component:
    """The open cell's rate form: level chips, the rubric one tap away, a note, Save."""
    pick = grid["picked"].to(dict)
    learner, target = pick["learner_id"].to(str), pick["target_id"].to(str)
    return rx.card(
        rx.el.div(
            rx.vstack(
                rx.heading(t("Rate {learner} on {target}", learner=pick["learner_name"].to(str),
                             target=pick["target_text"].to(str)),
                           as_="h2", size="4", id="grid-rate-heading", tab_index=-1),
                rx.text(t("Now: {level} {words}", level=pick["level"].to(str),
                          words=pick["level_words"].to(str)), size="2"),
                rx.cond(pick["self_text"].to(str) != "",
                        rx.text(t("The learner's own view: {text}",
                                  text=pick["self_text"].to(str)), size="2")),
                level_chips("level", t("Level"), ALL_LEVELS),
                disclosure(
                    t("Rubric"),
                    rx.cond(
                        pick["rubric"].to(list[dict]).length() > 0,
                        rx.el.ul(rx.foreach(pick["rubric"].to(list[dict]), lambda d: rx.el.li(
                            rx.text.strong(d["score"].to(str)), " ", d["text"].to(str))),
                            padding_inline_start="1.2em", margin="0"),
                        rx.text(t("This target has no rubric yet."), size="2")),
                    width="100%",
                ),
                rx.vstack(
                    rx.el.label(t("Note (optional)"), html_for="grid-rate-note",
                                font_weight="500", font_size="0.9em"),
                    rx.el.textarea(id="grid-rate-note", name="note", rows=2, max_length=4000,
                                   style={**screens.SELECT, "padding": "0.5em"}),
                    spacing="1", width="100%",
                ),
                rx.flex(
                    rx.button(t("Save rating"), type="button", size="3", min_height=TOUCH,
                              flex="1", on_click=screens.action("rate", RATE_FORM, learner,
                                                                target)),
                    rx.button(t("Close"), type="button", size="3", min_height=TOUCH,
                              variant="soft", high_contrast=True,
                              on_click=screens.action("closeCell")),
                    gap="0.5em", width="100%",
                ),
                form_message(),
                screens.status_line(pick["status_text"].to(str)),
                spacing="3", width="100%",
            ),
            id=RATE_FORM, role="form", aria_labelledby="grid-rate-heading",
            key=learner + "-" + target,
        ),
        width="100%",
    )


def _group(group: rx.Var) -> rx.Component:
    g = group.to(dict)
    target = g["target_id"].to(str)
    field_id = "playlist-" + target
    return rx.card(
        rx.el.div(
            rx.vstack(
                rx.heading(g["heading"].to(str), as_="h3", size="3"),
                rx.text(g["count_text"].to(str) + ": " + g["names"].to(str), size="2"),
                rx.vstack(
                    rx.el.label(t("Playlist for this group"), html_for=field_id,
                                font_weight="500", font_size="0.9em"),
                    rx.el.select(
                        rx.el.option(t("Choose a playlist…"), value=""),
                        rx.foreach(screens.part(grid, "playlists", list[dict]),
                                   lambda o: rx.el.option(o["label"].to(str),
                                                          value=o["value"].to(str))),
                        id=field_id, name="playlist_id", style=screens.SELECT,
                    ),
                    spacing="1", width="100%",
                ),
                rx.button(t("Make group and assign playlist"), type="button", size="3",
                          min_height=TOUCH, width="100%",
                          on_click=screens.action("assign", screens.part(grid, "class_id"),
                                                  target, g["heading"].to(str),
                                                  g["learner_ids"].to(list[int]))),
                form_message(),
                spacing="2", width="100%",
            ),
            id="group-" + target, role="form", aria_label=g["heading"].to(str),
        ),
        width="100%",
    )


def _groups() -> rx.Component:
    groups = screens.part(grid, "groups", list[dict])
    done = screens.part(grid, "done_names")
    by_answer = screens.part(grid, "by_answer", bool)
    not_said = screens.part(grid, "not_said_names")
    return rx.vstack(
        rx.cond(by_answer, rx.heading(t("Grouped by: {answer}",
                                        answer=screens.part(grid, "by_title")),
                                      as_="h2", size="3")),
        rx.text(t("Making a group with a playlist needs a connection."), size="2",
                color=rx.color("gray", 11)),
        rx.cond(groups.length() > 0, rx.foreach(groups, _group),
                rx.cond(by_answer,
                        screens.empty(t("No one here has answered this yet."),
                                      t("Ask your learners to fill in “How I learn best” "
                                        "in My profile, or choose another Group by or "
                                        "next target above.")),
                        screens.empty(t("No groups to make."),
                                      t("Everyone is proficient on every target of this "
                                        "topic. Pick the next topic above.")))),
        rx.cond(by_answer & (not_said != ""),
                rx.text(t("Not answered yet: {names}", names=not_said), size="2",
                        color=rx.color("gray", 11))),
        rx.cond(done != "", rx.text(t("Done with this topic: {names}", names=done), size="2",
                                    color=rx.color("gray", 11))),
        width="100%", spacing="3",
    )


def _filters() -> rx.Component:
    grouped = screens.part(grid, "grouped", bool)
    return rx.vstack(
        screens.select(t("Class"), "grid-class", screens.part(grid, "classes", list[dict]),
                       screens.part(grid, "class_id"), screens.value_action("pickClass")),
        screens.select(t("Topic"), "grid-topic", screens.part(grid, "topics", list[dict]),
                       screens.part(grid, "topic_id"), screens.value_action("pickTopic")),
        rx.vstack(
            rx.el.label(t("Find a learner"), html_for="grid-name", font_weight="500",
                        font_size="0.9em"),
            rx.el.input(id="grid-name", type="search", placeholder=t("Name"),
                        on_change=screens.value_action("setName"), style=screens.SELECT),
            spacing="1", width="100%",
        ),
        screens.select(t("Next target"), "grid-need",
                       screens.part(grid, "need_options", list[dict]),
                       screens.part(grid, "need"), screens.value_action("setNeed"),
                       first=("all", t("Any"))),
        screens.select(t("Group by"), "grid-group-by",
                       screens.part(grid, "by_options", list[dict]),
                       screens.part(grid, "by"), screens.value_action("setGroupBy"),
                       first=("next", t("Next target"))),
        rx.button(rx.cond(grouped, t("Show the grid"),
                          rx.cond(screens.part(grid, "by") == "next",
                                  t("Group by next target"), t("Group by this answer"))),
                  on_click=screens.action("toggleGrouped"), size="3", min_height=TOUCH,
                  variant="soft", width="100%", high_contrast=True,
                  aria_pressed=rx.cond(grouped, "true", "false")),
        spacing="2", width="100%",
    )


@page(routes.TEACHER_GRID, title="Class grid", on_load=TeacherState.check)
def teacher_grid_page() -> rx.Component:
    """The class grid with filters, tap-to-rate, and groups by next target."""
    return page_shell(
        t("Class grid"),
        sync_strip(),
        rx.cond(
            ~screens.part(grid, "ready", bool),
            screens.loading(t("Loading the grid from this phone…")),
            rx.cond(
                screens.part(grid, "no_classes", bool),
                screens.empty(t("You have no classes yet."),
                              t("Ask your school's admin to set up your classes; they show "
                                "here after the next sync.")),
                rx.vstack(
                    _filters(),
                    rx.cond(
                        screens.part(grid, "has_learners", bool),
                        rx.cond(screens.part(grid, "grouped", bool), _groups(),
                                rx.vstack(_table(),
                                          rx.cond(screens.part(grid, "has_pick", bool),
                                                  _rate_panel()),
                                          spacing="3", width="100%")),
                        screens.empty(t("No learners in this class."),
                                      t("Ask your school's admin to enroll learners.")),
                    ),
                    spacing="3", width="100%",
                ),
            ),
        ),
    )
