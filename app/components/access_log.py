"""Access log lines and the family's section "Who has looked at <child>'s record" (/family).

The section loads itself (on mount) from FamilyAccessLogState, so the family page needs one
line to show it; the admin's log page (app/pages/admin_access_log.py) reuses `access_line`.
"""

import reflex as rx

from app.components.empty_state import empty_state, error_state, loading_state
from app.components.shell import TOUCH
from app.state.access_log import AccessRow, ChildLog, FamilyAccessLogState

S = FamilyAccessLogState

# user-facing words, kept together for the translation catalogs
INTRO = ("Each time someone at school opens your child's binder, work, reports or exports, "
         "or their device copies it, Waypoint writes down who, when and why. Your own visits "
         "are not listed.")
EMPTY_TITLE = "Nobody else has looked at this record yet."
EMPTY_NEXT = ("When a teacher or the school opens it, you will see here who it was, when, "
              "and why they may.")
NEWER = "Newer"
OLDER = "Older"


def access_line(row: rx.Var[AccessRow], *, show_learner: bool = False) -> rx.Component:
    """One reader's reads of one kind in one hour: who and why, what, when and how often."""
    return rx.el.li(
        rx.text(rx.text.strong(row.who), " · ", row.why, size="2"),
        *([rx.text(row.learner, size="2")] if show_learner else []),
        rx.text(row.what, size="2"),
        rx.text(row.when, " · ", row.times, size="1", color=rx.color("gray", 11)),
        list_style="none",
        padding_y="0.5em",
        border_top=f"1px solid {rx.color('gray', 4)}",
    )


def pager(text, has_newer, has_older, on_newer, on_older, label) -> rx.Component:
    """Newer / Older buttons around "11–20 of 23"; each button is 44 px tall."""
    return rx.flex(
        rx.button(rx.icon("chevron_left", size=16, aria_hidden="true"), NEWER,
                  on_click=on_newer, disabled=~has_newer, variant="soft", size="2",
                  min_height=TOUCH),
        rx.text(text, size="2", color=rx.color("gray", 11), aria_live="polite"),
        rx.button(OLDER, rx.icon("chevron_right", size=16, aria_hidden="true"),
                  on_click=on_older, disabled=~has_older, variant="soft", size="2",
                  min_height=TOUCH),
        justify="between", align="center", gap="0.5em", width="100%",
        role="group", aria_label=label,
    )


def _child(log: rx.Var[ChildLog]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(log.heading, as_="h2", size="4"),
            rx.cond(
                log.error != "",
                error_state(log.error),
                rx.cond(
                    log.rows.length() > 0,
                    rx.vstack(
                        rx.el.ul(rx.foreach(log.rows, lambda row: access_line(row)),
                                 padding="0", margin="0", width="100%"),
                        rx.cond(log.has_older | log.has_newer,
                                pager(log.page_text, log.has_newer, log.has_older,
                                      S.newer(log.id), S.older(log.id),
                                      "Pages of " + log.heading)),
                        spacing="2", width="100%",
                    ),
                    empty_state(EMPTY_TITLE, EMPTY_NEXT, icon="eye"),
                ),
            ),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def family_access_log() -> rx.Component:
    """Each child's access log, newest first, a page of ten at a time."""
    return rx.el.section(
        rx.vstack(
            rx.text(INTRO, size="2", color=rx.color("gray", 11)),
            rx.cond(
                S.is_loaded,
                rx.cond(S.error != "", error_state(S.error),
                        rx.vstack(rx.foreach(S.logs, _child), spacing="4", width="100%")),
                loading_state("who has looked at the record"),
            ),
            spacing="3", width="100%",
        ),
        on_mount=S.load,
        aria_label="Who has looked at the record",
        width="100%",
    )
