"""/admin: the school at a glance."""

import reflex as rx

from app import routes
from app.components.empty_state import error_state, loading_state
from app.components.shell import page_shell
from app.i18n import t
from app.routes import page
from app.state.admin import AdminState
from app.state.views import CountView


def _count(count: rx.Var[CountView]) -> rx.Component:
    return rx.card(
        rx.text(count.value, size="7", weight="bold", as_="div"),
        rx.text(t(count.label), size="2", color=rx.color("gray", 11), as_="div"),
        role="group",
        aria_label=t(count.label),  # the msgids are marked N_ in app/state/admin.py
    )


@page(routes.ADMIN, title="School", on_load=AdminState.load_summary)
def admin_page() -> rx.Component:
    """Counts of learners, teachers, classes and the rest."""
    return page_shell(
        rx.cond(AdminState.school_name != "", AdminState.school_name, t("School")),
        rx.text(t("Everyone and everything in your school, counted."),
                color=rx.color("gray", 11), size="2"),
        rx.cond(
            AdminState.is_loaded,
            rx.cond(
                AdminState.error != "",
                error_state(AdminState.error),
                rx.grid(rx.foreach(AdminState.counts, _count), columns="2", spacing="3",
                        width="100%"),
            ),
            loading_state(t("Loading the school…")),
        ),
    )
