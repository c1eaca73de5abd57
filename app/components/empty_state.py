"""What to show when there is nothing yet: say so plainly, and say what to do next."""

import reflex as rx


def empty_state(title: str, next_step: str, icon: str = "inbox") -> rx.Component:
    """A quiet box: what is missing, then the next step a person can take."""
    return rx.card(
        rx.hstack(
            rx.icon(icon, size=24, color=rx.color("gray", 9), aria_hidden="true"),
            rx.vstack(
                rx.text(title, weight="bold", size="3"),
                rx.text(next_step, color=rx.color("gray", 11), size="2"),
                spacing="1",
            ),
            spacing="3",
            align="start",
        ),
        variant="surface",
        width="100%",
    )


def loading_state(what: str) -> rx.Component:
    """Shown while the API answers."""
    return rx.hstack(
        rx.spinner(size="2"),
        rx.text(f"Loading {what}…", color=rx.color("gray", 11)),
        spacing="2",
        align="center",
        role="status",
        padding_y="1em",
    )


def error_state(message: rx.Var[str]) -> rx.Component:
    """The API's own sentence, in a callout screen readers announce."""
    return rx.callout(message, icon="triangle_alert", color_scheme="red", role="alert",
                      width="100%")
