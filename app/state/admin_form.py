"""What every admin form needs from its state, in one place (issue 15 items 5 and 8): the
page's notice, a row's inline note, each field's error in plain words, and a key per form
so a form is emptied only after a success (on a refusal it keeps what was typed).

The API's validation errors arrive in the one shape {code, status, message, errors}
(backend/errors.py) with `errors` as {location: {field: [words]}} in the reader's language;
`field_errors` maps them to the form's fields. A message that names no field of the form
goes to the form's own line (key "<form>."), so nothing is shown far from where the person
is looking. The first invalid field takes focus.

Reflex keeps a parent state's vars once for all its substates, so the admin pages share
these: every page's on_load clears them (`_reset_forms`).
"""

from __future__ import annotations

import json
from typing import Any

import reflex as rx

from app.state.base import State

_LOCATIONS = ("json", "query", "form", "files", "view_args")


def field_errors(body: Any) -> dict[str, str]:
    """{"password": "Use at least 8 characters.", "rubric.0.text": …} from an error body."""
    errors = body.get("errors") if isinstance(body, dict) else None
    found: dict[str, str] = {}

    def walk(value: Any, path: list[str]) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, path if not path and key in _LOCATIONS else [*path, str(key)])
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            found.setdefault(".".join(path), value[0])
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                walk(inner, [*path, str(index)])
        elif isinstance(value, str):
            found.setdefault(".".join(path), value)

    walk(errors or {}, [])
    return found


def field_id(form: str, name: str) -> str:
    """The id of a form's control (and, with "-error", of its message)."""
    return f"{form}-{name}".replace("_", "-").replace(".", "-")


def focus(element_id: str):
    """Move focus to an element (a field, or a form's own message)."""
    return rx.call_script(f"document.getElementById({json.dumps(element_id)})?.focus()")


class AdminFormState(State):
    """Base of the admin pages' states (curriculum, people, settings)."""

    message: str = ""  # the page's notice, under the h1
    is_error: bool = False
    note_key: str = ""  # the row whose inline message shows ("user-3", "target-12")
    note: str = ""
    note_is_error: bool = False
    errors: dict[str, str] = {}  # "<form>.<field>" -> words; "<form>." the form's own line
    form_keys: dict[str, int] = {}  # bumped after a success: that form mounts empty

    def _reset_forms(self) -> None:
        self.message, self.is_error, self.note_key, self.note = "", False, "", ""
        self.errors = {}

    def _say(self, message: str, is_error: bool = False) -> None:
        self.message, self.is_error, self.note = message, is_error, ""

    def _note(self, key: str, text: str, is_error: bool = False) -> None:
        self.note_key, self.note, self.note_is_error = key, text, is_error

    def _clear(self, form: str) -> None:
        self.errors = {k: v for k, v in self.errors.items() if not k.startswith(f"{form}.")}

    def _done(self, form: str) -> None:
        """The form was saved: forget its errors and mount it empty."""
        self._clear(form)
        self.form_keys = {**self.form_keys, form: self.form_keys.get(form, 0) + 1}

    def _invalid(self, form: str, fields: list[str], said: dict[str, str]):
        """Show `said` ({field: words}; "" for the form's own line) beside each field, and
        focus the first invalid field in the form's order. `fields` is that order."""
        self._clear(form)
        self.errors = {**self.errors, **{f"{form}.{name}": words for name, words in said.items()}}
        first = next((name for name in fields if said.get(name)), None)
        return focus(field_id(form, first) if first else f"{form}-error")

    @rx.event
    def forget_error(self, key: str):
        """The person changed a field: its old message no longer describes what is there."""
        if key in self.errors:
            self.errors = {k: v for k, v in self.errors.items() if k != key}

    def _refused(self, form: str, fields: list[str], response, conflict: str | None = None):
        """The API said no: each field's words beside it; the rest on the form's line.
        `conflict` names the field a 409 without field errors is about ("That username is
        taken." → username), so it shows beside that field, which takes focus."""
        by_field = field_errors(response.body)
        if conflict and response.status == 409 and not by_field:
            by_field = {conflict: response.message}
        said = {name: words for name, words in by_field.items() if name in fields}
        if len(said) < len(by_field) or not said:
            said[""] = response.message
        return self._invalid(form, fields, said)
