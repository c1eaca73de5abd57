"""Validators of mutation arguments: each returns the normalized value or raises."""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from urllib.parse import urlsplit

from sync.caps import DEFAULT_CAPS, CapExceeded
from sync.clock import HLC
from sync.errors import ClockError, InvalidMutation
from sync.reasons import json_type, shown

LEVEL_MIN, LEVEL_MAX, LEVEL_STEP = 0, 4, 0.5  # the proficiency scale (in spec.js too)
# the shape caps (sync/caps.py is their one home)
MAX_TITLE = DEFAULT_CAPS.title
MAX_TEXT = DEFAULT_CAPS.text
MAX_URL = DEFAULT_CAPS.url
MAX_TARGETS = DEFAULT_CAPS.target_ids
MAX_SEEN = DEFAULT_CAPS.profile_seen
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SHA = re.compile(r"^[0-9a-fA-F]{64}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")




def level(name: str, value: object) -> float:
    """A proficiency level: a number 0-4 in steps of 0.5 (booleans are not numbers)."""
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if not is_number or not math.isfinite(value):
        raise InvalidMutation("field.not_level", field=name, type=json_type(value))
    if not (LEVEL_MIN <= value <= LEVEL_MAX and float(value / LEVEL_STEP).is_integer()):
        raise InvalidMutation("field.level_step", field=name, value=shown(value))
    return float(value)


def ref_id(name: str, value: object) -> str | int:
    """An id of the API's own (user, target, activity): text or an integer, kept as given."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidMutation("field.not_id", field=name, type=json_type(value))
    if isinstance(value, str) and not value.strip():
        raise InvalidMutation("field.empty", field=name)
    return value


def row_id(name: str, value: object) -> str:
    """An id of a row a device created: a UUID in 8-4-4-4-12 form, normalized to lower case."""
    if not isinstance(value, str) or not _UUID.match(value):
        raise InvalidMutation("field.not_uuid", field=name, value=shown(value))
    return str(uuid.UUID(value))


def text(name: str, value: object, max_len: int = MAX_TEXT, required: bool = False) -> str:
    """Trimmed text; null means empty unless required."""
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise InvalidMutation("field.not_text", field=name, type=json_type(value))
    value = value.strip()
    if required and not value:
        raise InvalidMutation("field.empty", field=name)
    if len(value) > max_len:
        raise CapExceeded("cap.text_length", field=name, limit=max_len, count=len(value))
    return value


def choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    """One of a fixed set of words."""
    if not isinstance(value, str) or value not in allowed:
        raise InvalidMutation("field.not_choice", field=name, allowed=list(allowed),
                              value=shown(value))
    return value


def target_ids(name: str, value: object) -> list[str | int]:
    """A list of learning target ids, duplicates dropped, order kept."""
    if not isinstance(value, list):
        raise InvalidMutation("field.not_list", field=name, type=json_type(value))
    if len(value) > MAX_TARGETS:
        raise CapExceeded("cap.target_ids", field=name, limit=MAX_TARGETS)
    seen, result = set(), []
    for item in value:
        item = ref_id(name, item)
        if str(item) not in seen:
            seen.add(str(item))
            result.append(item)
    return result


def date(name: str, value: object) -> str | None:
    """An ISO calendar date YYYY-MM-DD, or null to clear it."""
    if value is None:
        return None
    if not isinstance(value, str) or not _DATE.match(value):
        raise InvalidMutation("field.not_date", field=name, value=shown(value))
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidMutation("field.not_calendar_date", field=name, value=value) from None
    return value


def url(name: str, value: object) -> str:
    """An http(s) address, or empty."""
    value = text(name, value, MAX_URL)
    if value:
        try:
            parts = urlsplit(value)
        except ValueError:  # e.g. "http://[" — an unbalanced IPv6 bracket
            parts = None
        if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise InvalidMutation("field.not_web_address", field=name, value=shown(value))
    return value


def sha256(name: str, value: object) -> str | None:
    """A blob's sha256 as 64 hex digits (normalized to lower case), or null."""
    if value is None:
        return None
    if not isinstance(value, str) or not _SHA.match(value):
        raise InvalidMutation("field.not_sha256", field=name, value=shown(value))
    return value.lower()


def boolean(name: str, value: object) -> bool:
    """true or false, nothing else."""
    if not isinstance(value, bool):
        raise InvalidMutation("field.not_boolean", field=name, type=json_type(value))
    return value


def version(name: str, value: object) -> int:
    """A server version number seen by the client: a whole number >= 0."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidMutation("field.not_version", field=name, value=shown(value))
    return value


def words(name: str, value: object, allowed: tuple[str, ...]) -> list[str]:
    """A list of words from a fixed set, duplicates dropped, order kept."""
    if not isinstance(value, list):
        raise InvalidMutation("field.not_word_list", field=name, allowed=list(allowed))
    result: list[str] = []
    for item in value:
        item = choice(name, item, allowed)
        if item not in result:
            result.append(item)
    return result


def stamps(name: str, value: object) -> list[str]:
    """A list of clock stamps (the versions a device saw), duplicates dropped, sorted."""
    if not isinstance(value, list):
        raise InvalidMutation("field.not_stamps", field=name, value=shown(value))
    if len(value) > MAX_SEEN:
        raise CapExceeded("cap.profile_seen", field=name, limit=MAX_SEEN, count=len(value))
    for item in value:
        try:
            HLC.parse(item)
        except ClockError:
            raise InvalidMutation("field.not_stamps", field=name, value=shown(item)) from None
    return sorted(set(value))
