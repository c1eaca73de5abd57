"""The admin's people (/admin/people): users, classes and enrollments, guardian links, over
the /api/roster endpoints."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from app.state.admin_curriculum import _why
from app.state.base import SignedOut, State
from app.state.teacher_sign_in_help import wait_text
from app.state.views import Option

LOCKED = "Locked out after wrong passwords. {wait}"
LET_IN = "{name} can sign in again now."


def password_error(response) -> str:
    """The API's words about the password field (the one error shape's errors.json), if any."""
    body = response.body if isinstance(response.body, dict) else {}
    fields = (body.get("errors") or {}).get("json") or {}
    said = fields.get("password") if isinstance(fields, dict) else None
    return str(said[0]) if isinstance(said, list) and said else ""


ROLE_WORDS = {"student": "Learner", "teacher": "Teacher", "guardian": "Guardian",
              "admin": "Admin"}


@dataclasses.dataclass
class PersonRow:
    id: int = 0
    name: str = ""
    detail: str = ""
    is_active: bool = True
    key: str = ""  # "user-<id>": which row an inline message belongs to
    is_locked: bool = False  # must wait before signing in (wrong passwords)
    lock_text: str = ""


@dataclasses.dataclass
class ClassRow:
    id: int = 0
    name: str = ""
    detail: str = ""
    learners: list[PersonRow] = dataclasses.field(default_factory=list)
    teacher_id: str = ""
    key: str = ""  # "class-<id>"


@dataclasses.dataclass
class LinkRow:
    id: int = 0
    text: str = ""


class AdminPeopleState(State):
    people: list[PersonRow] = []
    classes: list[ClassRow] = []
    links: list[LinkRow] = []
    teachers: list[Option] = []
    learners: list[Option] = []
    guardians: list[Option] = []
    class_options: list[Option] = []
    is_loaded: bool = False
    message: str = ""
    is_error: bool = False
    # inline editing: one class or one person at a time; the fields keep what was typed
    edit_class_id: int = 0
    edit_class_name: str = ""
    edit_class_teacher: str = ""
    edit_user_id: int = 0
    edit_user_name: str = ""
    note_key: str = ""  # the row whose inline message shows
    note: str = ""
    note_is_error: bool = False
    # the password rule's words (backend/services/passwords.py), shown under the field;
    # the forms are not reset on an error, so what was typed stays
    add_password_error: str = ""
    add_error: str = ""
    add_form_key: int = 0  # bumped after an account is added: the form mounts empty
    reset_password_error: str = ""

    @rx.event
    async def load_people(self):
        if (leave := self._guard("admin")) is not None:
            return leave
        try:
            users = await self._api("GET", "/api/roster/users")
            classes = await self._api("GET", "/api/roster/classes")
            links = await self._api("GET", "/api/roster/guardian-links")
            lockouts = await self._api("GET", "/api/auth/lockouts")
        except SignedOut:
            return self._to_login()
        for response in (users, classes, links, lockouts):
            if not response.is_ok:
                self.message, self.is_error, self.is_loaded = response.message, True, True
                return None
        names = {u["id"]: u["display_name"] for u in users.body}
        self.people = [PersonRow(u["id"], u["display_name"],
                                 f"{ROLE_WORDS.get(u['role'], u['role'])} · {u['username']}"
                                 + ("" if u.get("is_active", True) else " · deactivated"),
                                 bool(u.get("is_active", True)), f"user-{u['id']}")
                       for u in users.body]
        waits = {p["user_id"]: p["wait_seconds"] for p in lockouts.body}
        for row in self.people:
            if row.id in waits:
                row.is_locked = True
                row.lock_text = LOCKED.format(wait=wait_text(waits[row.id]))

        def options(role: str) -> list[Option]:
            return [Option(str(u["id"]), u["display_name"]) for u in users.body
                    if u["role"] == role and u.get("is_active", True)]

        self.teachers, self.learners = options("teacher"), options("student")
        self.guardians = options("guardian")
        self.classes = [ClassRow(c["id"], c["name"], f"Taught by {c.get('teacher_name', '')}",
                                 [PersonRow(s["id"], s["display_name"]) for s in c["learners"]],
                                 str(c.get("teacher_id", "")), f"class-{c['id']}")
                        for c in classes.body]
        self.class_options = [Option(str(c["id"]), c["name"]) for c in classes.body]
        self.links = [LinkRow(link["id"], f"{names.get(link['guardian_id'], '?')} → "
                                          f"{names.get(link['student_id'], '?')}")
                      for link in links.body]
        self.is_loaded = True
        return None

    async def _write(self, method: str, path: str, body: Any, done: str):
        try:
            response = await self._api(method, path, body)
        except SignedOut:
            return self._to_login()
        self.note = ""
        if response.is_ok:
            self.message, self.is_error = done, False
            return AdminPeopleState.load_people
        self.message, self.is_error = _why(response), True
        return None

    def _note(self, key: str, text: str, is_error: bool) -> None:
        self.note_key, self.note, self.note_is_error = key, text, is_error

    async def _patch(self, key: str, path: str, body: dict, done: str) -> tuple[bool, Any]:
        """(saved?, event to return) — the message goes next to the row being edited."""
        try:
            response = await self._api("PATCH", path, body)
        except SignedOut:
            return False, self._to_login()
        if not response.is_ok:
            self._note(key, _why(response), True)
            return False, None
        self._note(key, done, False)
        return True, AdminPeopleState.load_people

    @rx.event
    def start_class_edit(self, class_id: int):
        row = next((c for c in self.classes if c.id == class_id), None)
        if row is None:
            return
        self.edit_class_id, self.edit_class_name = row.id, row.name
        self.edit_class_teacher, self.edit_user_id = row.teacher_id, 0
        self._note(row.key, "", False)

    @rx.event
    def start_user_edit(self, user_id: int):
        row = next((p for p in self.people if p.id == user_id), None)
        if row is None:
            return
        self.edit_user_id, self.edit_user_name, self.edit_class_id = row.id, row.name, 0
        self.reset_password_error = ""
        self._note(row.key, "", False)

    @rx.event
    def cancel_edit(self):
        self.edit_class_id = self.edit_user_id = 0
        self.note = self.reset_password_error = ""

    @rx.event
    async def save_class(self, form: dict):
        """Rename the class and/or give it another teacher."""
        class_id, key = self.edit_class_id, f"class-{self.edit_class_id}"
        self.edit_class_name = str(form.get("name", "")).strip()
        self.edit_class_teacher = str(form.get("teacher_id", ""))
        if not self.edit_class_name:
            self._note(key, "Give the class a name.", True)
            return None
        if not self.edit_class_teacher.isdigit():
            self._note(key, "Choose a teacher.", True)
            return None
        saved, then = await self._patch(key, f"/api/roster/classes/{class_id}", {
            "name": self.edit_class_name, "teacher_id": int(self.edit_class_teacher)},
            f"Saved class {self.edit_class_name}.")
        if saved:
            self.edit_class_id = 0
        return then

    @rx.event
    async def rename_user(self, form: dict):
        user_id, key = self.edit_user_id, f"user-{self.edit_user_id}"
        self.edit_user_name = str(form.get("display_name", "")).strip()
        if not self.edit_user_name:
            self._note(key, "Type the person's full name.", True)
            return None
        saved, then = await self._patch(key, f"/api/roster/users/{user_id}",
                                        {"display_name": self.edit_user_name},
                                        f"Renamed to {self.edit_user_name}.")
        if saved:
            self.edit_user_id = 0
        return then

    @rx.event
    async def reset_password(self, form: dict):
        """Set a new password the admin types twice; the person signs in with it.

        The rule itself (length, common passwords, the username…) is the API's: its
        words go under the password field, and the typed text stays.
        """
        user_id, key = self.edit_user_id, f"user-{self.edit_user_id}"
        password, confirm = str(form.get("password", "")), str(form.get("confirm", ""))
        self.reset_password_error = ""
        if password != confirm:
            self._note(key, "The two passwords are not the same. Type them again.", True)
            return None
        try:
            response = await self._api("PATCH", f"/api/roster/users/{user_id}",
                                       {"password": password})
        except SignedOut:
            return self._to_login()
        if not response.is_ok:
            self.reset_password_error = password_error(response)
            self._note(key, "" if self.reset_password_error else _why(response), True)
            return None
        self._note(key, f"Password reset for {self.edit_user_name}. Tell them the new one in "
                        "person. They are signed out everywhere else.", False)
        self.edit_user_id = 0
        return AdminPeopleState.load_people

    @rx.event
    async def add_user(self, form: dict):
        """Add an account; on a refusal the form keeps what was typed and says why where
        the admin is looking (under the password field when it is the password)."""
        self.add_password_error = self.add_error = ""
        try:
            response = await self._api("POST", "/api/roster/users", {
                "username": str(form.get("username", "")).strip().lower(),
                "display_name": str(form.get("display_name", "")).strip(),
                "role": form.get("role", "student"), "password": form.get("password", "")})
        except SignedOut:
            return self._to_login()
        if not response.is_ok:
            self.add_password_error = password_error(response)
            self.add_error = "" if self.add_password_error else _why(response)
            return None
        self.message, self.is_error = f"Added {form.get('display_name')}.", False
        self.add_form_key += 1
        return AdminPeopleState.load_people

    @rx.event
    async def let_in(self, user_id: int):
        """Clear a locked-out person's wait (GET/DELETE /api/auth/lockouts)."""
        row = next((p for p in self.people if p.id == user_id), None)
        try:
            response = await self._api("DELETE", f"/api/auth/lockouts/{user_id}")
        except SignedOut:
            return self._to_login()
        key = f"user-{user_id}"
        if not response.is_ok:
            self._note(key, _why(response), True)
            return None
        self._note(key, LET_IN.format(name=row.name if row else ""), False)
        return AdminPeopleState.load_people

    @rx.event
    async def deactivate(self, user_id: int):
        return await self._write("DELETE", f"/api/roster/users/{user_id}", None,
                                 "Deactivated. Their records are kept.")

    @rx.event
    async def add_class(self, form: dict):
        if not str(form.get("teacher_id", "")).isdigit():
            self.message, self.is_error = "Choose a teacher.", True
            return None
        return await self._write("POST", "/api/roster/classes", {
            "name": form.get("name", "").strip(), "teacher_id": int(form["teacher_id"])},
            f"Added class {form.get('name')}.")

    @rx.event
    async def enroll(self, form: dict):
        class_id, student_id = str(form.get("class_id", "")), str(form.get("student_id", ""))
        if not (class_id.isdigit() and student_id.isdigit()):
            self.message, self.is_error = "Choose a class and a learner.", True
            return None
        return await self._write("POST", f"/api/roster/classes/{class_id}/enrollments",
                                 {"student_id": int(student_id)}, "Enrolled.")

    @rx.event
    async def unenroll(self, class_id: int, student_id: int):
        return await self._write(
            "DELETE", f"/api/roster/classes/{class_id}/enrollments/{student_id}", None,
            "Removed from the class. Their binder is kept.")

    @rx.event
    async def link_guardian(self, form: dict):
        guardian_id, student_id = str(form.get("guardian_id", "")), str(form.get("student_id",
                                                                                  ""))
        if not (guardian_id.isdigit() and student_id.isdigit()):
            self.message, self.is_error = "Choose a guardian and a learner.", True
            return None
        return await self._write("POST", "/api/roster/guardian-links", {
            "guardian_id": int(guardian_id), "student_id": int(student_id)}, "Linked.")

    @rx.event
    async def unlink(self, link_id: int):
        return await self._write("DELETE", f"/api/roster/guardian-links/{link_id}", None,
                                 "Unlinked.")
