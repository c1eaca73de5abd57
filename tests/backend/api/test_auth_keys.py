"""Signing keys (issue 13 finding 1): no public default; an instance makes its own once."""

import stat
import uuid
from datetime import UTC, datetime, timedelta

import jwt as pyjwt
import pytest

from backend import create_app
from backend.keys import KEY_FILE, instance_keys
from backend.startup import StartupError

OLD_DEFAULT = "dev-only-change-me-" + "w" * 32  # the key backend/config.py used to ship


def _forge(key: str, user_id: int) -> dict:
    """An admin's access token as flask-jwt-extended would mint it, signed with `key`."""
    now = datetime.now(UTC)
    claims = {"sub": str(user_id), "type": "access", "fresh": False, "jti": str(uuid.uuid4()),
              "iat": now, "nbf": now, "exp": now + timedelta(hours=1), "role": "admin",
              "school_id": 1, "tv": 0}
    return {"Authorization": f"Bearer {pyjwt.encode(claims, key, algorithm='HS256')}"}


@pytest.fixture
def keyless_app(make_app, tmp_path):
    """An instance started with no key set (as `make run` on a fresh checkout)."""
    return make_app(SECRET_KEY=None, JWT_SECRET_KEY=None, INSTANCE_DIR=str(tmp_path / "inst"))


def test_a_token_signed_with_the_old_default_is_refused(keyless_app, ids, assert_error):
    client = keyless_app.test_client()
    assert_error(client.get("/api/auth/me", headers=_forge(OLD_DEFAULT, ids["admin"])), 401)
    # the control: the same forgery with the instance's own key is accepted
    own = keyless_app.config["JWT_SECRET_KEY"]
    assert client.get("/api/auth/me", headers=_forge(own, ids["admin"])).status_code == 200


def test_the_instance_keys_are_random_private_and_kept_across_restarts(make_app, tmp_path):
    folder = tmp_path / "inst"
    first = make_app(SECRET_KEY=None, JWT_SECRET_KEY=None, INSTANCE_DIR=str(folder))
    keys = (first.config["SECRET_KEY"], first.config["JWT_SECRET_KEY"])
    path = folder / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keys[0] != keys[1] and all(len(k) >= 32 for k in keys)
    assert OLD_DEFAULT not in keys
    again = make_app(database_url=first.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY=None,
                     JWT_SECRET_KEY=None, INSTANCE_DIR=str(folder))
    assert (again.config["SECRET_KEY"], again.config["JWT_SECRET_KEY"]) == keys
    # another instance folder makes other keys
    other = instance_keys(tmp_path / "elsewhere")
    assert other["JWT_SECRET_KEY"] != keys[1]


def test_a_sign_in_survives_a_restart_of_the_instance(make_app, tmp_path):
    folder = str(tmp_path / "inst")
    first = make_app(SECRET_KEY=None, JWT_SECRET_KEY=None, INSTANCE_DIR=folder)
    token = first.test_client().post("/api/auth/login", json={
        "username": "teacher", "password": "waypoint"}).get_json()["access_token"]
    again = make_app(database_url=first.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY=None,
                     JWT_SECRET_KEY=None, INSTANCE_DIR=folder)
    me = again.test_client().get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200


def test_keys_from_the_environment_are_used_as_given(make_app, tmp_path):
    app = make_app(SECRET_KEY="k" * 40, JWT_SECRET_KEY=None, INSTANCE_DIR=str(tmp_path / "i"))
    assert app.config["JWT_SECRET_KEY"] == "k" * 40
    assert not (tmp_path / "i" / KEY_FILE).exists()


def test_a_damaged_key_file_stops_the_start_with_one_line(tmp_path):
    (tmp_path / KEY_FILE).write_text("{not json")
    with pytest.raises(StartupError) as info:
        instance_keys(tmp_path)
    assert info.value.setting == "SECRET_KEY" and "\n" not in info.value.line


@pytest.mark.parametrize(("config", "setting", "words"), [
    ({"SECRET_KEY": None, "JWT_SECRET_KEY": None}, "SECRET_KEY", "is not set"),
    ({"SECRET_KEY": OLD_DEFAULT, "JWT_SECRET_KEY": None}, "SECRET_KEY", "publicly known"),
    ({"SECRET_KEY": "short-key", "JWT_SECRET_KEY": None}, "SECRET_KEY", "shorter than 32"),
    ({"SECRET_KEY": "r" * 40, "JWT_SECRET_KEY": "test-secret-" + "x" * 40}, "JWT_SECRET_KEY",
     "publicly known"),
])
def test_a_production_start_refuses_a_missing_short_or_public_key(tmp_path, config, setting,
                                                                   words):
    with pytest.raises(StartupError) as info:
        create_app({"WAYPOINT_ENV": "production", "INSTANCE_DIR": str(tmp_path),
                    "SQLALCHEMY_DATABASE_URI": "sqlite://", "STARTUP_CHECKS": False, **config})
    line = info.value.line
    assert info.value.setting == setting
    assert line.startswith(f"waypoint: {setting}: ") and words in line and "\n" not in line
    assert not (tmp_path / KEY_FILE).exists()  # production never makes its own


def test_a_production_start_with_real_keys_starts(tmp_path):
    app = create_app({"WAYPOINT_ENV": "production", "INSTANCE_DIR": str(tmp_path),
                      "SQLALCHEMY_DATABASE_URI": "sqlite://", "STARTUP_CHECKS": False,
                      # DATABASE_URL may name PostgreSQL (the scale run): not its pool options
                      "SQLALCHEMY_ENGINE_OPTIONS": {},
                      "SECRET_KEY": "a" * 20 + "b" * 20, "JWT_SECRET_KEY": None})
    assert app.config["JWT_SECRET_KEY"] == "a" * 20 + "b" * 20
