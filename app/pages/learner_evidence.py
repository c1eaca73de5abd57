"""/learner/evidence: photograph work, caption it, tag targets, submit; see each status."""

import reflex as rx

from app import routes
from app.components.empty_state import empty_state
from app.components.evidence_card import evidence_card
from app.components.offline_shell import (
    INPUT_STYLE,
    TOUCH,
    field_label,
    form_message,
    learner_shell,
)
from app.components.paging import device_pager, page_list_props
from app.components.sync_store import js_action, learner_view, part
from app.components.target_picker import target_picker
from app.i18n import t
from app.routes import page
from app.state.learner import LearnerState

FORM_ID = "evidence-form"


def _new_evidence(options: rx.Var) -> rx.Component:
    return rx.card(
        rx.heading(t("Add evidence"), as_="h2", size="4"),
        rx.el.div(
            rx.vstack(
                field_label(t("Photo"),
                            rx.el.input(type="file", name="photo", accept="image/*",
                                        capture="environment", style=INPUT_STYLE),
                            hint=t("Take a photo of your work, or choose a picture. It is made "
                                   "smaller on this device before it is sent.")),
                field_label(t("Caption"), rx.el.textarea(name="caption", rows="2",
                                                         style=INPUT_STYLE),
                            hint=t("What does this show about your learning?")),
                target_picker(options, legend=t("Tag learning targets")),
                rx.button(t("Submit for review"), type="button", min_height=TOUCH,
                          on_click=js_action("waypointUI.addEvidence", FORM_ID)),
                form_message(),
                spacing="3", width="100%",
            ),
            id=FORM_ID, role="form", aria_label=t("Add evidence"),
        ),
        width="100%",
    )


@page(routes.LEARNER_EVIDENCE, title="My evidence", on_load=LearnerState.check_access)
def learner_evidence_page() -> rx.Component:
    """My evidence and where each piece is: upload, review, approved or returned (newest
    20 first, with the true count)."""
    view = learner_view("evidence")
    items, options = part(view, "items"), part(view, "options")
    return learner_shell(
        t("My evidence"),
        routes.LEARNER_EVIDENCE,
        _new_evidence(options),
        rx.heading(t("Submitted evidence"), as_="h2", size="5"),
        rx.cond(
            items.length() > 0,
            rx.card(rx.el.ul(rx.foreach(items, evidence_card), padding="0", margin="0",
                             **page_list_props("evidence")),
                    device_pager(part(view, "count_text", str), part(view, "more_text", str),
                                 "evidence", part(view, "shown", int)),
                    width="100%"),
            empty_state(t("No evidence yet."), t("Take a photo of your work above and tag the "
                                                 "targets it shows."), icon="camera"),
        ),
    )
