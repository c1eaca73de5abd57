"""The one "Show 20 more" widget every long list uses, and how focus follows it.

Every list on a screen shows a first page and says how many there are in all ("Showing 20
of 143 done goals", announced politely to screen readers); a real button with what it
shows more of loads the next page and moves focus to the first new item, so a keyboard or
screen-reader user continues where the new items start instead of back at the top.

Items of a paged list carry `data-page-item` (and tabindex -1, so they can take focus)
inside a container with `data-page-list="<list id>"`: `page_item_props()` and
`page_list_props()` give those attributes.
"""

from __future__ import annotations

import reflex as rx

from app.components.shell import TOUCH
from app.components.sync_store import js_action

PAGE_SIZE = 20


def page_list_props(list_id: str) -> dict:
    """Attributes of the element that holds a paged list's items."""
    return {"data_page_list": list_id}


def page_item_props() -> dict:
    """Attributes of one item of a paged list (focusable by script, not by Tab)."""
    return {"data_page_item": "1", "tab_index": -1}


def count_line(text: rx.Var[str] | str, **props) -> rx.Component:
    """"Showing 20 of 143 done goals": a polite live region, so a new count is announced."""
    return rx.text(text, size="2", color=rx.color("gray", 11), aria_live="polite",
                   role="status", **props)


def show_more_button(label: rx.Var[str] | str, on_click, **props) -> rx.Component:
    """A full-width, 44 px tall button whose words say what it shows more of."""
    return rx.button(label, type="button", on_click=on_click, variant="soft", size="3",
                     min_height=TOUCH, width="100%", high_contrast=True, **props)


def pager(count_text: rx.Var[str] | str, has_more: rx.Var[bool] | bool,
          more_label: rx.Var[str] | str, on_more) -> rx.Component:
    """The count of a list and, while more are left, its "Show 20 more …" button."""
    return rx.vstack(
        count_line(count_text),
        rx.cond(has_more, show_more_button(more_label, on_more)),
        spacing="2", width="100%",
    )


def device_pager(count_text: rx.Var[str], more_text: rx.Var[str], list_id: rx.Var[str] | str,
                 shown: rx.Var[int]) -> rx.Component:
    """The pager of a list read from the device's store: the button calls the browser's
    `waypointPaging.showMore` directly (assets/ui/paging.js), so it works offline too."""
    return rx.vstack(
        count_line(count_text),
        rx.cond(more_text != "",
                show_more_button(more_text, js_action("waypointPaging.showMore", list_id,
                                                      shown))),
        spacing="2", width="100%",
    )
