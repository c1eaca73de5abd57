"""One piece of evidence with its status in words (shared by the evidence and target pages)."""

import reflex as rx

from app.components.paging import page_item_props


def evidence_card(item: rx.Var) -> rx.Component:
    """Caption, targets, and where it is: waiting to upload … approved / returned."""
    e = item.to(dict)
    comment = e["comment"].to(str)
    return rx.el.li(
        rx.flex(
            rx.vstack(
                rx.text(e["caption"].to(str), size="2", weight="medium"),
                rx.text(e["targets_text"].to(str), size="1", color=rx.color("gray", 11)),
                rx.cond(comment != "",
                        rx.text("Teacher's comment: " + comment, size="2")),
                spacing="1", flex="1", min_width="0",
            ),
            # high contrast: the soft grass badge ("Approved") measured 4.48:1 at 12 px
            rx.badge(e["status_text"].to(str), color_scheme=e["status_color"].to(str),
                     variant="soft", size="2", white_space="normal", high_contrast=True),
            gap="0.5em", align="start", justify="between", wrap="wrap",
        ),
        padding_y="0.6em",
        border_top=f"1px solid {rx.color('gray', 4)}",
        list_style="none",
        **page_item_props(),
    )
