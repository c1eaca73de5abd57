"""/admin/people: accounts, classes and enrollments, guardian links."""

import reflex as rx

from app import routes
from app.components.admin_form import Form, form_buttons, notice, row_button
from app.components.empty_state import loading_state
from app.components.learner_deletion import learner_deletion_panel
from app.components.shell import TOUCH, page_shell
from app.i18n import t
from app.routes import page
from app.state.admin_people import AdminPeopleState, ClassRow, LinkRow, PersonRow
from backend.i18n import N_

S = AdminPeopleState
ROLES = [("student", "Learner"), ("teacher", "Teacher"), ("guardian", "Guardian"),
         ("admin", "Admin")]


def _row(text, detail, button) -> rx.Component:
    return rx.el.li(
        rx.flex(rx.vstack(rx.text(text, size="2", weight="medium"),
                          rx.cond(detail != "", rx.text(detail, size="1",
                                                        color=rx.color("gray", 11))),
                          spacing="0", flex="1", min_width="0"),
                button, gap="0.5em", align="center"),
        list_style="none", padding_y="0.3em", border_top=f"1px solid {rx.color('gray', 4)}",
    )


def _inline_note(key) -> rx.Component:
    return rx.cond(S.note_key == key, notice(S.note, S.note_is_error))


def _user_editor(p: rx.Var[PersonRow]) -> rx.Component:
    """Rename, and reset the password (typed twice): two small forms, each saved alone."""
    rename, reset = Form(S, "rename-user"), Form(S, "reset-password")
    return rx.box(
        rename.inline(
            t("Rename {name}", name=p.name),
            rename.text(t("Full name"), "display_name", default_value=S.edit_user_name,
                        auto_focus=True),
            form_buttons(t("Save name"), S.cancel_edit),
            on_submit=S.rename_user, key="name-" + p.key,
        ),
        reset.inline(
            t("Reset password for {name}", name=p.name),
            reset.text(t("New password (8+ characters)"), "password", type="password",
                       auto_complete="new-password"),
            reset.text(t("Type the new password again"), "confirm", type="password",
                       auto_complete="new-password"),
            form_buttons(t("Reset password"), S.cancel_edit),
            on_submit=S.reset_password, key="password-" + p.key,
        ),
        width="100%",
    )


def _person(p: rx.Var[PersonRow]) -> rx.Component:
    return rx.fragment(
        _row(p.name, rx.cond(p.is_locked, p.detail + " · " + p.lock_text, p.detail), rx.flex(
            rx.cond(
                p.is_locked,
                row_button(t("Let in"), p.name, min_width=TOUCH, on_click=S.let_in(p.id))),
            row_button(t("Edit"), p.name, variant="soft", min_width=TOUCH,
                       on_click=S.start_user_edit(p.id),
                       aria_expanded=rx.cond(S.edit_user_id == p.id, "true", "false")),
            rx.cond(
                p.is_active,
                row_button(t("Deactivate"), p.name, variant="soft", color_scheme="red",
                           on_click=S.deactivate(p.id))),
            gap="0.5em", wrap="wrap", justify="end",
        )),
        rx.cond(S.note_key == p.key,
                rx.el.li(notice(S.note, S.note_is_error), list_style="none")),
        rx.cond(S.edit_user_id == p.id,
                rx.el.li(_user_editor(p), list_style="none")),
    )


def _class_editor(c: rx.Var[ClassRow]) -> rx.Component:
    edit = Form(S, "edit-class")
    return edit.inline(
        t("Edit class {name}", name=c.name),
        edit.text(t("Class name"), "name", default_value=S.edit_class_name, auto_focus=True),
        edit.select(t("Teacher"), "teacher_id", S.teachers, first=N_("Choose a teacher…"),
                    default_value=S.edit_class_teacher),
        form_buttons(t("Save class"), S.cancel_edit),
        on_submit=S.save_class, key=c.key,
    )


def _class(c: rx.Var[ClassRow]) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.heading(c.name, as_="h3", size="3"),
                rx.text(c.detail, size="1", color=rx.color("gray", 11)),
                spacing="0", flex="1", min_width="0",
            ),
            row_button(t("Edit"), c.name, variant="soft", min_width=TOUCH,
                       on_click=S.start_class_edit(c.id),
                       aria_expanded=rx.cond(S.edit_class_id == c.id, "true", "false")),
            gap="0.5em", align="center",
        ),
        _inline_note(c.key),
        rx.cond(S.edit_class_id == c.id, _class_editor(c)),
        rx.el.ul(rx.foreach(c.learners, lambda s: _row(
            s.name, "", row_button(t("Remove"), s.name, c.name, variant="soft",
                                   on_click=S.unenroll(c.id, s.id)))),
            padding="0", margin="0"),
        width="100%",
    )


def _link(link: rx.Var[LinkRow]) -> rx.Component:
    return _row(link.text, "", row_button(t("Unlink"), link.text, variant="soft",
                                          on_click=S.unlink(link.id)))


def _add_account() -> rx.Component:
    """Kept as typed when the API refuses (emptied only after a success), each refusal
    under the field it is about."""
    f = Form(S, "add-account")
    return f.card(
        t("Add an account"),
        f.text(t("Full name"), "display_name"),
        f.text(t("Username"), "username", auto_capitalize="none"),
        f.select(t("Role"), "role", static=ROLES),
        f.text(t("First password (8+ characters)"), "password", type="password",
               auto_complete="new-password"),
        submit=t("Add account"), on_submit=S.add_user,
    )


def _enroll() -> rx.Component:
    f = Form(S, "enroll")
    return f.card(t("Enroll a learner"),
                  f.select(t("Class"), "class_id", S.class_options, first=N_("Choose a class…")),
                  f.select(t("Learner"), "student_id", S.learners, first=N_("Choose a learner…")),
                  submit=t("Enroll"), on_submit=S.enroll)


def _link_guardian() -> rx.Component:
    f = Form(S, "link-guardian")
    return f.card(t("Link a guardian to a learner"),
                  f.select(t("Guardian"), "guardian_id", S.guardians,
                           first=N_("Choose a guardian…")),
                  f.select(t("Learner"), "student_id", S.learners, first=N_("Choose a learner…")),
                  submit=t("Link"), on_submit=S.link_guardian)


def _add_class() -> rx.Component:
    f = Form(S, "add-class")
    return f.card(t("Add a class"),
                  f.text(t("Name"), "name"),
                  f.select(t("Teacher"), "teacher_id", S.teachers, first=N_("Choose a teacher…")),
                  submit=t("Add class"), on_submit=S.add_class)


@page(routes.ADMIN_PEOPLE, title="People", on_load=AdminPeopleState.load_people)
def admin_people_page() -> rx.Component:
    """Everyone, every class and every family link, with the forms to change them."""
    return page_shell(
        t("People and classes"),
        notice(S.message, S.is_error),
        rx.cond(~S.is_loaded, loading_state(t("Loading people…"))),
        _add_account(),
        _enroll(),
        _link_guardian(),
        _add_class(),
        rx.heading(t("Classes"), as_="h2", size="5"),
        rx.foreach(S.classes, _class),
        rx.heading(t("Guardian links"), as_="h2", size="5"),
        rx.card(rx.el.ul(rx.foreach(S.links, _link), padding="0", margin="0"), width="100%"),
        rx.heading(t("Everyone"), as_="h2", size="5"),
        rx.card(rx.el.ul(rx.foreach(S.people, _person), padding="0", margin="0"),
                width="100%"),
        learner_deletion_panel(),
    )
