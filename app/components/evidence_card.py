"""One piece of evidence with its status in words (shared by the evidence and target pages):
the learner's own thumbnail (made on the device, shown offline), and for an upload the server
refused, what to do about it — try again, pick another photo, or remove it (assets/ui/
evidence_photos.js, each through the sync core's outbox)."""

import reflex as rx
from reflex.utils.imports import ImportVar
from reflex.vars.base import VarData
from reflex.vars.function import ArgsFunctionOperation, FunctionStringVar

from app.components.offline_shell import INPUT_STYLE, TOUCH, field_label, form_message
from app.components.paging import page_item_props
from app.components.sync_store import js_action
from app.i18n import t


def _fix_refused(e: rx.Var) -> rx.Component:
    """Try again / Replace photo / Remove, with the outcome said inside this card."""
    evidence_id = e["id"].to(str)
    caption = e["caption"].to(str)
    return rx.el.div(
        rx.flex(
            rx.button(t("Try again"), type="button", min_height=TOUCH, variant="soft",
                      aria_label=t("Try again to send the photo: {caption}", caption=caption),
                      on_click=js_action("waypointUI.fixUpload", evidence_id, "retry")),
            rx.button(t("Remove"), type="button", min_height=TOUCH, variant="soft",
                      color_scheme="red",
                      aria_label=t("Remove this evidence: {caption}", caption=caption),
                      on_click=js_action("waypointUI.fixUpload", evidence_id, "remove")),
            gap="0.5em", wrap="wrap",
        ),
        field_label(t("Another photo"),
                    rx.el.input(type="file", name="photo", accept="image/*",
                                style=INPUT_STYLE)),
        rx.button(t("Use this photo instead"), type="button", min_height=TOUCH,
                  variant="outline",
                  on_click=js_action("waypointUI.fixUpload", evidence_id, "replace")),
        form_message(),
        id=e["fix_form_id"].to(str), role="form",
        aria_label=t("Fix the upload of: {caption}", caption=caption),
        style={"display": "flex", "flex_direction": "column", "gap": "0.5em",
               "margin_top": "0.5em", "width": "100%"},
    )


CONFERENCE_UI = "$/public/ui/conference.js"


def _star_action(*args) -> rx.Var:
    """A click handler calling conference.js's `star`, imported where the card renders (the
    evidence and target pages load no other part of conference.js)."""
    data = VarData(imports={CONFERENCE_UI: [ImportVar(tag="star", alias="conferenceStar")]})
    call = FunctionStringVar.create("conferenceStar", _var_data=data).call(*args)
    return ArgsFunctionOperation.create((), call)


def _star(e: rx.Var) -> rx.Component:
    """"Show this at my conference": a toggle that stars the piece for the conference
    rehearsal and pack (assets/ui/conference.js; an evidence.put through the outbox)."""
    starred = e["is_starred"].to(bool)
    caption = e["caption"].to(str)
    evidence_id = e["id"].to(str)
    form_id = e["star_form_id"].to(str)
    return rx.el.div(
        rx.button(
            rx.cond(starred, rx.icon("star", fill="currentColor", size=16),
                    rx.icon("star", size=16)),
            rx.cond(starred, t("Starred for my conference"), t("Show this at my conference")),
            type="button", min_height=TOUCH, variant=rx.cond(starred, "solid", "outline"),
            aria_pressed=rx.cond(starred, "true", "false"),
            aria_label=rx.cond(
                starred,
                t("Starred for my conference: {caption}", caption=caption),
                t("Show this at my conference: {caption}", caption=caption)),
            on_click=_star_action(form_id, evidence_id, rx.cond(starred, "0", "1")),
        ),
        form_message(),
        id=form_id, role="form", aria_label=t("Conference star: {caption}", caption=caption),
        style={"display": "flex", "flex_direction": "column", "gap": "0.3em",
               "margin_top": "0.4em"},
    )


def evidence_card(item: rx.Var) -> rx.Component:
    """Thumbnail, caption, targets, and where it is: waiting to upload … approved / returned."""
    e = item.to(dict)
    comment = e["comment"].to(str)
    thumb = e["thumb"].to(str)
    return rx.el.li(
        rx.flex(
            rx.cond(thumb != "", rx.image(
                src=thumb, alt=t("Your photo: {caption}", caption=e["caption"].to(str)),
                width="64px", height="64px", object_fit="cover", border_radius="6px",
                flex_shrink="0")),
            rx.vstack(
                rx.text(e["caption"].to(str), size="2", weight="medium"),
                rx.text(e["targets_text"].to(str), size="1", color=rx.color("gray", 11)),
                rx.cond(comment != "",
                        rx.text(t("Teacher's comment: {comment}", comment=comment), size="2")),
                spacing="1", flex="1", min_width="0",
            ),
            # high contrast: the soft grass badge ("Approved") measured 4.48:1 at 12 px
            rx.badge(e["status_text"].to(str), color_scheme=e["status_color"].to(str),
                     variant="soft", size="2", white_space="normal", high_contrast=True,
                     # Radix's badge keeps its width (flex-shrink 0): a refusal's long reason
                     # ran past the card at 375 px; it wraps inside the card instead
                     flex_shrink="1", max_width="100%", overflow_wrap="anywhere",
                     height="auto"),
            gap="0.5em", align="start", justify="between", wrap="wrap",
        ),
        rx.cond(e["is_refused"].to(bool), _fix_refused(e)),
        _star(e),
        padding_y="0.6em",
        border_top=f"1px solid {rx.color('gray', 4)}",
        list_style="none",
        **page_item_props(),
    )
