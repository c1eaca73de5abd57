"""Every failure answers in the one error shape, and writes nothing."""

import json
from datetime import timedelta

import pytest
from flask_jwt_extended import create_access_token

from backend.extensions import db
from backend.models import User


def _post(client, url, headers, data):
    return client.post(url, data=data, headers=headers, content_type="application/json")


def test_malformed_json(client, auth, assert_error, db_counts):
    before = db_counts()
    resp = _post(client, "/api/curriculum/areas", auth.headers("admin"), '{"name": "Art",')
    assert_error(resp, 400, "The body is not valid JSON.")
    resp = _post(client, "/api/auth/login", {}, "{not json")
    assert_error(resp, 400, "The body is not valid JSON.")
    assert db_counts() == before


@pytest.mark.parametrize("url, body, field", [
    ("/api/curriculum/areas", {"name": 5}, "name"),
    ("/api/curriculum/areas", {"name": "Art", "is_academic": "perhaps"}, "is_academic"),
    ("/api/roster/users", {"username": "x y", "display_name": "X", "role": "student",
                           "password": "long-enough"}, "username"),
    ("/api/roster/users", {"username": "newkid", "display_name": "X", "role": "wizard",
                           "password": "long-enough"}, "role"),
    ("/api/curriculum/activities", {"title": "Quiz", "kind": "quiz"}, "kind"),
])
def test_wrong_types_are_422_with_a_readable_message(client, auth, assert_error, db_counts,
                                                     url, body, field):
    before = db_counts()
    err = assert_error(client.post(url, json=body, headers=auth.headers("admin")), 422,
                       code="invalid")
    # plain words for a person; the field is named where a form looks for it, in errors
    said = err["errors"]["json"][field]
    assert err["message"] == said[0], err
    assert "{" not in err["message"] and "[" not in err["message"]
    assert f"{field}:" not in err["message"] and "json." not in err["message"]
    assert db_counts() == before


def test_a_list_instead_of_an_object(client, auth, assert_error, db_counts):
    before = db_counts()
    resp = client.post("/api/curriculum/areas", json=["Art"], headers=auth.headers("admin"))
    err = assert_error(resp, 422)
    assert err["message"]
    assert db_counts() == before


def test_unknown_fields_are_refused(client, auth, assert_error, db_counts):
    before = db_counts()
    resp = client.post("/api/curriculum/areas", json={"name": "Art", "school_id": 999},
                       headers=auth.headers("admin"))
    assert_error(resp, 422)
    assert db_counts() == before


def test_unknown_route(client, auth, assert_error):
    assert_error(client.get("/api/nothing-here"), 404, "That was not found.")
    assert_error(client.get("/api/learners/1/nothing", headers=auth.headers("admin")), 404)


def test_wrong_method(client, auth, assert_error):
    assert_error(client.delete("/api/roster/summary", headers=auth.headers("admin")), 405)


def test_oversized_json_body(client, auth, assert_error, db_counts, app):
    before = db_counts()
    limit = app.config["MAX_JSON_BYTES"]
    body = json.dumps({"name": "Art", "description": "x" * (limit + 10)})
    resp = _post(client, "/api/curriculum/areas", auth.headers("admin"), body)
    err = assert_error(resp, 413, code="too_large")
    assert "KB" in err["message"]
    assert db_counts() == before


def test_oversized_body_with_a_small_limit(make_app, assert_error, db_counts):
    app = make_app(MAX_JSON_BYTES=256)
    client = app.test_client()
    resp = client.post("/api/auth/login", json={"username": "a" * 300, "password": "x"})
    assert_error(resp, 413)


def test_unexpected_exception_is_500_without_a_traceback(client, auth, assert_error,
                                                        monkeypatch, ids):
    def boom(*_args, **_kwargs):
        raise RuntimeError("secret internals: /etc/passwd line 42")

    monkeypatch.setattr("backend.api.binder.resources.load_binder", boom)
    resp = client.get(f"/api/learners/{ids['student']}/binder", headers=auth.headers("teacher"))
    err = assert_error(resp, 500, code="server_error")
    text = resp.get_data(as_text=True)
    assert "secret internals" not in text and "RuntimeError" not in text
    assert "Traceback" not in text
    assert err["errors"] == {}


def test_unexpected_exception_mid_write_leaves_nothing(client, auth, assert_error, db_counts,
                                                       monkeypatch):
    """A crash after the rows were flushed but before commit rolls everything back."""
    real_commit = db.session.commit

    def crash_after_flush():
        db.session.flush()
        raise RuntimeError("disk on fire")

    before = db_counts()
    monkeypatch.setattr(db.session, "commit", crash_after_flush)
    body = {"topic_id": 1, "code": "X.1", "title": "New target", "scale_level": 3.0,
            "rubric": [{"score": 3, "text": "Can do it."}]}
    resp = client.post("/api/curriculum/targets", json=body, headers=auth.headers("admin"))
    assert_error(resp, 500)
    monkeypatch.setattr(db.session, "commit", real_commit)
    assert db_counts() == before


def test_missing_token(client, assert_error):
    assert_error(client.get("/api/auth/me"), 401, "Please sign in.")
    assert_error(client.get("/api/learners", headers={"Authorization": "Basic abc"}), 401)


@pytest.mark.parametrize("header", [
    "Bearer garbage",
    "Bearer a.b.c",
    "Bearer ",
    "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
])
def test_garbage_token(client, assert_error, header):
    assert_error(client.get("/api/auth/me", headers={"Authorization": header}), 401)


def test_token_signed_with_another_key(make_app, client, assert_error, ids):
    other = make_app(JWT_SECRET_KEY="another-secret-" + "y" * 40)
    with other.app_context():
        token = create_access_token(db.session.get(User, ids["admin"]))
    resp = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert_error(resp, 401)


def test_expired_token(app, client, assert_error, db_counts, ids):
    with app.app_context():
        token = create_access_token(db.session.get(User, ids["admin"]),
                                    expires_delta=timedelta(seconds=-1))
    before = db_counts()
    resp = client.post("/api/curriculum/areas", json={"name": "Art"},
                       headers={"Authorization": f"Bearer {token}"})
    assert_error(resp, 401, code="expired")
    assert db_counts() == before


def test_denied_writes_leave_nothing(client, auth, assert_error, db_counts, ids):
    before = db_counts()
    assert_error(client.post("/api/curriculum/areas", json={"name": "Art"},
                             headers=auth.headers("teacher")), 403)
    assert_error(client.post("/api/roster/users", json={
        "username": "sneaky", "display_name": "S", "role": "admin", "password": "12345678"},
        headers=auth.headers("student")), 403)
    assert_error(client.patch(f"/api/roster/users/{ids['student']}", json={"is_active": False},
                              headers=auth.headers("guardian")), 403)
    assert_error(client.post("/api/curriculum/areas", json={"name": "Art"}), 401)
    assert db_counts() == before
