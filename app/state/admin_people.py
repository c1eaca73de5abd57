"""The admin's people (/admin/people): users, classes and enrollments, guardian links, over
the /api/roster endpoints."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from app.state.admin_form import AdminFormState
from app.state.base import signed_in
from app.state.teacher_sign_in_help import wait_text
from app.state.views import Option
from backend.i18n import gettext

LOCKED = "Locked out after wrong passwords. {wait}"
LET_IN = "{name} can sign in again now."

# each form's fields in the order a person meets them (the first invalid one takes focus)
ACCOUNT_FIELDS = ["display_name", "username", "role", "password"]
PASSWORD_FIELDS = ["password", "confirm"]
CLASS_FIELDS = ["name", "teacher_id"]


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


class AdminPeopleState(AdminFormState):
    people: list[PersonRow] = []
    classes: list[ClassRow] = []
    links: list[LinkRow] = []
    teachers: list[Option] = []
    learners: list[Option] = []
    guardians: list[Option] = []
    class_options: list[Option] = []
    is_loaded: bool = False
    # inline editing: one class or one person at a time; the fields keep what was typed
    edit_class_id: int = 0
    edit_class_name: str = ""
    edit_class_teacher: str = ""
    edit_user_id: int = 0
    edit_user_name: str = ""

    @rx.event
    @signed_in("admin")
    async def load_people(self):
        self._reset_forms()
        return await self._load()

    @rx.event
    @signed_in("admin")
    async def reload(self):
        """The lists again after a change; messages and typed text stay."""
        return await self._load()

    async def _load(self):
        users = await self._api("GET", "/api/roster/users")
        classes = await self._api("GET", "/api/roster/classes")
        links = await self._api("GET", "/api/roster/guardian-links")
        lockouts = await self._api("GET", "/api/auth/lockouts")
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
        """A row's button (deactivate, remove, unlink): the outcome in the page's notice."""
        response = await self._api(method, path, body)
        if response.is_ok:
            self._say(done)
            return AdminPeopleState.load_people
        self._say(response.message, True)
        return None

    async def _submit(self, form: str, fields: list[str], method: str, path: str,
                      body: Any, done: str, conflict: str | None = None) -> tuple[bool, Any]:
        """Send one form: (saved?, event to return). A refusal shows beside its fields and
        the form keeps what was typed; a success says so and empties the form."""
        response = await self._api(method, path, body)
        if not response.is_ok:
            return False, self._refused(form, fields, response, conflict)
        self._done(form)
        self._say(done)
        return True, AdminPeopleState.reload

    @rx.event
    def start_class_edit(self, class_id: int):
        row = next((c for c in self.classes if c.id == class_id), None)
        if row is None:
            return
        self.edit_class_id, self.edit_class_name = row.id, row.name
        self.edit_class_teacher, self.edit_user_id = row.teacher_id, 0
        self._clear("edit-class")
        self._note(row.key, "")

    @rx.event
    def start_user_edit(self, user_id: int):
        row = next((p for p in self.people if p.id == user_id), None)
        if row is None:
            return
        self.edit_user_id, self.edit_user_name, self.edit_class_id = row.id, row.name, 0
        self._clear("rename-user")
        self._clear("reset-password")
        self._note(row.key, "")

    @rx.event
    def cancel_edit(self):
        self.edit_class_id = self.edit_user_id = 0
        self.note = ""

    @rx.event
    @signed_in("admin")
    async def save_class(self, form: dict):
        """Rename the class and/or give it another teacher."""
        class_id, key = self.edit_class_id, f"class-{self.edit_class_id}"
        self.edit_class_name = str(form.get("name", "")).strip()
        self.edit_class_teacher = str(form.get("teacher_id", ""))
        said = {}
        if not self.edit_class_name:
            said["name"] = gettext("Give the class a name.", locale=self._locale())
        if not self.edit_class_teacher.isdigit():
            said["teacher_id"] = gettext("Choose a teacher.", locale=self._locale())
        if said:
            return self._invalid("edit-class", CLASS_FIELDS, said)
        saved, then = await self._submit(
            "edit-class", CLASS_FIELDS, "PATCH", f"/api/roster/classes/{class_id}",
            {"name": self.edit_class_name, "teacher_id": int(self.edit_class_teacher)},
            "")
        if saved:
            self.edit_class_id, self.message = 0, ""
            self._note(key, gettext("Saved class {name}.", name=self.edit_class_name,
                                    locale=self._locale()))
        return then

    @rx.event
    @signed_in("admin")
    async def rename_user(self, form: dict):
        user_id, key = self.edit_user_id, f"user-{self.edit_user_id}"
        self.edit_user_name = str(form.get("display_name", "")).strip()
        if not self.edit_user_name:
            return self._invalid("rename-user", ["display_name"],
                                 {"display_name": gettext("Type the person's full name.",
                                                          locale=self._locale())})
        saved, then = await self._submit(
            "rename-user", ["display_name"], "PATCH", f"/api/roster/users/{user_id}",
            {"display_name": self.edit_user_name}, "")
        if saved:
            self.edit_user_id, self.message = 0, ""
            self._note(key, gettext("Renamed to {name}.", name=self.edit_user_name,
                                    locale=self._locale()))
        return then

    @rx.event
    @signed_in("admin")
    async def reset_password(self, form: dict):
        """Set a new password the admin types twice; the person signs in with it.

        The rule itself (length, common passwords, the username…) is the API's: its
        words go under the password field, and the typed text stays.
        """
        user_id, key = self.edit_user_id, f"user-{self.edit_user_id}"
        password, confirm = str(form.get("password", "")), str(form.get("confirm", ""))
        if password != confirm:
            return self._invalid("reset-password", PASSWORD_FIELDS, {"confirm": gettext(
                "The two passwords are not the same. Type them again.", locale=self._locale())})
        saved, then = await self._submit(
            "reset-password", PASSWORD_FIELDS, "PATCH", f"/api/roster/users/{user_id}",
            {"password": password}, "")
        if saved:
            self.edit_user_id, self.message = 0, ""
            self._note(key, gettext("Password reset for {name}. Tell them the new one in "
                                    "person. They are signed out everywhere else.",
                                    name=self.edit_user_name, locale=self._locale()))
        return then

    @rx.event
    @signed_in("admin")
    async def add_user(self, form: dict):
        """Add an account; on a refusal the form keeps what was typed and each message
        sits under its field."""
        name = str(form.get("display_name", "")).strip()
        _, then = await self._submit("add-account", ACCOUNT_FIELDS, "POST", "/api/roster/users", {
            "username": str(form.get("username", "")).strip().lower(), "display_name": name,
            "role": form.get("role", "student"), "password": form.get("password", "")},
            gettext("Added {name}.", name=name, locale=self._locale()), conflict="username")
        return then

    @rx.event
    @signed_in("admin")
    async def let_in(self, user_id: int):
        """Clear a locked-out person's wait (GET/DELETE /api/auth/lockouts)."""
        row = next((p for p in self.people if p.id == user_id), None)
        response = await self._api("DELETE", f"/api/auth/lockouts/{user_id}")
        key = f"user-{user_id}"
        if not response.is_ok:
            self._note(key, response.message, True)
            return None
        self._note(key, LET_IN.format(name=row.name if row else ""))
        return AdminPeopleState.reload

    @rx.event
    @signed_in("admin")
    async def deactivate(self, user_id: int):
        return await self._write("DELETE", f"/api/roster/users/{user_id}", None,
                                 gettext("Deactivated. Their records are kept.",
                                         locale=self._locale()))

    @rx.event
    @signed_in("admin")
    async def add_class(self, form: dict):
        name, teacher = str(form.get("name", "")).strip(), str(form.get("teacher_id", ""))
        if not teacher.isdigit():
            return self._invalid("add-class", CLASS_FIELDS,
                                 {"teacher_id": gettext("Choose a teacher.",
                                                        locale=self._locale())})
        _, then = await self._submit("add-class", CLASS_FIELDS, "POST", "/api/roster/classes",
                                     {"name": name, "teacher_id": int(teacher)},
                                     gettext("Added class {name}.", name=name,
                                             locale=self._locale()))
        return then

    @rx.event
    @signed_in("admin")
    async def enroll(self, form: dict):
        class_id, student_id = str(form.get("class_id", "")), str(form.get("student_id", ""))
        said = {}
        if not class_id.isdigit():
            said["class_id"] = gettext("Choose a class.", locale=self._locale())
        if not student_id.isdigit():
            said["student_id"] = gettext("Choose a learner.", locale=self._locale())
        if said:
            return self._invalid("enroll", ["class_id", "student_id"], said)
        _, then = await self._submit("enroll", ["class_id", "student_id"], "POST",
                                     f"/api/roster/classes/{class_id}/enrollments",
                                     {"student_id": int(student_id)},
                                     gettext("Enrolled.", locale=self._locale()))
        return then

    @rx.event
    @signed_in("admin")
    async def unenroll(self, class_id: int, student_id: int):
        return await self._write(
            "DELETE", f"/api/roster/classes/{class_id}/enrollments/{student_id}", None,
            gettext("Removed from the class. Their binder is kept.", locale=self._locale()))

    @rx.event
    @signed_in("admin")
    async def link_guardian(self, form: dict):
        guardian_id = str(form.get("guardian_id", ""))
        student_id = str(form.get("student_id", ""))
        said = {}
        if not guardian_id.isdigit():
            said["guardian_id"] = gettext("Choose a guardian.", locale=self._locale())
        if not student_id.isdigit():
            said["student_id"] = gettext("Choose a learner.", locale=self._locale())
        if said:
            return self._invalid("link-guardian", ["guardian_id", "student_id"], said)
        _, then = await self._submit("link-guardian", ["guardian_id", "student_id"], "POST",
                                     "/api/roster/guardian-links",
                                     {"guardian_id": int(guardian_id),
                                      "student_id": int(student_id)},
                                     gettext("Linked.", locale=self._locale()))
        return then

    @rx.event
    @signed_in("admin")
    async def unlink(self, link_id: int):
        return await self._write("DELETE", f"/api/roster/guardian-links/{link_id}", None,
                                 gettext("Unlinked.", locale=self._locale()))
