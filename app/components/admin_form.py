"""Labelled form fields for the admin's forms (native controls, 44 px tall)."""

import reflex as rx

from app.components.shell import TOUCH

FIELD = {"min_height": TOUCH, "width": "100%", "padding": "0 0.5em", "font": "inherit",
         "border_radius": "var(--radius-2)", "border": f"1px solid {rx.color('gray', 7)}",
         "background": rx.color("gray", 1)}


def text_field(label: str, name: str, field_id: str, required: bool = True,
               **props) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="0.9em"),
        rx.el.input(id=field_id, name=name, required=required, style=FIELD, **props),
        spacing="1", width="100%",
    )


def area_field(label: str, name: str, field_id: str, rows: int = 2, **props) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="0.9em"),
        rx.el.textarea(id=field_id, name=name, rows=rows,
                       style={**FIELD, "padding": "0.5em"}, **props),
        spacing="1", width="100%",
    )


def select_field(label: str, name: str, field_id: str, options, first: str | None = None,
                 static: list[tuple[str, str]] | None = None, **props) -> rx.Component:
    """`options` is a Var list of {value, label} objects, or use `static` pairs."""
    children = [rx.el.option(first, value="")] if first else []
    if static is not None:
        children += [rx.el.option(text, value=value) for value, text in static]
    else:
        children.append(rx.foreach(options, lambda o: rx.el.option(o.label, value=o.value)))
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="0.9em"),
        rx.el.select(*children, id=field_id, name=name, required=True, style=FIELD, **props),
        spacing="1", width="100%",
    )


def edit_form(label, *children: rx.Component, on_submit, key=None) -> rx.Component:
    """An inline edit form: named for screen readers, never reset on submit (on an error
    the admin's text stays), keyed so another row's edit mounts fresh prefilled fields."""
    return rx.form(
        rx.vstack(*children, spacing="2", width="100%"),
        on_submit=on_submit, reset_on_submit=False, aria_label=label, key=key,
        width="100%", padding="0.6em", margin_y="0.4em",
        border=f"1px solid {rx.color('accent', 7)}", border_radius="var(--radius-3)",
        background=rx.color("accent", 2),
    )


def form_buttons(save: str, on_cancel, cancel: str = "Cancel") -> rx.Component:
    return rx.flex(
        rx.button(save, type="submit", size="3", min_height=TOUCH, flex="1"),
        rx.button(cancel, type="button", size="3", variant="soft", color_scheme="gray",
                  min_height=TOUCH, on_click=on_cancel),
        gap="0.5em", width="100%", wrap="wrap",
    )


def form_card(title: str, *fields: rx.Component, submit: str, on_submit) -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(title, as_="h2", size="4"),
                *fields,
                rx.button(submit, type="submit", size="3", min_height=TOUCH, width="100%"),
                spacing="2", width="100%",
            ),
            on_submit=on_submit, reset_on_submit=True,
        ),
        width="100%",
    )


def notice(message: rx.Var[str], is_error: rx.Var[bool]) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon=rx.cond(is_error, "triangle_alert", "circle_check"),
                   color_scheme=rx.cond(is_error, "red", "grass"),
                   role=rx.cond(is_error, "alert", "status"), width="100%"),
    )
