"""One disclosure control: something folded away behind a control that looks like one
(issue 15: "Link learning targets" did not look tappable). A bordered 44 px row with a
chevron that turns when open.

`disclosure` is native <details>/<summary>: the browser gives the summary its button
behaviour and reports expanded/collapsed to screen readers, it opens with Enter or Space,
and it needs no server, so it works on the offline screens too. `disclosure_button` is
for a fold the page's state holds (the content is built only when open): a real button
with aria-expanded and aria-controls.
"""

from __future__ import annotations

import reflex as rx

TOUCH = "44px"
CONTROL_STYLE = {
    "min_height": TOUCH, "display": "flex", "align_items": "center", "gap": "0.4em",
    "cursor": "pointer", "font_weight": "500", "padding": "0 0.75em", "width": "fit-content",
    "border": f"1px solid {rx.color('gray', 8)}", "border_radius": "6px",
    "color": rx.color("gray", 12), "background": rx.color("gray", 1),
    "list_style": "none",  # no second, native triangle beside our chevron
    "&::-webkit-details-marker": {"display": "none"},
}


def _chevron() -> rx.Component:
    return rx.icon("chevron_down", size=18, aria_hidden="true", class_name="wp-chevron",
                   style={"transition": "transform 0.15s", "flex_shrink": "0"})


def disclosure(label, *children: rx.Component, summary_props: dict | None = None,
               **props) -> rx.Component:
    """`label` on the control; `children` shown when it is opened."""
    return rx.el.details(
        rx.el.summary(_chevron(), label, style=CONTROL_STYLE, **(summary_props or {})),
        *children,
        style={"width": "100%", "&[open] > summary .wp-chevron": {"transform":
                                                                   "rotate(180deg)"}},
        **props,
    )


def disclosure_button(label, is_open: rx.Var, on_click, controls: str,
                      **props) -> rx.Component:
    """A state-held fold's control: aria-expanded says whether `controls` (an id) shows."""
    return rx.el.button(
        rx.icon(rx.cond(is_open, "chevron_up", "chevron_down"), size=18, aria_hidden="true"),
        label,
        type="button", on_click=on_click,
        aria_expanded=rx.cond(is_open, "true", "false"), aria_controls=controls,
        style={**CONTROL_STYLE, "font": "inherit", "font_weight": "500"},
        **props,
    )
