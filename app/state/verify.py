"""The public /verify page's state: a pasted or chosen credential goes to
POST /api/credentials/verify (no sign-in), and the verdict comes back in the reader's
language. Nothing checked is kept, here or on the server."""

from __future__ import annotations

import reflex as rx

from app.api_client import call_api
from app.state.base import parse_cookies
from backend.i18n import COOKIE as LOCALE_COOKIE
from backend.i18n import N_, normalize

EMPTY = N_("Paste a credential or choose a file first.")
TOO_BIG = N_("That file is too large to be a credential. Choose the .json file you "
             "downloaded.")
NO_SERVER = N_("Waypoint could not be reached. Check the connection and try again.")
MAX_BYTES = 512 * 1024


class VerifyState(rx.State):
    """Public: holds only the credential being checked and its verdict."""

    text: str = ""
    error: str = ""
    is_checking: bool = False
    verdict: str = ""
    headline: str = ""
    checks: list[dict[str, str]] = []
    issuer: str = ""
    issued: str = ""
    learner: str = ""
    achievement: str = ""

    def _language(self) -> str:
        accept = str(getattr(self.router.headers, "accept_language", "") or "")
        chosen = normalize(parse_cookies(self.router.headers.cookie).get(LOCALE_COOKIE, ""))
        return f"{chosen},{accept}" if chosen else accept

    @rx.event
    def set_text(self, value: str):
        self.text = value
        self.error = ""

    @rx.event
    def clear(self):
        self.verdict = ""
        self.headline = ""
        self.checks = []

    async def _check(self, credential: str):
        self.clear()
        if not credential.strip():
            self.error = EMPTY
            return
        self.is_checking = True
        yield
        response = await call_api("POST", "/api/credentials/verify",
                                  json={"credential": credential},
                                  client_ip=self.router.session.client_ip,
                                  language=self._language())
        self.is_checking = False
        body = response.body if isinstance(response.body, dict) else {}
        if not response.is_ok or "verdict" not in body:
            self.error = str(body.get("message") or NO_SERVER)
            return
        self.verdict = str(body["verdict"])
        self.headline = str(body.get("headline", ""))
        self.checks = [{"words": str(c.get("words", "")), "ok": "yes" if c.get("ok") else "no"}
                       for c in body.get("checks", [])]
        summary = body.get("credential") or {}
        self.issuer = str(summary.get("issuer", ""))
        self.issued = str(summary.get("issued", ""))[:10]
        self.learner = str(summary.get("learner", ""))
        self.achievement = str(summary.get("achievement") or summary.get("name") or "")

    @rx.event
    async def check(self):
        async for _ in self._check(self.text):
            yield

    @rx.event
    async def check_file(self, files: list[rx.UploadFile]):
        if not files:
            self.error = EMPTY
            return
        data = await files[0].read()
        if len(data) > MAX_BYTES:
            self.clear()
            self.error = TOO_BIG
            return
        self.text = data.decode("utf-8", errors="replace")
        async for _ in self._check(self.text):
            yield
