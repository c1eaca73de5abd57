"""/binder/[learner_id]: a learner's binder for their teacher, guardian or an admin."""

import reflex as rx

from app import routes
from app.components.binder import binder_view
from app.components.credentials import credentials_panel
from app.components.empty_state import error_state, loading_state
from app.components.shell import TOUCH, page_shell
from app.i18n import t
from app.routes import page
from app.state.binder import BinderState


@page(routes.BINDER, title="Binder", on_load=BinderState.load_binder)
def binder_page() -> rx.Component:
    """One learner's binder, read-only."""
    return page_shell(
        rx.cond(BinderState.binder.learner_name != "",
                t("{name}'s binder", name=BinderState.binder.learner_name), t("Binder")),
        rx.link(
            rx.icon("arrow_left", size=16, aria_hidden="true"),
            t("Back"),
            href=BinderState.back_href,
            display="inline-flex",
            align_items="center",
            gap="0.25em",
            min_height=TOUCH,
        ),
        rx.cond(
            BinderState.is_loaded,
            rx.cond(
                BinderState.error != "",
                error_state(BinderState.error),
                binder_view(BinderState.binder),
            ),
            loading_state(t("Loading the binder…")),
        ),
        credentials_panel(),
    )
