"""One JSON error shape for every failure: {code, status, message, errors}, in the reader's
language (backend/error_words.py: the person's setting, else Accept-Language).

An AppError carries its English msgid (marked with N_ or written in the raise) and the
values for its {placeholders}; the handler translates it once, here, so a view never
builds a sentence and the catalog holds every message whole.
"""

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from backend.error_words import plain, plain_errors, request_locale, summary
from backend.i18n import N_, gettext

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
    400: N_("The request could not be read."),
    401: N_("Please sign in."),
    403: N_("You are not allowed to do that."),
    404: N_("That was not found."),
    405: N_("That action is not allowed here."),
    413: N_("That is too large."),
    429: N_("Too many attempts. Please wait a minute and try again."),
    500: N_("Something went wrong on our side. Nothing you sent was lost; please try again."),
}
NOT_JSON = N_("The body is not valid JSON.")
CSRF = N_("Waypoint could not confirm this came from its own page. Reload the page and try "
          "again.")


class AppError(Exception):
    """A domain error a view raises; the handler renders it in the one error shape.

    `message` is the English msgid, `params` fill its {placeholders}:
    AppError(N_("That file is larger than {mb} MB."), params={"mb": 10}, status=413).
    `message` on the instance is the English sentence (for logs and tests)."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None,
                 errors: dict | None = None, params: dict | None = None, **extra):
        self.msgid = message
        self.params = params or {}
        message = message.format(**self.params) if self.params else message
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


def register_error_handlers(app: Flask) -> None:
    """Install handlers after flask-smorest so that ours win."""

    @app.errorhandler(AppError)
    def _app_error(err: AppError):
        locale = request_locale()
        message = gettext(err.msgid, locale=locale, **err.params)
        return error_response(err.status, message, plain_errors(err.errors, locale), err.code,
                              **err.extra)

    from flask_jwt_extended.exceptions import CSRFError

    @app.errorhandler(CSRFError)
    def _csrf(_err: CSRFError):
        # a cookie-authenticated write without the page's X-CSRF-TOKEN (or a stale one):
        # refused before the view runs, so nothing was written
        return error_response(403, gettext(CSRF, locale=request_locale()), code="csrf_failed")

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        status = err.code or 500
        locale = request_locale()
        data = getattr(err, "data", None) or {}
        errors = data.get("messages") or {}
        message = data.get("message")
        if status == 400 and ("JSON" in (err.description or "") or "JSON" in str(errors)):
            message, errors = gettext(NOT_JSON, locale=locale), {}
        elif errors:
            errors = plain_errors(errors, locale)
            if status == 422:
                message = summary(errors, locale)
            elif message:
                message = plain(message, locale=locale)
        if not message:
            # 429's description is flask-limiter's "3 per 1 minute": say it in words instead
            plain_only = (404, 405, 429, 500)
            desc = err.description if err.description and status not in plain_only else None
            message = gettext(desc or _PLAIN.get(status, err.name), locale=locale)
        return error_response(status, message, errors)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        log.exception("unhandled error")
        return error_response(500, gettext(_PLAIN[500], locale=request_locale()))
