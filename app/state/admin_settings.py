"""The school's mastery settings (/admin/settings) via GET/PUT /api/mastery/settings, and
sync health (/admin/sync) via GET /api/sync/health."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from app.state.base import State, signed_in
from app.state.views import Option, when_text
from backend.i18n import N_, gettext

# English msgids; the page shows each through t()
SOURCE_WORDS = {"teacher": N_("Teachers' ratings"), "self": N_("Learners' self-assessments"),
                "peer": N_("Peer assessments")}


class AdminSettingsState(State):
    methods: list[Option] = []
    method: str = ""
    method_label: str = ""
    sources: list[str] = []
    credit_text: str = ""
    is_loaded: bool = False
    message: str = ""
    is_error: bool = False
    _current: dict[str, Any] = {}

    @rx.event
    @signed_in("admin")
    async def load_settings(self):
        response = await self._api("GET", "/api/mastery/settings")
        if not response.is_ok:
            self.message, self.is_error, self.is_loaded = response.message, True, True
            return None
        body = response.body
        self._current = body
        locale = self._locale()
        # the method names are catalog msgids (the API sends them in English)
        self.methods = [Option(m["name"], gettext(m["label"], locale))
                        for m in body.get("methods", [])]
        self.method = body.get("calculation_method", "")
        self.method_label = gettext(body.get("method_label") or self.method, locale)
        self.sources = list(body.get("count_sources") or [])
        rule = body.get("credit_rule") or {}
        self.credit_text = (", ".join(f"{k}: {v}" for k, v in rule.items())
                            or gettext("school default", locale))
        self.is_loaded = True
        return None

    @rx.event
    @signed_in("admin")
    async def save(self, form: dict):
        """Replace the method and what counts; keep the credit rule and plan as they are."""
        sources = [s for s in SOURCE_WORDS if form.get(f"source_{s}")]
        if not sources:
            self.message, self.is_error = gettext(
                "Choose at least one kind of assessment to count.", self._locale()), True
            return None
        method = form.get("method") or self.method
        body = {k: self._current.get(k) for k in ("method_params", "credit_rule",
                                                   "graduation_topics", "graduation_target_on")}
        if method != self._current.get("calculation_method"):
            body["method_params"] = {}  # the new method's own defaults
        body = {k: v for k, v in body.items() if v is not None}
        body.update(calculation_method=method, count_sources=sources)
        response = await self._api("PUT", "/api/mastery/settings", body)
        if response.is_ok:
            locale = self._locale()
            self.message, self.is_error = gettext(
                "Saved. Every binder now uses {method}.", locale,
                method=gettext(response.body.get("method_label") or method, locale)), False
            return AdminSettingsState.load_settings
        self.message, self.is_error = response.message, True
        return None


@dataclasses.dataclass
class DeviceRow:
    who: str = ""
    device: str = ""
    last_push: str = ""
    last_pull: str = ""
    is_stale: bool = False


class AdminSyncState(State):
    devices: list[DeviceRow] = []
    open_conflicts: int = 0
    conflict_lines: list[str] = []
    is_loaded: bool = False
    error: str = ""

    @rx.event
    @signed_in("admin")
    async def load_health(self):
        response = await self._api("GET", "/api/sync/health")
        if not response.is_ok:
            self.error, self.is_loaded = response.message, True
            return None
        body = response.body
        self.devices = [DeviceRow(
            who=f"{d['user']['display_name']} ({d['user']['role']})",
            device=_device(d.get("user_agent", "")) + " · …" + d["client_id"][-6:],
            last_push=when_text(d.get("last_push_at")) or "never",
            last_pull=when_text(d.get("last_pull_at")) or "never",
            is_stale=not d.get("last_pull_at"),
        ) for d in body.get("devices", [])]
        self.open_conflicts = int(body.get("open_conflict_count") or 0)
        self.conflict_lines = [
            f"{c['learner']['display_name']} · {(c.get('target') or {}).get('code', '')} · "
            f"opened {when_text(c.get('opened_at'))}" for c in body.get("open_conflicts", [])]
        self.error, self.is_loaded = "", True
        return None


def _device(agent: str) -> str:
    """A rough, readable device name from its user agent."""
    for needle, name in (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
                         ("CrOS", "Chromebook"), ("Windows", "Windows"), ("Mac OS", "Mac"),
                         ("Linux", "Linux")):
        if needle in agent:
            return name
    return "Browser" if agent else "Unknown device"
