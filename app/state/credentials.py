"""Credentials on the family page and the binder page: the learner's Open Badges 3.0
credentials (issued by the server when a topic is met) and the CLR, downloaded as JSON.
Read-only; every read and download is in the learner's access log (the API writes it)."""

from __future__ import annotations

import json

import reflex as rx

from app.state.base import SignedOut, State
from backend.i18n import N_

FAILED = N_("The credentials could not be loaded. Try again in a moment.")
WITHDRAWN = N_("{name} is withdrawn: checking it now says revoked.")
MAX_LEARNERS = 12


class CredentialsState(State):
    """The credentials of the learners shown on the page."""

    items: list[dict[str, str]] = []
    learners: list[dict[str, str]] = []
    is_loaded: bool = False
    error: str = ""
    confirm_id: str = ""  # an admin's "Withdraw …" waiting for "Withdraw it"
    message: str = ""
    withdrawn_name: str = ""

    @rx.event
    def check_learner(self):
        """The learner's own page: learners only (the panel loads itself)."""
        return self._guard("student")

    @rx.event
    async def load(self):
        """The page's learner (binder page) or every learner the reader may see."""
        self.error = ""
        only = str(self.router.page.params.get("learner_id", ""))
        try:
            if only.isdigit():
                people = [{"id": int(only), "display_name": ""}]
            else:
                listed = await self._api("GET", "/api/learners")
                people = listed.body if listed.is_ok and isinstance(listed.body, list) else []
            items, learners = [], []
            for person in people[:MAX_LEARNERS]:
                response = await self._api("GET", f"/api/credentials/learners/{person['id']}")
                if not response.is_ok:
                    continue
                learners.append({"id": str(person["id"]),
                                 "name": str(person.get("display_name") or "")})
                for cred in response.body.get("credentials", []):
                    items.append({"id": cred["id"], "name": cred["name"],
                                  "learner": str(person.get("display_name") or ""),
                                  "issued": str(cred.get("issued_at") or "")[:10],
                                  "revoked": "yes" if cred.get("is_revoked") else ""})
        except SignedOut:
            return self._to_login()
        self.items, self.learners, self.is_loaded = items, learners, True
        return None

    async def _file(self, path: str, filename: str):
        try:
            response = await self._api("GET", path)
        except SignedOut:
            return self._to_login()
        if not response.is_ok:
            self.error = FAILED
            return None
        return rx.download(data=json.dumps(response.body, indent=2), filename=filename)

    @rx.event
    def ask_withdraw(self, cred_id: str):
        self.confirm_id, self.message = cred_id, ""

    @rx.event
    def keep(self):
        self.confirm_id = ""

    @rx.event
    async def withdraw(self, cred_id: str):
        """An admin revokes the credential (its bit in the status list turns on)."""
        name = next((i["name"] for i in self.items if i["id"] == cred_id), "")
        try:
            response = await self._api("POST", f"/api/credentials/{cred_id}/revoke", {})
        except SignedOut:
            return self._to_login()
        self.confirm_id = ""
        if not response.is_ok:
            self.error = response.message
            return None
        self.message, self.withdrawn_name = WITHDRAWN, name
        return CredentialsState.load

    @rx.event
    async def download(self, cred_id: str):
        return await self._file(f"/api/credentials/{cred_id}/download",
                                f"credential-{cred_id[:8]}.json")

    @rx.event
    async def download_clr(self, learner_id: str):
        return await self._file(f"/api/credentials/learners/{learner_id}/clr",
                                f"learner-record-{learner_id}.json")
