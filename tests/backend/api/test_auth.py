"""Sign-in, refresh, sign-out (revocation) and /me."""

from datetime import timedelta

from flask_jwt_extended import create_access_token
from sqlalchemy import select

from backend.extensions import db
from backend.models import User

BAD_CREDENTIALS = "That username and password do not match."


def test_login_returns_tokens_and_user(client):
    resp = client.post("/api/auth/login", json={"username": "teacher", "password": "waypoint"})
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["access_token"] and body["refresh_token"]
    assert body["user"]["username"] == "teacher"
    assert body["user"]["role"] == "teacher"
    assert "password" not in body["user"] and "password_hash" not in body["user"]


def test_login_trims_the_username(client):
    resp = client.post("/api/auth/login", json={"username": " student ", "password": "waypoint"})
    assert resp.status_code == 200


def test_wrong_password_and_unknown_user_say_the_same(client, assert_error):
    wrong = client.post("/api/auth/login", json={"username": "teacher", "password": "nope"})
    unknown = client.post("/api/auth/login", json={"username": "nobody", "password": "nope"})
    a = assert_error(wrong, 401, BAD_CREDENTIALS)
    b = assert_error(unknown, 401, BAD_CREDENTIALS)
    assert a == b


def test_login_needs_both_fields(client, assert_error):
    body = assert_error(client.post("/api/auth/login", json={"username": "teacher"}), 422)
    assert body["errors"]["json"] == {"password": ["Fill this in."]}  # beside the field
    assert body["message"] == "Fill this in."


def test_deactivated_account_cannot_sign_in(app, client, assert_error):
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "student2")).is_active = False
        db.session.commit()
    resp = client.post("/api/auth/login", json={"username": "student2", "password": "waypoint"})
    assert_error(resp, 401, BAD_CREDENTIALS)


def test_me(client, auth):
    resp = client.get("/api/auth/me", headers=auth.login("guardian"))
    assert resp.status_code == 200
    me = resp.get_json()
    assert me["username"] == "guardian" and me["role"] == "guardian"
    assert me["school"]["name"] == "Riverbend Community School"


def test_refresh_gives_a_working_access_token(client, auth):
    auth.login("student")
    resp = client.post("/api/auth/refresh", headers=auth.refresh_headers("student"))
    assert resp.status_code == 200
    token = resp.get_json()["access_token"]
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.get_json()["username"] == "student"


def test_refresh_refuses_an_access_token(client, auth, assert_error):
    assert_error(client.post("/api/auth/refresh", headers=auth.login("student")), 401)


def test_access_token_is_not_a_refresh_token(client, auth, assert_error):
    auth.login("student")
    assert_error(client.get("/api/auth/me", headers=auth.refresh_headers("student")), 401)


def test_logout_revokes_the_access_token(client, auth, assert_error, db_counts):
    headers = auth.login("teacher")
    before = db_counts()
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    assert db_counts()["revoked_tokens"] == before["revoked_tokens"] + 1
    assert_error(client.get("/api/auth/me", headers=headers), 401, code="revoked")
    # a second sign-out with the same token is refused, not double-written
    assert_error(client.post("/api/auth/logout", headers=headers), 401, code="revoked")
    assert db_counts()["revoked_tokens"] == before["revoked_tokens"] + 1


def test_logout_revokes_the_refresh_token(client, auth, assert_error):
    auth.login("student")
    refresh = auth.refresh_headers("student")
    assert client.post("/api/auth/logout", headers=refresh).status_code == 204
    assert_error(client.post("/api/auth/refresh", headers=refresh), 401, code="revoked")


def test_other_sessions_survive_a_logout(client, auth):
    first = auth.login("teacher")
    second = auth.headers("teacher2")
    client.post("/api/auth/logout", headers=first)
    assert client.get("/api/auth/me", headers=second).status_code == 200


def test_expired_token(app, client, assert_error, ids):
    with app.app_context():
        user = db.session.get(User, ids["teacher"])
        token = create_access_token(user, expires_delta=timedelta(seconds=-5))
    resp = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert_error(resp, 401, code="expired")


def test_token_of_a_deleted_user(app, client, auth, assert_error):
    headers = auth.headers("guardian2")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "guardian2"))
        db.session.execute(db.text("DELETE FROM guardian_links WHERE guardian_id = :g"),
                           {"g": user.id})
        db.session.delete(user)
        db.session.commit()
    assert_error(client.get("/api/auth/me", headers=headers), 401)


# the sign-in policy (throttling per account and address): test_auth_sign_in_policy.py
