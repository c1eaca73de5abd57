"""/teacher/grid: learners × targets of a topic, coloured by level, and regrouping."""

import reflex as rx

from app import routes
from app.components.empty_state import empty_state, error_state, loading_state
from app.components.shell import TOUCH, page_shell
from app.routes import page
from app.state.teacher_grid import GridCell, GridGroup, GridRow, TeacherGridState

_SELECT = {"min_height": TOUCH, "width": "100%", "padding": "0 0.5em", "font": "inherit",
           "border_radius": "var(--radius-2)", "border": f"1px solid {rx.color('gray', 7)}",
           "background": rx.color("gray", 1)}


def _select(label: str, field_id: str, options, value, on_change,
            first: tuple[str, str] | None = None) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="0.9em"),
        rx.el.select(
            *([rx.el.option(first[1], value=first[0])] if first else []),
            rx.foreach(options, lambda o: rx.el.option(o.label, value=o.value)),
            id=field_id, value=value, on_change=on_change, style=_SELECT,
        ),
        spacing="1", width="100%",
    )


def _cell(cell: rx.Var[GridCell]) -> rx.Component:
    return rx.el.td(cell.text, aria_label=cell.label, title=cell.words,
                    background=cell.background, text_align="center", padding="0.5em 0.4em",
                    min_width="3.2em", border=f"1px solid {rx.color('gray', 5)}")


def _row(row: rx.Var[GridRow]) -> rx.Component:
    return rx.el.tr(
        rx.el.th(row.name, scope="row", text_align="left", padding="0.5em",
                 position="sticky", left="0", background=rx.color("gray", 1),
                 white_space="nowrap", border=f"1px solid {rx.color('gray', 5)}"),
        rx.foreach(row.cells, _cell),
    )


def _table() -> rx.Component:
    return rx.box(
        rx.el.table(
            rx.el.thead(rx.el.tr(
                rx.el.th("Learner", scope="col", text_align="left", padding="0.5em",
                         position="sticky", left="0", background=rx.color("gray", 3)),
                rx.foreach(TeacherGridState.codes,
                           lambda c: rx.el.th(c, scope="col", padding="0.5em",
                                              font_size="0.8em", white_space="nowrap",
                                              background=rx.color("gray", 3))),
            )),
            rx.el.tbody(rx.foreach(TeacherGridState.shown_rows, _row)),
            border_collapse="collapse", font_size="0.9em",
        ),
        overflow_x="auto", width="100%", tab_index=0,
        role="region", aria_label="Levels by learner and target (scrolls sideways)",
    )


def _group(group: rx.Var[GridGroup]) -> rx.Component:
    field_id = "playlist-" + group.target_id.to_string()
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(group.heading, as_="h3", size="3"),
                rx.text(group.count_text + ": " + group.names, size="2"),
                rx.el.input(type="hidden", name="target_id", value=group.target_id.to_string()),
                rx.vstack(
                    rx.el.label("Playlist for this group", html_for=field_id,
                                font_weight="500", font_size="0.9em"),
                    rx.el.select(
                        rx.el.option("Choose a playlist…", value=""),
                        rx.foreach(TeacherGridState.playlists,
                                   lambda o: rx.el.option(o.label, value=o.value)),
                        id=field_id, name="playlist_id", style=_SELECT,
                    ),
                    spacing="1", width="100%",
                ),
                rx.button("Make group and assign playlist", type="submit", size="3",
                          min_height=TOUCH, width="100%"),
                spacing="2", width="100%",
            ),
            on_submit=TeacherGridState.assign, reset_on_submit=False,
        ),
        width="100%",
    )


def _groups() -> rx.Component:
    return rx.vstack(
        rx.cond(TeacherGridState.groups.length() > 0,
                rx.foreach(TeacherGridState.groups, _group),
                empty_state("No groups to make.", "Everyone is proficient on every target of "
                            "this topic. Pick the next topic above.", icon="party_popper")),
        rx.cond(TeacherGridState.done_names != "",
                rx.text("Done with this topic: " + TeacherGridState.done_names, size="2",
                        color=rx.color("gray", 11))),
        width="100%", spacing="3",
    )


def _filters() -> rx.Component:
    return rx.vstack(
        _select("Class", "grid-class", TeacherGridState.classes, TeacherGridState.class_id,
                TeacherGridState.pick_class),
        _select("Topic", "grid-topic", TeacherGridState.topics, TeacherGridState.topic_id,
                TeacherGridState.pick_topic),
        rx.vstack(
            rx.el.label("Find a learner", html_for="grid-name", font_weight="500",
                        font_size="0.9em"),
            rx.input(id="grid-name", value=TeacherGridState.name_filter,
                     on_change=TeacherGridState.set_name_filter, placeholder="Name",
                     size="3", width="100%", min_height=TOUCH),
            spacing="1", width="100%",
        ),
        _select("Next target", "grid-need",
                TeacherGridState.need_options,
                TeacherGridState.need_filter, TeacherGridState.set_need_filter,
                first=("all", "Any")),
        rx.button(rx.cond(TeacherGridState.is_grouped, "Show the grid", "Group by next target"),
                  on_click=TeacherGridState.toggle_grouped, size="3", min_height=TOUCH,
                  variant="soft", width="100%", high_contrast=True,
                  aria_pressed=rx.cond(TeacherGridState.is_grouped, "true", "false")),
        spacing="2", width="100%",
    )


@page(routes.TEACHER_GRID, title="Class grid", on_load=TeacherGridState.load_page)
def teacher_grid_page() -> rx.Component:
    """The class grid with filters, and groups by next target."""
    return page_shell(
        "Class grid",
        _filters(),
        rx.cond(TeacherGridState.notice != "",
                rx.callout(TeacherGridState.notice, icon="info", role="status", width="100%")),
        rx.cond(
            TeacherGridState.is_loaded,
            rx.cond(
                TeacherGridState.error != "",
                error_state(TeacherGridState.error),
                rx.cond(
                    TeacherGridState.rows.length() > 0,
                    rx.cond(TeacherGridState.is_grouped, _groups(), _table()),
                    empty_state("No learners in this class.",
                                "Ask your school's admin to enroll learners.", icon="users"),
                ),
            ),
            loading_state("the grid"),
        ),
    )
