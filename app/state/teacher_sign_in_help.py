"""Sign-in help (/teacher/sign-in-help): the teacher's learners who must wait before signing
in (after wrong passwords, maybe someone else's), and "Let in" for each.

Online only, like the rest of the account pages: it reads GET /api/auth/lockouts and clears
with DELETE /api/auth/lockouts/<id>; it writes no learner record, so nothing goes through
the sync core.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from app.state.base import SignedOut, State

# whole sentences, one place. The page itself says the wait and "let in" through t()/tn()
# (app/pages/teacher_sign_in_help.py) in the reader's language; wait_text stays for the
# admin's people page, which reads it as a string.
WAIT_SECONDS = "Can try again by themself in {n} seconds."
WAIT_MINUTE = "Can try again by themself in 1 minute."
WAIT_MINUTES = "Can try again by themself in {n} minutes."
LET_IN = "{name} can sign in again now."
GONE = "{name} was already able to sign in."


def wait_text(seconds: int) -> str:
    """The wait, rounded up to whole minutes past the first one."""
    if seconds < 60:
        return WAIT_SECONDS.format(n=max(int(seconds), 1))
    minutes = -(-int(seconds) // 60)
    return WAIT_MINUTE if minutes == 1 else WAIT_MINUTES.format(n=minutes)


@dataclasses.dataclass
class LockedLearner:
    id: int = 0
    name: str = ""
    username: str = ""
    wait: str = ""
    wait_seconds: int = 0  # under a minute: the page says seconds
    wait_minutes: int = 0  # else whole minutes, rounded up


class TeacherSignInHelpState(State):
    locked: list[LockedLearner] = []
    is_loaded: bool = False
    error: str = ""
    message: str = ""
    let_in_name: str = ""  # "{name} can sign in again now." on the page, translated there

    @rx.event
    async def load_lockouts(self):
        """Who is waiting now (asked again on every visit and after every "Let in")."""
        if (leave := self._guard("teacher", "admin")) is not None:
            return leave
        try:
            response = await self._api("GET", "/api/auth/lockouts")
        except SignedOut:
            return self._to_login()
        if response.is_ok:
            self.locked = [LockedLearner(p["user_id"], p["display_name"], p["username"],
                                         wait_text(p["wait_seconds"]),
                                         max(int(p["wait_seconds"]), 1),
                                         -(-int(p["wait_seconds"]) // 60))
                           for p in response.body]
            self.error = ""
        else:
            self.error = response.message
        self.is_loaded = True
        return None

    @rx.event
    async def let_in(self, user_id: int):
        """Clear this learner's wait; the list is read again so it shows what is true."""
        row = next((p for p in self.locked if p.id == user_id), None)
        name = row.name if row else ""
        try:
            response = await self._api("DELETE", f"/api/auth/lockouts/{user_id}")
        except SignedOut:
            return self._to_login()
        if response.is_ok:
            self.message, self.let_in_name, self.error = LET_IN.format(name=name), name, ""
        else:
            self.message, self.let_in_name, self.error = "", "", response.message
        return TeacherSignInHelpState.load_lockouts
