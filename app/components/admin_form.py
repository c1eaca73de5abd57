"""One way to build an admin form (issue 15 item 5): each field is a visible label, the
control (native, 44 px tall), and its error in plain words right under it, tied to the
control by aria-describedby and marked aria-invalid. Forms are never reset on submit: the
state bumps the form's key after a success (app/state/admin_form.py), so a refused form
keeps everything that was typed, and the first invalid field takes focus.

    f = Form(AdminPeopleState, "add-account")
    f.card(t("Add an account"), f.text(t("Full name"), "display_name"), …,
           submit=t("Add account"), on_submit=S.add_user)
"""

from __future__ import annotations

import json

import reflex as rx

from app.components.shell import TOUCH
from app.i18n import t
from app.state.admin_form import field_id

FIELD = {"min_height": TOUCH, "width": "100%", "padding": "0 0.5em", "font": "inherit",
         "border_radius": "var(--radius-2)", "border": f"1px solid {rx.color('gray', 7)}",
         "background": rx.color("gray", 1)}
INVALID_BORDER = f"2px solid {rx.color('red', 9)}"


def _words(text) -> rx.Var | str:
    """A label given as a plain English string goes through the catalog; Vars pass as is."""
    return t(text) if isinstance(text, str) else text


def _lookup(mapping: rx.Var, key: str, default: str) -> rx.Var:
    """mapping[key] in the browser, `default` when the key is absent."""
    return rx.Var(f"({mapping._js_expr}?.[{json.dumps(key)}] ?? {json.dumps(default)})",
                  _var_type=str, _var_data=mapping._get_all_var_data()).to(str)


class Form:
    """The fields of one form of an AdminFormState page, by the form's id."""

    def __init__(self, state, form: str):
        self.state, self.form = state, form

    def id(self, name: str) -> str:
        return field_id(self.form, name)

    def error(self, name: str) -> rx.Var:
        """The words for this field ("" when it is fine)."""
        return _lookup(self.state.errors, f"{self.form}.{name}", "")

    def _field(self, label, name: str, control, hint=None) -> rx.Component:
        control_id, error = self.id(name), self.error(name)
        hint_id = f"{control_id}-hint"
        # a changed field's old message no longer describes it: forget it. Only while one is
        # shown (no event per keystroke otherwise), and not debounced, so it is queued before a
        # submit that follows and never erases that submit's fresh message
        forget = rx.cond(error != "", self.state.forget_error(f"{self.form}.{name}"), rx.noop())
        return rx.vstack(
            rx.el.label(_words(label), html_for=control_id, font_weight="500",
                        font_size="0.9em"),
            rx.text(_words(hint), id=hint_id, size="1", color=rx.color("gray", 11))
            if hint else rx.fragment(),
            control(control_id, error, f"{hint_id} {control_id}-error" if hint
                    else f"{control_id}-error", forget),
            rx.el.p(error, id=f"{control_id}-error", margin="0", font_size="0.9em",
                    font_weight="500", color=rx.color("red", 11),
                    display=rx.cond(error != "", "block", "none")),
            spacing="1", width="100%",
        )

    @staticmethod
    def _control_props(control_id: str, error: rx.Var, described: str, forget) -> dict:
        return {"id": control_id, "aria_invalid": rx.cond(error != "", "true", "false"),
                "on_change": forget,
                "aria_describedby": described,
                "style": {**FIELD, "border": rx.cond(error != "", INVALID_BORDER,
                                                      FIELD["border"])}}

    def text(self, label, name: str, required: bool = True, hint=None,
             **props) -> rx.Component:
        """A one-line input (type= in props for password, number, date…)."""
        if "placeholder" in props:
            props["placeholder"] = _words(props["placeholder"])
        return self._field(label, name, lambda cid, err, desc, forget: rx.el.input(
            name=name, required=required, **self._control_props(cid, err, desc, forget),
            **props),
            hint)

    def area(self, label, name: str, rows: int = 2, hint=None, **props) -> rx.Component:
        def control(cid, err, desc, forget):
            base = self._control_props(cid, err, desc, forget)
            base["style"] = {**base["style"], "padding": "0.5em"}
            return rx.el.textarea(name=name, rows=rows, **base, **props)

        return self._field(label, name, control, hint)

    def select(self, label, name: str, options=None, first=None,
               static: list[tuple[str, str]] | None = None, **props) -> rx.Component:
        """`options`: a Var list of {value, label}; or `static` (value, words) pairs."""
        children = [rx.el.option(_words(first), value="")] if first else []
        if static is not None:
            children += [rx.el.option(_words(text), value=value) for value, text in static]
        else:
            children.append(rx.foreach(options, lambda o: rx.el.option(o.label,
                                                                        value=o.value)))
        return self._field(label, name, lambda cid, err, desc, forget: rx.el.select(
            *children, name=name, required=True,
            **self._control_props(cid, err, desc, forget),
            **props))

    def line(self) -> rx.Component:
        """The form's own message (a refusal that names none of its fields), focusable."""
        words = self.error("")
        return rx.el.p(words, id=f"{self.form}-error", tab_index=-1, role="alert",
                       margin="0", font_weight="500", color=rx.color("red", 11),
                       display=rx.cond(words != "", "block", "none"))

    def key(self) -> rx.Var:
        """Changes after a success only, so React mounts the form afresh (emptied)."""
        return _lookup(self.state.form_keys, self.form, "0")

    def card(self, title, *fields: rx.Component, submit, on_submit) -> rx.Component:
        """A form in a card: heading, fields, its own message line, the submit button."""
        return rx.card(
            rx.form(
                rx.vstack(
                    rx.heading(_words(title), as_="h2", size="4"),
                    *fields,
                    self.line(),
                    rx.button(_words(submit), type="submit", size="3", min_height=TOUCH,
                              width="100%"),
                    spacing="2", width="100%",
                ),
                on_submit=on_submit, reset_on_submit=False, key=self.key(),
                aria_label=_words(title), id=self.form, no_validate=True,
            ),
            width="100%",
        )

    def inline(self, label, *children: rx.Component, on_submit, key=None) -> rx.Component:
        """An inline edit form under a row: named for screen readers, keyed by the row so
        another row's edit mounts fresh prefilled fields."""
        return rx.form(
            rx.vstack(*children, self.line(), spacing="2", width="100%"),
            on_submit=on_submit, reset_on_submit=False, aria_label=label, key=key,
            id=self.form, no_validate=True,
            width="100%", padding="0.6em", margin_y="0.4em",
            border=f"1px solid {rx.color('accent', 7)}", border_radius="var(--radius-3)",
            background=rx.color("accent", 2),
        )


def form_buttons(save, on_cancel, cancel="Cancel") -> rx.Component:
    return rx.flex(
        rx.button(_words(save), type="submit", size="3", min_height=TOUCH, flex="1"),
        rx.button(_words(cancel), type="button", size="3", variant="soft",
                  color_scheme="gray", min_height=TOUCH, on_click=on_cancel),
        gap="0.5em", width="100%", wrap="wrap",
    )


def notice(message: rx.Var[str], is_error: rx.Var[bool]) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon=rx.cond(is_error, "triangle_alert", "circle_check"),
                   color_scheme=rx.cond(is_error, "red", "grass"),
                   role=rx.cond(is_error, "alert", "status"), width="100%"),
    )


HIDDEN = {"position": "absolute", "width": "1px", "height": "1px", "overflow": "hidden",
          "clip": "rect(0 0 0 0)", "white_space": "nowrap", "margin": "-1px", "padding": "0",
          "border": "0"}


def row_button(words, *context, **props) -> rx.Component:
    """A row's button: the visible word (t("Remove")) and, for screen readers only, which row
    (a name, a class): "Remove Maya R. · Math Studio A". No aria-label, so the accessible name
    always contains the visible word in every language (WCAG 2.5.3, label in name)."""
    hidden = []
    for i, part in enumerate(context):
        hidden.append(" " if i == 0 else " · ")
        hidden.append(part)
    return rx.button(_words(words), rx.el.span(*hidden, style=HIDDEN), size="2",
                     min_height=TOUCH, **props)
