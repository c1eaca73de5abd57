"""The admin's imports and reports page (/admin/imports): upload, preview, progress, download.

Uploads and downloads carry bytes, not JSON, so they call the in-process Flask app directly
(the same app `app.api_client` calls) with the signed-in user's token; JSON calls go through
`State._api`, which also refreshes the token when it has expired.
"""

import asyncio
from urllib.parse import urlencode

import reflex as rx

from app import routes
from app.api_client import flask_app
from app.state.base import SignedOut, State
from backend.i18n import LOCALES, N_, gettext, ngettext
from backend.reports.records import batch_filename

ROUTE = routes.ADMIN_IMPORTS
POLL_SECONDS = 0.5


def _call(method: str, path: str, token: str, data: bytes | None = None,
          json_body: dict | None = None,
          language: str = "") -> tuple[int, dict | None, bytes, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if language:  # the API's words (and a batch's reasons) in the reader's language
        headers["Accept-Language"] = language
    with flask_app().test_client() as client:
        resp = client.open(path, method=method, data=data, json=json_body,
                           headers=headers,
                           content_type=None if json_body is not None
                           else "application/octet-stream")
        return resp.status_code, resp.get_json(silent=True), resp.data, resp.mimetype


# words of a report batch's outcome, in one place for the translation catalogs; the state
# writes them in the reader's language (State._locale: the device's choice, the browser's)
BATCH_DONE = N_("Done: {made} of {total} reports.")
BATCH_PARTIAL = N_("Done: {made} of {total} reports. {n} could not be made; it is listed "
                   "below and on the file's last page.",
                   "Done: {made} of {total} reports. {n} could not be made; they are "
                   "listed below and on the file's last page.")
LEFT_OUT = N_("{n} left out so far", "{n} left out so far")
LEFT_OUT_FINAL = N_("{n} left out", "{n} left out")
NOT_MADE = N_("The reports could not be made.")
MAKING = N_("Making the reports…")


# a job's stage as the API names it ("making reports") -> its words
STAGE_WORDS = {"done": N_("Finished"), "failed": N_("Stopped"),
               "making reports": N_("Making reports"),
               "signing records": N_("Signing learner records")}
PROGRESS = N_("{stage}: {done} of {total}")
KIND_WORDS = {"progress": N_("Progress reports"), "transcript": N_("Transcripts"),
              "records": N_("Transcripts with learner records (CLR)")}
RECENT_TITLE = N_("{kind} · {name}")


def _batch_kind(kind: str) -> dict:
    """The batch request of a button: "records" are transcripts with each learner's CLR."""
    if kind == "records":
        return {"kind": "transcript", "with_records": True}
    return {"kind": kind}


def _progress_words(progress: dict, finished: bool = False, locale: str = "en") -> str:
    """The stage and counts like the rest of the app ("Making reports: 3 of 10"), and (for a
    batch) how many learners were left out so far — or, once the job has ended, left out for
    good: no "so far" under a finished job."""
    stage = progress.get("stage", "")
    stage = gettext(STAGE_WORDS[stage], locale) if stage in STAGE_WORDS else \
        stage[:1].upper() + stage[1:]
    words = gettext(PROGRESS, locale, stage=stage, done=progress.get("done", 0),
                    total=progress["total"]) if progress.get("total") else stage
    if progress.get("failed"):
        words += " · " + ngettext(*(LEFT_OUT_FINAL if finished else LEFT_OUT),
                                  progress["failed"], locale)
    return words


def _batch_outcome(job: dict, locale: str = "en") -> tuple[str, bool, list[str]]:
    """(status words, is it an error, lines) for a finished report batch."""
    report = job.get("report") or {}
    lines = [f"{f['name']}: {f['reason']}" for f in job.get("failures") or []]
    if job["status"] == "failed":
        # the job's own sentence (RESTARTED, ALL_FAILED: in the catalog), in the reader's words
        return gettext(report.get("message") or NOT_MADE, locale), True, lines
    total = report.get("learners", 0)
    made = report.get("made", total)
    if lines:
        return ngettext(*BATCH_PARTIAL, len(lines), locale, made=made, total=total), True, lines
    return gettext(BATCH_DONE, locale, made=made, total=total), False, lines


def _recent_reports(jobs: list[dict], classes: list[dict], locale: str = "en") -> list[dict]:
    """The latest report batch of each of these classes (the API lists newest first), in
    words: what a teacher who comes back — after a reload or a server restart — needs to
    see: its progress, or why it failed and "Run it again", or its file."""
    names = {batch_filename("transcript" if kind == "records" else kind, c["name"],
                            kind == "records"): (kind, c) for c in classes for kind in KIND_WORDS}
    seen, out = set(), []
    for job in jobs:
        if job.get("kind") != "reports" or job.get("filename") not in names:
            continue
        kind, cls = names[job["filename"]]
        if cls["id"] in seen:
            continue
        seen.add(cls["id"])
        running = job["status"] not in ("done", "failed")
        if running:
            words, is_error, lines = _progress_words(job.get("progress") or {},
                                                     locale=locale), False, []
        else:
            words, is_error, lines = _batch_outcome(job, locale)
        out.append({"id": job["id"], "title": gettext(RECENT_TITLE, locale, name=cls["name"],
                                                      kind=gettext(KIND_WORDS[kind], locale)),
                    "words": words, "detail": "\n".join(lines), "is_error": is_error,
                    "running": running, "filename": job["filename"],
                    "can_rerun": bool(job.get("can_rerun")) and is_error,
                    "has_result": bool(job.get("has_result")) and not running})
    return out


def _report_lines(job: dict) -> list[str]:
    report = job.get("report") or {}
    if not report.get("ok", True):
        return [report.get("message", "The import was refused.")] + [
            f"{p['file']}{', row ' + str(p['row']) if p.get('row') else ''}"
            f"{', ' + p['field'] if p.get('field') else ''}: {p['problem']}"
            for p in report.get("problems", [])]
    lines = [f"{entity}: " + ", ".join(f"{a} {n}" for a, n in actions.items())
             for entity, actions in (report.get("summary") or {}).items()]
    lines += [f"Warning: {w}" for w in report.get("warnings", [])]
    return lines + report.get("changes", [])[:50]


class AdminImportsState(State):
    """One import or batch at a time: its progress and, when done, its report."""

    classes: list[dict] = []
    classes_loaded: bool = False  # until then the page cannot say "No classes yet"
    classes_error: str = ""
    is_dry_run: bool = True
    org: str = ""
    is_educator_case: bool = False  # a CASE file into the educator catalog (microcredentials)
    status: str = ""
    progress: str = ""
    lines: list[str] = []
    is_error: bool = False
    job_id: str = ""
    job_kind: str = ""
    can_rerun: bool = False
    report_locale: str = ""  # "": each report in its family's language; else the teacher's pick
    recent: list[dict] = []

    def _token(self) -> str:
        token = self._access_token()
        if not token:
            raise SignedOut
        return token

    @rx.event
    async def load(self):
        """Classes for the batch reports; the page is for admins."""
        if (leave := self._guard("admin")) is not None:
            return leave
        return await self._load_classes()

    @rx.event
    async def load_for_teacher(self):
        """A teacher's own classes, for printing their reports (/teacher/reports)."""
        if (leave := self._guard("teacher", "admin")) is not None:
            return leave
        if (leave := await self._load_classes()) is not None:
            return leave
        return await self._load_recent()

    async def _load_recent(self):
        """The teacher's latest report batch per class; a running one is followed live."""
        try:
            response = await self._api("GET", "/api/interop/jobs")
        except SignedOut:
            return self._to_login()
        jobs = response.body if response.is_ok and isinstance(response.body, list) else []
        recent = _recent_reports(jobs, self.classes, self._locale())
        if self.status:  # the job this page already shows (a reload keeps the state)
            recent = [r for r in recent if r["id"] != self.job_id]
        self.recent = recent
        running = next((r for r in recent if r["running"]), None)
        if running is None:
            return None
        self.recent = [r for r in recent if r["id"] != running["id"]]
        self.job_id, self.job_kind, self.lines = running["id"], "reports", []
        self.status, self.is_error, self.can_rerun = gettext(MAKING, self._locale()), False, False
        self.progress = running["words"]
        return AdminImportsState.poll

    async def _load_classes(self):
        try:
            response = await self._api("GET", "/api/roster/classes")
        except SignedOut:
            return self._to_login()
        self.classes = [{"id": c["id"], "name": c["name"]} for c in response.body or []] \
            if response.is_ok else []
        self.classes_error = "" if response.is_ok else response.message
        self.classes_loaded = True
        return None

    @rx.event
    def set_dry_run(self, value: bool):
        self.is_dry_run = value

    @rx.event
    def set_educator_case(self, value: bool):
        self.is_educator_case = value

    @rx.event
    def set_org(self, value: str):
        self.org = value.strip()

    async def _start(self, path: str, files: list[rx.UploadFile], kind: str):
        if not files:
            self.status, self.is_error = "Choose a file first.", True
            return None
        upload = files[0]
        data = await upload.read()
        query = {"dry_run": int(self.is_dry_run), "filename": upload.filename or kind}
        if kind == "case" and self.is_educator_case:
            query["audience"] = "educator"
        if kind == "oneroster" and self.org:
            query["org"] = self.org
        try:
            await self._api("GET", "/api/auth/me")  # refreshes the token if it expired
            status, body, _, _ = await asyncio.to_thread(
                _call, "POST", f"{path}?{urlencode(query)}", self._token(), data)
        except SignedOut:
            return self._to_login()
        if status != 202:
            self.status, self.is_error = (body or {}).get("message", "Upload failed."), True
            return None
        self.job_id, self.job_kind, self.lines = body["id"], kind, []
        self.status, self.is_error = "Uploaded; working…", False
        return AdminImportsState.poll

    @rx.event
    async def upload_roster(self, files: list[rx.UploadFile]):
        """A OneRoster 1.1 CSV zip: preview (dry run) or import."""
        return await self._start("/api/interop/oneroster", files, "oneroster")

    @rx.event
    async def upload_case(self, files: list[rx.UploadFile]):
        """CASE 1.1 CFPackage JSON: preview (dry run) or import."""
        return await self._start("/api/interop/case", files, "case")

    @rx.event
    def set_report_locale(self, value: str):
        """The teacher's choice of language for the next batch ("" = each family's)."""
        self.report_locale = value if value in LOCALES else ""

    @rx.event
    async def batch(self, class_id: int, kind: str):
        """Every learner's report of a class in one PDF, as a job."""
        try:
            await self._api("GET", "/api/auth/me")
            status, body, _, _ = await asyncio.to_thread(
                _call, "POST", "/api/interop/reports/batch", self._token(), None,
                {"class_id": class_id, **_batch_kind(kind),
                 **({"locale": self.report_locale} if self.report_locale else {})},
                self._language())
        except SignedOut:
            return self._to_login()
        if status != 202:
            self.status, self.is_error = (body or {}).get("message", "Failed."), True
            return None
        self.job_id, self.job_kind, self.lines = body["id"], "reports", []
        self.status, self.is_error, self.can_rerun = gettext(MAKING, self._locale()), False, False
        return AdminImportsState.poll

    @rx.event
    async def rerun_job(self, job_id: str):
        """Run one of the recent failed or partial batches again, as a new job."""
        self.recent = [r for r in self.recent if r["id"] != job_id]
        return await self._rerun(job_id)

    @rx.event
    async def rerun(self):
        """Run the failed or partial report batch again, as a new job."""
        return await self._rerun(self.job_id)

    async def _rerun(self, job_id: str):
        try:
            await self._api("GET", "/api/auth/me")
            status, body, _, _ = await asyncio.to_thread(
                _call, "POST", f"/api/interop/jobs/{job_id}/rerun", self._token(), None,
                {})
        except SignedOut:
            return self._to_login()
        if status != 202:
            self.status, self.is_error = (body or {}).get("message", "Failed."), True
            return None
        self.job_id, self.job_kind, self.lines = body["id"], "reports", []
        self.status, self.is_error, self.can_rerun = gettext(MAKING, self._locale()), False, False
        return AdminImportsState.poll

    @rx.event(background=True)
    async def poll(self):
        """Follow the job until it is done, showing its stage and counts."""
        while True:
            async with self:
                job_id, token = self.job_id, self._access_token()
            status, job, _, _ = await asyncio.to_thread(
                _call, "GET", f"/api/interop/jobs/{job_id}", token)
            async with self:
                if status != 200 or job is None:
                    self.status, self.is_error = "The job was lost; try again.", True
                    return
                self.progress = _progress_words(job["progress"],
                                                job["status"] in ("done", "failed"),
                                                self._locale())
                if job["kind"] == "reports":
                    self.lines = [f"{f['name']}: {f['reason']}"
                                  for f in job.get("failures") or []]
                if job["kind"] == "reports" and job["status"] in ("done", "failed"):
                    self.status, self.is_error, self.lines = _batch_outcome(job, self._locale())
                    self.can_rerun = bool(job.get("can_rerun")) and self.is_error
                    if job.get("has_result"):
                        _, _, data, _ = await asyncio.to_thread(
                            _call, "GET", f"/api/interop/jobs/{job_id}/result", token)
                        return rx.download(data=data, filename=job["filename"])
                    return
                if job["status"] in ("done", "failed"):
                    self.is_error = job["status"] == "failed"
                    verb = "Previewed" if job["dry_run"] else "Done"
                    self.status = "Refused: nothing was changed." if self.is_error else verb
                    self.lines = _report_lines(job)
                    report = job.get("report") or {}
                    if self.is_error and not report.get("problems"):
                        # stopped, not refused (a restart, a time limit): say so, once
                        self.status, self.lines = report.get("message", self.status), []
                    if job.get("has_result"):
                        _, _, data, _ = await asyncio.to_thread(
                            _call, "GET", f"/api/interop/jobs/{job_id}/result", token)
                        return rx.download(data=data, filename=job["filename"])
                    return
            await asyncio.sleep(POLL_SECONDS)

    @rx.event
    async def download(self, path: str, filename: str):
        """An export (results JSON, binder CSV) as a file."""
        try:
            await self._api("GET", "/api/auth/me")
            status, body, data, _ = await asyncio.to_thread(_call, "GET", path, self._token())
        except SignedOut:
            return self._to_login()
        if status != 200:
            self.status, self.is_error = (body or {}).get("message", "Failed."), True
            return None
        return rx.download(data=data, filename=filename)
