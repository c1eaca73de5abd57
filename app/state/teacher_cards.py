"""Sign-in cards (/teacher/cards): a teacher prints QR cards for a class, stops a lost card
from working, and sees the shared class devices they marked (revoking one).

Online only: cards are keys to accounts, not learner records, so nothing goes through the
sync core. Marking THIS device as shared is the page's own fetch (assets/ui/card_device.js),
because the device's token must arrive as an httpOnly cookie in this browser. The PDF
comes from the in-process API with the teacher's token (bytes, not JSON) and is handed to
the browser with rx.download; the secrets in it are never kept here.
"""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from app import routes
from app.api_client import flask_app
from app.state.base import SignedOut, State
from backend.i18n import N_, gettext, ngettext

ROUTE = routes.TEACHER_CARDS
CARD_SIGN_IN = routes.CARD_SIGN_IN

PRINTED = N_("New cards for {name} are in the PDF. Any card printed before for these learners "
              "no longer works.")
# "missing": only learners with no card that works got one, so no card stopped working (QA F29)
PRINTED_MISSING = N_("New cards for {name} are in the PDF, for the learners who had no card "
                     "that works. Cards printed before still work.")
STOPPED_ONE = N_("{name}'s card no longer works, and {name} is signed out everywhere.")
NO_CARD = N_("{name} had no card that works.")
REVOKED = N_("“{name}” no longer takes sign-in cards.")


def _post_pdf(path: str, token: str, body: dict) -> tuple[int, dict | None, bytes]:
    """POST to the in-process API with a Bearer token: (status, JSON body or None, bytes)."""
    with flask_app().test_client() as client:
        resp = client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
        return resp.status_code, resp.get_json(silent=True), resp.data


@dataclasses.dataclass
class CardClass:
    id: int = 0
    name: str = ""
    learners: int = 0
    live_cards: int = 0


@dataclasses.dataclass
class CardLearner:
    id: int = 0
    name: str = ""
    has_card: bool = False


@dataclasses.dataclass
class Device:
    id: int = 0
    name: str = ""


class TeacherCardsState(State):
    classes: list[CardClass] = []
    class_id: int = 0
    class_name: str = ""
    learners: list[CardLearner] = []
    devices: list[Device] = []
    is_loaded: bool = False
    busy: bool = False
    message: str = ""
    is_error: bool = False

    def _say(self, message: str, is_error: bool = False) -> None:
        self.message, self.is_error = message, is_error

    async def _reload(self) -> None:
        classes = await self._api("GET", "/api/cards/classes")
        devices = await self._api("GET", "/api/devices")
        if not classes.is_ok:
            self._say(classes.message, True)
            return
        self.classes = [CardClass(c["id"], c["name"], c["learners"], c["live_cards"])
                        for c in classes.body]
        self.devices = [Device(d["id"], d["name"]) for d in devices.body] \
            if devices.is_ok else []
        if self.class_id:
            await self._read_class(self.class_id)

    async def _read_class(self, class_id: int) -> None:
        response = await self._api("GET", f"/api/cards/classes/{class_id}")
        if not response.is_ok:
            self.class_id, self.learners = 0, []
            self._say(response.message, True)
            return
        self.class_id = class_id
        self.class_name = next((c.name for c in self.classes if c.id == class_id), "")
        self.learners = [CardLearner(u["id"], u["display_name"], u["has_card"])
                         for u in response.body]

    @rx.event
    async def load(self):
        """The teacher's classes with how many cards work, and their shared devices."""
        if (leave := self._guard("teacher", "admin")) is not None:
            return leave
        self.message, self.class_id, self.learners = "", 0, []
        try:
            await self._reload()
        except SignedOut:
            return self._to_login()
        self.is_loaded = True
        return None

    @rx.event
    async def open_class(self, class_id: int):
        """Show one class's learners, each with whether their card works."""
        try:
            await self._read_class(class_id)
        except SignedOut:
            return self._to_login()
        return None

    @rx.event
    async def print_cards(self, class_id: int, which: str = "missing"):
        """New cards as a PDF download: for the class's learners without a working card
        ("missing"), or new cards for everyone ("all": the old ones stop working)."""
        async for step in self._print(class_id, {"which": which}):
            yield step

    @rx.event
    async def new_card(self, learner_id: int):
        """A new card for one learner (a lost card): their old one stops working."""
        async for step in self._print(self.class_id, {"learner_id": learner_id}):
            yield step

    async def _print(self, class_id: int, body: dict):
        if self.busy:
            return
        self.busy = True
        yield
        try:
            await self._api("GET", "/api/auth/me")  # refreshes the token when needed
            status, answer, data = await asyncio.to_thread(
                _post_pdf, f"/api/cards/classes/{class_id}/print", self._access_token(), body)
            name = next((c.name for c in self.classes if c.id == class_id), "")
            if status != 200:
                self._say((answer or {}).get("message") or gettext(
                    "The cards could not be made. Please try again.", self._locale()), True)
            else:
                missing = body.get("which") == "missing" and "learner_id" not in body
                self._say(gettext(PRINTED_MISSING if missing else PRINTED, self._locale(),
                                  name=name))
                yield rx.download(data=data, filename=f"sign-in-cards-{class_id}.pdf")
            self.class_id = class_id
            await self._reload()
        except SignedOut:
            yield self._to_login()
        finally:
            self.busy = False

    async def _stop(self, path: str, words):
        """DELETE `path`, then say `words(answer body)` (or the server's refusal) and reload."""
        try:
            response = await self._api("DELETE", path)
            self._say(words(response.body) if response.is_ok else response.message,
                      not response.is_ok)
            await self._reload()
        except SignedOut:
            return self._to_login()
        return None

    @rx.event
    async def stop_card(self, learner_id: int):
        """This learner's card stops working now (and they are signed out everywhere)."""
        name = next((u.name for u in self.learners if u.id == learner_id), "")
        return await self._stop(
            f"/api/cards/learners/{learner_id}",
            lambda body: gettext(STOPPED_ONE if body["invalidated"] else NO_CARD, self._locale(),
                                 name=name))

    @rx.event
    async def stop_class(self, class_id: int):
        """Every card of the class stops working now."""
        name = next((c.name for c in self.classes if c.id == class_id), "")
        return await self._stop(
            f"/api/cards/classes/{class_id}",
            lambda body: ngettext("{n} card of {name} no longer works.",
                                  "{n} cards of {name} no longer work.", body["invalidated"],
                                  self._locale(), name=name))

    @rx.event
    async def revoke_device(self, device_id: int):
        """No card signs in on this device from now on."""
        name = next((d.name for d in self.devices if d.id == device_id), "")
        return await self._stop(f"/api/devices/{device_id}",
                                lambda _body: gettext(REVOKED, self._locale(), name=name))
