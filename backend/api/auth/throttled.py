"""The words of a refused sign-in while a wait is in force: when to try again, and nothing
about whether the account exists."""

from __future__ import annotations

from backend.errors import AppError
from backend.i18n import ngettext
from backend.services.sign_in_throttle import Wait

# one sentence per case, whole, so a translator sees each as it is said (plural forms
# by the catalog: Arabic has six)


def wait_words(wait: Wait) -> str:
    """"… Try again in 45 seconds" / "in 1 minute" / "in 4 minutes" (rounded up), in the
    reader's language."""
    if wait.seconds < 60:
        n = max(wait.seconds, 1)
        if wait.scope == "address":
            return ngettext(
                "Too many wrong passwords from this network. Try again in {n} second.",
                "Too many wrong passwords from this network. Try again in {n} seconds.", n)
        return ngettext(
            "Too many wrong passwords for this username. Try again in {n} second, or ask "
            "your teacher to let you in.",
            "Too many wrong passwords for this username. Try again in {n} seconds, or ask "
            "your teacher to let you in.", n)
    minutes = -(-wait.seconds // 60)
    if wait.scope == "address":
        return ngettext(
            "Too many wrong passwords from this network. Try again in {n} minute.",
            "Too many wrong passwords from this network. Try again in {n} minutes.", minutes)
    return ngettext(
        "Too many wrong passwords for this username. Try again in {n} minute, or ask your "
        "teacher to let you in.",
        "Too many wrong passwords for this username. Try again in {n} minutes, or ask your "
        "teacher to let you in.", minutes)


def refuse_while_throttled(wait: Wait) -> None:
    """Raise the 429 when a wait is in force (retry_after: seconds, for the page)."""
    if wait.seconds > 0:
        raise AppError(wait_words(wait), status=429, code="sign_in_throttled",
                       retry_after=wait.seconds)
