"""Deleting a withdrawn learner: every row, every file (local folder and S3), a receipt,
a file shared with another learner kept, and devices told to wipe the learner."""

import hashlib
import uuid

import pytest
from sqlalchemy import func, select

from backend.blobstore import LocalFolderStore, S3Store
from backend.extensions import db
from backend.models import Blob, BlobDeletion, Evidence, PurgedLearner, User

URL = "/api/privacy/learners/{}"


@pytest.fixture(params=["local", "s3"])
def store(request, app, tmp_path):
    """The app's blob store: a local folder, or a moto S3 bucket (in process)."""
    if request.param == "local":
        store = LocalFolderStore(tmp_path / "store")
        app.extensions["waypoint_blobs"] = store
        yield store
        return
    moto = pytest.importorskip("moto")
    import boto3

    with moto.mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="waypoint-test")
        store = S3Store("waypoint-test", "evidence", client=client)
        app.extensions["waypoint_blobs"] = store
        yield store


def _file(store, app, uploader_id: int, *owners: int) -> str:
    """A stored photo (original + thumbnail) cited by evidence of each of `owners`."""
    data = uuid.uuid4().bytes * 8
    sha = hashlib.sha256(data).hexdigest()
    store.put(sha, data)
    store.put(sha, b"thumb" + data[:4], "thumb")
    with app.app_context():
        db.session.add(Blob(sha256=sha, uploader_id=uploader_id, length=len(data),
                            offset=len(data), is_complete=True, content_type="image/jpeg"))
        for owner in owners:
            db.session.add(Evidence(id=str(uuid.uuid4()), student_id=owner, kind="photo",
                                    caption="my work", target_ids=[], blob_sha256=sha))
        db.session.commit()
    return sha


def _referencing(app, user_id: int) -> dict[str, int]:
    """Rows in ANY table whose column points at users.id = user_id, or names a student."""
    out = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                is_user_fk = any(fk.column.table.name == "users" for fk in column.foreign_keys)
                if is_user_fk or column.name in ("student_id", "learner_id"):
                    if table.name in ("purged_learners", "access_log_purges"):
                        continue  # tombstones: an id and a time, on purpose
                    n = db.session.scalar(select(func.count()).select_from(table).where(
                        column == user_id))
                    if n:
                        out[f"{table.name}.{column.name}"] = n
            if table.name == "users":
                n = db.session.scalar(select(func.count()).select_from(table).where(
                    table.c.id == user_id))
                if n:
                    out["users.id"] = n
    return out


def _withdraw(client, auth, learner_id):
    resp = client.patch(URL.format(learner_id), json={"is_withdrawn": True},
                        headers=auth.headers("admin"))
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["withdrawn_at"]


def test_delete_removes_every_row_and_file_keeps_a_shared_file_and_gives_a_receipt(
        app, client, auth, ids, store):
    maya, eli = ids["student"], ids["student2"]
    own = _file(store, app, maya, maya)
    shared = _file(store, app, maya, maya, eli)
    before = _referencing(app, maya)
    assert before.get("goals.student_id") and before.get("assessment_events.student_id")
    assert before.get("guardian_links.student_id") and before.get("enrollments.student_id")
    _withdraw(client, auth, maya)
    with app.app_context():
        username = db.session.get(User, maya).username

    resp = client.delete(URL.format(maya), json={"confirm": username},
                         headers=auth.headers("admin"))
    assert resp.status_code == 200, resp.get_json()
    receipt = resp.get_json()

    assert _referencing(app, maya) == {}
    counts = receipt["counts"]
    assert counts["goals"] == before["goals.student_id"]
    assert counts["events"] == before["assessment_events.student_id"]
    assert counts["evidence"] == before["evidence.student_id"]
    assert counts["enrollments"] == before["enrollments.student_id"]
    assert counts["guardian_links"] == before["guardian_links.student_id"]
    assert counts["files_kept_shared"] == 1
    assert receipt["initials"] == "MR" and receipt["learner_ref"] == maya
    assert receipt["deleted_by"].startswith("Dana Whitfield") and receipt["files_pending"] == 0
    assert receipt["blob_count"] >= 1

    assert store.get(own) is None and store.get(own, "thumb") is None
    assert store.get(shared) is not None and store.get(shared, "thumb") is not None
    with app.app_context():
        kept = db.session.get(Blob, shared)
        assert kept is not None and kept.uploader_id == eli  # passed on to who also has it
        assert db.session.get(Blob, own) is None
        assert db.session.get(PurgedLearner, maya) is not None

    text = client.get(f"/api/privacy/receipts/{receipt['id']}/download",
                      headers=auth.headers("admin"))
    assert text.status_code == 200 and "initials MR" in text.get_data(as_text=True)
    assert "Maya" not in text.get_data(as_text=True)  # the receipt keeps no name
    listed = client.get("/api/privacy/receipts", headers=auth.headers("admin")).get_json()
    assert [r["id"] for r in listed] == [receipt["id"]]


def test_delete_needs_withdrawn_and_the_typed_username_and_writes_nothing_otherwise(
        app, client, auth, ids, db_counts, assert_error):
    maya = ids["student"]
    admin = auth.headers("admin")
    before = db_counts()
    assert_error(client.delete(URL.format(maya), json={"confirm": "student"}, headers=admin),
                 409, code="not_withdrawn")
    assert db_counts() == before
    _withdraw(client, auth, maya)
    before = db_counts()
    body = assert_error(client.delete(URL.format(maya), json={"confirm": "Maya"},
                                      headers=admin), 422)
    assert "username" in body["message"]
    assert db_counts() == before


def test_only_admins_withdraw_or_delete_and_only_in_their_school(client, auth, ids,
                                                                assert_error):
    maya = ids["student"]
    for role in ("teacher", "guardian", "student"):
        assert_error(client.patch(URL.format(maya), json={"is_withdrawn": True},
                                  headers=auth.headers(role)), 403)
        assert_error(client.delete(URL.format(maya), json={"confirm": "student"},
                                   headers=auth.headers(role)), 403)
    assert_error(client.delete(URL.format(ids["teacher"]), json={"confirm": "teacher"},
                               headers=auth.headers("admin")), 409, code="not_a_learner")
    assert_error(client.delete(URL.format(2**40), json={"confirm": "x"},
                               headers=auth.headers("admin")), 404)


def test_a_device_pull_after_the_deletion_carries_the_purge(app, client, auth, ids):
    maya = ids["student"]
    teacher = auth.headers("teacher")
    first = client.get("/api/sync/pull?limit=1000", headers=teacher).get_json()
    cursor = first["cursor"]
    while first["has_more"]:
        first = client.get(f"/api/sync/pull?limit=1000&cursor={first['cursor']}",
                           headers=teacher).get_json()
        cursor = first["cursor"]
    assert first["purged_learners"] == []
    _withdraw(client, auth, maya)
    resp = client.delete(URL.format(maya), json={"confirm": "student"},
                         headers=auth.headers("admin"))
    assert resp.status_code == 200
    after = client.get(f"/api/sync/pull?cursor={cursor}", headers=teacher).get_json()
    assert after["purged_learners"] == [maya]
    again = client.get(f"/api/sync/pull?cursor={after['cursor']}", headers=teacher).get_json()
    assert again["purged_learners"] == []  # told once per cursor, not forever
    fresh = client.get("/api/sync/pull?limit=5", headers=teacher).get_json()
    assert fresh["purged_learners"] == []  # a new device holds nothing to wipe


def test_the_deleted_learners_own_device_learns_it_from_its_old_token(app, client, auth, ids):
    maya = ids["student"]
    token = auth.tokens("student")["access_token"]
    mine = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/privacy/purge-check", headers=mine).get_json() == {
        "purged_learners": []}
    _withdraw(client, auth, maya)
    assert client.delete(URL.format(maya), json={"confirm": "student"},
                         headers=auth.headers("admin")).status_code == 200
    assert client.get("/api/sync/pull", headers=mine).status_code == 401
    assert client.get("/api/privacy/purge-check", headers=mine).get_json() == {
        "purged_learners": [maya]}
    forged = {"Authorization": "Bearer " + token[:-4] + "AAAA"}
    assert client.get("/api/privacy/purge-check", headers=forged).get_json() == {
        "purged_learners": []}


def test_a_failed_file_deletion_is_listed_and_the_sweep_retries_it(app, client, auth, ids,
                                                                   monkeypatch):
    maya = ids["student"]
    store = LocalFolderStore(app.config["BLOB_STORE_URL"].removeprefix("file://"))
    app.extensions["waypoint_blobs"] = store
    sha = _file(store, app, maya, maya)
    _withdraw(client, auth, maya)

    def down(*_args, **_kwargs):
        raise OSError("the store is down")

    monkeypatch.setattr(LocalFolderStore, "delete", down)
    receipt = client.delete(URL.format(maya), json={"confirm": "student"},
                            headers=auth.headers("admin")).get_json()
    assert receipt["files_pending"] >= 1 and store.get(sha) is not None
    monkeypatch.undo()
    result = app.test_cli_runner().invoke(args=["retention-run"])
    assert result.exit_code == 0, result.output
    assert store.get(sha) is None and store.get(sha, "thumb") is None
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BlobDeletion)) == 0


@pytest.mark.parametrize("kind", ["local", "s3"])
def test_both_stores_delete_a_file_and_a_missing_one_is_not_an_error(kind, tmp_path):
    if kind == "local":
        store = LocalFolderStore(tmp_path)
        _delete_round_trip(store)
        return
    moto = pytest.importorskip("moto")
    import boto3

    with moto.mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="waypoint-unit")
        _delete_round_trip(S3Store("waypoint-unit", "p", client=client))


def _delete_round_trip(store):
    """One variant alone, or (no variant) the whole file: every variant and partial."""
    sha = "a" * 64
    store.put(sha, b"x")
    store.put(sha, b"t", "thumb")
    store.delete(sha, "original")
    assert store.get(sha) is None and store.get(sha, "thumb") == b"t"
    store.put(sha, b"x")
    store.append_partial(f"{sha}.7", b"half")
    store.delete(sha)
    assert store.get(sha) is None and store.get(sha, "thumb") is None
    assert store.partial_size(f"{sha}.7") == 0
    store.delete(sha)  # again: already gone is fine
