"""The teacher screens' hook Vars (assets/ui/teacher_screens.js) and the small pieces their
pages share: select boxes, status lines, empty states, screen actions.

The pages render from these Vars only (the device's store), so they read the same online,
offline and after an offline reload; no rx.State reads their data.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars.function import ArgsFunctionOperation, FunctionStringVar

from app.components.shell import TOUCH
from app.components.sync_store import hook_var, js_action
from app.i18n import t

SCREENS_UI = "$/public/ui/teacher_screens.js"


def _view(name: str, hook: str) -> rx.Var:
    return hook_var(name, f"{hook}()", SCREENS_UI, hook, dict[str, Any], typed=True)


class_lists = _view("wpClassLists", "useClassLists")
grid = _view("wpGrid", "useGrid")
rate = _view("wpRate", "useRate")
conflicts = _view("wpConflictList", "useConflicts")
ready = _view("wpReady", "useReady")
conflict_count = hook_var("wpConflictCount", "useConflictCount()", SCREENS_UI,
                          "useConflictCount", int, typed=True)


def part(view: rx.Var, key: str, var_type: Any = str) -> rx.Var:
    """One field of a view, typed (lists for rx.foreach, str/bool for text and cond)."""
    return view[key].to(var_type)


def action(method: str, *args: Any) -> rx.Var:
    """A click handler calling `window.waypointScreens.<method>(*args)` (no socket needed)."""
    return js_action(f"waypointScreens.{method}", *args)


def value_action(method: str) -> rx.Var:
    """A change handler passing the control's value: `window.waypointScreens.<method>(v)`.

    Reflex hands a select's handler the chosen value itself, not the DOM event: take
    either (a select read `_e.target.value` of a string and threw)."""
    call = FunctionStringVar.create(f"window.waypointScreens.{method}").call(
        rx.Var("(_e?.target?.value ?? _e)"))
    return ArgsFunctionOperation.create(("_e",), call)


SELECT = {"min_height": TOUCH, "width": "100%", "padding": "0 0.5em", "font": "inherit",
          "border_radius": "var(--radius-2)", "border": f"1px solid {rx.color('gray', 7)}",
          "background": rx.color("gray", 1)}


def status_line(text: rx.Var) -> rx.Component:
    """"Saved on this phone" / "Sent" of the last write here (from its outbox entry)."""
    return rx.cond(text != "", rx.text(text, size="2", role="status",
                                       color=rx.color("amber", 11)))


def loading(what: rx.Var | str) -> rx.Component:
    return rx.text(what, role="status", color=rx.color("gray", 11), size="2")


def select(label: rx.Var | str, field_id: str, options: rx.Var, value: rx.Var, on_change,
           first: tuple[str, Any] | None = None) -> rx.Component:
    """A labelled native select (works with the socket down)."""
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="0.9em"),
        rx.el.select(
            *([rx.el.option(first[1], value=first[0])] if first else []),
            rx.foreach(options, lambda o: rx.el.option(o["label"].to(str),
                                                       value=o["value"].to(str))),
            id=field_id, value=value, on_change=on_change, style=SELECT,
        ),
        spacing="1", width="100%",
    )


def empty(title: rx.Var | str, next_step: rx.Var | str) -> rx.Component:
    """An empty state that says what to do next."""
    return rx.card(rx.vstack(rx.heading(title, as_="h2", size="3"),
                             rx.text(next_step, size="2", color=rx.color("gray", 11)),
                             spacing="1"), width="100%", role="status")


NOT_SIGNED_IN = t("Loading from this phone…")
