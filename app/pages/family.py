"""/family: a guardian's children. Read-only: there is no write control on this page."""

import reflex as rx

from app import routes
from app.components.access_log import family_access_log
from app.components.credentials import credentials_panel
from app.components.empty_state import empty_state, error_state, loading_state
from app.components.family_binder import family_child
from app.components.record_export import record_export_panel
from app.components.shell import page_shell
from app.i18n import t
from app.routes import page
from app.state.family import FamilyState


@page(routes.FAMILY, title="My family", on_load=FamilyState.load_children)
def family_page() -> rx.Component:
    """Each linked child: progress, goals, approved work and every target's level."""
    return page_shell(
        t("My family"),
        rx.text(t("How your child is doing. 3.0 means proficient: the goal for each target."),
                color=rx.color("gray", 11), size="2"),
        rx.cond(
            FamilyState.is_loaded,
            rx.cond(
                FamilyState.error != "",
                error_state(FamilyState.error),
                rx.cond(
                    FamilyState.children.length() > 0,
                    rx.vstack(rx.foreach(FamilyState.children, family_child), spacing="6",
                              width="100%"),
                    empty_state(
                        t("No learners are linked to your account yet."),
                        t("Ask the school office to link your child to your account, then "
                          "sign in again."),
                        icon="users",
                    ),
                ),
            ),
            loading_state(t("Loading your family…")),
        ),
        credentials_panel(),
        record_export_panel(),
        family_access_log(),
    )
