"""The words of a refused sign-in while a wait is in force: when to try again, and nothing
about whether the account exists."""

from __future__ import annotations

from backend.errors import AppError
from backend.services.sign_in_throttle import Wait

# one sentence per case, whole, so a translator sees each as it is said
_ACCOUNT = {
    "seconds": "Too many wrong passwords for this username. Try again in {n} seconds, or "
               "ask your teacher to let you in.",
    "minute": "Too many wrong passwords for this username. Try again in 1 minute, or ask "
              "your teacher to let you in.",
    "minutes": "Too many wrong passwords for this username. Try again in {n} minutes, or "
               "ask your teacher to let you in.",
}
_ADDRESS = {
    "seconds": "Too many wrong passwords from this network. Try again in {n} seconds.",
    "minute": "Too many wrong passwords from this network. Try again in 1 minute.",
    "minutes": "Too many wrong passwords from this network. Try again in {n} minutes.",
}


def wait_words(wait: Wait) -> str:
    """"… Try again in 45 seconds" / "in 1 minute" / "in 4 minutes" (rounded up)."""
    words = _ADDRESS if wait.scope == "address" else _ACCOUNT
    if wait.seconds < 60:
        return words["seconds"].format(n=max(wait.seconds, 1))
    minutes = -(-wait.seconds // 60)
    return words["minute"] if minutes == 1 else words["minutes"].format(n=minutes)


def refuse_while_throttled(wait: Wait) -> None:
    """Raise the 429 when a wait is in force (retry_after: seconds, for the page)."""
    if wait.seconds > 0:
        raise AppError(wait_words(wait), status=429, code="sign_in_throttled",
                       retry_after=wait.seconds)
