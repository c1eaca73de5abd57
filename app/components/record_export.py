""""Download Maya's record": a family's (or a learner's from 13) copy of the whole record.

Online only: the zip is made on the server (backend/services/record_export.py) as a job
whose percent this widget follows, then downloaded through a plain link (the browser sends
the session cookie itself; `rx.el.a` is React Router's Link, so `reload_document` hands the
click back to the browser, which honours `download`). With no connection it says so
instead of offering a button that cannot work. It shows nothing to someone with no record
to download.
"""

import asyncio
import dataclasses

import reflex as rx
from reflex.utils.imports import ImportVar
from reflex.vars.base import VarData

from app.components.shell import TOUCH
from app.state.base import SignedOut, State

POLL_SECONDS = 1.0
MAX_POLLS = 420  # a job stops itself at its time limit (5 min); stop asking a bit after

# User-facing words, together so they can be wrapped for translation later.
TITLE = "Download a copy of the record"
ABOUT = ("One zip file: a PDF to read or print (each learning target's level and how it "
         "was worked out, goals, evidence), the same as spreadsheets and data files, and "
         "the photos. A download link works for 7 days.")
START = "Download {name}'s record"
PREPARING = "Preparing {name}'s record… {percent}%"
SAVE = "Save {name}'s record (zip, {size})"
READY_UNTIL = "The link works until {day}."
OFFLINE = ("Downloading a record needs a connection. Connect to the internet, then try "
           "again.")
LOST = "We lost track of that download. Please try again."


@dataclasses.dataclass
class ExportRow:
    """One learner whose record the signed-in person may download, and its latest job."""

    learner_id: int = 0
    start_label: str = ""
    status: str = ""  # "", queued, running, done, failed, expired
    progress_label: str = ""
    percent: int = 0
    save_label: str = ""
    download_url: str = ""
    until_text: str = ""
    message: str = ""


def _size(n: int | None) -> str:
    if not n:
        return "0 KB"
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{max(1, n // 1024)} KB"


def _day(iso: str | None) -> str:
    from datetime import datetime

    if not iso:
        return ""
    moment = datetime.fromisoformat(iso)
    return f"{moment.day} {moment:%B %Y}"


def _row(child: dict, job: dict | None) -> ExportRow:
    name = child["display_name"]
    row = ExportRow(learner_id=child["id"], start_label=START.format(name=name))
    if job is None:
        return row
    row.status, row.percent, row.message = job["status"], job["percent"], job["message"]
    row.progress_label = PREPARING.format(name=name, percent=job["percent"])
    if job["status"] == "done":
        row.save_label = SAVE.format(name=name, size=_size(job.get("size")))
        row.download_url = job["download_url"] or ""
        row.until_text = READY_UNTIL.format(day=_day(job.get("expires_at")))
    return row


class RecordExportState(State):
    """The learners the signed-in person may export, and each one's latest export."""

    rows: list[ExportRow] = []
    error: str = ""
    is_polling: bool = False

    async def _refresh(self) -> bool:
        """Reload the list; True while any export is still being prepared."""
        answer = await self._api("GET", "/api/privacy/exports")
        if not answer.is_ok:
            self.error = answer.message
            return False
        latest: dict[int, dict] = {}
        for job in answer.body["exports"]:  # newest first: keep each learner's latest
            latest.setdefault(job["learner_id"], job)
        self.rows = [_row(c, latest.get(c["id"])) for c in answer.body["can_export"]]
        self.error = ""
        return any(r.status in ("queued", "running") for r in self.rows)

    @rx.event
    async def load(self):
        """On mount: who can be exported, and any export already under way."""
        try:
            busy = await self._refresh()
        except SignedOut:
            return None  # the page's own guard sends the person to sign in
        return RecordExportState.poll if busy and not self.is_polling else None

    @rx.event
    async def start(self, learner_id: int):
        """Ask for a new copy of one learner's record, then follow it."""
        try:
            answer = await self._api("POST", f"/api/privacy/learners/{learner_id}/exports")
            if not answer.is_ok:
                self.error = answer.message
                return None
            await self._refresh()
        except SignedOut:
            return self._to_login()
        return None if self.is_polling else RecordExportState.poll

    @rx.event(background=True)
    async def poll(self):
        """Follow the jobs until none is being prepared (bounded)."""
        async with self:
            self.is_polling = True
        try:
            for _ in range(MAX_POLLS):
                await asyncio.sleep(POLL_SECONDS)
                async with self:
                    try:
                        busy = await self._refresh()
                    except SignedOut:
                        self.error = LOST
                        return
                if not busy:
                    return
        finally:
            async with self:
                self.is_polling = False


def _online() -> rx.Var:
    """navigator.onLine as a React value that follows the online/offline events."""
    subscribe = ("(f) => { window.addEventListener('online', f); "
                 "window.addEventListener('offline', f); return () => { "
                 "window.removeEventListener('online', f); "
                 "window.removeEventListener('offline', f); }; }")
    hook = (f"const waypointIsOnline = useSyncExternalStore({subscribe}, "
            "() => navigator.onLine, () => true);")
    data = VarData(imports={"react": [ImportVar(tag="useSyncExternalStore")]},
                   hooks={hook: None})
    return rx.Var("waypointIsOnline", _var_type=bool, _var_data=data)


def _export_row(row: rx.Var[ExportRow], is_online: rx.Var) -> rx.Component:
    busy = (row.status == "queued") | (row.status == "running")
    return rx.vstack(
        rx.cond(
            busy,
            rx.vstack(
                rx.text(row.progress_label, role="status", aria_live="polite", size="2"),
                rx.progress(value=row.percent, max=100, width="100%",
                            aria_label=row.progress_label),
                width="100%", spacing="1",
            ),
            rx.flex(
                rx.cond(
                    row.status == "done",
                    rx.el.a(row.save_label, href=row.download_url, download="",
                            reload_document=True,
                            style={"min_height": TOUCH, "display": "inline-flex",
                                   "align_items": "center", "font_weight": "600"}),
                ),
                rx.button(row.start_label, size="3", min_height=TOUCH,
                          variant=rx.cond(row.status == "done", "soft", "solid"),
                          disabled=~is_online,
                          on_click=RecordExportState.start(row.learner_id)),
                gap="0.75em", wrap="wrap", align="center",
            ),
        ),
        rx.cond(row.status == "done", rx.text(row.until_text, size="1",
                                              color=rx.color("gray", 11))),
        rx.cond((row.status == "failed") | (row.status == "expired"),
                rx.callout(row.message, icon="triangle_alert", color_scheme="red",
                           role="alert", width="100%")),
        width="100%", spacing="2",
    )


def record_export_panel() -> rx.Component:
    """The "Download Maya's record" card; nothing at all for someone with no such right."""
    S = RecordExportState
    is_online = _online()
    return rx.box(
        rx.cond(
            S.rows.length() > 0,
            rx.card(
                rx.vstack(
                    rx.heading(TITLE, as_="h2", size="4"),
                    rx.text(ABOUT, size="2", color=rx.color("gray", 11)),
                    rx.cond(~is_online, rx.callout(OFFLINE, icon="wifi_off", role="status",
                                                   color_scheme="amber", width="100%")),
                    rx.foreach(S.rows, lambda row: _export_row(row, is_online)),
                    rx.cond(S.error != "", rx.callout(S.error, icon="triangle_alert",
                                                      color_scheme="red", role="alert",
                                                      width="100%")),
                    spacing="3", width="100%",
                ),
                width="100%",
            ),
        ),
        on_mount=RecordExportState.load,
        width="100%",
    )
