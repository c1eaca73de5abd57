"""/admin/access-log: who read which learner's record (FERPA's record of disclosures) and
who changed what as an admin, each filtered by person, kind and dates, a page at a time."""

import reflex as rx

from app import routes
from app.components.access_log import access_line
from app.components.admin_form import FIELD
from app.components.empty_state import empty_state, error_state, loading_state
from app.components.paging import page_item_props, page_list_props, pager
from app.components.shell import TOUCH, page_shell
from app.i18n import t
from app.routes import page
from app.state.admin_access_log import (
    ACCESS_LIST,
    AUDIT_LIST,
    AdminAccessLogState,
    AuditRow,
)
from backend.i18n import N_

S = AdminAccessLogState

# user-facing words, kept together for the translation catalogs
INTRO = N_("Every read of a learner's record is written down (one line per person, learner, "
         "kind and hour, with how many times), and every change an admin makes. Neither "
         "log can be edited or deleted.")
NO_READS = N_("No reads match these filters.")
NO_READS_NEXT = N_("Clear a filter or widen the dates to see more.")
NO_WRITES = N_("No admin changes match these filters.")
PERSON_HINT = N_("Part of a name or username")


def _select(label: str, name: str, field_id: str, options, first: str, value) -> rx.Component:
    return rx.vstack(
        rx.el.label(t(label), html_for=field_id, font_weight="500", font_size="0.9em"),
        rx.el.select(
            rx.el.option(t(first), value=""),
            rx.foreach(options, lambda o: rx.el.option(t(o.label), value=o.value)),
            id=field_id, name=name, default_value=value, key=value, style=FIELD),
        spacing="1", width="100%", min_width="12em", flex="1",
    )


def _person(label: str, name: str, field_id: str, value) -> rx.Component:
    """A search box, not a select: a full school has hundreds of accounts (QA F16)."""
    return rx.vstack(
        rx.el.label(t(label), html_for=field_id, font_weight="500", font_size="0.9em"),
        rx.el.input(type="search", id=field_id, name=name, default_value=value, key=value,
                    placeholder=t(PERSON_HINT), max_length=80, auto_complete="off",
                    style=FIELD),
        spacing="1", width="100%", min_width="12em", flex="1",
    )


def _date(label: str, name: str, field_id: str, value) -> rx.Component:
    return rx.vstack(
        rx.el.label(t(label), html_for=field_id, font_weight="500", font_size="0.9em"),
        rx.el.input(type="date", id=field_id, name=name, default_value=value, key=value,
                    style=FIELD),
        spacing="1", width="100%", min_width="10em", flex="1",
    )


def _filters(label: str, *fields: rx.Component, on_submit) -> rx.Component:
    return rx.form(
        rx.flex(*fields, gap="0.75em", wrap="wrap", width="100%"),
        rx.button(t("Show"), type="submit", size="3", min_height=TOUCH, margin_top="0.75em",
                  high_contrast=True),
        on_submit=on_submit, reset_on_submit=False, aria_label=t(label), width="100%",
    )


def _access_panel() -> rx.Component:
    return rx.vstack(
        _filters(
            N_("Filter the access log"),
            _select(N_("Learner"), "learner_id", "log-learner", S.learners,
                    N_("All learners"), S.learner_id),
            _person(N_("Who looked"), "reader", "log-reader", S.reader),
            _select(N_("What"), "kind", "log-kind", S.kinds, N_("Anything"), S.kind),
            _date(N_("From"), "since", "log-since", S.since),
            _date(N_("To"), "until", "log-until", S.until),
            on_submit=S.filter_access,
        ),
        rx.cond(S.access_error != "", error_state(S.access_error)),
        rx.cond(
            S.access_rows.length() > 0,
            rx.vstack(
                rx.el.ul(rx.foreach(S.access_rows, lambda r: access_line(r, show_learner=True)),
                         padding="0", margin="0", width="100%",
                         **page_list_props(ACCESS_LIST)),
                pager(S.access_count, S.access_more != "", S.access_more, S.more_access),
                spacing="2", width="100%",
            ),
            rx.cond(S.access_error == "", empty_state(NO_READS, NO_READS_NEXT, icon="eye")),
        ),
        spacing="3", width="100%",
    )


def _audit_line(row: rx.Var[AuditRow]) -> rx.Component:
    return rx.el.li(
        rx.text(rx.text.strong(row.who), " · ", row.what, size="2"),
        rx.text(row.target, size="2"),
        rx.cond(row.change != "", rx.text(row.change, size="1", color=rx.color("gray", 11),
                                          overflow_wrap="anywhere")),
        rx.text(row.when, size="1", color=rx.color("gray", 11)),
        list_style="none", padding_y="0.5em", border_top=f"1px solid {rx.color('gray', 4)}",
        **page_item_props(),
    )


def _audit_panel() -> rx.Component:
    return rx.vstack(
        _filters(
            N_("Filter the audit log"),
            _person(N_("Who"), "actor", "audit-actor", S.actor),
            _select(N_("Change"), "action", "audit-action", S.actions, N_("Any change"),
                    S.action),
            _date(N_("From"), "audit_since", "audit-since", S.audit_since),
            _date(N_("To"), "audit_until", "audit-until", S.audit_until),
            on_submit=S.filter_audit,
        ),
        rx.cond(S.audit_error != "", error_state(S.audit_error)),
        rx.cond(
            S.audit_rows.length() > 0,
            rx.vstack(
                rx.el.ul(rx.foreach(S.audit_rows, _audit_line), padding="0", margin="0",
                         width="100%", **page_list_props(AUDIT_LIST)),
                pager(S.audit_count, S.audit_more != "", S.audit_more, S.more_audit),
                spacing="2", width="100%",
            ),
            rx.cond(S.audit_error == "", empty_state(NO_WRITES, NO_READS_NEXT, icon="history")),
        ),
        spacing="3", width="100%",
    )


@page(routes.ADMIN_ACCESS_LOG, title="Access and audit logs", on_load=AdminAccessLogState.load)
def admin_access_log_page() -> rx.Component:
    """The two logs, one tab each."""
    return page_shell(
        t("Access and audit logs"),
        rx.text(t(INTRO), size="2", color=rx.color("gray", 11)),
        rx.cond(
            S.is_loaded,
            rx.tabs.root(
                rx.tabs.list(
                    rx.tabs.trigger(t("Who looked at records"), value="access",
                                    min_height=TOUCH),
                    rx.tabs.trigger(t("Admin changes"), value="audit", min_height=TOUCH),
                ),
                rx.tabs.content(_access_panel(), value="access", padding_top="1em"),
                rx.tabs.content(_audit_panel(), value="audit", padding_top="1em"),
                value=S.tab, on_change=S.set_tab, width="100%",
            ),
            loading_state(t("Loading the logs…")),
        ),
    )
