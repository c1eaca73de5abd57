"""The admin's people (/admin/people): users, classes and enrollments, guardian links, over
the /api/roster endpoints."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from app.state.admin_curriculum import _why
from app.state.base import SignedOut, State
from app.state.teacher_grid import Option

ROLE_WORDS = {"student": "Learner", "teacher": "Teacher", "guardian": "Guardian",
              "admin": "Admin"}


@dataclasses.dataclass
class PersonRow:
    id: int = 0
    name: str = ""
    detail: str = ""
    is_active: bool = True


@dataclasses.dataclass
class ClassRow:
    id: int = 0
    name: str = ""
    detail: str = ""
    learners: list[PersonRow] = dataclasses.field(default_factory=list)


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

    @rx.event
    async def load_people(self):
        if (leave := self._guard("admin")) is not None:
            return leave
        try:
            users = await self._api("GET", "/api/roster/users")
            classes = await self._api("GET", "/api/roster/classes")
            links = await self._api("GET", "/api/roster/guardian-links")
        except SignedOut:
            return self._to_login()
        for response in (users, classes, links):
            if not response.is_ok:
                self.message, self.is_error, self.is_loaded = response.message, True, True
                return None
        names = {u["id"]: u["display_name"] for u in users.body}
        self.people = [PersonRow(u["id"], u["display_name"],
                                 f"{ROLE_WORDS.get(u['role'], u['role'])} · {u['username']}"
                                 + ("" if u.get("is_active", True) else " · deactivated"),
                                 bool(u.get("is_active", True))) for u in users.body]

        def options(role: str) -> list[Option]:
            return [Option(str(u["id"]), u["display_name"]) for u in users.body
                    if u["role"] == role and u.get("is_active", True)]

        self.teachers, self.learners = options("teacher"), options("student")
        self.guardians = options("guardian")
        self.classes = [ClassRow(c["id"], c["name"], f"Taught by {c.get('teacher_name', '')}",
                                 [PersonRow(s["id"], s["display_name"]) for s in c["learners"]])
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
        if response.is_ok:
            self.message, self.is_error = done, False
            return AdminPeopleState.load_people
        self.message, self.is_error = _why(response), True
        return None

    @rx.event
    async def add_user(self, form: dict):
        return await self._write("POST", "/api/roster/users", {
            "username": form.get("username", "").strip().lower(),
            "display_name": form.get("display_name", "").strip(),
            "role": form.get("role", "student"), "password": form.get("password", "")},
            f"Added {form.get('display_name')}.")

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
