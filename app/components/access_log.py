"""Access log lines and the family's section "Who has looked at <child>'s record" (/family).

The section loads itself (on mount) from FamilyAccessLogState, so the family page needs one
line to show it; the admin's log page (app/pages/admin_access_log.py) reuses `access_line`.
"""

import reflex as rx

from app.components.empty_state import empty_state, error_state, loading_state
from app.components.paging import page_item_props, pager
from app.i18n import t, tn
from app.state.access_log import AccessRow, ChildLog, FamilyAccessLogState
from backend.i18n import N_

S = FamilyAccessLogState

# user-facing words, kept together for the translation catalogs (shown through t())
SECTION = N_("Who has looked at your child's record")
INTRO = N_("Each time someone at school opens your child's binder, work, reports or exports, "
         "or their device copies it, Waypoint writes down who, when and why. Your own visits "
         "are not listed.")
EMPTY_TITLE = N_("Nobody else has looked at this record yet.")
EMPTY_NEXT = N_("When a teacher or the school opens it, you will see here who it was, when, "
               "and why they may.")


def access_line(row: rx.Var[AccessRow], *, show_learner: bool = False) -> rx.Component:
    """One reader's reads of one kind in one hour: who and why, what, when and how often."""
    return rx.el.li(
        rx.text(rx.text.strong(row.who), " · ", row.why, size="2"),
        *([rx.text(row.learner, size="2")] if show_learner else []),
        rx.text(row.what, size="2"),
        rx.text(t("{when} UTC", when=row.last), " · ", tn("once", "{n} times", row.count),
                size="1", color=rx.color("gray", 11)),
        list_style="none",
        padding_y="0.5em",
        border_top=f"1px solid {rx.color('gray', 4)}",
        **page_item_props(),
    )


def _child(log: rx.Var[ChildLog]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("Who has looked at {name}'s record", name=log.name), as_="h3",
                       size="4"),
            rx.cond(
                log.error != "",
                error_state(log.error),
                rx.cond(
                    log.rows.length() > 0,
                    rx.vstack(
                        rx.el.ul(rx.foreach(log.rows, lambda row: access_line(row)),
                                 padding="0", margin="0", width="100%",
                                 data_page_list=log.list_id),
                        pager(log.count_text, log.more_text != "", log.more_text,
                              S.show_more(log.id)),
                        spacing="2", width="100%",
                    ),
                    empty_state(t(EMPTY_TITLE), t(EMPTY_NEXT), icon="eye"),
                ),
            ),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def family_access_log() -> rx.Component:
    """Each child's access log, newest first, 20 entries at a time."""
    return rx.el.section(
        rx.vstack(
            rx.heading(t(SECTION), as_="h2", size="5"),
            rx.text(t(INTRO), size="2", color=rx.color("gray", 11)),
            rx.cond(
                S.is_loaded,
                rx.cond(S.error != "", error_state(S.error),
                        rx.vstack(rx.foreach(S.logs, _child), spacing="4", width="100%")),
                loading_state(t("Loading who has looked at the record…")),
            ),
            spacing="3", width="100%",
        ),
        on_mount=S.load,
        aria_label=t(SECTION),
        width="100%",
    )
