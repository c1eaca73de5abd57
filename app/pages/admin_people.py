"""/admin/people: accounts, classes and enrollments, guardian links."""

import reflex as rx

from app import routes
from app.components.admin_form import (
    edit_form,
    form_buttons,
    form_card,
    notice,
    select_field,
    text_field,
)
from app.components.empty_state import loading_state
from app.components.learner_deletion import learner_deletion_panel
from app.components.shell import TOUCH, page_shell
from app.routes import page
from app.state.admin_people import AdminPeopleState, ClassRow, LinkRow, PersonRow

S = AdminPeopleState


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
    return rx.box(
        edit_form(
            "Rename " + p.name,
            text_field("Full name", "display_name", "edit-user-name",
                       default_value=S.edit_user_name, auto_focus=True),
            form_buttons("Save name", S.cancel_edit),
            on_submit=S.rename_user, key="name-" + p.key,
        ),
        edit_form(
            "Reset password for " + p.name,
            _password_field("New password (8+ characters)", "edit-user-password",
                            S.reset_password_error),
            text_field("Type the new password again", "confirm", "edit-user-confirm",
                       type="password", auto_complete="new-password"),
            form_buttons("Reset password", S.cancel_edit),
            on_submit=S.reset_password, key="password-" + p.key,
        ),
        width="100%",
    )


def _password_field(label: str, field_id: str, error: rx.Var[str]) -> rx.Component:
    """The password input with the rule's words right under it (announced, and tied to
    the input by aria-describedby)."""
    return rx.vstack(
        text_field(label, "password", field_id, type="password", auto_complete="new-password",
                   aria_invalid=rx.cond(error != "", "true", "false"),
                   aria_describedby=field_id + "-why"),
        rx.box(notice(error, True), id=field_id + "-why", width="100%"),
        spacing="1", width="100%",
    )


def _person(p: rx.Var[PersonRow]) -> rx.Component:
    return rx.fragment(
        _row(p.name, rx.cond(p.is_locked, p.detail + " · " + p.lock_text, p.detail), rx.flex(
            rx.cond(
                p.is_locked,
                rx.button("Let in", size="2", min_height=TOUCH, min_width=TOUCH,
                          on_click=S.let_in(p.id), aria_label="Let in " + p.name)),
            rx.button("Edit", size="2", variant="soft", min_height=TOUCH, min_width=TOUCH,
                      on_click=S.start_user_edit(p.id),
                      aria_label="Edit or reset password: " + p.name,
                      aria_expanded=rx.cond(S.edit_user_id == p.id, "true", "false")),
            rx.cond(
                p.is_active,
                rx.button("Deactivate", size="2", variant="soft", color_scheme="red",
                          min_height=TOUCH, on_click=S.deactivate(p.id),
                          aria_label="Deactivate " + p.name)),
            gap="0.5em", wrap="wrap", justify="end",
        )),
        rx.cond(S.note_key == p.key,
                rx.el.li(notice(S.note, S.note_is_error), list_style="none")),
        rx.cond(S.edit_user_id == p.id,
                rx.el.li(_user_editor(p), list_style="none")),
    )


def _class_editor(c: rx.Var[ClassRow]) -> rx.Component:
    return edit_form(
        "Edit class " + c.name,
        text_field("Class name", "name", "edit-class-name", default_value=S.edit_class_name,
                   auto_focus=True),
        select_field("Teacher", "teacher_id", "edit-class-teacher", S.teachers,
                     first="Choose a teacher…", default_value=S.edit_class_teacher),
        form_buttons("Save class", S.cancel_edit),
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
            rx.button("Edit", size="2", variant="soft", min_height=TOUCH, min_width=TOUCH,
                      on_click=S.start_class_edit(c.id), aria_label="Edit class " + c.name,
                      aria_expanded=rx.cond(S.edit_class_id == c.id, "true", "false")),
            gap="0.5em", align="center",
        ),
        _inline_note(c.key),
        rx.cond(S.edit_class_id == c.id, _class_editor(c)),
        rx.el.ul(rx.foreach(c.learners, lambda s: _row(
            s.name, "", rx.button("Remove", size="2", variant="soft", min_height=TOUCH,
                                  on_click=S.unenroll(c.id, s.id),
                                  aria_label="Remove " + s.name + " from " + c.name))),
            padding="0", margin="0"),
        width="100%",
    )


def _link(link: rx.Var[LinkRow]) -> rx.Component:
    return _row(link.text, "", rx.button("Unlink", size="2", variant="soft",
                                         min_height=TOUCH, on_click=S.unlink(link.id),
                                         aria_label="Unlink " + link.text))


def _add_account() -> rx.Component:
    """Like form_card, but kept as typed when the API refuses (reset only after a success,
    by mounting it afresh under a new key), with the refusal beside the field it is about."""
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Add an account", as_="h2", size="4"),
                text_field("Full name", "display_name", "user-name"),
                text_field("Username", "username", "user-username", auto_capitalize="none"),
                select_field("Role", "role", "user-role", None,
                             static=[("student", "Learner"), ("teacher", "Teacher"),
                                     ("guardian", "Guardian"), ("admin", "Admin")]),
                _password_field("First password (8+ characters)", "user-password",
                                S.add_password_error),
                notice(S.add_error, True),
                rx.button("Add account", type="submit", size="3", min_height=TOUCH,
                          width="100%"),
                spacing="2", width="100%",
            ),
            on_submit=S.add_user, reset_on_submit=False, key=S.add_form_key.to_string(),
            aria_label="Add an account",
        ),
        width="100%",
    )


@page(routes.ADMIN_PEOPLE, title="People", on_load=AdminPeopleState.load_people)
def admin_people_page() -> rx.Component:
    """Everyone, every class and every family link, with the forms to change them."""
    return page_shell(
        "People and classes",
        notice(S.message, S.is_error),
        rx.cond(~S.is_loaded, loading_state("people")),
        _add_account(),
        form_card("Enroll a learner",
                  select_field("Class", "class_id", "enroll-class", S.class_options,
                               first="Choose a class…"),
                  select_field("Learner", "student_id", "enroll-learner", S.learners,
                               first="Choose a learner…"),
                  submit="Enroll", on_submit=S.enroll),
        form_card("Link a guardian to a learner",
                  select_field("Guardian", "guardian_id", "link-guardian", S.guardians,
                               first="Choose a guardian…"),
                  select_field("Learner", "student_id", "link-learner", S.learners,
                               first="Choose a learner…"),
                  submit="Link", on_submit=S.link_guardian),
        form_card("Add a class",
                  text_field("Name", "name", "class-name"),
                  select_field("Teacher", "teacher_id", "class-teacher", S.teachers,
                               first="Choose a teacher…"),
                  submit="Add class", on_submit=S.add_class),
        rx.heading("Classes", as_="h2", size="5"),
        rx.foreach(S.classes, _class),
        rx.heading("Guardian links", as_="h2", size="5"),
        rx.card(rx.el.ul(rx.foreach(S.links, _link), padding="0", margin="0"), width="100%"),
        rx.heading("Everyone", as_="h2", size="5"),
        rx.card(rx.el.ul(rx.foreach(S.people, _person), padding="0", margin="0"),
                width="100%"),
        learner_deletion_panel(),
    )
