"""Configuration read from the environment, with embedded defaults (SQLite + a local folder)."""

import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("WAYPOINT_INSTANCE", ROOT / "instance"))


def _default_database_url() -> str:
    INSTANCE.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{INSTANCE / 'waypoint.db'}"


def _int_env(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def engine_options(url: str) -> dict:
    """Connection pooling for a server database; SQLite keeps SQLAlchemy's defaults.

    Each gunicorn worker has its own pool, so PostgreSQL sees up to
    workers x (DB_POOL_SIZE + DB_MAX_OVERFLOW) connections: size max_connections for it.
    """
    options: dict = {"pool_pre_ping": True}  # a restarted PostgreSQL costs one retry, not a 500
    if url.startswith("postgresql"):
        options.update(
            pool_size=_int_env("DB_POOL_SIZE", 5),
            max_overflow=_int_env("DB_MAX_OVERFLOW", 10),
            pool_timeout=_int_env("DB_POOL_TIMEOUT", 10),
            pool_recycle=_int_env("DB_POOL_RECYCLE", 1800),
            connect_args={"connect_timeout": _int_env("DB_CONNECT_TIMEOUT", 5)},
        )
    return options


class Config:
    """Production-ish defaults; every value can be overridden by an environment variable."""

    # "production" (a district server, the scale profile) refuses to start without real
    # keys; anything else generates them once per instance folder (backend/keys.py)
    WAYPOINT_ENV = os.environ.get("WAYPOINT_ENV", "development").strip().lower()
    INSTANCE_DIR = str(INSTANCE)
    # no default in the code: a default that is public signs tokens anyone can forge
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    JWT_SECRET_KEY = os.environ.get("JWT_SECRET_KEY") or None  # unset: SECRET_KEY
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(hours=8)  # one school day on a shared Chromebook
    # a learner offline over a holiday can still sync when they come back
    JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=30)
    # API clients send "Authorization: Bearer"; the browser app keeps its tokens in httpOnly
    # cookies its scripts cannot read (POST /api/auth/login with "cookies": true), with
    # flask-jwt-extended's double-submit CSRF check on every unsafe method: the page echoes
    # the JS-readable csrf cookie in X-CSRF-TOKEN (docs/deploy.md, "Tokens in the browser")
    JWT_TOKEN_LOCATION = ["headers", "cookies"]
    JWT_ACCESS_COOKIE_NAME = "waypoint_access"
    JWT_REFRESH_COOKIE_NAME = "waypoint_refresh"
    JWT_ACCESS_CSRF_COOKIE_NAME = "waypoint_csrf_access"
    JWT_REFRESH_CSRF_COOKIE_NAME = "waypoint_csrf_refresh"
    # Path=/ for all four: the Reflex socket's handshake (/_event) must carry the tokens to
    # the server-side state, and the page must read both csrf cookies from any route
    JWT_ACCESS_COOKIE_PATH = "/"
    JWT_REFRESH_COOKIE_PATH = "/"
    JWT_ACCESS_CSRF_COOKIE_PATH = "/"
    JWT_REFRESH_CSRF_COOKIE_PATH = "/"
    JWT_COOKIE_SAMESITE = "Strict"  # no cookie on any cross-site request, socket included
    JWT_COOKIE_CSRF_PROTECT = True
    JWT_CSRF_IN_COOKIES = True
    JWT_CSRF_CHECK_FORM = False
    JWT_SESSION_COOKIE = False  # the cookies live as long as their token, across restarts
    # Secure cookies: "auto" when the request came over HTTPS (behind nginx: set
    # TRUSTED_PROXIES so X-Forwarded-Proto counts), "1" always, "0" never (plain-http tests)
    AUTH_COOKIE_SECURE = os.environ.get("AUTH_COOKIE_SECURE", "auto").strip().lower()
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or _default_database_url()
    SQLALCHEMY_ENGINE_OPTIONS: dict = engine_options(SQLALCHEMY_DATABASE_URI)
    BLOB_STORE_URL = os.environ.get("BLOB_STORE_URL") or f"file://{INSTANCE / 'blobs'}"
    # s3://bucket[/prefix] reads these; credentials come from boto3's usual AWS_* variables
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL") or None
    S3_REGION = os.environ.get("S3_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    # Redis, when set, holds the sign-in throttle's counters and the token blocklist, so
    # every worker sees the same ones (Reflex's state manager reads it in rxconfig.py)
    REDIS_URL = os.environ.get("REDIS_URL") or None
    TOKEN_BLOCKLIST = "redis" if REDIS_URL else "database"
    BLOB_MAX_BYTES = int(os.environ.get("BLOB_MAX_BYTES", 15 * 1024 * 1024))
    # a half-sent file untouched this long is purged (flask blobs-expire, and lazily)
    BLOB_PARTIAL_TTL = timedelta(hours=float(os.environ.get("BLOB_PARTIAL_TTL_HOURS", 24)))
    # a photo decoding to more pixels is refused before decoding (decompression bombs)
    IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", 40_000_000))
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 16 * 1024 * 1024))
    MAX_JSON_BYTES = int(os.environ.get("MAX_JSON_BYTES", 2 * 1024 * 1024))
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or REDIS_URL or "memory://"
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}
    # a Redis blip counts sign-ins per worker for a while instead of refusing them
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_KEY_PREFIX = "waypoint"
    # hops of reverse proxy in front (nginx: 1), so the rate limit counts people, not nginx
    TRUSTED_PROXIES = _int_env("TRUSTED_PROXIES", 0)
    # refuse to start when DATABASE_URL, REDIS_URL or BLOB_STORE_URL cannot be used
    STARTUP_CHECKS = os.environ.get("WAYPOINT_STARTUP_CHECKS", "1") != "0"
    RATELIMIT_HEADERS_ENABLED = True
    # the public credential check (POST /api/credentials/verify) per address: enough for a
    # registrar's office behind one address, not for a script trying forgeries
    VERIFY_RATE_LIMIT = os.environ.get("VERIFY_RATE_LIMIT", "120 per minute")
    # Sign-in policy (docs/deploy.md): successes never count; wrong passwords are counted
    # per account name (after 10 within 15 minutes of each other: wait 30 s, doubling each
    # time, at most 15 minutes) and per address (a ceiling sized for a whole school behind
    # one address). backend/services/sign_in_throttle.py
    SIGNIN_ACCOUNT_FAILURES = _int_env("SIGNIN_ACCOUNT_FAILURES", 10)
    SIGNIN_ACCOUNT_WINDOW = _int_env("SIGNIN_ACCOUNT_WINDOW", 15 * 60)
    SIGNIN_BACKOFF_BASE = _int_env("SIGNIN_BACKOFF_BASE", 30)
    SIGNIN_BACKOFF_CAP = _int_env("SIGNIN_BACKOFF_CAP", 15 * 60)
    SIGNIN_ADDRESS_FAILURES = _int_env("SIGNIN_ADDRESS_FAILURES", 300)
    SIGNIN_ADDRESS_WINDOW = _int_env("SIGNIN_ADDRESS_WINDOW", 10 * 60)
    API_TITLE = "Waypoint API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    PROPAGATE_EXCEPTIONS = False


class TestConfig(Config):
    """Isolated database per test run; DATABASE_URL still wins so CI can point at PostgreSQL."""

    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or "sqlite://"
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    RATELIMIT_STORAGE_URI = "memory://"
    TOKEN_BLOCKLIST = "database"
    STARTUP_CHECKS = False
    VERIFY_RATE_LIMIT = "10000 per minute"  # tests/backend/credentials sets its own to test it
    LOGIN_RATE_LIMIT = "1000 per minute"  # no longer read (sign-ins are throttled per
    # account, backend/services/sign_in_throttle.py); kept for tests/conftest.py
    WAYPOINT_ENV = "test"  # even under a production environment (scale services wrapper)
    SECRET_KEY = "test-secret-key-" + "y" * 40
    JWT_SECRET_KEY = "test-secret-" + "x" * 40
