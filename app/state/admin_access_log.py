"""/admin/access-log: the school's access log (who read which learner's record) and audit log
(who changed what), each filtered and paged, from GET /api/access-log and /api/audit-log.
Read only: no handler here writes anything but its own filters."""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import urlencode

import reflex as rx

from app.state.access_log import AccessRow, access_row, page_text
from app.state.base import SignedOut, State
from app.state.teacher_grid import Option
from app.state.teacher_views import when_text
from backend.services.access_log import ACTION_WORDS, KIND_WORDS

PAGE = 20
ACCESS_FILTERS = ("learner_id", "reader_id", "kind", "since", "until")
AUDIT_FILTERS = ("actor_id", "action", "audit_since", "audit_until")
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
    change = item.get("change") or {}
    text = ", ".join(f"{key}: {value}" for key, value in change.items())
    target = " ".join(str(part) for part in (item.get("target_type"), item.get("target_id"))
                      if part)
    return AuditRow(key=str(item.get("id", "")),
                    who=str((item.get("actor") or {}).get("display_name", "")),
                    what=str(item.get("what", "")), target=target,
                    change=text if len(text) <= 240 else text[:239] + "…",
                    when=WHEN.format(when=when_text(item.get("at"))))


def _query(values: dict[str, str], offset: int) -> str:
    kept = {key: value for key, value in values.items() if value}
    return urlencode({**kept, "limit": PAGE, "offset": offset})


class AdminAccessLogState(State):
    """Both logs of the admin's school, a page at a time, with the filters as typed."""

    tab: str = "access"
    learners: list[Option] = []
    people: list[Option] = []
    kinds: list[Option] = KIND_OPTIONS
    actions: list[Option] = ACTION_OPTIONS
    # the filters as the admin set them, so the form shows them again
    learner_id: str = ""
    reader_id: str = ""
    kind: str = ""
    since: str = ""
    until: str = ""
    actor_id: str = ""
    action: str = ""
    audit_since: str = ""
    audit_until: str = ""
    access_rows: list[AccessRow] = []
    access_total: int = 0
    access_offset: int = 0
    audit_rows: list[AuditRow] = []
    audit_total: int = 0
    audit_offset: int = 0
    is_loaded: bool = False
    access_error: str = ""
    audit_error: str = ""

    @rx.var
    def access_page(self) -> str:
        return page_text(self.access_total, self.access_offset, len(self.access_rows))

    @rx.var
    def audit_page(self) -> str:
        return page_text(self.audit_total, self.audit_offset, len(self.audit_rows))

    @rx.var
    def access_has_older(self) -> bool:
        return self.access_offset + len(self.access_rows) < self.access_total

    @rx.var
    def audit_has_older(self) -> bool:
        return self.audit_offset + len(self.audit_rows) < self.audit_total

    @rx.event
    async def load(self):
        """The filter choices (learners, people), then the newest page of each log."""
        if (leave := self._guard("admin")) is not None:
            return leave
        self.is_loaded = False
        try:
            learners = await self._api("GET", "/api/learners")
            people = await self._api("GET", "/api/roster/users")
            if learners.is_ok:
                self.learners = [Option(str(u["id"]), u["display_name"]) for u in learners.body]
            if people.is_ok:
                self.people = [Option(str(u["id"]), f"{u['display_name']} ({u['role']})")
                               for u in people.body]
            await self._fetch_access(0)
            await self._fetch_audit(0)
        except SignedOut:
            return self._to_login()
        self.is_loaded = True
        return None

    async def _fetch_access(self, offset: int) -> None:
        filters = {"learner_id": self.learner_id, "reader_id": self.reader_id,
                   "kind": self.kind, "since": self.since, "until": self.until}
        response = await self._api("GET", "/api/access-log?" + _query(filters, offset))
        if not response.is_ok:  # say why, and show no rows the filters did not pick
            self.access_error, self.access_rows, self.access_total = response.message, [], 0
            return
        self.access_error = ""
        self.access_rows = [access_row(item) for item in response.body["items"]]
        self.access_total, self.access_offset = response.body["total"], offset

    async def _fetch_audit(self, offset: int) -> None:
        filters = {"actor_id": self.actor_id, "action": self.action,
                   "since": self.audit_since, "until": self.audit_until}
        response = await self._api("GET", "/api/audit-log?" + _query(filters, offset))
        if not response.is_ok:
            self.audit_error, self.audit_rows, self.audit_total = response.message, [], 0
            return
        self.audit_error = ""
        self.audit_rows = [audit_row(item) for item in response.body["items"]]
        self.audit_total, self.audit_offset = response.body["total"], offset

    async def _run(self, fetch, offset: int):
        try:
            await fetch(offset)
        except SignedOut:
            return self._to_login()
        return None

    @rx.event
    def set_tab(self, tab: str):
        self.tab = tab if tab in ("access", "audit") else "access"

    @rx.event
    async def filter_access(self, form: dict):
        """Apply the access log's filters (kept as typed) from the first page."""
        self.learner_id, self.reader_id, self.kind, self.since, self.until = (
            str(form.get(key) or "") for key in ACCESS_FILTERS)
        return await self._run(self._fetch_access, 0)

    @rx.event
    async def filter_audit(self, form: dict):
        """Apply the audit log's filters (kept as typed) from the first page."""
        self.actor_id, self.action, self.audit_since, self.audit_until = (
            str(form.get(key) or "") for key in AUDIT_FILTERS)
        return await self._run(self._fetch_audit, 0)

    @rx.event
    async def access_older(self):
        return await self._run(self._fetch_access, self.access_offset + PAGE)

    @rx.event
    async def access_newer(self):
        return await self._run(self._fetch_access, max(0, self.access_offset - PAGE))

    @rx.event
    async def audit_older(self):
        return await self._run(self._fetch_audit, self.audit_offset + PAGE)

    @rx.event
    async def audit_newer(self):
        return await self._run(self._fetch_audit, max(0, self.audit_offset - PAGE))
