"""Family export: a guardian (own children only) or a learner from 13 downloads the whole
record as one zip (PDF + JSON + CSV + photos), made as a bounded job that expires."""

import csv
import hashlib
import io
import json
import subprocess
import uuid
import zipfile
from datetime import timedelta

import pytest

from backend.blobstore import LocalFolderStore
from backend.extensions import db
from backend.models import Blob, Evidence, Goal, RecordExport
from backend.models._base import utcnow
from backend.models.blobs import record_upload

START = "/api/privacy/learners/{}/exports"


@pytest.fixture
def inline(app, tmp_path):
    """Exports run in the request (no thread) against a store of this test's own."""
    app.config["EXPORT_INLINE"] = True
    store = LocalFolderStore(tmp_path / "store")
    app.extensions["waypoint_blobs"] = store
    return store


def _photo(app, store, learner_id: int) -> tuple[str, bytes]:
    data = b"\xff\xd8\xff" + uuid.uuid4().bytes * 16  # stands for an EXIF-free JPEG
    sha = hashlib.sha256(data).hexdigest()
    store.put(sha, data)
    evidence_id = str(uuid.uuid4())
    with app.app_context():
        db.session.add(Blob(sha256=sha, uploader_id=learner_id, length=len(data),
                            offset=len(data), is_complete=True, content_type="image/jpeg"))
        record_upload(db.session, learner_id, sha, len(data))  # the learner sent it
        db.session.add(Evidence(id=evidence_id, student_id=learner_id, kind="photo",
                                caption="fractions poster", target_ids=[], blob_sha256=sha))
        db.session.add(Goal(id=str(uuid.uuid4()), student_id=learner_id,
                            title="=HYPERLINK(\"http://evil\")", status="active"))
        db.session.commit()
    return evidence_id, data


def _export(client, headers, learner_id) -> dict:
    resp = client.post(START.format(learner_id), headers=headers)
    assert resp.status_code == 202, resp.get_json()
    return resp.get_json()


def test_guardian_downloads_the_whole_record_as_one_zip_that_agrees_with_the_binder(
        app, client, auth, ids, inline, tmp_path):
    maya = ids["student"]
    evidence_id, photo = _photo(app, inline, maya)
    guardian = auth.headers("guardian")
    job = _export(client, guardian, maya)
    assert job["status"] == "done" and job["percent"] == 100 and job["expires_at"]
    status = client.get(f"/api/privacy/exports/{job['id']}", headers=guardian).get_json()
    assert status["status"] == "done" and status["learner_name"] == "Maya R."

    resp = client.get(job["download_url"], headers=guardian)
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    assert "attachment" in resp.headers["Content-Disposition"]
    zf = zipfile.ZipFile(io.BytesIO(resp.data))
    names = set(zf.namelist())
    assert {"record.pdf", "record.json", "binder.csv", "goals.csv", "evidence.csv",
            "assessments.csv", "README.txt", f"photos/{evidence_id}.jpg"} <= names
    assert zf.read(f"photos/{evidence_id}.jpg") == photo

    record = json.loads(zf.read("record.json"))
    binder = client.get(f"/api/learners/{maya}/binder", headers=guardian).get_json()
    assert record["binder"] == binder
    assert any(e["photo"] == f"photos/{evidence_id}.jpg" for e in record["evidence"])
    assert all(lv["how_worked_out"] for lv in record["levels"])

    rows = list(csv.reader(io.StringIO(zf.read("goals.csv").decode())))
    assert ["'=HYPERLINK(\"http://evil\")", "active", "", ""] in rows  # not a formula

    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(zf.read("record.pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Maya R." in text and "How it was worked out" in text
    assert "fractions poster" in text and "Method:" in text


def test_a_guardian_cannot_export_another_family_s_child(client, auth, ids, inline,
                                                        assert_error):
    assert_error(client.post(START.format(ids["student2"]), headers=auth.headers("guardian")),
                 404)


def test_a_learner_under_13_cannot_export_and_from_13_can(client, auth, ids, inline,
                                                          assert_error):
    maya = ids["student"]
    student = auth.headers("student")
    listed = client.get("/api/privacy/exports", headers=student).get_json()
    assert listed["can_export"] == []
    assert_error(client.post(START.format(maya), headers=student), 403, code="under_13")
    resp = client.patch(f"/api/privacy/learners/{maya}", json={"is_13_or_older": True},
                        headers=auth.headers("admin"))
    assert resp.status_code == 200 and resp.get_json()["is_13_or_older"] is True
    assert client.get("/api/privacy/exports", headers=student).get_json()["can_export"] == [
        {"id": maya, "display_name": "Maya R."}]
    assert _export(client, student, maya)["status"] == "done"
    assert_error(client.post(START.format(ids["student2"]), headers=student), 404)


def test_teachers_cannot_take_the_record_away(client, auth, ids, inline, assert_error):
    assert_error(client.post(START.format(ids["student"]), headers=auth.headers("teacher")),
                 403)


def test_an_export_is_the_requester_s_own(client, auth, ids, inline, assert_error):
    job = _export(client, auth.headers("guardian"), ids["student"])
    for role in ("guardian2", "admin", "student"):
        assert_error(client.get(f"/api/privacy/exports/{job['id']}",
                                headers=auth.headers(role)), 404)
        assert_error(client.get(job["download_url"], headers=auth.headers(role)), 404)


def test_a_job_past_its_time_limit_fails_with_a_reason(app, client, auth, ids, inline):
    app.config["EXPORT_TIME_LIMIT"] = 0
    job = _export(client, auth.headers("guardian"), ids["student"])
    assert job["status"] == "failed" and "took too long" in job["message"]
    assert job["download_url"] is None


def test_a_job_left_behind_by_a_dead_process_reads_as_failed(app, client, auth, ids):
    with app.app_context():
        db.session.add(RecordExport(
            id=str(uuid.uuid4()), school_id=1, learner_id=ids["student"],
            requested_by=ids["guardian"], status="running", percent=40, stage="photos",
            message="", created_at=utcnow() - timedelta(hours=2),
            started_at=utcnow() - timedelta(hours=2)))
        db.session.commit()
    exports = client.get("/api/privacy/exports", headers=auth.headers("guardian")).get_json()
    assert exports["exports"][0]["status"] == "failed"
    assert "took too long" in exports["exports"][0]["message"]


def test_a_download_expires_and_the_retention_run_drops_its_file(app, client, auth, ids,
                                                                 inline, assert_error):
    guardian = auth.headers("guardian")
    job = _export(client, guardian, ids["student"])
    with app.app_context():
        row = db.session.get(RecordExport, job["id"])
        key = row.result_key
        row.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert inline.get(key, "exports") is not None
    assert client.get(f"/api/privacy/exports/{job['id']}",
                      headers=guardian).get_json()["status"] == "expired"
    assert_error(client.get(job["download_url"], headers=guardian), 410)
    result = app.test_cli_runner().invoke(args=["retention-run"])
    assert result.exit_code == 0, (result.output, result.exc_info)
    assert "1 expired family export" in result.output
    assert inline.get(key, "exports") is None


def test_more_than_five_a_day_is_refused(app, client, auth, ids, inline, assert_error):
    guardian = auth.headers("guardian")
    for _ in range(5):
        _export(client, guardian, ids["student"])
    body = assert_error(client.post(START.format(ids["student"]), headers=guardian), 429)
    assert "5 times today" in body["message"]
