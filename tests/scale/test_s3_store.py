"""S3Store against moto's S3 server: the local store's resumable semantics, in a bucket.

Plus the API on the scale profile: evidence through S3, sign-out through Redis, the sign-in
throttle counting wrong passwords in Redis so every worker sees one count.
"""

import hashlib
import io
import uuid

import pytest
from PIL import Image

from backend.blobstore import S3Store, store_from_url
from deploy.topology import S3_CREDENTIALS

OCTETS = "application/offset+octet-stream"


@pytest.fixture
def s3_env(monkeypatch, s3_server):
    for key, value in S3_CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    return s3_server


@pytest.fixture
def store(s3_env):
    prefix = f"t-{uuid.uuid4().hex[:8]}"  # each test its own corner of the bucket
    return store_from_url(f"s3://{s3_env.BUCKET}/{prefix}", endpoint_url=s3_env.endpoint)


def test_s3_url_builds_an_s3_store_with_its_prefix(store):
    assert isinstance(store, S3Store) and store.prefix.startswith("t-")


def test_chunks_append_and_read_back_in_order(store):
    key = "a" * 64
    assert store.partial_size(key) == 0
    assert store.append_partial(key, b"hello ") == 6
    assert store.append_partial(key, b"world", at=6) == 11
    assert store.partial_size(key) == 11
    assert store.read_partial(key) == b"hello world"
    assert store.read_partial(key, 5) == b"hello"


def test_a_chunk_retried_at_the_committed_offset_replaces_the_uncommitted_one(store):
    """A worker killed after its PUT but before its commit: the retry lands on the same name."""
    key = "b" * 64
    store.append_partial(key, b"0123456789", at=0)
    store.append_partial(key, b"XXXXXXXX", at=10)  # never committed: the DB still says 10
    store.append_partial(key, b"abcdef", at=10)  # the device resends from 10
    assert store.read_partial(key, 16) == b"0123456789abcdef"


def test_nothing_is_served_until_the_whole_file_is_put(store):
    key = "c" * 64
    store.append_partial(key, b"partial bytes")
    assert store.get(key) is None
    store.put(key, b"the whole clean file")
    store.put(key, b"thumb", "thumb")
    store.drop_partial(key)
    assert store.get(key) == b"the whole clean file"
    assert store.get(key, "thumb") == b"thumb"
    assert store.partial_size(key) == 0 and store.read_partial(key) == b""


def test_drop_partial_removes_every_chunk(store):
    key = "d" * 64
    for i in range(5):
        store.append_partial(key, bytes([65 + i]) * 3)
    store.drop_partial(key)
    assert store.partial_size(key) == 0


# --------------------------------------------------------------------------- API, scale profile


def _photo(size=(320, 240)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buf, "JPEG", quality=90)
    return buf.getvalue()


@pytest.fixture
def scale_app(make_app, s3_env, redis_server):
    return make_app(BLOB_STORE_URL=f"s3://{s3_env.BUCKET}/api-{uuid.uuid4().hex[:8]}",
                    S3_ENDPOINT_URL=s3_env.endpoint, REDIS_URL=redis_server.url,
                    TOKEN_BLOCKLIST="redis")


def test_evidence_uploads_resumably_into_s3_and_no_partial_is_served(scale_app):
    client = scale_app.test_client()
    from tests.conftest import AuthActions

    student = AuthActions(scale_app, client).headers("student")
    data = _photo()
    sha = hashlib.sha256(data).hexdigest()
    half = len(data) // 2

    def patch(chunk, offset, length=None):
        headers = {**student, "Content-Type": OCTETS, "Upload-Offset": str(offset)}
        if length is not None:
            headers["Upload-Length"] = str(length)
        return client.patch(f"/api/blobs/{sha}", data=chunk, headers=headers)

    assert patch(data[:half], 0, len(data)).status_code == 204
    assert client.get(f"/api/blobs/{sha}", headers=student).status_code == 404
    head = client.head(f"/api/blobs/{sha}", headers=student)
    assert head.status_code == 204 and int(head.headers["Upload-Offset"]) == half
    # a retried chunk overlapping what is stored is harmless
    assert patch(data[half - 10:], half - 10).status_code == 204
    got = client.get(f"/api/blobs/{sha}", headers=student)
    assert got.status_code == 200
    Image.open(io.BytesIO(got.data)).load()  # a whole image, not a prefix of one
    thumb = client.get(f"/api/blobs/{sha}?size=thumb", headers=student)
    assert thumb.status_code == 200


def test_sign_out_is_kept_in_redis_for_every_worker(scale_app, make_app, redis_server):
    client = scale_app.test_client()
    tokens = client.post("/api/auth/login",
                         json={"username": "teacher", "password": "waypoint"}).get_json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.get("/api/auth/me", headers=bearer).status_code == 200
    assert client.post("/api/auth/logout", headers=bearer).status_code == 204
    # another worker: another app on the same database and the same Redis
    other = make_app(scale_app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=redis_server.url,
                     TOKEN_BLOCKLIST="redis").test_client()
    resp = other.get("/api/auth/me", headers=bearer)
    assert resp.status_code == 401 and resp.get_json()["code"] == "revoked"
    import redis

    keys = redis.Redis.from_url(redis_server.url).keys("waypoint:revoked:*")
    assert keys and all(redis.Redis.from_url(redis_server.url).ttl(k) > 0 for k in keys)


def test_sign_in_failures_are_counted_in_redis_across_workers(make_app, redis_server):
    """Two workers (apps) on one database: wrong passwords sent to either count together,
    so the account waits on both (backend/services/sign_in_throttle.py)."""
    import redis

    redis.Redis.from_url(redis_server.url).flushdb()
    first = make_app(REDIS_URL=redis_server.url, SIGNIN_ACCOUNT_FAILURES=3)
    second = make_app(database_url=first.config["SQLALCHEMY_DATABASE_URI"],
                      REDIS_URL=redis_server.url, SIGNIN_ACCOUNT_FAILURES=3)
    clients = [first.test_client(), second.test_client()]
    answers = [clients[i % 2].post("/api/auth/login", json={"username": "x", "password": "y"},
                                   environ_base={"REMOTE_ADDR": "10.9.8.7"}).status_code
               for i in range(4)]
    assert answers == [401, 401, 429, 429]
    assert redis.Redis.from_url(redis_server.url).keys("waypoint:signin:account:x:*")
