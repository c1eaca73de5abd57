"""Deactivation and any password change end every session of the account at once
(issue 13 finding 2): access and refresh tokens, cookie sessions and sync pushes."""

import time
import uuid

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import User

ENDED = "Your sign-in has ended. Please sign in again."
NEW_PASSWORD = "maple river lantern"


def _push(student_id: int) -> dict:
    return {"client_id": str(uuid.uuid4()),
            "mutations": [{"seq": 1, "name": "goal.put", "hlc": "1700000000000-0000-web",
                           "args": {"id": str(uuid.uuid4()), "student_id": student_id,
                                    "title": "Still signed in?"}}]}


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _admin_deactivates(client, auth, ids, username="student"):
    resp = client.delete(f"/api/roster/users/{ids[username]}", headers=auth.headers("admin"))
    assert resp.status_code == 204, resp.get_json()


def _admin_resets(client, auth, ids, username="student", password=NEW_PASSWORD):
    resp = client.patch(f"/api/roster/users/{ids[username]}", json={"password": password},
                        headers=auth.headers("admin"))
    assert resp.status_code == 200, resp.get_json()


def _assert_all_ended(client, tokens, ids, assert_error, db_counts):
    access, refresh = _bearer(tokens["access_token"]), _bearer(tokens["refresh_token"])
    assert_error(client.get("/api/auth/me", headers=access), 401, ENDED, "session_ended")
    assert_error(client.get("/api/sync/pull", headers=access), 401, ENDED)
    before = db_counts()
    assert_error(client.post("/api/sync/push", json=_push(ids["student"]), headers=access),
                 401, ENDED)
    assert db_counts() == before  # nothing of the push was written
    assert_error(client.post("/api/auth/refresh", headers=refresh), 401, ENDED)


def _assert_works(client, tokens, ids):
    access = _bearer(tokens["access_token"])
    assert client.get("/api/auth/me", headers=access).status_code == 200
    push = client.post("/api/sync/push", json=_push(ids["student"]), headers=access)
    assert push.status_code == 200, push.get_json()
    assert client.post("/api/auth/refresh",
                       headers=_bearer(tokens["refresh_token"])).status_code == 200


def test_the_tokens_work_before_anything_changes(client, auth, ids):
    """The control: the same calls the tests below expect to fail do work until then."""
    _assert_works(client, auth.tokens("student"), ids)


def test_deactivation_ends_access_refresh_and_sync(client, auth, ids, assert_error, db_counts):
    tokens = auth.tokens("student")
    _admin_deactivates(client, auth, ids)
    _assert_all_ended(client, tokens, ids, assert_error, db_counts)


def test_deactivation_through_patch_ends_the_sessions_too(client, auth, ids, assert_error,
                                                          db_counts):
    tokens = auth.tokens("student")
    resp = client.patch(f"/api/roster/users/{ids['student']}", json={"is_active": False},
                        headers=auth.headers("admin"))
    assert resp.status_code == 200
    _assert_all_ended(client, tokens, ids, assert_error, db_counts)
    # and switching the account back on does not bring the old tokens back
    client.patch(f"/api/roster/users/{ids['student']}", json={"is_active": True},
                 headers=auth.headers("admin"))
    assert_error(client.get("/api/auth/me", headers=_bearer(tokens["access_token"])), 401)


def test_an_admin_password_reset_ends_the_sessions_and_the_new_password_works(
        client, auth, ids, assert_error, db_counts):
    tokens = auth.tokens("student")
    _admin_resets(client, auth, ids)
    _assert_all_ended(client, tokens, ids, assert_error, db_counts)
    assert client.post("/api/auth/login", json={"username": "student",
                                                "password": "waypoint"}).status_code == 401
    _assert_works(client, auth.tokens("student", NEW_PASSWORD), ids)


def test_changing_your_own_password_ends_your_other_sessions_not_this_one(
        client, auth, ids, assert_error, db_counts):
    laptop, phone = auth.tokens("student"), auth.tokens("student")
    resp = client.post("/api/auth/password", headers=_bearer(laptop["access_token"]),
                       json={"current_password": "waypoint", "new_password": NEW_PASSWORD})
    assert resp.status_code == 200, resp.get_json()
    _assert_all_ended(client, phone, ids, assert_error, db_counts)
    _assert_all_ended(client, laptop, ids, assert_error, db_counts)
    _assert_works(client, resp.get_json(), ids)  # the new tokens of this session
    _assert_works(client, auth.tokens("student", NEW_PASSWORD), ids)


def test_own_password_change_needs_the_current_password_and_the_rule(client, auth, ids,
                                                                     assert_error):
    headers = auth.login("student")
    body = assert_error(client.post("/api/auth/password", headers=headers, json={
        "current_password": "wrong-one", "new_password": NEW_PASSWORD}), 422)
    assert "current_password" in body["errors"]["json"]
    body = assert_error(client.post("/api/auth/password", headers=headers, json={
        "current_password": "waypoint", "new_password": "password1"}), 422)
    assert "new_password" in body["errors"]["json"]
    assert client.get("/api/auth/me", headers=headers).status_code == 200  # nothing ended


def test_a_cookie_session_ends_on_deactivation(client, auth, ids, assert_error):
    resp = client.post("/api/auth/login", json={"username": "student", "password": "waypoint",
                                                "cookies": True})
    assert resp.status_code == 200
    assert client.get("/api/auth/me").status_code == 200
    _admin_deactivates(client, auth, ids)
    assert_error(client.get("/api/auth/me"), 401, ENDED)
    csrf = client.get_cookie("waypoint_csrf_refresh").value
    client.delete_cookie("waypoint_access")
    assert_error(client.post("/api/auth/refresh", headers={"X-CSRF-TOKEN": csrf}), 401, ENDED)


def test_other_accounts_keep_their_sessions(client, auth, ids):
    other = auth.tokens("student2")
    _admin_resets(client, auth, ids)
    assert client.get("/api/auth/me", headers=_bearer(other["access_token"])).status_code == 200


@pytest.mark.parametrize("change", ["password", "deactivate"])
def test_the_change_bumps_the_token_version_once(app, client, auth, ids, change):
    with app.app_context():
        before = db.session.get(User, ids["student"]).token_version
    if change == "password":
        _admin_resets(client, auth, ids)
    else:
        _admin_deactivates(client, auth, ids)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "student"))
        assert user.token_version == before + 1


def test_renaming_does_not_end_the_sessions(client, auth, ids):
    tokens = auth.tokens("student")
    client.patch(f"/api/roster/users/{ids['student']}", json={"display_name": "Sam R."},
                 headers=auth.headers("admin"))
    assert client.get("/api/auth/me",
                      headers=_bearer(tokens["access_token"])).status_code == 200


def test_a_deleted_learners_old_token_never_opens_the_account_that_reuses_its_id(client,
                                                                                 auth):
    """SQLite gives the highest deleted id to the next new account: a token minted for the
    deleted learner must not sign in as the newcomer (found while building deletion)."""
    admin = auth.headers("admin")

    def create(username: str) -> int:
        resp = client.post("/api/roster/users", headers=admin, json={
            "username": username, "display_name": "Late Learner", "role": "student",
            "password": NEW_PASSWORD})
        assert resp.status_code == 201, resp.get_json()
        return resp.get_json()["id"]

    gone = create("late-learner")
    old = auth.tokens("late-learner", NEW_PASSWORD)
    resp = client.patch(f"/api/privacy/learners/{gone}", json={"is_withdrawn": True},
                        headers=admin)
    assert resp.status_code == 200, resp.get_json()
    resp = client.delete(f"/api/privacy/learners/{gone}", json={"confirm": "late-learner"},
                         headers=admin)
    assert resp.status_code == 200, resp.get_json()
    time.sleep(2.1)  # the newcomer arrives later than the old token's whole second
    newcomer = create("new-learner")

    me = client.get("/api/auth/me", headers=_bearer(old["access_token"]))
    assert me.status_code == 401
    if newcomer == gone:  # SQLite: the id came back, and still the old token is refused
        assert me.get_json()["code"] == "session_ended"
    fresh = auth.tokens("new-learner", NEW_PASSWORD)
    me = client.get("/api/auth/me", headers=_bearer(fresh["access_token"]))
    assert me.status_code == 200 and me.get_json()["username"] == "new-learner"
