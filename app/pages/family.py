"""/family: a guardian's children and each child's binder. Read-only: no write controls."""

import reflex as rx

from app.components.binder import binder_view
from app.components.empty_state import empty_state, error_state, loading_state
from app.components.shell import page_shell
from app.state.family import FamilyState
from app.state.views import BinderView


def _child(child: rx.Var[BinderView]) -> rx.Component:
    return rx.el.section(
        rx.vstack(
            rx.heading(child.learner_name, as_="h2", size="6"),
            rx.cond(child.classes_text != "",
                    rx.text("Classes: " + child.classes_text, size="2",
                            color=rx.color("gray", 11))),
            binder_view(child, level=3),
            spacing="3",
            width="100%",
        ),
        aria_label=child.learner_name,
        width="100%",
    )


def family_page() -> rx.Component:
    """Each linked child's binder, one after another."""
    return page_shell(
        "My family",
        rx.text("How your child is doing on each learning target. 3.0 means proficient.",
                color=rx.color("gray", 11), size="2"),
        rx.cond(
            FamilyState.is_loaded,
            rx.cond(
                FamilyState.error != "",
                error_state(FamilyState.error),
                rx.cond(
                    FamilyState.children.length() > 0,
                    rx.vstack(rx.foreach(FamilyState.children, _child), spacing="6",
                              width="100%"),
                    empty_state(
                        "No learners are linked to your account yet.",
                        "Ask the school office to link your child to your account, then "
                        "sign in again.",
                        icon="users",
                    ),
                ),
            ),
            loading_state("your family"),
        ),
    )

