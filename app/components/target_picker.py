"""Tag learning targets: native checkboxes (big, labelled) in a fold-out list."""

import reflex as rx

from app.components.disclosure import disclosure
from app.i18n import t

TOUCH = "44px"


def target_picker(options: rx.Var, checked: rx.Var | None = None,
                  legend: str | rx.Var | None = None) -> rx.Component:
    """Checkboxes named `target_ids`; `checked` is the list of ids ticked at first."""

    def option(opt: rx.Var) -> rx.Component:
        o = opt.to(dict)
        is_checked = checked.contains(o["id"]) if checked is not None else False
        return rx.el.label(
            rx.el.input(type="checkbox", name="target_ids", value=o["id"].to(str),
                        default_checked=is_checked,
                        style={"width": "22px", "height": "22px", "flex_shrink": "0"}),
            rx.text(o["label"].to(str), size="2"),
            display="flex", align_items="center", gap="0.6em", min_height=TOUCH,
        )

    legend = t("Learning targets") if legend is None else legend
    # the one disclosure control: "Link learning targets" looks tappable
    return disclosure(
        legend,
        rx.el.fieldset(
            rx.foreach(options, option),
            aria_label=legend,
            style={"max_height": "16em", "overflow_y": "auto", "border": "none",
                   "padding": "0", "margin": "0"},
        ),
        width="100%",
    )
