"""The class grid (/teacher/grid): learners × targets of one topic, coloured by level,
grouped by each learner's next target; a group gets a playlist in one step (POST /api/groups)."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from app.state.base import SignedOut, State
from app.state.views import color_for, level_text


@dataclasses.dataclass
class Option:
    value: str = ""
    label: str = ""


@dataclasses.dataclass
class GridCell:
    text: str = ""
    words: str = ""
    background: str = ""
    label: str = ""


@dataclasses.dataclass
class GridRow:
    id: int = 0
    name: str = ""
    next_code: str = ""
    cells: list[GridCell] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class GridGroup:
    target_id: int = 0
    heading: str = ""
    names: str = ""
    count_text: str = ""
    learner_ids: list[int] = dataclasses.field(default_factory=list)


def _cell(cell: dict[str, Any], learner: str, code: str) -> GridCell:
    level = cell.get("level")
    text = "–" if level is None else level_text(level)
    words = cell.get("level_words") or "not yet assessed"
    return GridCell(text=text, words=words,
                    background=f"var(--{color_for(level)}-{4 if level is not None else 2})",
                    label=f"{learner}, {code}: {text} {words}")


class TeacherGridState(State):
    classes: list[Option] = []
    topics: list[Option] = []
    playlists: list[Option] = []
    class_id: str = ""
    topic_id: str = ""
    codes: list[str] = []
    rows: list[GridRow] = []
    groups: list[GridGroup] = []
    done_names: str = ""
    name_filter: str = ""
    need_filter: str = "all"
    is_grouped: bool = False
    is_loaded: bool = False
    error: str = ""
    notice: str = ""

    @rx.var
    def shown_rows(self) -> list[GridRow]:
        """Rows after the name filter and the "still needs" filter."""
        wanted = self.name_filter.strip().lower()
        return [r for r in self.rows
                if (not wanted or wanted in r.name.lower())
                and (self.need_filter == "all" or r.next_code == self.need_filter)]

    @rx.var
    def need_options(self) -> list[Option]:
        return [Option(code, code) for code in self.codes]

    @rx.event
    async def load_page(self):
        """Classes and topics, then the grid of the first of each."""
        if (leave := self._guard("teacher", "admin")) is not None:
            return leave
        try:
            classes = await self._api("GET", "/api/roster/classes")
            areas = await self._api("GET", "/api/curriculum/areas")
        except SignedOut:
            return self._to_login()
        if not classes.is_ok or not areas.is_ok:
            self.error = (classes if not classes.is_ok else areas).message
            self.is_loaded = True
            return None
        self.classes = [Option(str(c["id"]), c["name"]) for c in classes.body]
        self.topics = [Option(str(t["id"]), f"{a['name']}: {t['name']}")
                       for a in areas.body for t in a.get("topics", [])]
        if self.classes and self.class_id not in {c.value for c in self.classes}:
            self.class_id = self.classes[0].value
        if self.topics and self.topic_id not in {t.value for t in self.topics}:
            self.topic_id = self.topics[0].value
        return TeacherGridState.load_grid

    @rx.event
    async def load_grid(self):
        self.notice = ""
        if not (self.class_id and self.topic_id):
            self.rows, self.is_loaded = [], True
            return None
        try:
            response = await self._api(
                "GET", f"/api/classes/{self.class_id}/grid?topic_id={self.topic_id}")
        except SignedOut:
            return self._to_login()
        if not response.is_ok:
            self.error, self.is_loaded = response.message, True
            return None
        body = response.body
        codes = {t["id"]: t["code"] for t in body["targets"]}
        self.codes = [t["code"] for t in body["targets"]]
        self.rows = [
            GridRow(id=r["id"], name=r["display_name"],
                    next_code=codes.get(r["next_target_id"], ""),
                    cells=[_cell(c, r["display_name"], codes[c["target_id"]])
                           for c in r["cells"]])
            for r in body["learners"]
        ]
        names = {r["id"]: r["display_name"] for r in body["learners"]}
        self.groups = [
            GridGroup(target_id=g["target"]["id"],
                      heading=f"Next: {g['target']['code']} · {g['target']['title']}",
                      names=", ".join(names[i] for i in g["learner_ids"]),
                      count_text=f"{len(g['learner_ids'])} learner"
                                 f"{'s' if len(g['learner_ids']) != 1 else ''}",
                      learner_ids=g["learner_ids"])
            for g in body["groups"]
        ]
        self.done_names = ", ".join(names[i] for i in body["done_learner_ids"])
        self.playlists = [Option(str(p["id"]), p["title"]) for p in body["playlists"]]
        self.error, self.is_loaded = "", True
        return None

    @rx.event
    def pick_class(self, value: str):
        self.class_id = value
        return TeacherGridState.load_grid

    @rx.event
    def pick_topic(self, value: str):
        self.topic_id, self.need_filter = value, "all"
        return TeacherGridState.load_grid

    @rx.event
    def set_name_filter(self, value: str):
        self.name_filter = value

    @rx.event
    def set_need_filter(self, value: str):
        self.need_filter = value

    @rx.event
    def toggle_grouped(self):
        self.is_grouped = not self.is_grouped

    @rx.event
    async def assign(self, form: dict):
        """One step: make the group of learners who need a target and give it a playlist."""
        target_id = str(form.get("target_id", ""))
        playlist_id = str(form.get("playlist_id", ""))
        group = next((g for g in self.groups if str(g.target_id) == target_id), None)
        if group is None or not playlist_id.isdigit():
            self.notice = "Choose a playlist first."
            return None
        try:
            response = await self._api("POST", "/api/groups", {
                "class_id": int(self.class_id), "name": group.heading,
                "student_ids": group.learner_ids, "playlist_id": int(playlist_id)})
        except SignedOut:
            return self._to_login()
        if response.is_ok:
            self.notice = (f"“{response.body['assigned_playlist_title']}” now goes to "
                           f"{group.names}.")
        else:
            self.notice = response.message
        return None
