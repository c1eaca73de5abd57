"""Translations for the server side (API errors, PDFs, Reflex state messages): one gettext
catalog per locale in locales/, compiled by Babel; a missing string falls back to English.

Contract used across the codebase (issue 15):
    gettext(msgid, locale=None, **params)          "{name}" placeholders, str.format style
    ngettext(singular, plural, n, locale=None, **params)   n is also passed as {n}
    N_(msgid)                                      marks a constant for extraction only
Locale codes are BCP 47: "en", "es", "ar", "vi", "zh-Hans".
"""

from __future__ import annotations

LOCALES = ("en", "es", "ar", "vi", "zh-Hans")
DEFAULT_LOCALE = "en"
RTL_LOCALES = frozenset({"ar"})


def N_(msgid: str) -> str:
    """Mark a string for the catalog without translating it here."""
    return msgid


def _format(text: str, params: dict) -> str:
    return text.format(**params) if params else text


def gettext(msgid: str, locale: str | None = None, **params) -> str:
    """`msgid` in `locale` (English until the catalogs land), placeholders filled."""
    return _format(msgid, params)


def ngettext(singular: str, plural: str, n: int, locale: str | None = None, **params) -> str:
    """The plural form of `n` in `locale`; `{n}` is filled with n."""
    return _format(singular if n == 1 else plural, {"n": n, **params})
