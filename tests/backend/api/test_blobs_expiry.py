"""Issue 13 #9: half-sent files abandoned for BLOB_PARTIAL_TTL are purged (by `flask
blobs-expire`, and lazily), and never block anyone; BlobStore.delete purges a file whole."""

import hashlib
import io
import os
import time
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from moto import mock_aws
from PIL import Image
from sqlalchemy import update

from backend.blobstore import LocalFolderStore, S3Store, blob_store
from backend.extensions import db
from backend.models import BlobUpload

OCTETS = "application/offset+octet-stream"


def _photo(colour=(30, 120, 200)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def _patch(client, headers, sha, chunk, offset, length=None):
    extra = {} if length is None else {"Upload-Length": str(length)}
    return client.patch(f"/api/blobs/{sha}", data=chunk, headers={
        **headers, **extra, "Content-Type": OCTETS, "Upload-Offset": str(offset)})


def _age(app, sha: str, user_id: int, hours: float) -> None:
    """Make an upload look untouched for `hours`."""
    with app.app_context():
        db.session.execute(update(BlobUpload).where(
            BlobUpload.sha256 == sha, BlobUpload.user_id == user_id).values(
            updated_at=datetime.now(UTC) - timedelta(hours=hours)))
        db.session.commit()
        db.session.remove()


def _partial_names(app) -> set[str]:
    with app.app_context():
        return {name for name, _ in blob_store().partials()}


def test_the_command_purges_abandoned_partials_and_keeps_live_ones(app, client, auth, ids,
                                                                    runner):
    maya, eli = auth.headers("student"), auth.headers("student2")
    old, fresh = _photo((1, 2, 3)), _photo((4, 5, 6))
    old_sha, fresh_sha = (hashlib.sha256(d).hexdigest() for d in (old, fresh))
    _patch(client, maya, old_sha, old[:100], 0, len(old))
    _patch(client, eli, fresh_sha, fresh[:100], 0, len(fresh))
    done = _photo((7, 8, 9))
    done_sha = hashlib.sha256(done).hexdigest()
    _patch(client, maya, done_sha, done, 0, len(done))
    _age(app, old_sha, ids["student"], 25)
    _age(app, done_sha, ids["student"], 24 * 400)  # a finished upload never expires
    assert f"{old_sha}.{ids['student']}" in _partial_names(app)

    result = runner.invoke(args=["blobs-expire"])
    assert result.exit_code == 0, result.output
    assert "Purged 1 abandoned uploads" in result.output
    assert _partial_names(app) == {f"{fresh_sha}.{ids['student2']}"}
    assert client.head(f"/api/blobs/{old_sha}", headers=maya).status_code == 404
    assert client.head(f"/api/blobs/{fresh_sha}", headers=eli).status_code == 204
    assert client.get(f"/api/blobs/{done_sha}", headers=maya).status_code == 200
    # the owner of the purged upload simply sends it again
    assert _patch(client, maya, old_sha, old, 0, len(old)).status_code == 204


def test_the_command_sweeps_partial_bytes_that_have_no_upload(app, runner):
    """A worker killed between writing a first chunk and committing, or partials named the
    old way (one per sha, before migration 0006)."""
    with app.app_context():
        store = blob_store()
        if not isinstance(store, LocalFolderStore):
            pytest.skip("ages a file on disk; S3 partials are swept the same way (partials())")
        store.append_partial("c" * 64, b"left behind")
        store.append_partial("d" * 64, b"just written")
        stale = time.time() - 25 * 3600
        os.utime(store.root / "partial" / ("c" * 64), (stale, stale))
    result = runner.invoke(args=["blobs-expire"])
    assert "1 partial files with no upload" in result.output
    assert _partial_names(app) == {"d" * 64}


def test_an_owner_coming_back_after_expiry_starts_again_and_is_never_blocked(
        app, client, auth, ids, assert_error):
    maya = auth.headers("student")
    data = _photo()
    sha = hashlib.sha256(data).hexdigest()
    _patch(client, maya, sha, data[:100], 0, len(data))
    _age(app, sha, ids["student"], 30)
    # resuming where it was: told to start from 0 (the stale bytes are gone)
    body = assert_error(_patch(client, maya, sha, data[100:], 100), 409)
    assert body["expected_offset"] == 0
    assert _patch(client, maya, sha, data, 0, len(data)).status_code == 204
    assert client.head(f"/api/blobs/{sha}", headers=maya).status_code == 200


def test_head_on_an_expired_partial_says_start_again(app, client, auth, ids):
    maya = auth.headers("student")
    data = _photo()
    sha = hashlib.sha256(data).hexdigest()
    _patch(client, maya, sha, data[:100], 0, len(data))
    _age(app, sha, ids["student"], 30)
    assert client.head(f"/api/blobs/{sha}", headers=maya).status_code == 404
    assert f"{sha}.{ids['student']}" not in _partial_names(app)


def test_starting_an_upload_purges_others_abandoned_partials_of_the_same_file(
        app, client, auth, ids):
    maya, eli = auth.headers("student"), auth.headers("student2")
    data = _photo()
    sha = hashlib.sha256(data).hexdigest()
    _patch(client, maya, sha, data[:100], 0, len(data))
    _age(app, sha, ids["student"], 30)
    assert _patch(client, eli, sha, data[:50], 0, len(data)).status_code == 204
    assert _partial_names(app) == {f"{sha}.{ids['student2']}"}
    with app.app_context():
        assert db.session.get(BlobUpload, (sha, ids["student"])) is None
        db.session.remove()


# ------------------------------------------------------------------ BlobStore.delete


def _fill(store, key: str) -> None:
    store.put(key, b"clean file")
    store.put(key, b"thumbnail", "thumb")
    store.append_partial(f"{key}.7", b"half of it")
    store.append_partial(key, b"old-style partial")


def _check_purged(store, key: str, other: str) -> None:
    store.delete(key)
    assert store.get(key) is None and store.get(key, "thumb") is None
    assert store.partial_size(f"{key}.7") == 0 and store.partial_size(key) == 0
    assert store.get(other) == b"clean file"  # another file is untouched
    assert {name for name, _ in store.partials()} == {f"{other}.7", other}
    store.delete(key)  # again: already gone is fine (a retried purge)
    store.delete(other, "thumb")  # one variant only
    assert store.get(other, "thumb") is None and store.get(other) == b"clean file"


def test_local_store_delete_purges_every_variant_and_partial(tmp_path):
    store = LocalFolderStore(tmp_path)
    _fill(store, "e" * 64)
    _fill(store, "f" * 64)
    _check_purged(store, "e" * 64, "f" * 64)


@pytest.fixture
def s3_store(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                       "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="evidence")
        yield S3Store("evidence", "school-1", client=client)


def test_s3_store_delete_purges_every_variant_and_partial(s3_store):
    _fill(s3_store, "e" * 64)
    _fill(s3_store, "f" * 64)
    _check_purged(s3_store, "e" * 64, "f" * 64)


def test_s3_partial_bytes_with_no_upload_are_swept(app, s3_store):
    from backend.api.blobs.uploads import expire_partials

    s3_store.append_partial(f"{'c' * 64}.5", b"chunk one")
    s3_store.append_partial(f"{'c' * 64}.5", b"chunk two", at=9)
    s3_store.append_partial("d" * 64, b"a partial named the old way")
    with app.app_context():
        assert expire_partials(s3_store, now=datetime.now(UTC) + timedelta(minutes=5)) == {
            "uploads": 0, "orphans": 0}  # just written: kept
        later = datetime.now(UTC) + timedelta(hours=25)
        assert expire_partials(s3_store, now=later) == {"uploads": 0, "orphans": 2}
    assert list(s3_store.partials()) == []


def test_chunks_left_by_a_worker_killed_after_finishing_go_at_the_next_look(app, client, auth,
                                                                            ids):
    """The finishing PATCH commits, then removes the chunks; a worker killed in between left
    them behind (the fault harness caught it): the device's next HEAD (or PATCH) of its
    finished upload removes them, and still answers "complete"."""
    maya = auth.headers("student")
    data = _photo((200, 40, 90))
    sha = hashlib.sha256(data).hexdigest()
    assert _patch(client, maya, sha, data, 0, len(data)).status_code == 204
    key = f"{sha}.{ids['student']}"
    with app.app_context():  # the killed worker's leftovers
        blob_store().append_partial(key, data[:100], 0)
    assert key in _partial_names(app)
    assert client.head(f"/api/blobs/{sha}", headers=maya).status_code == 200
    assert key not in _partial_names(app)
    with app.app_context():
        blob_store().append_partial(key, data[:100], 0)
    assert _patch(client, maya, sha, data[:10], 0).status_code == 204
    assert key not in _partial_names(app)
