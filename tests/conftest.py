"""Shared fixtures (flaskr-style): `app`, `client`, `auth`, `ids`, plus fresh databases.

Seeding hashes a password and writes ~1,500 events, so the demo school is built ONCE per
session into a template and every test gets its own copy of it:

* SQLite (default): the seeded database is a file; each test copies it (a few ms).
* PostgreSQL (`DATABASE_URL=postgresql+psycopg://…`, see scripts/with_postgres.sh): the
  seeded database is a template; each test gets `CREATE DATABASE … TEMPLATE …`.

Evidence files go to a folder of the test's own, or, when `BLOB_STORE_URL=s3://bucket` is
set (scripts/with_scale_services.py: moto's S3 server), to a key prefix of that database's
own in the bucket (removed after the test). When `REDIS_URL` is set, every app keeps its
login rate-limit counters and token blocklist in that Redis, flushed before each test.

Either way each test owns a real database, so data committed on one connection is visible
on another (threads, several apps): no SAVEPOINT tricks that would hide concurrency bugs.

Fixtures
    app            seeded app for this test (TestConfig, own database)
    client         app.test_client()
    auth           auth.login("teacher") -> headers via POST /api/auth/login;
                   auth.headers("teacher", refresh=False) -> cached headers (token minted,
                   no argon2);
                   auth.tokens("teacher") -> the full login body (access + refresh)
    ids            ids["student"] -> the demo user's id (a read-only mapping)
    make_app       make_app(database_url=None, seeded=True, **config) -> a new app; pass the
                   same database_url to several calls to share one database
    fresh_db       fresh_db(seeded=True, blank=False) -> the URL of a new database (a copy of
                   the seeded or schema-only template, or with blank=True no tables at all)
    db_counts      db_counts(app=None) -> {table: row count} to prove nothing was written
    assert_error   assert_error(resp, status, message=None, code=None) -> the error body
"""

import itertools
import os
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlparse

import pytest
from sqlalchemy import create_engine, func, make_url, select, text

from backend import create_app
from backend.config import TestConfig
from backend.extensions import db

DATABASE_URL = os.environ.get("DATABASE_URL", "")
IS_POSTGRES = DATABASE_URL.startswith("postgresql")
# the scale profile's services (scripts/with_scale_services.py); unset: none of them
REDIS_URL = os.environ.get("REDIS_URL", "")
BLOB_STORE_URL = os.environ.get("BLOB_STORE_URL", "")
IS_S3 = BLOB_STORE_URL.startswith("s3://")
DEMO_PASSWORD = "waypoint"
DEMO_USERS = ("admin", "teacher", "teacher2", "student", "student2", "guardian", "guardian2")

_names = itertools.count(1)


# --------------------------------------------------------------------------- error shape


def assert_error_shape(resp, status: int, message: str | None = None,
                       code: str | None = None) -> dict:
    """Assert the one error shape {code, status, message, errors}; return the body."""
    assert resp.status_code == status, (resp.status_code, resp.get_data(as_text=True)[:500])
    assert resp.is_json, resp.get_data(as_text=True)[:500]
    body = resp.get_json()
    assert {"code", "status", "message", "errors"} <= set(body), body
    assert isinstance(body["code"], str) and body["code"], body
    assert body["status"] == status, body
    assert isinstance(body["message"], str) and body["message"], body
    assert isinstance(body["errors"], dict), body
    assert "Traceback" not in resp.get_data(as_text=True)
    if message is not None:
        assert body["message"] == message, body
    if code is not None:
        assert body["code"] == code, body
    return body


@pytest.fixture
def assert_error():
    return assert_error_shape


# --------------------------------------------------------------------------- databases


def _config(url: str, **overrides) -> dict:
    return {
        "TESTING": TestConfig.TESTING,
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "LOGIN_RATE_LIMIT": TestConfig.LOGIN_RATE_LIMIT,
        "JWT_SECRET_KEY": TestConfig.JWT_SECRET_KEY,
        **overrides,
    }


def _dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    blocklist = app.extensions.pop("waypoint_redis", None)
    if blocklist is not None:
        blocklist.close()


def build_schema(app, *, seeded: bool) -> None:
    """Tables from the models (the migrations test proves they match), the counter row, seed."""
    from backend.seed import seed_demo

    with app.app_context():
        db.create_all()
        db.session.execute(text("INSERT INTO version_counter (id, value) VALUES (1, 0)"))
        db.session.commit()
        if seeded:
            seed_demo()
        if db.engine.dialect.name == "sqlite":
            # the template is copied as one file: fold the write-ahead log into it
            db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.remove()


class _SqliteDatabases:
    """Template files built once; each new database is a copy."""

    def __init__(self, root: Path):
        self.root = root
        self.templates: dict[bool, Path] = {}

    def template(self, seeded: bool) -> Path:
        if seeded not in self.templates:
            path = self.root / f"template-{'seeded' if seeded else 'empty'}-{next(_names)}.db"
            app = _app_for(f"sqlite:///{path}")
            try:
                build_schema(app, seeded=seeded)
            finally:
                _dispose(app)
            self.templates[seeded] = path
        return self.templates[seeded]

    def new(self, seeded: bool = True) -> str:
        path = self.root / f"db-{next(_names)}.db"
        shutil.copyfile(self.template(seeded), path)
        return f"sqlite:///{path}"

    def blank(self) -> str:
        return f"sqlite:///{self.root / f'blank-{next(_names)}.db'}"

    def drop(self, url: str) -> None:
        path = make_url(url).database
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        pass


class _PostgresDatabases:
    """Template databases built once; each new database is CREATE DATABASE … TEMPLATE."""

    def __init__(self, url: str):
        self.url = make_url(url)
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self.prefix = f"wpt_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.templates: dict[bool, str] = {}
        self.created: list[str] = []

    def _create(self, name: str, template: str | None = None) -> None:
        with self.admin.connect() as conn:
            suffix = f' TEMPLATE "{template}"' if template else ""
            if template and conn.dialect.server_version_info >= (15,):
                # a small template copies ~10x faster as files than through the WAL
                suffix += " STRATEGY FILE_COPY"
            conn.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
        self.created.append(name)

    def _url(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def template(self, seeded: bool) -> str:
        if seeded not in self.templates:
            name = f"{self.prefix}_tpl_{'seeded' if seeded else 'empty'}_{next(_names)}"
            self._create(name)
            app = _app_for(self._url(name))
            try:
                build_schema(app, seeded=seeded)
            finally:
                _dispose(app)
            self.templates[seeded] = name
        return self.templates[seeded]

    def new(self, seeded: bool = True) -> str:
        name = f"{self.prefix}_{next(_names)}"
        self._create(name, self.template(seeded))
        return self._url(name)

    def blank(self) -> str:
        name = f"{self.prefix}_{next(_names)}"
        self._create(name)
        return self._url(name)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if name in self.created:
            self.created.remove(name)

    def close(self) -> None:
        with self.admin.connect() as conn:
            for name in reversed(self.created):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


def _app_for(url: str, **overrides):
    """create_app with the database URL known before the extensions bind."""
    cfg = type("PerTestConfig", (TestConfig,), _config(url, **overrides))
    return create_app(cfg)


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    """The session's database factory (SQLite files or PostgreSQL databases)."""
    dbs = _PostgresDatabases(DATABASE_URL) if IS_POSTGRES else _SqliteDatabases(
        tmp_path_factory.mktemp("waypoint-db"))
    yield dbs
    dbs.close()


@pytest.fixture
def fresh_db(databases):
    """fresh_db(seeded=True, blank=False) -> URL of a new database, dropped after the test.

    seeded=False: the schema and the version counter row, no school. blank=True: no
    tables at all (for migrations).
    """
    urls: list[str] = []

    def _fresh(seeded: bool = True, *, blank: bool = False) -> str:
        url = databases.blank() if blank else databases.new(seeded)
        urls.append(url)
        return url

    yield _fresh
    for url in urls:
        databases.drop(url)


class _Services:
    """Where a test's apps keep blobs and Redis data: the environment's services or local.

    Apps on one database share its store (as the workers of one district do): a folder
    under the test's tmp_path, or with BLOB_STORE_URL=s3://bucket[/prefix] a fresh key
    prefix in that bucket, emptied after the test. With REDIS_URL, the rate limiter's
    counters and the token blocklist live in that Redis, flushed before each test (the
    limiter is one global extension whose key prefix is fixed by the first app, so a
    flush, not a per-app prefix, is what keeps one test's counters from the next).
    """

    def __init__(self):
        self._redis = None
        self._s3 = None
        if IS_S3:
            parsed = urlparse(BLOB_STORE_URL)
            self.bucket = parsed.netloc
            self.base = parsed.path.strip("/")
        self.session = uuid.uuid4().hex[:8]

    def redis(self):
        if self._redis is None:
            import redis

            self._redis = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5,
                                               socket_timeout=10)
        return self._redis

    def s3(self):
        if self._s3 is None:
            import boto3

            self._s3 = boto3.client("s3", endpoint_url=os.environ.get("S3_ENDPOINT_URL"),
                                    region_name=TestConfig.S3_REGION)
        return self._s3

    def new_test(self) -> None:
        if REDIS_URL:
            self.redis().flushdb()

    def configure(self, config: dict, blob_url: str) -> None:
        """Fill in the blob store, Redis and S3 settings the test did not set itself."""
        config.setdefault("BLOB_STORE_URL", blob_url)
        if IS_S3:
            config.setdefault("S3_ENDPOINT_URL", os.environ.get("S3_ENDPOINT_URL") or None)
        if REDIS_URL:
            config.setdefault("REDIS_URL", REDIS_URL)
            config.setdefault("TOKEN_BLOCKLIST", "redis")
            config.setdefault("RATELIMIT_STORAGE_URI", REDIS_URL)

    def blob_url(self, tmp_path: Path, index: int) -> str:
        if IS_S3:
            prefix = "/".join(p for p in (self.base, f"test-{self.session}-{index}") if p)
            return f"s3://{self.bucket}/{prefix}"
        return f"file://{tmp_path / f'blobs-{index}'}"  # never the repo's instance/ folder

    def remove_blobs(self, blob_url: str) -> None:
        """Delete every object under an s3:// URL's prefix (moto keeps them in memory)."""
        parsed = urlparse(blob_url)
        prefix = f"{parsed.path.strip('/')}/"
        client = self.s3()
        for page in client.get_paginator("list_objects_v2").paginate(
                Bucket=parsed.netloc, Prefix=prefix):
            names = [{"Key": obj["Key"]} for obj in page.get("Contents", [])]
            if names:
                client.delete_objects(Bucket=parsed.netloc,
                                      Delete={"Objects": names, "Quiet": True})

    def close(self) -> None:
        if self._redis is not None:
            self._redis.close()


_blob_index = itertools.count(1)

# Tests that count rows of the database's revoked_tokens table: under REDIS_URL they keep
# the embedded (database) blocklist, since the Redis blocklist never writes that table (the
# other sign-out tests run on Redis). A test may carry @pytest.mark.database_blocklist
# itself instead of being listed here.
DATABASE_BLOCKLIST_TESTS = {
    "tests/backend/api/test_auth.py::test_logout_revokes_the_access_token",
    "tests/backend/api/test_cookie_session.py::"
    "test_sign_out_revokes_both_cookie_tokens_and_clears_the_cookies",
    "tests/backend/api/test_cookie_session.py::"
    "test_sign_out_with_an_expired_access_cookie_still_revokes_the_refresh_token",
    "tests/backend/api/test_cookie_session.py::"
    "test_bearer_sign_out_is_unchanged_even_with_cookies_present",
}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "database_blocklist: keep the token blocklist in the database even when "
        "REDIS_URL is set (the test counts revoked_tokens rows)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.split("[", 1)[0] in DATABASE_BLOCKLIST_TESTS:
            item.add_marker(pytest.mark.database_blocklist)


@pytest.fixture(scope="session")
def scale_services():
    """The session's view of the scale services (Redis, S3) from the environment, if any."""
    found = _Services()
    yield found
    found.close()


@pytest.fixture
def make_app(request, fresh_db, tmp_path, scale_services):
    """make_app(database_url=None, seeded=True, **config) -> a new app, disposed after the test.

    Without database_url each call gets its own fresh database; pass one URL (from
    `fresh_db()` or `app.config["SQLALCHEMY_DATABASE_URI"]`) to several calls to have
    several apps commit to the same database (they share its blob store, too).
    """
    apps = []
    stores: dict[str, str] = {}  # database URL -> blob store URL
    scale_services.new_test()

    def _make(database_url: str | None = None, seeded: bool = True, **config):
        url = database_url or fresh_db(seeded)
        if url not in stores:
            stores[url] = scale_services.blob_url(tmp_path, next(_blob_index))
        if request.node.get_closest_marker("database_blocklist"):
            config.setdefault("TOKEN_BLOCKLIST", "database")
        scale_services.configure(config, stores[url])
        app = _app_for(url, **config)
        apps.append(app)
        return app

    yield _make
    for app in apps:
        _dispose(app)
    if IS_S3 and any("waypoint_blobs" in app.extensions for app in apps):
        for blob_url in stores.values():  # only the prefixes made here, never a test's own
            scale_services.remove_blobs(blob_url)


@pytest.fixture
def app(make_app):
    """The seeded demo school in a database of this test's own."""
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --------------------------------------------------------------------------- people


class Ids(Mapping):
    """username -> user id, read from the test's database on first use."""

    def __init__(self, app):
        self._app = app
        self._ids: dict[str, int] | None = None

    def _load(self) -> dict[str, int]:
        if self._ids is None:
            from backend.models import User

            with self._app.app_context():
                self._ids = dict(db.session.execute(select(User.username, User.id)).all())
        return self._ids

    def __getitem__(self, username: str) -> int:
        return self._load()[username]

    def __iter__(self):
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


@pytest.fixture
def ids(app):
    return Ids(app)


class AuthActions:
    """Sign in as a demo user: `auth.login("teacher")` -> {"Authorization": "Bearer …"}."""

    def __init__(self, app, client):
        self._app = app
        self._client = client
        self._cache: dict[str, dict] = {}
        self._tokens: dict[str, dict] = {}

    def tokens(self, username: str = "teacher", password: str = DEMO_PASSWORD) -> dict:
        """POST /api/auth/login and return the body (access_token, refresh_token, user)."""
        resp = self._client.post("/api/auth/login",
                                 json={"username": username, "password": password})
        assert resp.status_code == 200, resp.get_json()
        self._tokens[username] = resp.get_json()
        return self._tokens[username]

    def login(self, username: str = "teacher", password: str = DEMO_PASSWORD) -> dict:
        """Sign in through the API; returns headers with the access token."""
        headers = {"Authorization": f"Bearer {self.tokens(username, password)['access_token']}"}
        self._cache[username] = headers
        return headers

    def headers(self, username: str, *, refresh: bool = False) -> dict:
        """Headers for `username`, cached; minted directly (same claims as login, no argon2).

        `refresh=True` gives a refresh token instead of an access token.
        """
        key = f"{username}#refresh" if refresh else username
        if key not in self._cache:
            from flask_jwt_extended import create_access_token, create_refresh_token

            from backend.models import User

            with self._app.app_context():
                user = db.session.scalar(select(User).where(User.username == username))
                assert user is not None, f"no demo user {username!r}"
                mint = create_refresh_token if refresh else create_access_token
                token = mint(user, additional_claims={"role": user.role,
                                                      "school_id": user.school_id})
                db.session.remove()
            self._cache[key] = {"Authorization": f"Bearer {token}"}
        return self._cache[key]

    def refresh_headers(self, username: str = "teacher") -> dict:
        token = (self._tokens.get(username) or self.tokens(username))["refresh_token"]
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def auth(app, client):
    return AuthActions(app, client)


# --------------------------------------------------------------------------- counts


def table_counts(app) -> dict[str, int]:
    """Row count of every table in the models' metadata."""
    with app.app_context():
        counts = {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }
        db.session.remove()
    return counts


@pytest.fixture
def db_counts(app):
    """db_counts(app=None) -> {table: rows}; compare before/after to prove nothing was written."""

    def _counts(other=None) -> dict[str, int]:
        return table_counts(other or app)

    return _counts
