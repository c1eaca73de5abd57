"""Configuration read from the environment, with embedded defaults (SQLite + a local folder)."""

import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("WAYPOINT_INSTANCE", ROOT / "instance"))


def _default_database_url() -> str:
    INSTANCE.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{INSTANCE / 'waypoint.db'}"


class Config:
    """Production-ish defaults; every value can be overridden by an environment variable."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-change-me-" + "w" * 32)
    JWT_SECRET_KEY = os.environ.get("JWT_SECRET_KEY", SECRET_KEY)
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(hours=8)  # one school day on a shared Chromebook
    # a learner offline over a holiday can still sync when they come back
    JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=30)
    JWT_TOKEN_LOCATION = ["headers"]
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or _default_database_url()
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    BLOB_STORE_URL = os.environ.get("BLOB_STORE_URL") or f"file://{INSTANCE / 'blobs'}"
    BLOB_MAX_BYTES = int(os.environ.get("BLOB_MAX_BYTES", 15 * 1024 * 1024))
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 16 * 1024 * 1024))
    MAX_JSON_BYTES = int(os.environ.get("MAX_JSON_BYTES", 2 * 1024 * 1024))
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
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
    LOGIN_RATE_LIMIT = "1000 per minute"
    JWT_SECRET_KEY = "test-secret-" + "x" * 40
