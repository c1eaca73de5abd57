"""The words of a push answer: the library's reason code (sync/reasons.py) said in the
requester's language, with people named rather than numbered.

The library gives every rejection, conflict and noted "applied" a `code` and `params` and
knows people only by id; here the params of a code whose words name someone get that
person's display name (`teacher_id` → `teacher`, `student_id` → `student`, `teacher_ids` →
`teachers`), looked up in the requester's school, and `reason` is the code's template from
the gettext catalog (its msgid is the English template) filled with the params. API clients
read `reason`; the device renders `code` + `params` through its own catalog.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.i18n import current_locale, translations
from backend.input_limits import is_storable_int
from backend.models import User
from sync.reasons import REASONS, fill

# (id param, name param) pairs: the name is filled only where a code's words use it
_PEOPLE = (("teacher_id", "teacher"), ("student_id", "student"), ("teacher_ids", "teachers"))


def say(code: str, params: dict, locale: str | None = None) -> str:
    """The words of a reason code in `locale` (the request's language by default)."""
    template = REASONS[code]
    text = translations(locale or current_locale()).gettext(template) or template
    return fill(text, params)


def refused(seq: int, code: str, **params) -> dict:
    """A rejection the adapter decides itself (a reference the database cannot accept)."""
    return {"seq": seq, "status": "rejected", "code": code, "params": params,
            "reason": fill(REASONS[code], params)}


def _ids(params: dict, template: str) -> set[int]:
    ids: set[int] = set()
    for id_key, name_key in _PEOPLE:
        if "{" + name_key + "}" not in template or id_key not in params:
            continue
        value = params[id_key]
        for one in value if isinstance(value, list) else [value]:
            if isinstance(one, str) and one.isdigit():
                one = int(one)
            if is_storable_int(one):
                ids.add(one)
    return ids


def named(session: Session, school_id: int, params: dict, template: str) -> dict:
    """`params` with the display names of the people the words name (same school only)."""
    ids = _ids(params, template)
    if not ids:
        return params
    names = dict(session.execute(select(User.id, User.display_name).where(
        User.id.in_(ids), User.school_id == school_id)).all())

    def name(value) -> str:
        key = int(value) if isinstance(value, str) and value.isdigit() else value
        return names.get(key, str(value)) if isinstance(key, int) else str(value)

    out = dict(params)
    for id_key, name_key in _PEOPLE:
        if "{" + name_key + "}" in template and id_key in params:
            value = params[id_key]
            out[name_key] = (", ".join(name(v) for v in value) if isinstance(value, list)
                             else name(value))
    return out


def worded(session: Session, user: User, result: dict) -> dict:
    """A library result with people named and `reason` in the requester's language."""
    code = result.get("code")
    if code not in REASONS:
        return result
    params = named(session, user.school_id, result.get("params") or {}, REASONS[code])
    return {**result, "params": params, "reason": say(code, params)}
