"""Waypoint's Flask API: `create_app(config)` builds it; nothing is global but the extensions."""

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from backend.config import Config
from backend.errors import AppError, register_error_handlers
from backend.extensions import db, jwt, limiter, migrate, rest_api
from backend.i18n import N_
from backend.input_limits import install_id_converter, refuse_deep_json
from backend.keys import ensure_signing_keys
from backend.startup import check_database_url, check_services


def create_app(config: type[Config] | dict | None = None) -> Flask:
    """Build the API. `config` is a Config class or a dict of overrides."""
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)

    ensure_signing_keys(app)  # production: refuse a missing or public key (one line)
    if app.config["STARTUP_CHECKS"]:
        check_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    db.init_app(app)
    _install_hooks_once()
    migrate.init_app(app, db, directory=str(_migrations_dir()))
    jwt.init_app(app)
    limiter.init_app(app)
    rest_api.init_app(app)

    from backend import auth, models  # noqa: F401  (registers tables and JWT callbacks)
    from backend.api import register_blueprints
    from backend.cli import register_cli

    install_id_converter(app, rest_api)  # before the routes: a path id beyond INTEGER is a 404
    register_blueprints(rest_api)
    register_cli(app)
    register_error_handlers(app)
    _guard_json_bodies(app)
    _security_headers(app)
    if app.config["TRUSTED_PROXIES"]:
        # behind nginx: the rate limiter must see the learner's address, not the proxy's
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    if app.config["STARTUP_CHECKS"]:
        check_services(app)  # one clear line naming the setting, then exit 1
        from backend.interop.jobs import recover_jobs

        recover_jobs(app)  # jobs a previous run left "running" are failed, with a reason
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
                N_("The request body is larger than {kb} KB."),
                params={"kb": app.config["MAX_JSON_BYTES"] // 1024},
                status=413,
            )
        refuse_deep_json()  # nested deeper than the decoder recurses: 400, never a 500


# The API answers JSON (and evidence files) only: nothing of it should ever be framed,
# sniffed into HTML or run as a page. nginx adds HSTS where TLS ends.
_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    # children's records: no browser or proxy keeps a copy (a response that wants caching,
    # like an evidence file, says so itself)
    "Cache-Control": "no-store",
}


def _security_headers(app: Flask) -> None:
    """Add the security headers to every API response that does not set its own."""

    @app.after_request
    def _add_headers(response):
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
