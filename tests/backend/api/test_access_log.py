"""The access log (FERPA's record of disclosures): every read of a learner's record lands
there with who, when, what and why; families read their own children's log only; the
admin filters and pages the school's; nothing in the API can change or remove a row."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from backend.extensions import db
from backend.models import (
    AccessEntry,
    AccessLogPurge,
    LearningTarget,
    User,
)
from backend.services import access_log


def _rows(app, **where):
    with app.app_context():
        query = select(AccessEntry)
        for key, value in where.items():
            query = query.where(getattr(AccessEntry, key) == value)
        rows = db.session.scalars(query.order_by(AccessEntry.id)).all()
        db.session.expunge_all()
        return rows


def _family_log(client, auth, child_id, user="guardian", **query):
    return client.get(f"/api/learners/{child_id}/access-log", headers=auth.headers(user),
                      query_string=query)


def test_a_teachers_binder_read_reaches_that_childs_guardian_only(client, auth, ids, app):
    assert client.get(f"/api/learners/{ids['student']}/binder",
                      headers=auth.headers("teacher")).status_code == 200
    body = _family_log(client, auth, ids["student"]).get_json()
    assert body["learner"] == {"id": ids["student"], "display_name": "Maya R."}
    assert body["total"] == 1
    [entry] = body["items"]
    assert entry["reader"]["id"] == ids["teacher"]
    assert entry["reader"]["role"] == "teacher"
    assert entry["kind"] == "binder" and entry["what"] == "Looked at the binder"
    assert entry["relation"] == "teacher"
    # why: the classes that link this teacher to this learner, in the family's words
    assert entry["why"] == "Teacher (Math Studio A)"
    assert entry["times"] == 1
    # the other family (guardian2's child) sees nothing of it
    other = client.get("/api/learners", headers=auth.headers("guardian2")).get_json()
    for child in other:
        assert _family_log(client, auth, child["id"], "guardian2").get_json()["total"] == 0


def test_guardians_cannot_read_another_childs_log(client, auth, ids, assert_error):
    for child in ("student2", "teacher"):  # another family's child; not a learner at all
        assert_error(_family_log(client, auth, ids[child]), 404)
    assert_error(_family_log(client, auth, 999_999), 404)
    # a learner reads their own log, never a classmate's
    assert _family_log(client, auth, ids["student2"], "student2").status_code == 200
    assert_error(_family_log(client, auth, ids["student"], "student2"), 404)
    # teachers have no family view of the log
    assert_error(_family_log(client, auth, ids["student"], "teacher"), 403)


def test_repeated_reads_in_one_hour_are_one_row_with_a_count(client, auth, ids, app):
    headers = auth.headers("teacher")
    for _ in range(5):
        client.get(f"/api/learners/{ids['student']}/binder", headers=headers)
    client.get(f"/api/learners/{ids['student']}/goals", headers=headers)
    rows = _rows(app, reader_id=ids["teacher"], learner_id=ids["student"])
    assert [(r.kind, r.times) for r in rows] == [("binder", 5), ("goals", 1)]
    assert rows[0].last_at >= rows[0].first_at


def test_a_new_hour_starts_a_new_row(client, auth, ids, app, monkeypatch):
    """Hourly for one learner's reads; a device's syncs (many learners) count per day."""
    binder, teacher = f"/api/learners/{ids['student']}/binder", auth.headers("teacher")
    for moment in (datetime(2026, 3, 2, 9, 10, tzinfo=UTC), datetime(2026, 3, 2, 10, 5,
                                                                      tzinfo=UTC)):
        monkeypatch.setattr(access_log, "_now", lambda moment=moment: moment)
        client.get(binder, headers=teacher)
        client.get(binder, headers=teacher)
        client.get("/api/sync/pull", headers=teacher)
    binder_rows = _rows(app, reader_id=ids["teacher"], kind="binder")
    assert [(r.period.hour, r.times) for r in binder_rows] == [(9, 2), (10, 2)]
    sync_rows = _rows(app, reader_id=ids["teacher"], kind="sync", learner_id=ids["student"])
    assert [(r.period.hour, r.times) for r in sync_rows] == [(0, 2)]


def test_the_guardians_own_visits_are_not_listed_to_them(client, auth, ids, app):
    client.get(f"/api/learners/{ids['student']}/binder", headers=auth.headers("guardian"))
    client.get(f"/api/learners/{ids['student']}/binder", headers=auth.headers("student"))
    assert [r.relation for r in _rows(app, learner_id=ids["student"])] == ["guardian", "self"]
    items = _family_log(client, auth, ids["student"]).get_json()["items"]
    assert [(i["relation"], i["why"]) for i in items] == [("self", "The learner")]


def test_every_read_path_is_logged(client, auth, ids, app):
    student, teacher = ids["student"], auth.headers("teacher")
    with app.app_context():
        target_id = db.session.scalar(select(LearningTarget.id).where(
            LearningTarget.code == "M5.F.1"))
    reads = [
        f"/api/learners/{student}/targets/{target_id}",
        f"/api/learners/{student}/goals",
        f"/api/learners/{student}/playlists",
        f"/api/learners/{student}/progress",
        f"/api/interop/reports/progress/{student}?format=html",
        f"/api/interop/binder.csv?student_id={student}",
        f"/api/interop/results?student_id={student}",
        "/api/sync/pull",
    ]
    for url in reads:
        assert client.get(url, headers=teacher).status_code == 200, url
    kinds = {r.kind for r in _rows(app, learner_id=student, reader_id=ids["teacher"])}
    # the grid and the ready list read the teacher's store: their reads are "sync" reads
    assert {"target", "goals", "playlists", "progress", "report", "export", "sync"} <= kinds


def test_a_sync_pull_logs_only_the_learners_whose_rows_it_carries(client, auth, ids, app):
    body = client.get("/api/sync/pull", headers=auth.headers("student2")).get_json()
    assert body["changes"]
    assert {r.learner_id for r in _rows(app, kind="sync")} == {ids["student2"]}
    # a pull with nothing new carries nobody: no row, no count
    client.get("/api/sync/pull", query_string={"cursor": body["cursor"]},
               headers=auth.headers("student2"))
    assert [r.times for r in _rows(app, kind="sync")] == [1]


def test_a_pulls_bookkeeping_and_its_log_row_are_one_write(client, auth, ids, app):
    """The device's last pull and the access log's row land in one commit (one turn at
    SQLite's one writer, never two)."""
    from sqlalchemy import event

    from backend.models import SyncClient

    headers = {**auth.headers("student2"), "X-Client-Id": "device-s2-laptop"}
    assert client.post("/api/sync/push", headers=headers, json={
        "client_id": "device-s2-laptop", "mutations": []}).status_code == 200
    commits = []

    def count(_connection):
        commits.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "commit", count)  # the database's commits, not savepoints
    try:
        body = client.get("/api/sync/pull", headers=headers).get_json()
    finally:
        event.remove(engine, "commit", count)
    assert body["changes"] and len(commits) == 1
    assert {r.learner_id for r in _rows(app, kind="sync")} == {ids["student2"]}
    with app.app_context():
        assert db.session.get(SyncClient, "device-s2-laptop").last_pull_at is not None


def test_admin_filters_and_pages(client, auth, ids, app):
    for user in ("teacher", "teacher2"):
        client.get(f"/api/learners/{ids['student']}/binder", headers=auth.headers(user))
    client.get(f"/api/learners/{ids['student2']}/goals", headers=auth.headers("teacher"))
    admin = auth.headers("admin")

    def get(**query):
        resp = client.get("/api/access-log", headers=admin, query_string=query)
        assert resp.status_code == 200, resp.get_json()
        return resp.get_json()

    assert get()["total"] == 3
    assert {i["reader"]["id"] for i in get(learner_id=ids["student"])["items"]} == {
        ids["teacher"], ids["teacher2"]}
    assert {i["learner"]["id"] for i in get(reader_id=ids["teacher"])["items"]} == {
        ids["student"], ids["student2"]}
    assert [i["kind"] for i in get(kind="goals")["items"]] == ["goals"]
    today = datetime.now(UTC).date()
    assert get(since=today.isoformat(), until=today.isoformat())["total"] == 3
    assert get(until=(today - timedelta(days=1)).isoformat())["total"] == 0
    first, second = get(limit=2), get(limit=2, offset=2)
    assert (first["total"], len(first["items"]), len(second["items"])) == (3, 2, 1)
    # newest first, across pages
    stamps = [i["last_at"] for i in first["items"] + second["items"]]
    assert stamps == sorted(stamps, reverse=True)


def test_admin_filters_refuse_nonsense(client, auth, assert_error):
    admin = auth.headers("admin")
    for query in ({"kind": "diary"}, {"learner_id": 2**63}):
        assert_error(client.get("/api/access-log", headers=admin, query_string=query), 422)
    for query in ({"since": "yesterday"}, {"since": "2026-05-02", "until": "2026-05-01"},
                  {"limit": 0}, {"until": "9999-12-31"}, {"since": "0001-01-01"}):
        for url in ("/api/access-log", "/api/audit-log"):
            assert_error(client.get(url, headers=admin, query_string=query), 422)


@pytest.mark.parametrize("user", ["teacher", "guardian", "student"])
def test_only_admins_read_the_schools_access_log(client, auth, user, assert_error):
    assert_error(client.get("/api/access-log", headers=auth.headers(user)), 403)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_log_routes_take_no_writes(client, auth, ids, method, assert_error):
    for url in ("/api/access-log", f"/api/learners/{ids['student']}/access-log",
                "/api/audit-log"):
        for user in ("admin", "guardian"):
            resp = getattr(client, method)(url, headers=auth.headers(user), json={})
            assert_error(resp, 405)


def test_the_database_refuses_edits_and_deletes(client, auth, ids, app):
    client.get(f"/api/learners/{ids['student']}/binder", headers=auth.headers("teacher"))
    statements = [
        "UPDATE access_log SET reader_id = reader_id + 1",
        "UPDATE access_log SET kind = 'goals'",
        "UPDATE access_log SET times = times - 1",
        "DELETE FROM access_log",
    ]
    with app.app_context():
        for statement in statements:
            with pytest.raises(DatabaseError, match="append-only"):
                db.session.execute(text(statement))
            db.session.rollback()
        # the one edit coalescing makes is allowed: one more read, a later time
        db.session.execute(text("UPDATE access_log SET times = times + 1"))
        db.session.commit()
    assert [r.times for r in _rows(app)] == [2]


def test_a_failed_log_write_never_fails_the_read_and_is_reported(client, auth, ids,
                                                                 monkeypatch, caplog):
    def broken(*_args, **_kw):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(access_log, "_upsert", broken)
    with caplog.at_level(logging.ERROR, logger="backend.services.access_log"):
        resp = client.get(f"/api/learners/{ids['student']}/binder",
                          headers=auth.headers("teacher"))
    assert resp.status_code == 200
    assert resp.get_json()["learner"]["id"] == ids["student"]
    assert "could not record a binder read" in caplog.text


def test_purge_removes_a_deleted_learners_log_and_keeps_others(client, auth, ids, app):
    for who in ("student", "student2"):
        client.get(f"/api/learners/{ids[who]}/binder", headers=auth.headers("teacher"))
    with app.app_context():
        removed = access_log.purge_learner(db.session, ids["student"], by=ids["admin"])
        db.session.commit()
        assert removed == 1
        assert db.session.scalar(select(func.count()).select_from(AccessLogPurge)) == 1
        # the marker opens only that learner's rows, written before it
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text("DELETE FROM access_log"))
        db.session.rollback()
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text("DELETE FROM access_log_purges"))
        db.session.rollback()
    assert {r.learner_id for r in _rows(app)} == {ids["student2"]}


def test_nothing_outside_the_service_writes_the_logs():
    """The logs are written only through services/access_log.py: no other module builds,
    updates or deletes their rows (a static check of the backend's source)."""
    import re
    from pathlib import Path

    import backend

    root = Path(backend.__file__).parent
    allowed = {root / "services" / "access_log.py", root / "models" / "audit.py"}
    writes = re.compile(
        r"(AccessEntry|AuditEntry|AccessLogPurge)\s*\(|"
        r"(insert|update|delete)\(\s*(AccessEntry|AuditEntry|AccessLogPurge)|"
        r"(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(access_log|audit_log)", re.IGNORECASE)
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if path not in allowed and writes.search(path.read_text())]
    assert offenders == []


def test_the_reader_relation_words(app, ids):
    with app.app_context():
        admin = db.session.get(User, ids["admin"])
        guardian = db.session.get(User, ids["guardian"])
        teacher2 = db.session.get(User, ids["teacher2"])
        assert access_log._reasons(admin, [ids["student"]]) == {ids["student"]: ("admin", "")}
        assert access_log._reasons(guardian, [ids["student"]]) == {
            ids["student"]: ("guardian", "")}
        assert access_log._reasons(teacher2, [ids["student"]]) == {
            ids["student"]: ("teacher", "Writers' Workshop")}


def test_an_evidence_file_read_is_logged_for_its_learner(client, auth, ids, app):
    import hashlib
    import io
    import uuid

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buf, "JPEG")
    data = buf.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    maya = auth.headers("student")
    assert client.patch(f"/api/blobs/{sha}", data=data, headers={
        **maya, "Content-Type": "application/offset+octet-stream", "Upload-Offset": "0",
        "Upload-Length": str(len(data))}).status_code == 204
    push = client.post("/api/sync/push", headers=maya, json={
        "client_id": "maya-tablet", "mutations": [{
            "seq": 1, "name": "evidence.put", "hlc": "1790000000000-0000-maya",
            "args": {"id": str(uuid.uuid4()), "student_id": ids["student"], "kind": "photo",
                     "blob_sha256": sha, "submitted": True}}]})
    assert push.get_json()["results"][0]["status"] == "applied"
    assert client.get(f"/api/blobs/{sha}", headers=maya).status_code == 200  # her own
    assert client.get(f"/api/blobs/{sha}", headers=auth.headers("guardian2")).status_code == 404
    assert _rows(app, kind="evidence_file") == []  # neither is a read of someone's record
    for _ in range(2):
        assert client.get(f"/api/blobs/{sha}?size=thumb",
                          headers=auth.headers("teacher")).status_code == 200
    [row] = _rows(app, kind="evidence_file")
    assert (row.reader_id, row.learner_id, row.times) == (ids["teacher"], ids["student"], 2)


def test_the_privacy_notice_says_how_long_records_are_kept(client, app):
    from backend.models import RetentionSetting, School

    resp = client.get("/api/privacy-notice")  # public: no sign-in
    assert resp.status_code == 200
    assert resp.get_json() == {"photo_years": None, "record_years": None,
                               "is_one_school": True}
    with app.app_context():
        school_id = db.session.scalar(select(School.id))
        db.session.add(RetentionSetting(school_id=school_id, photo_years=2, record_years=5))
        db.session.commit()
    body = client.get("/api/privacy-notice").get_json()
    assert (body["photo_years"], body["record_years"]) == (2, 5)
