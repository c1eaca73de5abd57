"""The one rule for a new password (NIST SP 800-63B), used wherever a password is set.

What NIST asks, and nothing it advises against: at least 8 characters (counted as Unicode
code points, so "ñandú123" is 8), long ones welcome (up to 200), spaces allowed but not
only spaces; no composition rules ("a digit and a symbol"), no expiry. Refused: the
10,000 most common passwords (common_passwords.txt beside this file, shipped, never
downloaded), the username (also with digits or symbols around it), one character or a
short pattern repeated ("aaaaaaaa", "abababab"), and a run in order ("12345678",
"hgfedcba"). Each refusal says why in plain words.
"""

from __future__ import annotations

import functools
from pathlib import Path

from backend.errors import AppError
from backend.i18n import N_

MIN_LENGTH = 8
MAX_LENGTH = 200
_LIST = Path(__file__).with_name("common_passwords.txt")

# every refusal, whole sentences in one place (N_: in the catalog; the error handler
# translates them)
TOO_SHORT = N_("Use at least 8 characters for the password.")
TOO_LONG = N_("Use at most 200 characters for the password.")
ONLY_SPACES = N_("A password cannot be only spaces.")
COMMON = N_("That password is on the list of the most common passwords, the first ones an "
          "attacker tries. Choose one that is harder to guess, such as a few unrelated words.")
USERNAME = N_("A password cannot be the username, even with numbers or symbols added.")
REPEATED = N_("A password cannot be one character or a short pattern repeated, like aaaaaaaa.")
SEQUENCE = N_("A password cannot be characters in a row, like 12345678 or abcdefgh.")
@functools.cache
def common_passwords() -> frozenset[str]:
    """The bundled list (its first line names its source and licence)."""
    lines = _LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def password_problem(password: str, username: str = "") -> str | None:
    """Why `password` may not be used (for `username`), or None when it may."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    if not password.strip():
        return ONLY_SPACES
    folded = password.casefold()
    # the most specific reason first: "aaaaaaaa" is on the list too, but "repeated" says why
    if username and _is_username(folded, username.casefold()):
        return USERNAME
    if _is_repeated(folded):
        return REPEATED
    if _is_sequence(folded):
        return SEQUENCE
    if folded in common_passwords() or folded.strip() in common_passwords():
        return COMMON
    return None


def check_new_password(password: str, username: str = "", field: str = "password") -> None:
    """Raise the 422 (in the one error shape, naming `field`) when the rule refuses it."""
    problem = password_problem(password, username)
    if problem is not None:
        raise AppError(problem, status=422, code="password_refused",
                       errors={"json": {field: [problem]}})


_AFFIX = " 0123456789!@#$%^&*()-_=+.,;:?'\""


def _is_username(folded: str, username: str) -> bool:
    """The username itself, or with digits, spaces or symbols before or after it (or in
    place of its own: "student8" for student7). The username's own digits stay part of it:
    nearly every school username ends in one."""
    squashed = "".join(ch for ch in username if ch.isalnum())
    for name in {username, squashed} - {""}:
        at = folded.find(name)
        if at >= 0 and all(ch in _AFFIX for ch in folded[:at] + folded[at + len(name):]):
            return True
    core, stem = folded.strip(_AFFIX), username.strip(_AFFIX)
    return bool(core) and core == stem


def _is_repeated(folded: str) -> bool:
    """One to three characters, repeated to fill the whole password."""
    for size in (1, 2, 3):
        unit = folded[:size]
        if len(folded) >= 2 * size and (unit * (len(folded) // size + 1))[:len(folded)] == folded:
            return True
    return False


def _is_sequence(folded: str) -> bool:
    """Every character one after the other, going up or down (abcdefgh, 98765432)."""
    steps = {ord(b) - ord(a) for a, b in zip(folded, folded[1:], strict=False)}
    return steps in ({1}, {-1})
