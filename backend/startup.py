"""Fail fast: refuse to start, in one line naming the setting, when a service can't be used.

A typo in DATABASE_URL, a Redis that is not running or a bucket that does not exist must
stop the server when it starts, not surface as a 500 on the first learner's photo.

    python -m backend.startup      # check the environment's settings; exit 1 with the line
"""

import sys
from urllib.parse import urlsplit, urlunsplit

from flask import Flask
from sqlalchemy import inspect, make_url, text
from sqlalchemy.exc import ArgumentError, NoSuchModuleError


class StartupError(SystemExit):
    """A setting that cannot work. Uncaught, Python prints just the line and exits 1."""

    def __init__(self, setting: str, problem: str):
        self.setting = setting
        self.line = f"waypoint: {setting}: {problem}"
        super().__init__(self.line)

    def __str__(self) -> str:
        return self.line


def _first_line(exc: BaseException) -> str:
    text_ = str(exc).strip().splitlines()
    return (text_[0] if text_ else type(exc).__name__)[:300]


def _redact(url: str) -> str:
    """The URL without its password, fit to print in a log line."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def check_database_url(url: str) -> None:
    """Before the engine exists: is DATABASE_URL a URL SQLAlchemy has a driver for?"""
    try:
        make_url(url).get_dialect()
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise StartupError("DATABASE_URL", f"cannot use {_redact(url)!r} ({_first_line(exc)}); "
                           "expected postgresql+psycopg://user:password@host:5432/name or "
                           "sqlite:///path") from None


def check_database(app: Flask) -> None:
    """Connect once and see the migrated schema (the version counter table)."""
    from backend.extensions import db

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            has_schema = inspect(conn).has_table("version_counter")
    except Exception as exc:  # noqa: BLE001 — any driver error means "cannot use it"
        raise StartupError("DATABASE_URL",
                           f"cannot connect to {_redact(url)} ({_first_line(exc)})") from None
    finally:
        db.engine.dispose()  # gunicorn forks after this: children must not share sockets
    # not in create_app's own check: `flask db upgrade` builds the app before the tables exist
    if not has_schema and app.config.get("STARTUP_REQUIRE_SCHEMA", False):
        raise StartupError("DATABASE_URL", f"{_redact(url)} has no Waypoint tables; "
                           "run `flask db upgrade` first")


def check_redis(url: str, setting: str = "REDIS_URL") -> None:
    """PING the Redis that holds rate-limit counters, the blocklist and Reflex's state."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
        client.ping()
        client.close()
    except (redis.RedisError, ValueError, OSError) as exc:
        raise StartupError(setting, f"cannot reach Redis at {_redact(url)} "
                           f"({_first_line(exc)})") from None


def check_blob_store(app: Flask) -> None:
    """The bucket (or folder) exists and these credentials may use it."""
    from backend.blobstore import store_from_url

    cfg = app.config
    url = cfg["BLOB_STORE_URL"]
    try:
        store = store_from_url(url, endpoint_url=cfg.get("S3_ENDPOINT_URL"),
                               region=cfg.get("S3_REGION"))
    except ValueError as exc:
        raise StartupError("BLOB_STORE_URL", f"cannot use {url!r}: {exc}") from None
    try:
        store.check()
    except OSError as exc:
        raise StartupError("BLOB_STORE_URL", f"cannot write to {url} ({exc})") from None
    except Exception as exc:  # noqa: BLE001 — botocore's errors, without importing it here
        raise _s3_error(url, cfg.get("S3_ENDPOINT_URL"), exc) from None


def _s3_error(url: str, endpoint: str | None, exc: Exception) -> StartupError:
    code = str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))
    where = endpoint or "AWS"
    if code in ("404", "NoSuchBucket"):
        return StartupError("BLOB_STORE_URL", f"bucket of {url} does not exist at {where}")
    if code in ("403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
        return StartupError("AWS_ACCESS_KEY_ID", f"these credentials may not use {url} at "
                            f"{where} ({code})")
    if "credentials" in _first_line(exc).lower():
        return StartupError("AWS_ACCESS_KEY_ID", f"no S3 credentials for {url}: set "
                            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
    setting = "S3_ENDPOINT_URL" if endpoint else "BLOB_STORE_URL"
    return StartupError(setting, f"cannot reach the S3 store at {where} for {url} "
                        f"({_first_line(exc)})")


def check_services(app: Flask) -> None:
    """Every service this configuration names, in the order a person would fix them."""
    with app.app_context():
        check_database(app)
    redis_urls = {app.config.get("REDIS_URL"): "REDIS_URL"}
    limiter_url = app.config.get("RATELIMIT_STORAGE_URI") or ""
    if limiter_url.startswith(("redis://", "rediss://")):
        redis_urls.setdefault(limiter_url, "RATELIMIT_STORAGE_URI")
    for url, setting in redis_urls.items():
        if url:
            check_redis(url, setting)
    check_blob_store(app)


def main() -> int:
    """Build the app from the environment with its checks on; print `ok` or the one line."""
    from backend import create_app

    try:
        create_app({"STARTUP_CHECKS": True, "STARTUP_REQUIRE_SCHEMA": True})
    except StartupError as exc:
        print(exc.line, file=sys.stderr)
        return 1
    print("waypoint: settings ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
