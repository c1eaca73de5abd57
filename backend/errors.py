"""One JSON error shape for every failure: {code, status, message, errors}."""

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    500: "server_error",
}

_PLAIN = {
    400: "The request could not be read.",
    401: "Please sign in.",
    403: "You are not allowed to do that.",
    404: "That was not found.",
    405: "That action is not allowed here.",
    413: "That is too large.",
    429: "Too many attempts. Please wait a minute and try again.",
    500: "Something went wrong on our side. Nothing you sent was lost; please try again.",
}


class AppError(Exception):
    """A domain error a view raises; the handler renders it in the one error shape."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None,
                 errors: dict | None = None, **extra):
        super().__init__(message)
        self.message = message
        self.status = status or self.status
        self.code = code or _CODES.get(self.status, self.code)
        self.errors = errors or {}
        self.extra = extra


def error_response(status: int, message: str, errors: dict | None = None,
                   code: str | None = None, **extra):
    """Build the single error body. Every error path goes through here."""
    body = {
        "code": code or _CODES.get(status, "error"),
        "status": status,
        "message": message,
        "errors": errors or {},
    }
    body.update(extra)
    return jsonify(body), status


def _flatten_validation(messages) -> str:
    """Turn marshmallow's nested messages into one sentence a person can read."""
    parts: list[str] = []

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list):
            for item in value:
                walk(prefix, item)
        else:
            if prefix in ("json", "query", "form", "files", "headers", "_schema"):
                parts.append(str(value))
            else:
                field = prefix.split(".", 1)[1] if "." in prefix else prefix
                parts.append(f"{field}: {value}")

    walk("", messages)
    return "; ".join(parts) or "Some fields are not valid."


def register_error_handlers(app: Flask) -> None:
    """Install handlers after flask-smorest so that ours win."""

    @app.errorhandler(AppError)
    def _app_error(err: AppError):
        return error_response(err.status, err.message, err.errors, err.code, **err.extra)

    from flask_jwt_extended.exceptions import CSRFError

    @app.errorhandler(CSRFError)
    def _csrf(_err: CSRFError):
        # a cookie-authenticated write without the page's X-CSRF-TOKEN (or a stale one):
        # refused before the view runs, so nothing was written
        return error_response(
            403, "Waypoint could not confirm this came from its own page. Reload the page "
                 "and try again.", code="csrf_failed")

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        status = err.code or 500
        data = getattr(err, "data", None) or {}
        errors = data.get("messages") or {}
        message = data.get("message")
        if status == 422 and errors:
            message = _flatten_validation(errors)
        elif status == 400 and ("JSON" in (err.description or "") or "JSON" in str(errors)):
            message = "The body is not valid JSON."
        if not message:
            # 429's description is flask-limiter's "3 per 1 minute": say it in words instead
            plain_only = (404, 405, 429, 500)
            desc = err.description if err.description and status not in plain_only else None
            message = desc or _PLAIN.get(status, err.name)
        return error_response(status, message, errors)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        log.exception("unhandled error")
        return error_response(500, _PLAIN[500])
