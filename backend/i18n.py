"""Translations for the server side (API errors, PDFs, Reflex state messages): one gettext
catalog per locale in locales/ (`python -m backend.i18n_catalogs` compiles them); a string
missing from a catalog falls back to English for that string alone.

Contract used across the codebase (issue 15):
    gettext(msgid, locale=None, **params)          "{name}" placeholders
    ngettext(singular, plural, n, locale=None, **params)   n is also passed as {n}
    N_(msgid), N_(singular, plural)                marks constants for extraction only
    current_locale()                               this request's language
    format_date(value, kind, locale), format_number(n, locale), paper_size(locale)
Locale codes are BCP 47: "en", "es", "ar", "vi", "zh-Hans". `locale=None` means
current_locale() inside a request, else English.

Placeholders are filled exactly as assets/ui/i18n.js fills them (`{word}` → the value, an
unknown one left as written), so one msgid reads the same in Python and in the browser.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from babel.support import NullTranslations, Translations

LOCALES = ("en", "es", "ar", "vi", "zh-Hans")
DEFAULT_LOCALE = "en"
RTL_LOCALES = frozenset({"ar"})
COOKIE = "waypoint_locale"  # the device's language, written by assets/ui/i18n.js
NAMES = {"en": "English", "es": "Español", "ar": "العربية", "vi": "Tiếng Việt",
         "zh-Hans": "简体中文"}  # each language in its own words, for pickers
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locales"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# one format per locale per kind, the same CLDR patterns Intl uses in assets/ui/i18n.js
DATE_KINDS = ("date", "dateTime", "weekdayTime")
MIN_GROUPING = {"es": 2}  # CLDR minimumGroupingDigits other than 1, for our five
LETTER_REGIONS = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "CR", "PR"})


def N_(msgid: str, plural: str | None = None):
    """Mark a string for the catalog without translating it here; `N_(singular, plural)`
    marks a plural pair (returned as a tuple) for a later ngettext(*pair, n)."""
    return msgid if plural is None else (msgid, plural)


def normalize(code: str | None) -> str | None:
    """One of LOCALES for a language tag ("es-MX" → "es", "zh-CN" → "zh-Hans"), else None.
    Traditional Chinese (zh-TW, zh-Hant) is not Simplified: None."""
    if not code:
        return None
    tag = code.strip().replace("_", "-").lower()
    if tag.startswith("zh"):
        return None if ("hant" in tag or tag in ("zh-tw", "zh-hk", "zh-mo")) else "zh-Hans"
    base = tag.split("-")[0]
    return base if base in LOCALES else None


def negotiate(tags) -> str:
    """The first supported language of an ordered list of tags (Accept-Language, browser)."""
    for tag in tags:
        code = normalize(tag)
        if code:
            return code
    return DEFAULT_LOCALE


def _user_locale() -> str | None:
    try:
        from flask_jwt_extended import get_current_user

        return normalize(getattr(get_current_user(), "locale", None))
    except Exception:  # noqa: BLE001 - nobody signed in, or no token checked on this route
        return None


def current_locale() -> str:
    """This request's language: `g.locale` when a view set it, else the language this
    device shows (the `waypoint_locale` cookie assets/ui/i18n.js keeps, so an error reads
    like the screen around it), else the signed-in person's setting (users.locale), else
    Accept-Language; English outside a request."""
    from flask import g, has_request_context, request

    if not has_request_context():
        return DEFAULT_LOCALE
    chosen = (normalize(getattr(g, "locale", None)) or normalize(request.cookies.get(COOKIE))
              or _user_locale())
    if chosen:
        return chosen
    return negotiate(tag for tag, _q in request.accept_languages)


@cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalog of a locale (English: none); cached per process."""
    code = normalize(locale) or DEFAULT_LOCALE
    if code == DEFAULT_LOCALE:
        return NullTranslations()
    folder = code.replace("-", "_")
    mo = LOCALE_DIR / folder / "LC_MESSAGES" / "messages.mo"
    if not mo.exists():
        return NullTranslations()
    with open(mo, "rb") as fh:
        return Translations(fh, domain="messages")


def fill(text: str, params: dict) -> str:
    """`{name}` → params["name"]; a placeholder without a value stays as written."""
    if not params:
        return text
    return _PLACEHOLDER.sub(
        lambda m: m[0] if params.get(m[1]) is None else str(params[m[1]]), text)


def _pick(locale: str | None) -> str:
    return normalize(locale) or (current_locale() if locale is None else DEFAULT_LOCALE)


def gettext(msgid: str, locale: str | None = None, **params) -> str:
    """`msgid` in `locale` (English if that string is not translated), placeholders filled."""
    text = translations(_pick(locale)).gettext(msgid) or msgid
    return fill(text, params)


def ngettext(singular: str, plural: str, n: int, locale: str | None = None, **params) -> str:
    """The plural form of `n` in `locale` (CLDR rules: Arabic has six, Chinese one);
    English when that string is not translated. `{n}` is filled with n."""
    text = translations(_pick(locale)).ngettext(singular, plural, n)
    if not text:  # a form left empty in the .po: English for this string
        text = singular if n == 1 else plural
    return fill(text, {"n": format_number(n, locale) if isinstance(n, int) else n, **params})


def babel_locale(locale: str | None = None) -> Locale:
    return Locale.parse(_pick(locale).replace("-", "_"))


def format_number(value, locale: str | None = None) -> str:
    """A number as the locale writes it (Arabic digits for "ar", CLDR's default)."""
    from babel.numbers import format_decimal

    code = _pick(locale)
    # CLDR's minimumGroupingDigits (Babel has no data for it; Intl applies it): Spanish
    # writes 1234 but 12.345
    grouped = not (MIN_GROUPING.get(code, 1) == 2 and abs(float(value)) < 10_000)
    return format_decimal(value, locale=babel_locale(code), numbering_system="default",
                          group_separator=grouped)


def format_date(value: date | datetime | str | None, kind: str = "date",
                locale: str | None = None) -> str:
    """A date in the locale's one format for `kind`: "date" (22 oct 2026),
    "dateTime" (with the time) or "weekdayTime" (miércoles 14:05). None → ""."""
    if value is None or value == "":
        return ""
    # the same few dates are written over and over (every "how this level was worked out"
    # sentence of a learner's pull names its evidence's days): Babel's answer is kept
    return _format_date(value, kind, _pick(locale))


@lru_cache(maxsize=4096)
def _format_date(value: date | datetime | str, kind: str, code: str) -> str:
    from babel.dates import format_date as _date
    from babel.dates import format_datetime, format_time

    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00")) if "T" in value \
            else date.fromisoformat(value)
    loc = babel_locale(code)
    if kind == "date" or not isinstance(value, datetime):
        day = value.date() if isinstance(value, datetime) else value
        return _date(day, "medium", locale=loc)
    if kind == "dateTime":  # the locale's own glue ("{1}, {0}") of medium date + short time
        glue = loc.datetime_formats["medium"]
        return glue.replace("{1}", _date(value.date(), "medium", locale=loc)).replace(
            "{0}", format_time(value, "short", locale=loc))
    # CLDR's weekday + 24-hour time pattern (the one Intl picks), with the weekday in full
    pattern = loc.datetime_skeletons.get("EHm")
    pattern = re.sub(r"E+", "EEEE", pattern.pattern) if pattern else "EEEE HH:mm"
    return format_datetime(value, pattern, locale=loc)


def paper_size(locale: str | None = None, region: str | None = None) -> str:
    """"letter" for English (and Spanish in the US when the region says so), "A4" elsewhere."""
    code = _pick(locale)
    if region:
        return "letter" if region.upper() in LETTER_REGIONS else "A4"
    return "letter" if code == "en" else "A4"


def is_rtl(locale: str | None = None) -> bool:
    return _pick(locale) in RTL_LOCALES
