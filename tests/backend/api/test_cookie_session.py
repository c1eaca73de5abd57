"""The browser's session: httpOnly cookies, the double-submit CSRF check, refresh and
sign-out through cookies, and API clients (Bearer) unchanged beside it."""

import re
import uuid

import pytest
from flask_jwt_extended import create_access_token
from sqlalchemy import select

from backend.extensions import db
from backend.models import User
from tests.backend.api.test_authorization_matrix import MATRIX, _refs, _resolve, _url

ACCESS, REFRESH = "waypoint_access", "waypoint_refresh"
CSRF_ACCESS, CSRF_REFRESH = "waypoint_csrf_access", "waypoint_csrf_refresh"
ALL_COOKIES = (ACCESS, REFRESH, CSRF_ACCESS, CSRF_REFRESH)
JWT = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]+")
CSRF_MESSAGE = ("Waypoint could not confirm this came from its own page. Reload the page "
                "and try again.")
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def _set_cookies(resp) -> dict[str, str]:
    """name -> the whole Set-Cookie line, for the cookies this response sets."""
    return {line.split("=", 1)[0]: line for line in resp.headers.getlist("Set-Cookie")}


def _attrs(line: str) -> dict[str, str]:
    parts = [p.strip() for p in line.split(";")[1:]]
    return {p.split("=", 1)[0].lower(): (p.split("=", 1)[1] if "=" in p else "") for p in parts}


def _cookie(client, name: str) -> str | None:
    cookie = client.get_cookie(name)
    return cookie.value if cookie else None


def _browser_sign_in(client, username="student"):
    resp = client.post("/api/auth/login",
                       json={"username": username, "password": "waypoint", "cookies": True})
    assert resp.status_code == 200, resp.get_json()
    return resp


def _goal_push(student_id: int, title="From the browser") -> dict:
    return {"client_id": str(uuid.uuid4()),
            "mutations": [{"seq": 1, "name": "goal.put", "hlc": "1700000000000-0000-web",
                           "args": {"id": str(uuid.uuid4()), "student_id": student_id,
                                    "title": title}}]}


# --------------------------------------------------------------------------- sign-in


def test_browser_sign_in_sets_httponly_strict_cookies_and_returns_no_token(client):
    resp = _browser_sign_in(client)
    body = resp.get_json()
    assert set(body) == {"user"}
    assert body["user"]["username"] == "student" and body["user"]["role"] == "student"
    assert not JWT.search(resp.get_data(as_text=True))

    cookies = _set_cookies(resp)
    assert set(cookies) == set(ALL_COOKIES)
    for name, line in cookies.items():
        attrs = _attrs(line)
        assert attrs["samesite"] == "Strict", line
        assert attrs["path"] == "/", line
        assert ("httponly" in attrs) is (name in (ACCESS, REFRESH)), line
        assert "secure" not in attrs, line  # plain http here: "auto" leaves it off
    assert int(_attrs(cookies[ACCESS])["max-age"]) == 8 * 3600
    assert int(_attrs(cookies[REFRESH])["max-age"]) == 30 * 24 * 3600
    # the page can read the csrf values, and they are not tokens
    assert not JWT.search(_cookie(client, CSRF_ACCESS))
    assert _cookie(client, CSRF_ACCESS) != _cookie(client, CSRF_REFRESH)


def test_cookies_are_secure_over_https_or_when_configured(make_app):
    https = make_app().test_client()
    resp = https.post("https://localhost/api/auth/login",
                      json={"username": "student", "password": "waypoint", "cookies": True})
    assert all("secure" in _attrs(line) for line in _set_cookies(resp).values())

    always = make_app(AUTH_COOKIE_SECURE="1").test_client()
    resp = _browser_sign_in(always)
    assert all("secure" in _attrs(line) for line in _set_cookies(resp).values())


def test_api_client_sign_in_is_unchanged_and_sets_no_cookie(client):
    resp = client.post("/api/auth/login", json={"username": "teacher", "password": "waypoint"})
    body = resp.get_json()
    assert body["access_token"] and body["refresh_token"]
    assert resp.headers.getlist("Set-Cookie") == []


def test_wrong_password_in_cookie_mode_sets_nothing(client, assert_error):
    resp = client.post("/api/auth/login",
                       json={"username": "student", "password": "nope", "cookies": True})
    assert_error(resp, 401, "That username and password do not match.")
    assert resp.headers.getlist("Set-Cookie") == []


# --------------------------------------------------------------------------- reads, writes


def test_a_get_with_the_cookie_needs_no_csrf_header(client):
    _browser_sign_in(client, "guardian")
    me = client.get("/api/auth/me")
    assert me.status_code == 200 and me.get_json()["username"] == "guardian"


def test_a_cookie_write_without_the_csrf_header_is_refused_and_writes_nothing(
        client, ids, assert_error, db_counts):
    _browser_sign_in(client)
    before = db_counts()
    resp = client.post("/api/sync/push", json=_goal_push(ids["student"]))
    assert_error(resp, 403, CSRF_MESSAGE, code="csrf_failed")
    assert db_counts() == before


@pytest.mark.parametrize("which", ["wrong", "refresh"])
def test_a_wrong_csrf_value_is_refused(client, ids, assert_error, db_counts, which):
    _browser_sign_in(client)
    value = "not-the-value" if which == "wrong" else _cookie(client, CSRF_REFRESH)
    before = db_counts()
    resp = client.post("/api/sync/push", json=_goal_push(ids["student"]),
                       headers={"X-CSRF-TOKEN": value})
    assert_error(resp, 403, CSRF_MESSAGE, code="csrf_failed")
    assert db_counts() == before


def test_a_cookie_write_with_the_csrf_header_works(client, ids, db_counts):
    _browser_sign_in(client)
    before = db_counts()
    resp = client.post("/api/sync/push", json=_goal_push(ids["student"]),
                       headers={"X-CSRF-TOKEN": _cookie(client, CSRF_ACCESS)})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["results"][0]["status"] == "applied"
    assert db_counts()["goals"] == before["goals"] + 1


def test_a_bearer_header_wins_over_cookies_and_needs_no_csrf(client, auth, ids):
    _browser_sign_in(client, "student2")  # cookies of another learner in the jar
    resp = client.post("/api/sync/push", json=_goal_push(ids["student"]),
                       headers=auth.headers("student"))
    assert resp.status_code == 200
    assert resp.get_json()["results"][0]["status"] == "applied"
    assert client.get("/api/auth/me", headers=auth.headers("teacher")).get_json()[
        "username"] == "teacher"


def test_every_unsafe_route_refuses_a_cookie_without_csrf(app, client, assert_error,
                                                          db_counts):
    """The authorization matrix's routes, as a signed-in browser that forgot X-CSRF-TOKEN."""
    refs = _refs(app)
    _browser_sign_in(client, "admin")
    checked = []
    for (method, rule), cases in MATRIX.items():
        # the two sign-ins start a session, so no session's CSRF value can guard them; the
        # public credential check (issue 17) reads no session and writes nothing
        if method not in UNSAFE or rule in ("/api/auth/login", "/api/auth/card",
                                            "/api/credentials/verify"):
            continue
        case = cases[0] if isinstance(cases, list) else cases
        kwargs = {"headers": dict(case.headers)}
        body = case.json("admin") if callable(case.json) else case.json
        if body is not None:
            kwargs["json"] = _resolve(body, refs)
        if case.data is not None:
            kwargs["data"] = case.data
        before = db_counts()
        resp = client.open(_url(rule, case, refs, "admin"), method=method, **kwargs)
        assert resp.status_code == 403, (method, rule, resp.get_json())
        assert_error(resp, 403, CSRF_MESSAGE, code="csrf_failed")
        assert db_counts() == before, f"{method} {rule} wrote without a CSRF proof"
        checked.append((method, rule))
    assert len(checked) >= 20  # the matrix really was walked


# --------------------------------------------------------------------------- refresh


def test_refresh_through_the_cookie_resets_the_access_cookie(client, assert_error):
    _browser_sign_in(client)
    old_access, old_csrf = _cookie(client, ACCESS), _cookie(client, CSRF_ACCESS)
    client.delete_cookie(ACCESS)  # as when it expires in the browser
    assert_error(client.get("/api/auth/me"), 401)

    resp = client.post("/api/auth/refresh", headers={"X-CSRF-TOKEN": _cookie(client, CSRF_REFRESH)})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json() == {}
    assert not JWT.search(resp.get_data(as_text=True))
    assert set(_set_cookies(resp)) == {ACCESS, CSRF_ACCESS}
    assert _cookie(client, ACCESS) not in (None, old_access)
    assert _cookie(client, CSRF_ACCESS) != old_csrf
    assert client.get("/api/auth/me").get_json()["username"] == "student"


def test_refresh_through_the_cookie_needs_the_refresh_csrf_value(client, assert_error):
    _browser_sign_in(client)
    assert_error(client.post("/api/auth/refresh"), 403, code="csrf_failed")
    assert_error(client.post("/api/auth/refresh",
                             headers={"X-CSRF-TOKEN": _cookie(client, CSRF_ACCESS)}),
                 403, code="csrf_failed")


def test_bearer_refresh_is_unchanged(client, auth):
    auth.login("student")
    resp = client.post("/api/auth/refresh", headers=auth.refresh_headers("student"))
    assert resp.status_code == 200 and resp.get_json()["access_token"]
    assert resp.headers.getlist("Set-Cookie") == []


# --------------------------------------------------------------------------- sign-out


def test_sign_out_revokes_both_cookie_tokens_and_clears_the_cookies(client, assert_error,
                                                                    db_counts):
    _browser_sign_in(client)
    access, refresh = _cookie(client, ACCESS), _cookie(client, REFRESH)
    csrf_refresh = _cookie(client, CSRF_REFRESH)
    before = db_counts()

    resp = client.post("/api/auth/logout", headers={"X-CSRF-TOKEN": _cookie(client, CSRF_ACCESS)})
    assert resp.status_code == 204
    assert db_counts()["revoked_tokens"] == before["revoked_tokens"] + 2
    cleared = _set_cookies(resp)
    assert set(cleared) == set(ALL_COOKIES)
    for line in cleared.values():
        assert _attrs(line)["max-age"] == "0", line
    assert all(_cookie(client, name) is None for name in ALL_COOKIES)

    # the old values are refused however they come back
    client.set_cookie(ACCESS, access)
    assert_error(client.get("/api/auth/me"), 401, code="revoked")
    client.delete_cookie(ACCESS)
    assert_error(client.get("/api/auth/me", headers={"Authorization": f"Bearer {access}"}),
                 401, code="revoked")
    client.set_cookie(REFRESH, refresh)
    client.set_cookie(CSRF_REFRESH, csrf_refresh)
    assert_error(client.post("/api/auth/refresh", headers={"X-CSRF-TOKEN": csrf_refresh}),
                 401, code="revoked")


def test_sign_out_without_the_csrf_header_revokes_nothing(client, assert_error, db_counts):
    _browser_sign_in(client)
    before = db_counts()
    resp = client.post("/api/auth/logout")
    assert_error(resp, 403, code="csrf_failed")
    assert db_counts() == before
    assert resp.headers.getlist("Set-Cookie") == []
    assert client.get("/api/auth/me").status_code == 200


def test_sign_out_with_an_expired_access_cookie_still_revokes_the_refresh_token(
        app, client, ids, assert_error, db_counts):
    _browser_sign_in(client)
    with app.app_context():
        from datetime import timedelta

        user = db.session.get(User, ids["student"])
        stale = create_access_token(user, expires_delta=timedelta(seconds=-5))
    client.set_cookie(ACCESS, stale)
    before = db_counts()
    resp = client.post("/api/auth/logout", headers={"X-CSRF-TOKEN": _cookie(client, CSRF_REFRESH)})
    assert resp.status_code == 204
    assert db_counts()["revoked_tokens"] == before["revoked_tokens"] + 1


def test_sign_out_with_only_dead_cookies_clears_them(app, client, ids, assert_error):
    with app.app_context():
        from datetime import timedelta

        user = db.session.scalar(select(User).where(User.id == ids["student"]))
        stale = create_access_token(user, expires_delta=timedelta(seconds=-5))
    client.set_cookie(ACCESS, stale)
    resp = client.post("/api/auth/logout", headers={"X-CSRF-TOKEN": "anything"})
    assert_error(resp, 401, "Please sign in.")
    assert set(_set_cookies(resp)) == set(ALL_COOKIES)
    assert _cookie(client, ACCESS) is None


def test_bearer_sign_out_is_unchanged_even_with_cookies_present(client, auth, assert_error,
                                                                db_counts):
    _browser_sign_in(client)
    headers = auth.login("teacher")
    before = db_counts()
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    assert db_counts()["revoked_tokens"] == before["revoked_tokens"] + 1
    assert_error(client.get("/api/auth/me", headers=headers), 401, code="revoked")
    assert client.get("/api/auth/me").get_json()["username"] == "student"  # cookie untouched
