"""/teacher/conflicts: two teachers' ratings side by side with why each was given (who, when,
note, evidence) and the learner's history on that target; keep one with a single tap and
say why. From the device's store: the same online, offline and after an offline reload."""

import reflex as rx

from app import routes
from app.components import teacher_screens as screens
from app.components.disclosure import disclosure
from app.components.level_badge import level_badge
from app.components.offline_shell import form_message
from app.components.paging import device_pager, page_item_props, page_list_props
from app.components.shell import TOUCH, page_shell
from app.components.teacher_widgets import sync_strip
from app.i18n import t
from app.routes import page
from app.state.teacher import TeacherState

view = screens.conflicts


def _side(conflict: rx.Var, side: rx.Var) -> rx.Component:
    c, s = conflict.to(dict), side.to(dict)
    return rx.card(
        rx.vstack(
            rx.text(s["teacher_name"].to(str), weight="bold", size="2"),
            level_badge(s["level"].to(str), s["level_words"].to(str), s["color"].to(str)),
            rx.text(s["when"].to(str), size="1", color=rx.color("gray", 11)),
            rx.text(s["note"].to(str), size="1"),
            rx.text(s["evidence"].to(str), size="1", color=rx.color("gray", 11)),
            rx.cond(
                ~c["is_locked"].to(bool),
                rx.button(
                    t("Keep {level}", level=s["level"].to(str)),
                    type="button", size="2", min_height=TOUCH, width="100%",
                    on_click=screens.action("resolve", c["id"].to(str),
                                            s["level_value"].to(float)),
                    aria_label=t("Keep {level} from {teacher} for {learner}",
                                 level=s["level"].to(str), teacher=s["teacher_name"].to(str),
                                 learner=c["learner_name"].to(str)),
                ),
            ),
            spacing="1", align="start", width="100%",
        ),
        flex="1 1 9em", min_width="0",
    )


def _history(conflict: rx.Var) -> rx.Component:
    lines = conflict.to(dict)["history"].to(list[dict])
    return disclosure(
        t("History on this target"),
        rx.cond(lines.length() > 0,
                rx.el.ul(rx.foreach(lines, lambda h: rx.el.li(
                    rx.text(h["text"].to(str), size="2"),
                    rx.cond(h["note"].to(str) != "",
                            rx.text(h["note"].to(str), size="1", color=rx.color("gray", 11))),
                    list_style="none", padding_y="0.2em")), padding="0", margin="0"),
                rx.text(t("None on this phone yet. It arrives as the history syncs."),
                        size="2", color=rx.color("gray", 11))),
        width="100%",
    )


def _settled(c: rx.Var) -> rx.Component:
    """"Settled at 1.5 · Saved on this phone" (from the outbox entry) and Undo until it is sent."""
    return rx.vstack(
        rx.text(c["settled_text"].to(str), size="2", weight="bold", role="status"),
        rx.cond(
            c["can_undo"].to(bool),
            rx.button(t("Undo"), type="button", size="2", variant="soft", min_height=TOUCH,
                      on_click=screens.action("undoResolve", c["id"].to(str),
                                              c["seq"].to(str)),
                      aria_label=t("Undo the settlement for {learner}",
                                   learner=c["learner_name"].to(str))),
        ),
        spacing="2", align="start",
    )


def _conflict(conflict: rx.Var) -> rx.Component:
    c = conflict.to(dict)
    cid = c["id"].to(str)
    note_id = "conflict-note-" + cid
    return rx.card(
        rx.el.div(
            rx.vstack(
                rx.heading(c["learner_name"].to(str), as_="h2", size="4"),
                rx.text(c["target_text"].to(str), size="2"),
                rx.text(c["opened"].to(str), size="1", color=rx.color("gray", 11)),
                rx.cond(c["agree_text"].to(str) != "",
                        rx.text(c["agree_text"].to(str), size="2", weight="bold")),
                rx.cond(
                    c["is_open"].to(bool),
                    rx.vstack(
                        rx.flex(rx.foreach(c["sides"].to(list[dict]),
                                           lambda s: _side(conflict, s)),
                                gap="0.5em", width="100%", wrap="wrap"),
                        rx.vstack(
                            rx.el.label(t("Why this level (kept with your choice)"),
                                        html_for=note_id, font_weight="500",
                                        font_size="0.9em"),
                            rx.el.textarea(id=note_id, name="note", rows=2, max_length=4000,
                                           aria_describedby=note_id + "-error",
                                           style={**screens.SELECT, "padding": "0.5em"}),
                            # the missing reason's error, beside the box (teacher_screens.js)
                            rx.el.p("", id=note_id + "-error",
                                    style={"margin": "0", "font_size": "14px",
                                           "color": rx.color("red", 11)}),
                            spacing="1", width="100%",
                        ),
                        screens.status_line(c["status_text"].to(str)),
                        spacing="2", width="100%",
                    ),
                    _settled(c),
                ),
                form_message(),
                _history(conflict),
                rx.link(t("Rate again instead"), href=c["rate_href"].to(str), size="2",
                        min_height=TOUCH, display="inline-flex", align_items="center"),
                spacing="2", width="100%",
            ),
            id="conflict-" + cid, role="form",
            aria_label=t("Conflict: {learner}, {target}", learner=c["learner_name"].to(str),
                         target=c["target_text"].to(str)),
        ),
        width="100%", **page_item_props(),
    )


@page(routes.TEACHER_CONFLICTS, title="Conflicts", on_load=TeacherState.check)
def teacher_conflicts_page() -> rx.Component:
    """The open conflicts of my learners, oldest first, 20 at a time with the true count."""
    items = screens.part(view, "items", list[dict])
    return page_shell(
        t("Conflicts"),
        rx.text(t("Two teachers rated the same target without seeing each other's rating. "
                  "Both are kept; choose the level that stands and say why."),
                size="2", color=rx.color("gray", 11)),
        sync_strip(),
        rx.cond(
            ~screens.part(view, "ready", bool),
            screens.loading(t("Loading conflicts from this phone…")),
            rx.cond(
                items.length() > 0,
                rx.vstack(
                    rx.vstack(rx.foreach(items, _conflict), spacing="3", width="100%",
                              **page_list_props("conflicts")),
                    device_pager(screens.part(view, "count_text"),
                                 screens.part(view, "more_text"), "conflicts",
                                 screens.part(view, "shown", int)),
                    spacing="3", width="100%"),
                screens.empty(t("No conflicts."),
                              t("When two teachers rate the same target at the same time, the "
                                "pair shows up here to settle.")),
            ),
        ),
    )
