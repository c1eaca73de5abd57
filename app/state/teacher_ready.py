"""Learners who say they are ready to demonstrate a target (GET /api/ready-to-demonstrate)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from app import routes
from app.state.base import SignedOut, State
from app.state.views import level_text, when_text, words_for


@dataclasses.dataclass
class ReadyView:
    learner_name: str = ""
    target_text: str = ""
    self_text: str = ""
    asked: str = ""
    rate_href: str = ""


class TeacherReadyState(State):
    requests: list[ReadyView] = []
    is_loaded: bool = False
    error: str = ""

    @rx.event
    async def load_requests(self):
        """Requests not yet answered by a teacher's rating or approval."""
        if (leave := self._guard("teacher", "admin")) is not None:
            return leave
        try:
            response = await self._api("GET", "/api/ready-to-demonstrate")
        except SignedOut:
            return self._to_login()
        if response.is_ok:
            self.requests = [
                ReadyView(
                    learner_name=r["learner"]["display_name"],
                    target_text=f"{r['target']['code']} · {r['target']['title']}",
                    self_text="" if r.get("self_level") is None else
                    f"Thinks they are at {level_text(r['self_level'])} · "
                    f"{words_for(r['self_level'])}",
                    asked="Asked " + when_text(r.get("asked_at")),
                    rate_href=routes.rate_target(r["learner"]["id"], r["target"]["id"]),
                )
                for r in response.body
            ]
            self.error = ""
        else:
            self.error = response.message
        self.is_loaded = True
        return None
