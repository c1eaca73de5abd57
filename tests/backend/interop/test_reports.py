"""Reports: PDFs render (page count, text), print-friendly HTML, batches, who may read them."""

import hashlib
import io
import shutil
import subprocess
import time

import pytest
from PIL import Image
from sqlalchemy import select

from backend.extensions import db
from backend.mastery.words import level_text
from backend.models import Evidence, Goal, SchoolClass, User


def pdf_pages_and_text(data: bytes, tmp_path) -> tuple[int, str]:
    """Page count (pdfinfo) and text (pdftotext) from Debian's poppler-utils."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: run `make system-test-deps` (poppler-utils)")
    path = tmp_path / f"r-{hashlib.sha256(data).hexdigest()[:8]}.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(next(line.split()[-1] for line in info.stdout.splitlines()
                     if line.startswith("Pages:")))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return pages, " ".join(text.split())


def _binder(client, headers, student_id) -> dict:
    return client.get(f"/api/learners/{student_id}/binder", headers=headers).get_json()


def test_progress_report_pdf_has_the_topics_and_levels(client, auth, ids, tmp_path):
    headers = auth.headers("teacher")
    resp = client.get(f"/api/interop/reports/progress/{ids['student']}", headers=headers)
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    pages, text = pdf_pages_and_text(resp.data, tmp_path)
    assert pages >= 1
    assert "Progress report" in text and "Maya" in text
    binder = _binder(client, headers, ids["student"])
    for area in binder["content_areas"]:
        for topic in area["topics"]:
            assert topic["name"] in text
            for target in topic["targets"]:
                if target["level"] is not None:
                    assert f"{target['code']}" in text
                    # shown as on every screen: one decimal, halves up
                    assert level_text(target["level"]) in text
    assert "Lifelong learning skills" in text and "Goals" in text
    assert "emerging" in text or "proficient" in text or "developing" in text


def test_transcript_shows_credit_by_topic(client, auth, ids, tmp_path):
    resp = client.get(f"/api/interop/reports/transcript/{ids['student']}",
                      headers=auth.headers("admin"))
    pages, text = pdf_pages_and_text(resp.data, tmp_path)
    assert pages >= 1 and "Transcript" in text
    binder = _binder(client, auth.headers("admin"), ids["student"])
    topics = [t for a in binder["content_areas"] for t in a["topics"]]
    for topic in topics:
        assert topic["name"] in text
    earned = sum(t["credit"]["is_met"] for a in binder["content_areas"] if a["is_academic"]
                 for t in a["topics"])
    total = sum(len(a["topics"]) for a in binder["content_areas"] if a["is_academic"])
    assert f"{earned} of {total} academic topics" in text
    assert ("earned" in text) or ("in progress" in text)


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(buf, "JPEG")
    return buf.getvalue()


def test_conference_pack_with_the_evidence_the_learner_chose(app, client, auth, ids,
                                                             tmp_path):
    from backend.blobstore import blob_store
    from backend.models.blobs import record_upload

    thumb = _jpeg()
    sha = hashlib.sha256(b"photo").hexdigest()
    with app.app_context():
        blob_store().put(sha, thumb, "thumb")
        record_upload(db.session, ids["student"], sha, len(b"photo"))  # her own file
        db.session.add(Evidence(id="conf-ev-1", student_id=ids["student"], kind="photo",
                                caption="My bridge model holds 2 kg", blob_sha256=sha,
                                review_status="approved", is_submitted=True))
        goal = db.session.scalar(select(Goal).where(Goal.student_id == ids["student"]))
        goal_title = goal.title if goal else None
        db.session.commit()
        db.session.remove()
    headers = auth.headers("student")  # the learner prepares it
    url = f"/api/interop/reports/conference/{ids['student']}?evidence=conf-ev-1"
    html = client.get(url + "&format=html", headers=headers)
    assert html.status_code == 200 and html.mimetype == "text/html"
    page = html.get_data(as_text=True)
    assert "data:image/jpeg;base64," in page and "My bridge model holds 2 kg" in page
    pages, text = pdf_pages_and_text(client.get(url, headers=headers).data, tmp_path)
    assert pages >= 1
    assert "Agenda" in text and "Questions for our conversation" in text
    assert "My bridge model holds 2 kg" in text
    if goal_title:
        assert goal_title[:20] in text
    # the approved photo also shows in the progress report
    progress = client.get(f"/api/interop/reports/progress/{ids['student']}?format=html",
                          headers=headers).get_data(as_text=True)
    assert "My bridge model holds 2 kg" in progress and "data:image/jpeg" in progress


@pytest.mark.parametrize("role, learner, status", [
    ("guardian", "student", 200), ("guardian2", "student", 404), ("student2", "student", 404),
    ("teacher2", "student2", 404), ("admin", "student2", 200), ("student", "student", 200),
])
def test_reports_follow_who_may_read_the_binder(client, auth, ids, assert_error, role,
                                                learner, status):
    resp = client.get(f"/api/interop/reports/transcript/{ids[learner]}?format=html",
                      headers=auth.headers(role))
    if status == 200:
        assert resp.status_code == 200
    else:
        assert_error(resp, status)


def test_unknown_report_kind(client, auth, ids, assert_error):
    assert_error(client.get(f"/api/interop/reports/report-card/{ids['student']}",
                            headers=auth.headers("admin")), 404)


def _class(app, name) -> tuple[int, list[str]]:
    with app.app_context():
        cls = db.session.scalar(select(SchoolClass).where(SchoolClass.name == name))
        names = sorted(e.student.display_name for e in cls.enrollments)
        out = cls.id, names
        db.session.remove()
    return out


def test_a_teacher_prints_a_class_of_progress_reports(app, client, auth, tmp_path):
    class_id, names = _class(app, "Math Studio A")
    headers = auth.headers("teacher")
    resp = client.post("/api/interop/reports/batch", headers=headers,
                       json={"class_id": class_id, "kind": "progress"})
    assert resp.status_code == 202
    job = resp.get_json()
    deadline = time.monotonic() + 120
    while job["status"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.2)
        job = client.get(f"/api/interop/jobs/{job['id']}", headers=headers).get_json()
    assert job["status"] == "done", job
    assert job["report"]["learners"] == len(names) and job["has_result"]
    pdf = client.get(f"/api/interop/jobs/{job['id']}/result", headers=headers)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    pages, text = pdf_pages_and_text(pdf.data, tmp_path)
    assert pages >= len(names)  # each learner starts on a new page
    for name in names:
        assert name in text
    assert text.count("Progress report") >= len(names)


def test_another_teachers_class_is_not_found(app, client, auth, assert_error, db_counts):
    class_id, _ = _class(app, "Math Studio A")
    before = db_counts()
    assert_error(client.post("/api/interop/reports/batch", headers=auth.headers("teacher2"),
                             json={"class_id": class_id, "wait": True}), 404)
    assert db_counts() == before


def test_reports_from_the_cli(app, runner, tmp_path):
    class_id, names = _class(app, "Humanities Lab")
    out = tmp_path / "transcripts.pdf"
    result = runner.invoke(args=["report-batch", "transcript", str(class_id), "-o", str(out)])
    assert result.exit_code == 0, result.output
    pages, text = pdf_pages_and_text(out.read_bytes(), tmp_path)
    assert pages >= len(names) and all(n in text for n in names)
    one = tmp_path / "maya.html"
    result = runner.invoke(args=["report", "conference", "student", "--html", "-o", str(one)])
    assert result.exit_code == 0, result.output
    assert "Student-led conference" in one.read_text(encoding="utf-8")
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "student")) is not None
        db.session.remove()
