"""/admin/curriculum: the school's content areas, topics, learning targets and rubrics."""

import reflex as rx

from app import routes
from app.components.admin_form import Form, form_buttons, notice, row_button
from app.components.empty_state import loading_state
from app.components.shell import TOUCH, page_shell
from app.i18n import t
from app.routes import page
from app.state.admin_curriculum import AdminCurriculumState, AreaBlock, TargetRow, TopicBlock
from backend.i18n import N_

S = AdminCurriculumState
SCALES = [("3.0", "3.0 target"), ("2.0", "2.0 foundational"), ("4.0", "4.0 beyond")]


def _edit_form(target: rx.Var[TargetRow]) -> rx.Component:
    """Prefilled from the state's edit fields, which keep what the admin typed on an error."""
    f = Form(S, "edit-target")
    return f.inline(
        t("Edit {code}", code=target.code),
        rx.heading(t("Edit {code}", code=target.code), as_="h4", size="3"),
        f.text(t("Code"), "code", default_value=S.edit_code, auto_focus=True),
        f.text(t("Title"), "title", default_value=S.edit_title),
        f.select(t("Scale level"), "scale_level", static=SCALES, default_value=S.edit_scale),
        *[f.area(t("Rubric: what {score} looks like", score=score), f"rubric_{score}",
                 rows=2, default_value=S.edit_rubric[score]) for score in (4, 3, 2, 1, 0)],
        rx.text(t("An empty descriptor is removed. Saving replaces the whole rubric."),
                size="1", color=rx.color("gray", 11)),
        form_buttons(t("Save changes"), S.cancel_edit),
        on_submit=S.save_target, key=target.id,
    )


def _target(target: rx.Var[TargetRow]) -> rx.Component:
    return rx.el.li(
        rx.flex(
            rx.vstack(
                rx.text(target.code + " · " + target.title, size="2", weight="medium"),
                rx.text(target.rubric_text, size="1",
                        color=rx.color("gray", 11)),
                spacing="0", flex="1", min_width="0",
            ),
            row_button(t("Edit"), target.code, variant="soft", min_width=TOUCH,
                       on_click=S.start_edit(target.id),
                       aria_expanded=rx.cond(S.edit_id == target.id, "true", "false")),
            row_button(t("Archive"), target.code, variant="soft", color_scheme="red",
                       on_click=S.ask_archive(target.id)),
            gap="0.5em", align="center",
        ),
        rx.cond(S.note_key == "target-" + target.id.to_string(),
                notice(S.note, S.note_is_error)),
        rx.cond(S.edit_id == target.id, _edit_form(target)),
        list_style="none", padding_y="0.3em", border_top=f"1px solid {rx.color('gray', 4)}",
    )


def _topic(topic: rx.Var[TopicBlock]) -> rx.Component:
    return rx.box(
        rx.heading(topic.name, as_="h3", size="3"),
        rx.cond(topic.targets.length() > 0,
                rx.el.ul(rx.foreach(topic.targets, _target), padding="0", margin="0"),
                rx.text(t("No learning targets yet: add one below."), size="2",
                        color=rx.color("gray", 11))),
        padding_y="0.4em",
    )


def _area(area: rx.Var[AreaBlock]) -> rx.Component:
    return rx.card(
        rx.heading(area.name, as_="h2", size="4"),
        rx.text(area.kind, size="1", color=rx.color("gray", 11)),
        rx.foreach(area.topics, _topic),
        width="100%",
    )


def _archive_dialog() -> rx.Component:
    return rx.cond(
        S.archive_id != 0,
        rx.callout.root(
            rx.callout.text(S.archive_text),
            rx.hstack(
                rx.button(t("Archive it"), color_scheme="red", min_height=TOUCH,
                          on_click=S.archive),
                rx.button(t("Keep it"), variant="soft", min_height=TOUCH,
                          on_click=S.cancel_archive),
            ),
            color_scheme="amber", role="alertdialog", width="100%",
        ),
    )


@page(routes.ADMIN_CURRICULUM, title="Curriculum", on_load=AdminCurriculumState.load_curriculum)
def admin_curriculum_page() -> rx.Component:
    """Add areas, topics and targets with a rubric; archive a target (history kept)."""
    return page_shell(
        t("Curriculum"),
        notice(S.message, S.is_error),
        _archive_dialog(),
        _add_target(),
        rx.cond(S.is_loaded, rx.vstack(rx.foreach(S.areas, _area), width="100%", spacing="3"),
                loading_state(t("Loading the curriculum…"))),
        _add_topic(),
        _add_area(),
    )


def _add_target() -> rx.Component:
    f = Form(S, "add-target")
    return f.card(
        t("Add a learning target"),
        f.select(t("Measurement topic"), "topic_id", S.topic_options, first=N_("Choose a topic…")),
        f.text(t("Code"), "code", placeholder="e.g. M5.F.6"),
        f.text(t("Title"), "title"),
        f.select(t("Scale level"), "scale_level", static=SCALES),
        *[f.area(t("Rubric: what {score} looks like", score=score), f"rubric_{score}", rows=1,
                 required=False) for score in (4, 3, 2, 1, 0)],
        submit=t("Add learning target"), on_submit=S.add_target,
    )


def _add_topic() -> rx.Component:
    f = Form(S, "add-topic")
    return f.card(
        t("Add a measurement topic"),
        f.select(t("Content area"), "area_id", S.area_options, first=N_("Choose an area…")),
        f.text(t("Name"), "name"),
        submit=t("Add topic"), on_submit=S.add_topic,
    )


def _add_area() -> rx.Component:
    f = Form(S, "add-area")
    return f.card(
        t("Add a content area"),
        f.text(t("Name"), "name"),
        f.select(t("Kind"), "kind", static=[("academic", N_("Academic")),
                                            ("skills", N_("Lifelong Learning Skills")),
                                            # teachers' "My growth" (issue 17 part 3)
                                            ("educators", N_("Educator microcredentials"))]),
        submit=t("Add content area"), on_submit=S.add_area,
    )
