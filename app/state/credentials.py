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
SHARING_SAVED = N_("Saved. Badges earned from now on follow it; badges already issued "
                   "cannot change.")
SHARING_FAILED = N_("Your choice was not saved: {reason}")
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
    # a guardian's choice per child: may badges link to the child's approved work?
    sharing: list[dict[str, str]] = []  # {id, name, allowed: "yes"/"", school_allows}
    sharing_message: str = ""
    sharing_error: str = ""

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
            sharing = await self._sharing(learners) if self.user_role == "guardian" else []
        except SignedOut:
            return self._to_login()
        self.items, self.learners, self.is_loaded = items, learners, True
        self.sharing = sharing
        return None

    async def _sharing(self, learners: list[dict[str, str]]) -> list[dict[str, str]]:
        out = []
        for who in learners:
            response = await self._api("GET", f"/api/privacy/learners/{who['id']}/sharing")
            if response.is_ok:
                out.append({**who, "allowed": "yes" if response.body["credential_evidence"]
                            else "", "school_allows": "yes" if response.body.get(
                                "school_allows", True) else ""})
        return out

    @rx.event
    async def set_sharing(self, learner_id: str, allowed: bool):
        """A guardian's choice, saved at once (a switch, not a form to submit)."""
        self.sharing_message, self.sharing_error = "", ""
        try:
            response = await self._api("PUT", f"/api/privacy/learners/{learner_id}/sharing",
                                       {"credential_evidence": bool(allowed)})
        except SignedOut:
            return self._to_login()
        if not response.is_ok:
            self.sharing_error = response.message
            return None
        self.sharing = [{**row, "allowed": "yes" if response.body["credential_evidence"]
                         else ""} if row["id"] == learner_id else row for row in self.sharing]
        self.sharing_message = SHARING_SAVED
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
