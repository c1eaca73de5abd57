"""Misconfiguration stops the start with one line naming the setting (backend/startup.py)."""

import secrets
import subprocess
import sys

import pytest

from backend import create_app
from backend.config import TestConfig
from backend.startup import StartupError
from deploy.topology import ROOT, S3_CREDENTIALS, free_port


def _start(monkeypatch, **config) -> StartupError:
    for key, value in S3_CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    cfg = type("StartupConfig", (TestConfig,), {"STARTUP_CHECKS": True, **config})
    with pytest.raises(StartupError) as info:
        create_app(cfg)
    line = str(info.value)
    assert "\n" not in line and line.startswith("waypoint: "), line
    return info.value


def _dead_url(scheme: str) -> str:
    return f"{scheme}://127.0.0.1:{free_port()}"  # nothing listens on a port just freed


def test_postgresql_url_with_a_typo_names_database_url(monkeypatch):
    err = _start(monkeypatch, SQLALCHEMY_DATABASE_URI="postgress://u:secret@127.0.0.1/w")
    assert err.setting == "DATABASE_URL"
    assert "secret" not in err.line  # passwords never reach a log


def test_unreachable_postgresql_names_database_url(monkeypatch):
    url = f"postgresql+psycopg://postgres:pw@127.0.0.1:{free_port()}/waypoint"
    err = _start(monkeypatch, SQLALCHEMY_DATABASE_URI=url,
                 SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}})
    assert err.setting == "DATABASE_URL" and "cannot connect" in err.line
    assert "pw" not in err.line.split("(")[0]


def test_wrong_database_name_names_database_url(monkeypatch, pg_server):
    url = pg_server.url.rsplit("/", 1)[0] + "/waypiont"
    err = _start(monkeypatch, SQLALCHEMY_DATABASE_URI=url)
    assert err.setting == "DATABASE_URL" and "waypiont" in err.line


def test_unreachable_redis_names_redis_url(monkeypatch):
    err = _start(monkeypatch, REDIS_URL=_dead_url("redis") + "/0")
    assert err.setting == "REDIS_URL" and "cannot reach Redis" in err.line


def test_unreachable_limiter_storage_names_its_setting(monkeypatch):
    err = _start(monkeypatch, RATELIMIT_STORAGE_URI=_dead_url("redis"))
    assert err.setting == "RATELIMIT_STORAGE_URI"


def test_missing_bucket_names_blob_store_url(monkeypatch, s3_server):
    err = _start(monkeypatch, BLOB_STORE_URL="s3://no-such-bucket",
                 S3_ENDPOINT_URL=s3_server.endpoint)
    assert err.setting == "BLOB_STORE_URL" and "does not exist" in err.line


def test_unreachable_s3_endpoint_names_s3_endpoint_url(monkeypatch):
    err = _start(monkeypatch, BLOB_STORE_URL="s3://waypoint-evidence",
                 S3_ENDPOINT_URL=_dead_url("http"))
    assert err.setting == "S3_ENDPOINT_URL"


def test_unknown_blob_store_scheme_names_blob_store_url(monkeypatch):
    err = _start(monkeypatch, BLOB_STORE_URL="ftp://example/blobs")
    assert err.setting == "BLOB_STORE_URL" and "s3://" in err.line


def test_the_scale_profile_starts_when_everything_answers(monkeypatch, pg_server, redis_server,
                                                          s3_server):
    for key, value in S3_CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    cfg = type("ScaleConfig", (TestConfig,), {
        "WAYPOINT_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
        "JWT_SECRET_KEY": secrets.token_hex(32),
        "STARTUP_CHECKS": True, "SQLALCHEMY_DATABASE_URI": pg_server.url,
        "REDIS_URL": redis_server.url, "RATELIMIT_STORAGE_URI": redis_server.url,
        "BLOB_STORE_URL": f"s3://{s3_server.BUCKET}", "S3_ENDPOINT_URL": s3_server.endpoint})
    assert create_app(cfg).config["STARTUP_CHECKS"]


def test_the_command_line_check_prints_one_line_and_exits_1(tmp_path):
    """`python -m backend.startup` also wants the migrated tables (create_app alone cannot)."""
    env = {"PATH": "/usr/bin:/bin",
           "WAYPOINT_INSTANCE": str(tmp_path), "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "backend.startup"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    lines = [line for line in out.stderr.splitlines() if line.startswith("waypoint:")]
    assert len(lines) == 1 and "DATABASE_URL" in lines[0], out.stderr
    assert "flask db upgrade" in lines[0]


def test_a_production_start_without_a_key_prints_one_line_naming_secret_key(tmp_path):
    """WAYPOINT_ENV=production and no SECRET_KEY: refused before anything else is tried."""
    env = {"PATH": "/usr/bin:/bin", "WAYPOINT_INSTANCE": str(tmp_path), "HOME": str(tmp_path),
           "WAYPOINT_ENV": "production"}
    out = subprocess.run([sys.executable, "-m", "backend.startup"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    lines = [line for line in out.stderr.splitlines() if line.startswith("waypoint:")]
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("waypoint: SECRET_KEY: is not set"), lines[0]
    assert not (tmp_path / "secret_keys.json").exists()


def test_a_production_start_with_the_old_default_key_is_refused(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "WAYPOINT_INSTANCE": str(tmp_path), "HOME": str(tmp_path),
           "WAYPOINT_ENV": "production", "SECRET_KEY": "dev-only-change-me-" + "w" * 32}
    out = subprocess.run([sys.executable, "-m", "backend.startup"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    lines = [line for line in out.stderr.splitlines() if line.startswith("waypoint:")]
    assert lines == ["waypoint: SECRET_KEY: is a publicly known key; set a random key of at "
                     "least 32 characters"], out.stderr
