"""/admin/access-log: the school's access log (who read which learner's record) and audit log
(who changed what), each filtered and paged, from GET /api/access-log and /api/audit-log.
Read only: no handler here writes anything but its own filters."""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import urlencode

import reflex as rx

from app.state import paging
from app.state.access_log import AccessRow, access_row
from app.state.base import SignedOut, State
from app.state.paging import PAGE_SIZE, Words, focus_item_script
from app.state.views import Option, when_text
from backend.i18n import N_
from backend.services.access_log import ACTION_WORDS, KIND_WORDS

ACCESS_LIST, AUDIT_LIST = "access-log", "audit-log"
READS = Words(N_("Showing {shown} of {n} entry", "Showing {shown} of {n} entries"),
              N_("Show {n} more entry", "Show {n} more entries"))
CHANGES = Words(N_("Showing {shown} of {n} change", "Showing {shown} of {n} changes"),
                N_("Show {n} more change", "Show {n} more changes"))
ACCESS_FILTERS = ("learner_id", "reader", "kind", "since", "until")
AUDIT_FILTERS = ("actor", "action", "audit_since", "audit_until")
KIND_OPTIONS = [Option(kind, words) for kind, words in KIND_WORDS.items()]
ACTION_OPTIONS = [Option(action, words) for action, words in ACTION_WORDS.items()]
WHEN = "{when} UTC"


@dataclasses.dataclass
class AuditRow:
    """One admin write: who, what, on what, the change, when."""

    key: str = ""
    who: str = ""
    what: str = ""
    target: str = ""
    change: str = ""
    when: str = ""


def audit_row(item: dict[str, Any]) -> AuditRow:
    """The row as the API words it (backend/services/audit_words.py): no field names."""
    return AuditRow(key=str(item.get("id", "")),
                    who=str((item.get("actor") or {}).get("display_name", "")),
                    what=str(item.get("what", "")),
                    target=str(item.get("target_words") or ""),
                    change=str(item.get("change_words") or ""),
                    when=WHEN.format(when=when_text(item.get("at"))))


def _query(values: dict[str, str], offset: int) -> str:
    kept = {key: value for key, value in values.items() if value}
    return urlencode({**kept, "limit": PAGE_SIZE, "offset": offset})


class AdminAccessLogState(State):
    """Both logs of the admin's school, a page at a time, with the filters as typed."""

    tab: str = "access"
    learners: list[Option] = []
    kinds: list[Option] = KIND_OPTIONS
    actions: list[Option] = ACTION_OPTIONS
    # the filters as the admin set them, so the form shows them again
    learner_id: str = ""
    reader: str = ""  # part of a name or username: a search, not a list of every account
    kind: str = ""
    since: str = ""
    until: str = ""
    actor: str = ""
    action: str = ""
    audit_since: str = ""
    audit_until: str = ""
    access_rows: list[AccessRow] = []
    access_total: int = 0
    audit_rows: list[AuditRow] = []
    audit_total: int = 0
    is_loaded: bool = False
    access_error: str = ""
    audit_error: str = ""

    @rx.var
    def access_count(self) -> str:
        return paging.count_text(len(self.access_rows), self.access_total, READS,
                                 locale=self._locale())

    @rx.var
    def access_more(self) -> str:
        return paging.more_text(len(self.access_rows), self.access_total, READS,
                                 locale=self._locale())

    @rx.var
    def audit_count(self) -> str:
        return paging.count_text(len(self.audit_rows), self.audit_total, CHANGES,
                                 locale=self._locale())

    @rx.var
    def audit_more(self) -> str:
        return paging.more_text(len(self.audit_rows), self.audit_total, CHANGES,
                                 locale=self._locale())

    @rx.event
    async def load(self):
        """The learner choices, then the newest page of each log."""
        if (leave := self._guard("admin")) is not None:
            return leave
        self.is_loaded = False
        try:
            learners = await self._api("GET", "/api/learners")
            if learners.is_ok:
                self.learners = [Option(str(u["id"]), u["display_name"]) for u in learners.body]
            await self._fetch_access(0)
            await self._fetch_audit(0)
        except SignedOut:
            return self._to_login()
        self.is_loaded = True
        return None

    async def _fetch_access(self, offset: int) -> None:
        """Rows from `offset` on: the first page replaces the list, later pages add to it."""
        filters = {"learner_id": self.learner_id, "reader": self.reader,
                   "kind": self.kind, "since": self.since, "until": self.until}
        response = await self._api("GET", "/api/access-log?" + _query(filters, offset))
        if not response.is_ok:  # say why, and show no rows the filters did not pick
            self.access_error, self.access_rows, self.access_total = response.message, [], 0
            return
        self.access_error = ""
        rows = [access_row(item) for item in response.body["items"]]
        if offset:
            seen = {row.key for row in self.access_rows}
            rows = self.access_rows + [row for row in rows if row.key not in seen]
        self.access_rows, self.access_total = rows, response.body["total"]

    async def _fetch_audit(self, offset: int) -> None:
        filters = {"actor": self.actor, "action": self.action,
                   "since": self.audit_since, "until": self.audit_until}
        response = await self._api("GET", "/api/audit-log?" + _query(filters, offset))
        if not response.is_ok:
            self.audit_error, self.audit_rows, self.audit_total = response.message, [], 0
            return
        self.audit_error = ""
        rows = [audit_row(item) for item in response.body["items"]]
        if offset:
            seen = {row.key for row in self.audit_rows}
            rows = self.audit_rows + [row for row in rows if row.key not in seen]
        self.audit_rows, self.audit_total = rows, response.body["total"]

    async def _run(self, fetch, offset: int, list_id: str = ""):
        try:
            await fetch(offset)
        except SignedOut:
            return self._to_login()
        return rx.call_script(focus_item_script(list_id, offset)) if list_id else None

    @rx.event
    def set_tab(self, tab: str):
        self.tab = tab if tab in ("access", "audit") else "access"

    @rx.event
    async def filter_access(self, form: dict):
        """Apply the access log's filters (kept as typed) from the newest entry."""
        self.learner_id, self.reader, self.kind, self.since, self.until = (
            str(form.get(key) or "") for key in ACCESS_FILTERS)
        return await self._run(self._fetch_access, 0)

    @rx.event
    async def filter_audit(self, form: dict):
        """Apply the audit log's filters (kept as typed) from the newest change."""
        self.actor, self.action, self.audit_since, self.audit_until = (
            str(form.get(key) or "") for key in AUDIT_FILTERS)
        return await self._run(self._fetch_audit, 0)

    @rx.event
    async def more_access(self):
        """The next entries; focus moves to the first new one."""
        return await self._run(self._fetch_access, len(self.access_rows), ACCESS_LIST)

    @rx.event
    async def more_audit(self):
        """The next changes; focus moves to the first new one."""
        return await self._run(self._fetch_audit, len(self.audit_rows), AUDIT_LIST)
