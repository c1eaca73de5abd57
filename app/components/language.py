"""The language picker: on the sign-in page and in every page's footer (issue 15).

A native <select> (keyboard, screen readers and phones handle it well, 44 px tall), each
language named in its own words and marked with its `lang`. Its value is the device's
language (useLocale in assets/ui/i18n.js) and a change goes straight to the browser
(window.waypointLocale.choose in assets/ui/locale_choice.js): every screen re-renders in the
new language at once, online or offline, and the account keeps it when the server says so.
The status line beside it says which of those happened.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars.function import ArgsFunctionOperation, FunctionStringVar

from app.components.sync_store import hook_var
from app.i18n import I18N_JS, t
from backend.i18n import LOCALES, NAMES

CHOICE_JS = "$/public/ui/locale_choice.js"
TOUCH = "44px"


def _locale() -> rx.Var:
    return hook_var("wpLocale", "useLocale()", I18N_JS, "useLocale", str)


def _status() -> rx.Var:
    return hook_var("wpLocaleStatus", "useLocaleStatus()", CHOICE_JS, "useLocaleStatus",
                    dict, typed=True)


def _on_change() -> rx.Var:
    """Reflex hands a select's change handler the chosen value."""
    call = FunctionStringVar.create("window.waypointLocale.choose").call(rx.Var("value"))
    return ArgsFunctionOperation.create(("value",), call)


def language_picker(id_: str = "language") -> rx.Component:
    """Label, select and a polite status line (what was saved, and where)."""
    status = _status()
    status_id = f"{id_}-status"
    return rx.hstack(
        rx.el.label(t("Language"), html_for=id_, font_weight="500", font_size="14px"),
        rx.el.select(
            *[rx.el.option(NAMES[code], value=code, lang=code) for code in LOCALES],
            id=id_,
            value=_locale(),
            on_change=_on_change(),
            aria_describedby=status_id,
            min_height=TOUCH,
            padding_x="0.5em",
            font_size="16px",  # 16 px: iOS does not zoom into the field
            border=f"1px solid {rx.color('gray', 8)}",
            border_radius="var(--radius-2)",
            background=rx.color("gray", 1),
            color=rx.color("gray", 12),
        ),
        rx.text(status["text"].to(str), id=status_id, role="status", size="2",
                color=rx.color("gray", 12)),
        align="center",
        spacing="2",
        wrap="wrap",
    )


class LocaleDirection(rx.Component):
    """Radix components' reading direction follows the language (assets/ui/direction.js)."""

    library = "$/public/ui/direction.js"
    tag = "LocaleDirection"


def locale_direction(*children: rx.Component) -> rx.Component:
    """Wrap a page so Radix's menus, tabs and radio groups run right to left in Arabic."""
    return LocaleDirection.create(*children)
