"""Validation messages in plain words, in the reader's language: the one place where
marshmallow's developer templates ("Length must be between 8 and 200.", "Missing data for
required field.") become a sentence a person acts on ("Use at least 8 characters.").

Why here and not in each schema: a hundred fields use marshmallow's defaults, and a new
field must get plain words without anyone remembering to write them. Messages a schema or
view writes itself (marked with N_ for the catalog) are looked up in the catalog as they are.
The reader's language: backend.i18n.current_locale() (the device's choice, the person's
setting in users.locale, else Accept-Language).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import has_request_context, request

from backend.i18n import DEFAULT_LOCALE, N_, current_locale, gettext

FILL_IN = N_("Fill this in.")
CHECK_FIELDS = N_("Some answers need a change; each one says why.")

# marshmallow's fixed messages -> plain words (exact match)
_FIXED = {
    "Missing data for required field.": FILL_IN,
    "Field may not be null.": FILL_IN,
    "Unknown field.": N_("This is not something that can be set here; leave it out."),
    "Invalid input type.": N_("Send the details as named fields (a JSON object)."),
    "Not a valid string.": N_("Type this as text."),
    "Not a valid utf-8 string.": N_("Type this as text."),
    "Not a valid integer.": N_("Type a whole number."),
    "Not a valid number.": N_("Type a number."),
    "Number too large.": N_("That number is too large."),
    "Special numeric values (nan or infinity) are not permitted.": N_("Type a number."),
    "Not a valid boolean.": N_("Choose yes or no."),
    "Not a valid date.": N_("Give a date as year-month-day, like 2026-09-01."),
    "Not a valid datetime.": N_("Give a date and time."),
    "Not a valid email address.": N_("Type an email address, like name@example.org."),
    "Not a valid URL.": N_("Type a web address that starts with https://."),
    "Not a valid list.": N_("Send a list here."),
    "Not a valid mapping type.": N_("This part could not be read."),
    "Invalid type.": N_("This part could not be read."),
    "Invalid value.": N_("This value cannot be used."),
    "Invalid input.": N_("This value cannot be used."),
    "String does not match expected pattern.": N_("This is not in the expected form."),
}

_TEXT = {  # Length on text
    "min1": FILL_IN,
    "min": N_("Use at least {min} characters."),
    "max": N_("Use at most {max} characters."),
    "all": N_("Use {min} to {max} characters."),
    "equal": N_("Use exactly {equal} characters."),
}
_ITEMS = {  # Length on a list
    "min1": N_("Choose at least one."),
    "min": N_("Choose at least {min}."),
    "max": N_("Choose at most {max}."),
    "all": N_("Choose {min} to {max}."),
    "equal": N_("Choose exactly {equal}."),
}
_RANGE = {
    ("greater than or equal to", "less than or equal to"): N_("Use a number from {min} to {max}."),
    ("greater than or equal to", None): N_("Use {min} or more."),
    (None, "less than or equal to"): N_("Use {max} or less."),
    ("greater than", None): N_("Use a number above {min}."),
    (None, "less than"): N_("Use a number below {max}."),
}
_RANGE_OTHER = N_("Use a number between {min} and {max}.")
_ONE_OF = N_("Choose one of: {choices}.")

_OP = r"(greater than or equal to|greater than|less than or equal to|less than)"


def _length(kind: str, value, **params) -> tuple[str, dict]:
    words = _ITEMS if isinstance(value, (list, tuple)) else _TEXT
    size = len(value) if isinstance(value, (str, list, tuple)) else None
    lo, hi = params.get("min"), params.get("max")
    if kind == "all" and size is not None:  # marshmallow says "between" either way: say which
        kind = "min" if size < int(lo) else "max" if size > int(hi) else kind
    if kind == "min" and str(lo) == "1":
        kind = "min1"
    return words[kind], params


def _range(lo_op, lo, hi_op, hi) -> tuple[str, dict]:
    return _RANGE.get((lo_op, hi_op), _RANGE_OTHER), {"min": lo, "max": hi}


_PATTERNS: list[tuple[re.Pattern, Callable]] = [
    (re.compile(r"Length must be between (?P<min>\d+) and (?P<max>\d+)\."),
     lambda m, v: _length("all", v, **m.groupdict())),
    (re.compile(r"Shorter than minimum length (?P<min>\d+)\."),
     lambda m, v: _length("min", v, **m.groupdict())),
    (re.compile(r"Longer than maximum length (?P<max>\d+)\."),
     lambda m, v: _length("max", v, **m.groupdict())),
    (re.compile(r"Length must be (?P<equal>\d+)\."),
     lambda m, v: _length("equal", v, **m.groupdict())),
    (re.compile(rf"Must be {_OP} (\S+) and {_OP} (\S+)\."),
     lambda m, v: _range(m[1], m[2], m[3], m[4])),
    (re.compile(rf"Must be {_OP} (\S+)\."),
     lambda m, v: _range(m[1], m[2], None, None) if m[1].startswith("greater")
     else _range(None, None, m[1], m[2])),
    (re.compile(r"Must be one of: (?P<choices>.*)\."),
     lambda m, v: (_ONE_OF, m.groupdict())),
]


def request_locale() -> str:
    """The reader's language for this request (backend/i18n.py: the device's choice, the
    person's setting, else Accept-Language); English outside a request."""
    return current_locale() if has_request_context() else DEFAULT_LOCALE


def plain(message: str, value=None, locale: str | None = None) -> str:
    """One validation message in plain words in `locale`; `value` is what was sent (it
    says whether a length was too short or too long, and whether it counts characters)."""
    message = str(message)
    if not message.strip():  # gettext("") is the catalog's header, never a message
        return message
    locale = locale or request_locale()
    if message in _FIXED:
        return gettext(_FIXED[message], locale=locale)
    for pattern, words in _PATTERNS:
        found = pattern.fullmatch(message)
        if found:
            msgid, params = words(found, value)
            return gettext(msgid, locale=locale, **params)
    return gettext(message, locale=locale)  # the schema's or view's own words (N_-marked)


_LOCATIONS = ("json", "query", "form", "files", "headers", "view_args", "cookies")


def _sent(location: str | None, path: list[str]):
    """What the request sent at `path` (for Length's which-bound), or None."""
    if not has_request_context() or location not in ("json", "query", "form"):
        return None
    data = (request.get_json(silent=True) if location == "json" else
            request.args if location == "query" else request.form)
    for key in path:
        if isinstance(data, dict) and key in data:
            data = data[key]
        elif isinstance(data, list) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        else:
            return None
    return data


def plain_errors(errors, locale: str | None = None) -> dict:
    """marshmallow's nested {location: {field: [messages]}} with every message in plain
    words; the shape is kept so a form can put each message beside its field."""
    locale = locale or request_locale()

    def walk(value, location, path):
        if isinstance(value, dict):
            return {key: walk(inner, key, []) if location is None and key in _LOCATIONS
                    else walk(inner, location, [*path, str(key)])
                    for key, inner in value.items()}
        if isinstance(value, list):
            return [walk(inner, location, path) for inner in value]
        return plain(value, _sent(location, path), locale) if isinstance(value, str) else value

    return walk(errors, None, [])


def summary(errors: dict, locale: str | None = None) -> str:
    """The error's one `message` for plain-worded `errors`: the message itself when there
    is one, else a sentence saying each field says why (never "field: …" developer text)."""
    said: list[str] = []

    def collect(value):
        if isinstance(value, dict):
            for inner in value.values():
                collect(inner)
        elif isinstance(value, list):
            for inner in value:
                collect(inner)
        elif isinstance(value, str) and value not in said:
            said.append(value)

    collect(errors)
    if len(said) == 1:
        return said[0]
    return gettext(CHECK_FIELDS, locale=locale or request_locale())
