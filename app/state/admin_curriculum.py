"""The admin's curriculum (/admin/curriculum): areas, topics, targets with rubrics, over
the /api/curriculum endpoints. Archiving a target keeps every event and piece of evidence."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from app.state.base import SignedOut, State
from app.state.views import Option


@dataclasses.dataclass
class TargetRow:
    id: int = 0
    code: str = ""
    title: str = ""
    scale_text: str = ""
    rubric_text: str = ""
    scale_level: str = "3.0"
    rubric: list[str] = dataclasses.field(default_factory=lambda: [""] * 5)  # by score 0–4


@dataclasses.dataclass
class TopicBlock:
    id: int = 0
    name: str = ""
    targets: list[TargetRow] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class AreaBlock:
    id: int = 0
    name: str = ""
    kind: str = ""
    topics: list[TopicBlock] = dataclasses.field(default_factory=list)


def _tree(areas: list[dict[str, Any]]) -> list[AreaBlock]:
    return [
        AreaBlock(
            id=a["id"], name=a["name"],
            kind="Academic" if a.get("is_academic", True) else "Lifelong Learning Skills",
            topics=[TopicBlock(
                id=t["id"], name=t["name"],
                targets=[TargetRow(
                    id=g["id"], code=g["code"], title=g["title"],
                    scale_text=f"{float(g['scale_level']):.1f}",
                    rubric_text=f"{len(g.get('rubric') or [])} rubric descriptors",
                    scale_level=f"{float(g['scale_level']):.1f}",
                    rubric=_by_score(g.get("rubric") or []))
                    for g in t.get("targets", [])])
                for t in a.get("topics", [])])
        for a in areas
    ]


def _by_score(rubric: list[dict[str, Any]]) -> list[str]:
    texts = [""] * 5
    for descriptor in rubric:
        if 0 <= int(descriptor.get("score", -1)) <= 4:
            texts[int(descriptor["score"])] = str(descriptor.get("text", ""))
    return texts


class AdminCurriculumState(State):
    areas: list[AreaBlock] = []
    area_options: list[Option] = []
    topic_options: list[Option] = []
    is_loaded: bool = False
    message: str = ""
    is_error: bool = False
    archive_id: int = 0
    archive_text: str = ""
    # editing one target inline; the fields hold what the admin last typed, so an error
    # (or a re-render) never loses it
    edit_id: int = 0
    edit_code: str = ""
    edit_title: str = ""
    edit_scale: str = "3.0"
    edit_rubric: list[str] = [""] * 5
    note_id: int = 0  # the target whose inline message shows
    note: str = ""
    note_is_error: bool = False

    def _say(self, message: str, is_error: bool = False) -> None:
        self.message, self.is_error = message, is_error
        self.note = ""

    @rx.event
    async def load_curriculum(self):
        if (leave := self._guard("admin")) is not None:
            return leave
        try:
            response = await self._api("GET", "/api/curriculum/areas")
        except SignedOut:
            return self._to_login()
        if response.is_ok:
            self.areas = _tree(response.body)
            self.area_options = [Option(str(a.id), a.name) for a in self.areas]
            self.topic_options = [Option(str(t.id), f"{a.name}: {t.name}")
                                  for a in self.areas for t in a.topics]
        else:
            self._say(response.message, True)
        self.is_loaded = True
        return None

    async def _write(self, method: str, path: str, body: Any, done: str):
        try:
            response = await self._api(method, path, body)
        except SignedOut:
            return self._to_login()
        if response.is_ok:
            self._say(done)
            return AdminCurriculumState.load_curriculum
        self._say(_why(response), True)
        return None

    @rx.event
    async def add_area(self, form: dict):
        return await self._write("POST", "/api/curriculum/areas", {
            "name": form.get("name", "").strip(),
            "is_academic": form.get("kind") != "skills"}, f"Added “{form.get('name')}”.")

    @rx.event
    async def add_topic(self, form: dict):
        if not str(form.get("area_id", "")).isdigit():
            self._say("Choose a content area.", True)
            return None
        return await self._write("POST", "/api/curriculum/topics", {
            "content_area_id": int(form["area_id"]), "name": form.get("name", "").strip()},
            f"Added “{form.get('name')}”.")

    @rx.event
    async def add_target(self, form: dict):
        if not str(form.get("topic_id", "")).isdigit():
            self._say("Choose a measurement topic.", True)
            return None
        rubric = [{"score": score, "text": str(form.get(f"rubric_{score}", "")).strip()}
                  for score in (4, 3, 2, 1, 0)]
        return await self._write("POST", "/api/curriculum/targets", {
            "topic_id": int(form["topic_id"]), "code": form.get("code", "").strip(),
            "title": form.get("title", "").strip(),
            "scale_level": float(form.get("scale_level") or 3.0),
            "rubric": [d for d in rubric if d["text"]]},
            f"Added learning target {form.get('code')}.")

    def _find(self, target_id: int) -> TargetRow | None:
        for area in self.areas:
            for topic in area.topics:
                for target in topic.targets:
                    if target.id == target_id:
                        return target
        return None

    @rx.event
    def start_edit(self, target_id: int):
        """Open the edit form for one target, prefilled with what the server holds."""
        target = self._find(target_id)
        if target is None:
            return
        self.edit_id, self.edit_code, self.edit_title = target.id, target.code, target.title
        self.edit_scale, self.edit_rubric = target.scale_level, list(target.rubric)
        self.note_id, self.note, self.note_is_error = target_id, "", False

    @rx.event
    def cancel_edit(self):
        self.edit_id, self.note = 0, ""

    @rx.event
    async def save_target(self, form: dict):
        """PATCH code, title, scale level and the whole rubric (it replaces the old one)."""
        target_id = self.edit_id
        if not target_id:
            return None
        self.edit_code = str(form.get("code", "")).strip()
        self.edit_title = str(form.get("title", "")).strip()
        self.edit_scale = str(form.get("scale_level") or "3.0")
        self.edit_rubric = [str(form.get(f"rubric_{score}", "")).strip() for score in range(5)]
        self.note_id = target_id
        if not self.edit_code or not self.edit_title:
            self.note, self.note_is_error = "Give the target a code and a title.", True
            return None
        try:
            scale = float(self.edit_scale)
        except ValueError:
            scale = 3.0
        body = {"code": self.edit_code, "title": self.edit_title, "scale_level": scale,
                "rubric": [{"score": score, "text": text}
                           for score, text in enumerate(self.edit_rubric) if text]}
        try:
            response = await self._api("PATCH", f"/api/curriculum/targets/{target_id}", body)
        except SignedOut:
            return self._to_login()
        if not response.is_ok:
            self.note, self.note_is_error = _why(response), True
            return None
        self.edit_id = 0
        self.note, self.note_is_error = f"Saved learning target {self.edit_code}.", False
        return AdminCurriculumState.load_curriculum

    @rx.event
    async def ask_archive(self, target_id: int):
        """Say what archiving keeps before doing it."""
        try:
            usage = await self._api("GET", f"/api/curriculum/targets/{target_id}/usage")
        except SignedOut:
            return self._to_login()
        if not usage.is_ok:
            self._say(usage.message, True)
            return None
        events, evidence = usage.body.get("events", 0), usage.body.get("evidence", 0)
        self.archive_id = target_id
        self.archive_text = (
            f"Learners' history cites this target: {events} assessment(s) and {evidence} "
            "piece(s) of evidence. Archiving hides it from new work and keeps all of them."
            if events or evidence else "No learner work cites this target yet.")
        return None

    @rx.event
    def cancel_archive(self):
        self.archive_id, self.archive_text = 0, ""

    @rx.event
    async def archive(self):
        target_id, self.archive_id, self.archive_text = self.archive_id, 0, ""
        return await self._write("DELETE", f"/api/curriculum/targets/{target_id}", None,
                                 "Archived. Its events and evidence are kept.")


def _why(response) -> str:
    """The API's sentence, plus the fields it named."""
    body = response.body if isinstance(response.body, dict) else {}
    errors = body.get("errors") or {}
    fields = ", ".join(sorted(_flatten(errors)))
    return response.message + (f" ({fields})" if fields else "")


def _flatten(errors, prefix: str = "") -> list[str]:
    if isinstance(errors, dict):
        out = []
        for key, value in errors.items():
            out += _flatten(value, f"{prefix}{key}." if isinstance(value, dict) else
                            f"{prefix}{key}")
        return out
    return [prefix.rstrip(".")] if prefix else []
