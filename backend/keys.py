"""The keys that sign sessions and tokens: from the environment, or made once per instance.

A key written in the code (or in any public file) lets anyone mint an admin's token, so
there is none. A production start (WAYPOINT_ENV=production: a district server, the scale
profile) must be given SECRET_KEY (and may give a separate JWT_SECRET_KEY) and refuses to
start, in one line naming the setting, when a key is missing, short or a known public one.
Any other start (`make run`, `flask` commands, tests without keys) generates random keys on
first start and keeps them in the instance folder (mode 0600), so sessions survive a
restart and every process of one instance signs with the same keys.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from pathlib import Path

from flask import Flask

from backend.startup import StartupError

KEY_FILE = "secret_keys.json"
MIN_KEY_LENGTH = 32
# Keys that were ever written in this repository (old defaults, test and demo keys): a
# token signed with one of them must never be accepted by a district's server.
KNOWN_PUBLIC_KEYS = frozenset({
    "dev-only-change-me-" + "w" * 32,
    "test-secret-" + "x" * 40,
    "test-secret-key-" + "y" * 40,
    "scale-services-" + "s" * 32,
    "change-me", "changeme", "secret", "dev", "development",
})
_SETTINGS = ("SECRET_KEY", "JWT_SECRET_KEY")

# the one line of a refused production start, per problem
_MISSING = ("is not set; a production start needs a random key of at least 32 characters "
            "(python -c 'import secrets; print(secrets.token_hex(32))')")
_SHORT = "is shorter than 32 characters; use a random key of at least 32 characters"
_PUBLIC = "is a publicly known key; set a random key of at least 32 characters"


def is_production(app: Flask) -> bool:
    return str(app.config.get("WAYPOINT_ENV", "")).strip().lower() == "production"


def ensure_signing_keys(app: Flask) -> None:
    """Fill in SECRET_KEY and JWT_SECRET_KEY, or refuse a production start without them."""
    if is_production(app):
        _check_production_keys(app)
        return
    if app.config.get("SECRET_KEY") and app.config.get("JWT_SECRET_KEY"):
        return
    if app.config.get("SECRET_KEY"):
        app.config["JWT_SECRET_KEY"] = app.config["SECRET_KEY"]
        return
    stored = instance_keys(Path(app.config["INSTANCE_DIR"]))
    for setting in _SETTINGS:
        if not app.config.get(setting):
            app.config[setting] = stored[setting]


def _check_production_keys(app: Flask) -> None:
    if not app.config.get("JWT_SECRET_KEY"):
        app.config["JWT_SECRET_KEY"] = app.config.get("SECRET_KEY")
    for setting in _SETTINGS:
        key = app.config.get(setting)
        if not key:
            raise StartupError(setting, _MISSING)
        if str(key) in KNOWN_PUBLIC_KEYS:
            raise StartupError(setting, _PUBLIC)
        if len(str(key)) < MIN_KEY_LENGTH:
            raise StartupError(setting, _SHORT)


def instance_keys(folder: Path) -> dict[str, str]:
    """The instance's keys, generated on first use and reused after.

    Written to a private temporary file, then linked into place: two processes starting
    at once both end up with the first one's keys, and nobody reads a half-written file.
    """
    path = folder / KEY_FILE
    keys = _read(path)
    if keys is not None:
        return keys
    folder.mkdir(parents=True, exist_ok=True)
    fresh = {setting: secrets.token_hex(32) for setting in _SETTINGS}
    tmp = folder / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as out:
            json.dump(fresh, out)
        with contextlib.suppress(FileExistsError):  # another process won: use its keys
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    keys = _read(path)
    if keys is None:
        raise StartupError("SECRET_KEY", f"cannot read the generated keys in {path}; "
                           "delete the file or set SECRET_KEY")
    return keys


def _read(path: Path) -> dict[str, str] | None:
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return None
    if not all(isinstance(data.get(s), str) and len(data[s]) >= MIN_KEY_LENGTH
               for s in _SETTINGS):
        return None
    return data
