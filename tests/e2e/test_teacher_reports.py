"""A teacher prints a class's progress reports from their own Reports page."""

import json
import re
import sqlite3
import subprocess
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from backend.interop.jobs import RESTARTED

pytestmark = pytest.mark.browser


def test_teacher_prints_their_class_progress_reports(live_app, phone, sign_in, screenshot):
    page = phone
    sign_in(page, "teacher")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page).to_have_url(re.compile(r"/teacher/reports/?$"))
    expect(page.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    # only their own classes: Ms. Rivera teaches Math Studio A and B, not Writers' Workshop
    expect(page.get_by_text("Math Studio B")).to_be_visible()
    expect(page.get_by_text("Writers' Workshop")).to_have_count(0)
    screenshot(page, "teacher-reports")

    row = page.get_by_text("Math Studio A").locator("..")
    with page.expect_download(timeout=120_000) as download:
        row.get_by_role("button", name="Progress reports").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    # the job's status line (the footer's language picker has a status region of its own)
    expect(page.get_by_role("status").filter(has_text="Done")).to_be_visible()


def test_a_teacher_prints_a_class_in_spanish(live_app, phone, sign_in, tmp_path):
    """'Language of the reports': one language for the whole class, here Spanish; the PDF
    says Spanish words on A4 (not English on Letter)."""
    page = phone
    sign_in(page, "teacher")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    page.get_by_label("Language of the reports").select_option(label="Español")
    # Math Studio A: the stale-batch test below needs B's latest batch to be its own
    row = page.get_by_text("Math Studio A").locator("..")
    with page.expect_download(timeout=120_000) as download:
        row.get_by_role("button", name="Progress reports").click()
    path = tmp_path / "reports.pdf"
    path.write_bytes(download.value.path().read_bytes())
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"Page size:\s+595\.\d* x 841\.\d* pts", info), info  # A4
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Informe de progreso" in text and "Progress report" not in text


def _live_database(tmp_path_factory) -> Path:
    """The live app's SQLite file (conftest's `live_app` seeds it in an `instance<n>` folder;
    pytest also links `instancecurrent` to it)."""
    [folder] = [p for p in tmp_path_factory.getbasetemp().glob("instance*")
                if not p.is_symlink() and (p / "waypoint.db").exists()]
    return folder / "waypoint.db"


def _stale_report_job(db: Path, class_name: str) -> str:
    """A batch some server was making when it went away: 'running', its heartbeat 10 min old,
    on another host — as the database holds it after a restart (the stale-job API test)."""
    old = (datetime.now(UTC) - timedelta(minutes=10)).strftime("%Y-%m-%d %H:%M:%S.%f")
    job_id = str(uuid.uuid4())
    with sqlite3.connect(db) as conn:
        teacher, school = conn.execute(
            "SELECT id, school_id FROM users WHERE username = 'teacher'").fetchone()
        [class_id] = conn.execute("SELECT id FROM classes WHERE name = ?",
                                  (class_name,)).fetchone()
        conn.execute(
            "INSERT INTO interop_jobs (id, kind, school_id, created_by, is_dry_run, filename, "
            "status, progress, created_at, runner, heartbeat_at, params) "
            "VALUES (?, 'reports', ?, ?, 0, ?, 'running', ?, ?, 'another-host:4242', ?, ?)",
            (job_id, school, teacher, f"progress-{class_name}.pdf",
             json.dumps({"stage": "making reports", "done": 3, "total": 10}), old, old,
             json.dumps({"class_id": class_id, "kind": "progress"})))
    return job_id


def test_a_batch_failed_by_a_restart_shows_after_a_reload_and_runs_again(
        live_app, phone, sign_in, tmp_path_factory, screenshot):
    """QA F15: the teacher who comes back sees the failed batch, why, and Run it again."""
    page = phone
    sign_in(page, "teacher")
    expect(page).to_have_url(re.compile(r"/teacher"))
    _stale_report_job(_live_database(tmp_path_factory), "Math Studio B")
    page.goto("/teacher/reports")
    page.reload()
    latest = page.get_by_role("heading", name="Your latest reports", level=2)
    expect(latest).to_be_visible()
    card = page.get_by_text("Progress reports · Math Studio B").locator("..")
    expect(card).to_contain_text(RESTARTED["reports"])
    again = card.get_by_role("button", name="Run it again")
    expect(again).to_be_visible()
    assert again.bounding_box()["height"] >= 44
    screenshot(page, "teacher-reports-restarted")
    with page.expect_download(timeout=120_000) as download:
        again.click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    # the job's status line (the footer's language picker has a status region of its own)
    expect(page.get_by_role("status").filter(has_text="Done")).to_be_visible()
