"""Small teacher widgets: level chips (native radios, so they work offline), a labelled
comment box, a card frame."""

import reflex as rx

from app.components import sync_store as sync
from app.components.shell import TOUCH
from app.i18n import t, tn
from app.state.views import LEVEL_CHOICES

_CHIP = {
    "display": "inline-flex",
    "align_items": "center",
    "gap": "0.35em",
    "min_height": TOUCH,
    "min_width": TOUCH,
    "padding": "0 0.6em",
    "border": f"1px solid {rx.color('gray', 7)}",
    "border_radius": "999px",
    "cursor": "pointer",
    "font_weight": "500",
    "background": rx.color("gray", 1),
    "&:has(input:checked)": {
        "background": rx.color("accent", 4),
        "border_color": rx.color("accent", 9),
        "color": rx.color("accent", 12),
    },
    "&:has(input:focus-visible)": {"outline": f"2px solid {rx.color('accent', 9)}"},
}


def level_chips(name: rx.Var[str] | str, legend: str, levels: list[str] = LEVEL_CHOICES,
                required_hint: str = "") -> rx.Component:
    """A fieldset of radio chips named `name`: one tap picks a level."""
    return rx.el.fieldset(
        rx.el.legend(legend, font_weight="500", font_size="0.9em", margin_bottom="0.25em"),
        rx.flex(
            *[rx.el.label(
                rx.el.input(type="radio", name=name, value=level,
                            style={"width": "1.1em", "height": "1.1em", "margin": "0",
                                   "accent_color": "var(--accent-9)"}),
                level,
                style=_CHIP,
            ) for level in levels],
            gap="0.4em",
            wrap="wrap",
        ),
        rx.cond(required_hint != "", rx.text(required_hint, size="1",
                                             color=rx.color("gray", 11))),
        border="none",
        padding="0",
        margin="0",
        width="100%",
    )


def comment_box(field_id: rx.Var[str] | str, label: str = "Comment (optional)") -> rx.Component:
    """A labelled text area whose value the sync helpers read from the page."""
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="0.9em"),
        rx.el.textarea(
            id=field_id, rows=2, max_length=4000,
            style={"width": "100%", "min_height": TOUCH, "padding": "0.5em",
                   "font": "inherit", "border_radius": "var(--radius-2)",
                   "border": f"1px solid {rx.color('gray', 7)}",
                   "background": rx.color("gray", 1)},
        ),
        spacing="1",
        width="100%",
    )


def order_toggle(current: rx.Var[str], on_pick) -> rx.Component:
    """Newest first / oldest first, as two pressed-or-not buttons."""
    def _button(value: str, label: str) -> rx.Component:
        is_on = current == value
        return rx.button(label, on_click=on_pick(value), aria_pressed=rx.cond(is_on, "true",
                                                                                "false"),
                         variant=rx.cond(is_on, "solid", "soft"), min_height=TOUCH, size="2",
                         high_contrast=True)
    return rx.hstack(_button("newest", t("Newest first")), _button("oldest", t("Oldest first")),
                     spacing="2", role="group", aria_label=t("Order"))


def sync_strip() -> rx.Component:
    """One line on the sync state: offline, changes waiting, or the last refusal's reason."""
    status = sync.store_status
    pending = status["pending"].to(int)
    rejection = status["lastRejection"].to(dict)
    progress = status["progress"].to(dict)
    phase = rx.cond(progress, progress["phase"].to(str), "")
    return rx.fragment(
        # a new phone's first download: say the screens are still filling in, so an empty
        # grid cell or a growing badge is not read as the truth (QA F35)
        rx.cond(
            phase == "current",
            rx.text(t("Getting your classes' work from the school… Levels, counts and "
                      "conflicts fill in as it arrives."),
                    size="2", color=rx.color("gray", 11), role="status"),
        ),
        rx.cond(
            status["signedIn"].to(bool) & ~status["online"].to(bool),
            rx.callout(
                t("You are offline. What you mark here is kept on this phone and sent when "
                  "you are back online."),
                icon="wifi_off", color_scheme="amber", size="1", width="100%", role="status",
            ),
        ),
        rx.cond(
            pending > 0,
            rx.text(tn("{n} change saved on this phone, not sent yet",
                       "{n} changes saved on this phone, not sent yet", pending), size="2",
                    color=rx.color("amber", 11), role="status"),
        ),
        rx.cond(
            rejection,
            rx.callout.root(
                rx.callout.icon(rx.icon("triangle_alert")),
                rx.callout.text(
                    t("Not saved: {reason}. Nothing else was changed; reload to see the "
                      "current state.", reason=rejection["words"].to(str))),
                rx.button(t("Dismiss"), size="2", variant="soft", color_scheme="red",
                          min_height="44px",
                          # a plain JS handler: it works with the socket down too
                          on_click=sync.js_action("waypoint.dismissRejection",
                                                  rejection["seq"].to(int))),
                color_scheme="red", size="1", width="100%", role="alert",
            ),
        ),
    )
