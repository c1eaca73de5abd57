"""A teacher's (or admin's) Open Badges earned elsewhere: add one (pasted or a file), see
each with the verdict it got when it was added (POST/GET /api/credentials/imports)."""

from __future__ import annotations

import reflex as rx

from app.state.base import SignedOut, State
from app.state.verify import EMPTY, MAX_BYTES, TOO_BIG
from backend.i18n import N_

ADDED = N_("Added to your record.")


class TeacherCredentialsState(State):
    items: list[dict[str, str]] = []
    text: str = ""
    error: str = ""
    message: str = ""
    is_loaded: bool = False

    @rx.event
    def set_text(self, value: str):
        self.text, self.error = value, ""

    @rx.event
    async def load(self):
        if (leave := self._guard("teacher", "admin")) is not None:
            return leave
        try:
            response = await self._api("GET", "/api/credentials/imports")
        except SignedOut:
            return self._to_login()
        if response.is_ok:
            self.items = [{"id": i["id"], "name": i["name"], "issuer": i["issuer"],
                           "verdict": i["verdict"], "headline": i["headline"],
                           "added": str(i.get("created_at") or "")[:10]}
                          for i in response.body.get("imports", [])]
        else:
            self.error = response.message
        self.is_loaded = True
        return None

    async def _add(self, credential: str):
        self.message = ""
        if not credential.strip():
            self.error = EMPTY
            return None
        try:
            response = await self._api("POST", "/api/credentials/imports",
                                       {"credential": credential})
        except SignedOut:
            return self._to_login()
        if not response.is_ok:
            self.error = response.message
            return None
        self.text, self.error, self.message = "", "", ADDED
        return TeacherCredentialsState.load

    @rx.event
    async def add(self):
        return await self._add(self.text)

    @rx.event
    async def add_file(self, files: list[rx.UploadFile]):
        if not files:
            self.error = EMPTY
            return None
        data = await files[0].read()
        if len(data) > MAX_BYTES:
            self.error = TOO_BIG
            return None
        return await self._add(data.decode("utf-8", errors="replace"))
