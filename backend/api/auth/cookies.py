"""The browser's session: tokens in httpOnly cookies, and the double-submit CSRF cookies.

Page scripts never see a token: the access and refresh tokens travel only in httpOnly
cookies (SameSite=Strict, Path=/ so the Reflex socket's handshake carries them too). Each
token has a JS-readable companion cookie holding its `csrf` claim; on every unsafe method
the page echoes it in `X-CSRF-TOKEN`, which a cross-site page cannot read, and
flask-jwt-extended refuses the request when the two differ (backend/errors.py words it).

API clients keep `Authorization: Bearer`; a request carrying that header is judged by the
header alone, so nothing here changes for them.
"""

from __future__ import annotations

import hmac

from flask import Response, current_app, request
from flask_jwt_extended import decode_token, get_csrf_token
from flask_jwt_extended.exceptions import CSRFError, JWTExtendedException
from jwt.exceptions import PyJWTError

CSRF_HEADER = "X-CSRF-TOKEN"


def _names() -> dict[str, str]:
    config = current_app.config
    return {
        "access": config["JWT_ACCESS_COOKIE_NAME"],
        "refresh": config["JWT_REFRESH_COOKIE_NAME"],
        "csrf_access": config["JWT_ACCESS_CSRF_COOKIE_NAME"],
        "csrf_refresh": config["JWT_REFRESH_CSRF_COOKIE_NAME"],
    }


def _secure() -> bool:
    mode = str(current_app.config.get("AUTH_COOKIE_SECURE", "auto")).lower()
    if mode in ("1", "true", "yes", "on"):
        return True
    if mode in ("0", "false", "no", "off"):
        return False
    return request.is_secure


def _set(response: Response, name: str, value: str, max_age: int, *, httponly: bool,
         path_key: str) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        secure=_secure(),
        httponly=httponly,
        samesite=current_app.config["JWT_COOKIE_SAMESITE"],
        path=current_app.config[path_key],
        domain=current_app.config.get("JWT_COOKIE_DOMAIN") or None,
    )


def _seconds(key: str) -> int:
    return int(current_app.config[key].total_seconds())


def _set_token(response: Response, kind: str, token: str) -> None:
    """A token (httpOnly) and its csrf value (readable by the page); kind: access|refresh."""
    upper = kind.upper()
    names, age = _names(), _seconds(f"JWT_{upper}_TOKEN_EXPIRES")
    _set(response, names[kind], token, age, httponly=True, path_key=f"JWT_{upper}_COOKIE_PATH")
    _set(response, names[f"csrf_{kind}"], get_csrf_token(token), age, httponly=False,
         path_key=f"JWT_{upper}_CSRF_COOKIE_PATH")


def set_access_cookie(response: Response, access_token: str) -> None:
    """The access token (httpOnly) and its csrf value (readable by the page)."""
    _set_token(response, "access", access_token)


def set_refresh_cookie(response: Response, refresh_token: str) -> None:
    """The refresh token (httpOnly) and its csrf value (readable by the page)."""
    _set_token(response, "refresh", refresh_token)


def unset_cookies(response: Response) -> None:
    """Expire all four cookies in the browser (same name, path and flags as when set)."""
    names = _names()
    paths = {"access": "JWT_ACCESS_COOKIE_PATH", "refresh": "JWT_REFRESH_COOKIE_PATH",
             "csrf_access": "JWT_ACCESS_CSRF_COOKIE_PATH",
             "csrf_refresh": "JWT_REFRESH_CSRF_COOKIE_PATH"}
    for kind, name in names.items():
        _set(response, name, "", 0, httponly=not kind.startswith("csrf"), path_key=paths[kind])


def uses_cookies() -> bool:
    """True when this request is judged by its cookies: no Authorization header, and a
    session cookie present (a Bearer header always wins, as in flask-jwt-extended)."""
    if request.headers.get("Authorization", "").strip():
        return False
    names = _names()
    return bool(request.cookies.get(names["access"]) or request.cookies.get(names["refresh"]))


def cookie_tokens() -> list[dict]:
    """The decoded, unexpired tokens among this request's access and refresh cookies.

    Signature and expiry are checked here; the caller checks the CSRF proof (`check_csrf`).
    """
    names, found = _names(), []
    for kind in ("access", "refresh"):
        raw = request.cookies.get(names[kind])
        if not raw:
            continue
        try:
            found.append(decode_token(raw))
        except (JWTExtendedException, PyJWTError):
            continue  # expired or forged: nothing to revoke
    return found


def check_csrf(tokens: list[dict]) -> None:
    """Raise CSRFError unless X-CSRF-TOKEN matches the csrf claim of one of `tokens`."""
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        raise CSRFError("Missing CSRF token")
    if not any(hmac.compare_digest(str(t.get("csrf", "")), sent) for t in tokens):
        raise CSRFError("CSRF double submit tokens do not match")
