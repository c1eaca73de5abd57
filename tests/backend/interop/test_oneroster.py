"""OneRoster 1.1 import: the district round trip, deltas, tombstones, idempotence, scope."""

import time

import pytest
from sqlalchemy import func, select

from backend.extensions import db
from backend.interop.oneroster import NO_PASSWORD
from backend.models import Enrollment, GuardianLink, InteropJob, School, SchoolClass, User
from tests.backend.interop.conftest import DISTRICT, csv_text, upload, zip_folder


def _count(app, model, *where) -> int:
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(model).where(*where))
        db.session.remove()
    return n


def _user(app, username) -> dict:
    with app.app_context():
        u = db.session.scalar(select(User).where(User.username == username))
        out = {"id": u.id, "display_name": u.display_name, "is_active": u.is_active,
               "role": u.role, "school": u.school.name, "password_hash": u.password_hash}
        db.session.remove()
    return out


def _import(runner, tmp_path, data: bytes, *args):
    path = tmp_path / "roster.zip"
    path.write_bytes(data)
    return runner.invoke(args=["import-oneroster", str(path), *args])


def test_district_round_trip_through_the_cli(app, runner, tmp_path, district_zip, db_counts):
    before = db_counts()
    result = _import(runner, tmp_path, district_zip)
    assert result.exit_code == 0, result.output
    assert "users: create 199, skip 1" in result.output
    assert _count(app, School, School.sourced_id.is_not(None)) == 2
    assert _count(app, User, User.sourced_id.is_not(None)) == 199
    assert _count(app, SchoolClass, SchoolClass.sourced_id.is_not(None)) == 10
    assert _count(app, Enrollment, Enrollment.sourced_id.is_not(None)) == 420
    after = db_counts()
    assert after["guardian_links"] - before["guardian_links"] == 97
    teacher = _user(app, "t.mes001")
    assert teacher["role"] == "teacher" and teacher["school"] == "Maple Elementary"
    assert _user(app, "p.002")["role"] == "guardian"  # a "relative" or "parent" both map
    assert teacher["password_hash"] == NO_PASSWORD

    again = _import(runner, tmp_path, district_zip)
    assert again.exit_code == 0, again.output
    assert "create" not in again.output and "users: skip 1, unchanged 199" in again.output
    assert db_counts() == after  # idempotent by sourcedId


def test_a_dry_run_previews_and_writes_nothing(runner, tmp_path, district_zip, db_counts):
    before = db_counts()
    result = _import(runner, tmp_path, district_zip, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Would change" in result.output and "classes: create 10" in result.output
    assert "Dry run: nothing was written." in result.output
    assert db_counts() == before


def test_links_come_from_either_side_and_classes_keep_the_primary_teacher(
        app, runner, tmp_path, district_zip):
    assert _import(runner, tmp_path, district_zip).exit_code == 0
    with app.app_context():
        users = {u.sourced_id: u for u in db.session.scalars(
            select(User).where(User.sourced_id.is_not(None)))}
        # p.005 is listed only on its children's rows (agentSourcedIds on the learner side)
        kids = db.session.scalars(select(GuardianLink.student_id).where(
            GuardianLink.guardian_id == users["u-p.-005"].id)).all()
        assert kids and all(users["u-p.-005"].school_id == db.session.get(User, k).school_id
                            for k in kids)
        math = db.session.scalar(select(SchoolClass).where(
            SchoolClass.sourced_id == "class-mes-math"))
        assert math.teacher_id == users["u-t.mes-001"].id  # primary, not the co-teacher
        assert len(math.enrollments) == 42
        assert "u-aide.-001" not in users
        db.session.remove()


def test_imported_accounts_cannot_sign_in_until_a_password_is_set(
        client, runner, tmp_path, district_zip):
    assert _import(runner, tmp_path, district_zip).exit_code == 0
    resp = client.post("/api/auth/login", json={"username": "s.mes001", "password": ""})
    assert resp.status_code in (401, 422)
    resp = client.post("/api/auth/login", json={"username": "s.mes001",
                                                "password": NO_PASSWORD})
    assert resp.status_code == 401


def test_a_delta_updates_tombstones_and_ignores_stale_rows(
        app, runner, tmp_path, district_zip, delta_zip):
    assert _import(runner, tmp_path, district_zip).exit_code == 0
    parent_links = _count(app, GuardianLink, GuardianLink.guardian_id == _user(app, "p.001")["id"])
    result = _import(runner, tmp_path, delta_zip)
    assert result.exit_code == 0, result.output
    assert "stale rows: skip 1" in result.output
    assert _user(app, "t.mes001")["display_name"].endswith("Okonkwo-Reyes")
    assert _user(app, "s.cms070")["is_active"] is False  # tombstone deactivates
    assert not _user(app, "s.mes002")["display_name"].startswith("Stale")
    newcomer = _user(app, "s.mes071")
    assert newcomer["school"] == "Maple Elementary"
    with app.app_context():
        math = db.session.scalar(select(SchoolClass).where(
            SchoolClass.sourced_id == "class-mes-math"))
        learners = {e.student.username for e in math.enrollments}
        db.session.remove()
    assert "s.mes071" in learners
    assert "s.mes001" not in learners  # its enrollment was tombstoned
    assert _count(app, GuardianLink,
                  GuardianLink.guardian_id == _user(app, "p.001")["id"]) == parent_links - 1

    replay = _import(runner, tmp_path, delta_zip)  # the same delta again changes nothing
    assert replay.exit_code == 0 and "create" not in replay.output, replay.output
    # the older bulk export cannot undo the delta
    assert _import(runner, tmp_path, district_zip).exit_code == 0
    assert _user(app, "t.mes001")["display_name"].endswith("Okonkwo-Reyes")


def test_a_bulk_file_retires_what_it_leaves_out(app, runner, tmp_path, district_zip):
    assert _import(runner, tmp_path, district_zip).exit_code == 0
    users = csv_text(DISTRICT, "users.csv").splitlines(keepends=True)
    users = [line for line in users if not line.startswith("u-s.cms-069,")]
    enrollments = [line for line in csv_text(DISTRICT, "enrollments.csv").splitlines(True)
                   if "u-s.cms-069" not in line]
    data = zip_folder(DISTRICT, {"users.csv": "".join(users).encode(),
                                 "enrollments.csv": "".join(enrollments).encode()})
    result = _import(runner, tmp_path, data)
    assert result.exit_code == 0, result.output
    assert _user(app, "s.cms069")["is_active"] is False
    assert _count(app, Enrollment, Enrollment.student_id == _user(app, "s.cms069")["id"]) == 0


# ------------------------------------------------------------------ the API


def test_admin_imports_their_own_school_only(app, client, auth, district_zip):
    resp = upload(client, "/api/interop/oneroster", district_zip, auth.headers("admin"),
                  wait=1, org="org-maple")
    assert resp.status_code == 200, resp.get_json()
    job = resp.get_json()
    assert job["status"] == "done" and job["report"]["ok"]
    assert job["report"]["summary"]["classes"] == {"create": 5, "skip": 5}
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        assert admin.school.sourced_id == "org-maple"  # the admin's school was bound
        assert db.session.scalar(select(func.count()).select_from(School)) == 1
        db.session.remove()
    assert _user(app, "s.mes001")["school"] == _user(app, "admin")["school"]


def test_admin_with_a_district_file_must_say_which_school(client, auth, district_zip,
                                                          assert_error, db_counts):
    before = db_counts()
    resp = upload(client, "/api/interop/oneroster", district_zip, auth.headers("admin"), wait=1)
    body = assert_error(resp, 422, code="import_refused")
    assert "orgs.csv" in body["errors"] and "2 schools" in body["errors"]["orgs.csv"][0]
    assert db_counts() == before  # nothing written, not even the job


def test_dry_run_over_the_api_writes_nothing(client, auth, district_zip, db_counts):
    before = db_counts()
    resp = upload(client, "/api/interop/oneroster", district_zip, auth.headers("admin"),
                  wait=1, dry_run=1, org="org-cedar")
    assert resp.status_code == 200, resp.get_json()
    report = resp.get_json()["report"]
    assert report["dry_run"] and report["summary"]["users"]["create"] > 90
    assert any(line.startswith("create s.cms") for line in report["changes"])
    counts = db_counts()
    assert counts.pop("interop_jobs") == before.pop("interop_jobs") + 1
    assert counts == before


def test_multipart_upload_and_progress_polling(client, auth, district_zip):
    headers = auth.headers("admin")
    resp = client.post("/api/interop/oneroster?org=org-maple", headers=headers,
                       data={"file": (__import__("io").BytesIO(district_zip), "district.zip")},
                       content_type="multipart/form-data")
    assert resp.status_code == 202, resp.get_json()
    job = resp.get_json()
    assert job["status"] in ("queued", "running", "done") and job["filename"] == "district.zip"
    deadline = time.monotonic() + 60
    while job["status"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.1)
        job = client.get(f"/api/interop/jobs/{job['id']}", headers=headers).get_json()
        assert {"stage", "done", "total"} <= set(job["progress"])
    assert job["status"] == "done", job
    assert job["report"]["summary"]["users"]["create"] > 90
    # another role cannot read the admin's job
    resp = client.get(f"/api/interop/jobs/{job['id']}", headers=auth.headers("teacher"))
    assert resp.status_code == 404


@pytest.mark.parametrize("role, status", [("teacher", 403), ("student", 403),
                                          ("guardian", 403)])
def test_only_admins_import(client, auth, district_zip, role, status, assert_error, app):
    resp = upload(client, "/api/interop/oneroster", district_zip, auth.headers(role), wait=1)
    assert_error(resp, status)
    assert _count(app, InteropJob) == 0
