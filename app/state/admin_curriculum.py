"""The admin's curriculum (/admin/curriculum): areas, topics, targets with rubrics, over
the /api/curriculum endpoints. Archiving a target keeps every event and piece of evidence."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from app.state.admin_form import AdminFormState, field_errors
from app.state.base import signed_in
from app.state.views import Option
from backend.i18n import gettext, ngettext


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


def _scale_line(target: dict[str, Any], locale: str | None) -> str:
    """"Scale 3.0 · 5 rubric descriptors": one sentence, its plural in the reader's language."""
    count = len(target.get("rubric") or [])
    return ngettext("Scale {scale} · {n} rubric descriptor", "Scale {scale} · {n} rubric "
                    "descriptors", count, locale, scale=f"{float(target['scale_level']):.1f}")


def _tree(areas: list[dict[str, Any]], locale: str | None = None) -> list[AreaBlock]:
    return [
        AreaBlock(
            id=a["id"], name=a["name"],
            kind=gettext("Educator microcredentials" if a.get("audience") == "educator"
                         else "Academic" if a.get("is_academic", True)
                         else "Lifelong Learning Skills", locale),
            topics=[TopicBlock(
                id=t["id"], name=t["name"],
                targets=[TargetRow(
                    id=g["id"], code=g["code"], title=g["title"],
                    scale_text=f"{float(g['scale_level']):.1f}",
                    rubric_text=_scale_line(g, locale),
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


TARGET_FIELDS = ["topic_id", "code", "title", "scale_level",
                 *[f"rubric_{score}" for score in (4, 3, 2, 1, 0)]]
EDIT_FIELDS = ["code", "title", "scale_level", *[f"rubric_{score}" for score in (4, 3, 2, 1, 0)]]


def _rubric_fields(said: dict[str, str], sent_scores: list[int]) -> dict[str, str]:
    """The API names a rubric line by its place in the list sent ("rubric.1.text"); say it
    under the field of that line's score."""
    out = {}
    for key, words in said.items():
        parts = key.split(".")
        if parts[0] == "rubric" and len(parts) > 1 and parts[1].isdigit() \
                and int(parts[1]) < len(sent_scores):
            out[f"rubric_{sent_scores[int(parts[1])]}"] = words
        else:
            out[key] = words
    return out


class AdminCurriculumState(AdminFormState):
    areas: list[AreaBlock] = []
    area_options: list[Option] = []
    topic_options: list[Option] = []
    is_loaded: bool = False
    archive_id: int = 0
    archive_text: str = ""
    # editing one target inline; the fields hold what the admin last typed, so an error
    # (or a re-render) never loses it
    edit_id: int = 0
    edit_code: str = ""
    edit_title: str = ""
    edit_scale: str = "3.0"
    edit_rubric: list[str] = [""] * 5

    @rx.event
    @signed_in("admin")
    async def load_curriculum(self):
        self._reset_forms()
        return await self._load()

    @rx.event
    @signed_in("admin")
    async def reload(self):
        """The tree again after a change; messages and typed text stay."""
        return await self._load()

    async def _load(self):
        response = await self._api("GET", "/api/curriculum/areas")
        if response.is_ok:
            self.areas = _tree(response.body, self._locale())
            self.area_options = [Option(str(a.id), a.name) for a in self.areas]
            self.topic_options = [Option(str(t.id), f"{a.name}: {t.name}")
                                  for a in self.areas for t in a.topics]
        else:
            self._say(response.message, True)
        self.is_loaded = True

    async def _submit(self, form: str, fields: list[str], method: str, path: str, body: Any,
                      done: str, scores: list[int] | None = None):
        response = await self._api(method, path, body)
        if not response.is_ok:
            if scores is not None:  # rubric lines are named by position: map to scores
                response = type(response)(response.status, {
                    **response.body, "errors": _rubric_fields(field_errors(response.body),
                                                              scores)})
            return self._refused(form, fields, response)
        self._done(form)
        self._say(done)
        return AdminCurriculumState.reload

    @rx.event
    @signed_in("admin")
    async def add_area(self, form: dict):
        name = str(form.get("name", "")).strip()
        return await self._submit("add-area", ["name", "kind"], "POST",
                                  "/api/curriculum/areas",
                                  {"name": name, "is_academic": form.get("kind") != "skills",
                                   # "educators": the district's teacher microcredentials
                                   "audience": ("educator" if form.get("kind") == "educators"
                                                else "learner")},
                                  gettext("Added “{name}”.", name=name, locale=self._locale()))

    @rx.event
    @signed_in("admin")
    async def add_topic(self, form: dict):
        name = str(form.get("name", "")).strip()
        if not str(form.get("area_id", "")).isdigit():
            return self._invalid("add-topic", ["area_id", "name"],
                                 {"area_id": gettext("Choose a content area.",
                                                     locale=self._locale())})
        return await self._submit("add-topic", ["area_id", "name"], "POST",
                                  "/api/curriculum/topics",
                                  {"content_area_id": int(form["area_id"]), "name": name},
                                  gettext("Added “{name}”.", name=name, locale=self._locale()))

    @rx.event
    @signed_in("admin")
    async def add_target(self, form: dict):
        if not str(form.get("topic_id", "")).isdigit():
            return self._invalid("add-target", TARGET_FIELDS,
                                 {"topic_id": gettext("Choose a measurement topic.",
                                                      locale=self._locale())})
        rubric = [{"score": score, "text": str(form.get(f"rubric_{score}", "")).strip()}
                  for score in (4, 3, 2, 1, 0)]
        rubric = [d for d in rubric if d["text"]]
        code = str(form.get("code", "")).strip()
        return await self._submit("add-target", TARGET_FIELDS, "POST", "/api/curriculum/targets",
                                  {"topic_id": int(form["topic_id"]), "code": code,
                                   "title": str(form.get("title", "")).strip(),
                                   "scale_level": float(form.get("scale_level") or 3.0),
                                   "rubric": rubric},
                                  gettext("Added learning target {code}.", code=code,
                                          locale=self._locale()),
                                  scores=[d["score"] for d in rubric])

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
        self._clear("edit-target")
        self._note(f"target-{target_id}", "")

    @rx.event
    def cancel_edit(self):
        self.edit_id, self.note = 0, ""

    @rx.event
    @signed_in("admin")
    async def save_target(self, form: dict):
        """PATCH code, title, scale level and the whole rubric (it replaces the old one)."""
        target_id = self.edit_id
        if not target_id:
            return None
        self.edit_code = str(form.get("code", "")).strip()
        self.edit_title = str(form.get("title", "")).strip()
        self.edit_scale = str(form.get("scale_level") or "3.0")
        self.edit_rubric = [str(form.get(f"rubric_{score}", "")).strip() for score in range(5)]
        said = {}
        if not self.edit_code:
            said["code"] = gettext("Give the target a code.", locale=self._locale())
        if not self.edit_title:
            said["title"] = gettext("Give the target a title.", locale=self._locale())
        if said:
            return self._invalid("edit-target", EDIT_FIELDS, said)
        try:
            scale = float(self.edit_scale)
        except ValueError:
            scale = 3.0
        rubric = [{"score": score, "text": text}
                  for score, text in enumerate(self.edit_rubric) if text]
        body = {"code": self.edit_code, "title": self.edit_title, "scale_level": scale,
                "rubric": rubric}
        then = await self._submit("edit-target", EDIT_FIELDS, "PATCH",
                                  f"/api/curriculum/targets/{target_id}", body, "",
                                  scores=[d["score"] for d in rubric])
        if then is AdminCurriculumState.reload:
            self.edit_id, self.message = 0, ""
            self._note(f"target-{target_id}", gettext("Saved learning target {code}.",
                                                      code=self.edit_code, locale=self._locale()))
        return then

    @rx.event
    @signed_in("admin")
    async def ask_archive(self, target_id: int):
        """Say what archiving keeps before doing it."""
        usage = await self._api("GET", f"/api/curriculum/targets/{target_id}/usage")
        if not usage.is_ok:
            self._say(usage.message, True)
            return None
        events, evidence = usage.body.get("events", 0), usage.body.get("evidence", 0)
        self.archive_id = target_id
        self.archive_text = (
            gettext("Learners' history cites this target: {events} assessment(s) and "
                    "{evidence} piece(s) of evidence. Archiving hides it from new work and "
                    "keeps all of them.", events=events, evidence=evidence, locale=self._locale())
            if events or evidence else gettext("No learner work cites this target yet.",
                                               locale=self._locale()))
        return None

    @rx.event
    def cancel_archive(self):
        self.archive_id, self.archive_text = 0, ""

    @rx.event
    @signed_in("admin")
    async def archive(self):
        target_id, self.archive_id, self.archive_text = self.archive_id, 0, ""
        response = await self._api("DELETE", f"/api/curriculum/targets/{target_id}")
        if not response.is_ok:
            self._say(response.message, True)
            return None
        self._say(gettext("Archived. Its events and evidence are kept.", locale=self._locale()))
        return AdminCurriculumState.reload
