"""Waypoint's Flask API: `create_app(config)` builds it; nothing is global but the extensions."""

from flask import Flask, request

from backend.config import Config
from backend.errors import AppError, register_error_handlers
from backend.extensions import db, jwt, limiter, migrate, rest_api


def create_app(config: type[Config] | dict | None = None) -> Flask:
    """Build the API. `config` is a Config class or a dict of overrides."""
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)

    db.init_app(app)
    _install_hooks_once()
    migrate.init_app(app, db, directory=str(_migrations_dir()))
    jwt.init_app(app)
    limiter.init_app(app)
    rest_api.init_app(app)

    from backend import auth, models  # noqa: F401  (registers tables and JWT callbacks)
    from backend.api import register_blueprints
    from backend.cli import register_cli

    register_blueprints(rest_api)
    register_cli(app)
    register_error_handlers(app)
    _guard_json_bodies(app)
    return app


_HOOKS: list[bool] = []


def _install_hooks_once() -> None:
    """Session events are global to SQLAlchemy's Session class: install them once."""
    if _HOOKS:
        return
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

    from backend.services.versions import install_version_hook

    install_version_hook(Session)

    @event.listens_for(Engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        """SQLite as a real server database: foreign keys on, readers never block writers."""
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            if cursor.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    _HOOKS.append(True)


def _migrations_dir():
    from backend.config import ROOT

    return ROOT / "migrations"


def _guard_json_bodies(app: Flask) -> None:
    """Refuse oversized JSON early, before anything parses it."""

    @app.before_request
    def _limit_json():
        if request.is_json and (request.content_length or 0) > app.config["MAX_JSON_BYTES"]:
            raise AppError(
                f"The request body is larger than {app.config['MAX_JSON_BYTES'] // 1024} KB.",
                status=413,
            )
