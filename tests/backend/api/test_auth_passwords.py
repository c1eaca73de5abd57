"""The password rule (issue 13 finding 7, NIST SP 800-63B): one home, used by every place a
password is set, refusing in plain words with the field named."""

from pathlib import Path

import pytest

from backend.services.passwords import (
    COMMON,
    ONLY_SPACES,
    REPEATED,
    SEQUENCE,
    TOO_LONG,
    TOO_SHORT,
    USERNAME,
    common_passwords,
    password_problem,
)
from tests.conftest import DEMO_PASSWORD, DEMO_USERS


@pytest.mark.parametrize(("password", "why"), [
    ("passwor", TOO_SHORT),
    ("ñandú12", TOO_SHORT),           # 7 code points, more bytes
    ("x" * 201, TOO_LONG),
    (" " * 8, ONLY_SPACES),
    ("\t \u3000 \n   ", ONLY_SPACES),
    ("password", COMMON),
    ("Password1", COMMON),            # the list is compared case-blind
    ("12345678", SEQUENCE),
    ("sunshine", COMMON),
    ("iloveyou", COMMON),
    ("qwertyuiop", COMMON),
    ("maya.rivera", USERNAME),
    ("Maya.Rivera2026", USERNAME),
    ("!!maya.rivera!!", USERNAME),
    ("mayarivera99", USERNAME),       # the username without its dot
    ("zzzzzzzzzz", REPEATED),
    ("k7k7k7k7k7", REPEATED),
    ("xq9xq9xq9", REPEATED),
    ("lmnopqrstu", SEQUENCE),
    ("98765432", SEQUENCE),
])
def test_refused_with_the_reason(password, why):
    assert password_problem(password, "maya.rivera") == why


@pytest.mark.parametrize(("username", "password"), [
    ("student7", "student7"),         # a school username ends in a digit: it stays its own
    ("teacher2", "teacher2!!"),
    ("year-learner12", "year-learner12"),
    ("qa.kid1", "qa.kid1!!"),
    ("student7", "student8"),         # its own digits swapped for others
])
def test_a_username_ending_in_a_digit_is_refused_as_the_password(username, password):
    assert password_problem(password, username) == USERNAME


@pytest.mark.parametrize("password", [
    "ñandú123",                       # 8 code points
    "correct horse battery staple",   # spaces are fine
    "maple river lantern",
    "a long sentence is welcome, " * 7,  # 196 characters
    "Riverbend-2026-spring",
    "maya.rivera's dog Biscuit",      # the username inside a longer phrase is fine
])
def test_accepted(password):
    assert password_problem(password, "maya.rivera") is None


def test_the_bundled_list_has_ten_thousand_and_names_its_source():
    assert len(common_passwords()) >= 9_900  # a few lowercase duplicates folded
    lines = Path("backend/services/common_passwords.txt").read_text(encoding="utf-8")
    header = lines.splitlines()[0]
    assert header.startswith("# ") and "Django" in header and "BSD" in header


def test_the_demo_password_passes_the_rule_for_every_demo_account():
    for username in DEMO_USERS:
        assert password_problem(DEMO_PASSWORD, username) is None


# --------------------------------------------------------------------------- through the API


def _new_person(client, auth, password, username="kai.m"):
    return client.post("/api/roster/users", headers=auth.headers("admin"), json={
        "username": username, "display_name": "Kai M.", "role": "student",
        "password": password})


@pytest.mark.parametrize(("password", "why"), [
    ("password", COMMON), ("12345678", SEQUENCE), ("kai.m2024", USERNAME), (" " * 8, ONLY_SPACES),
    ("aaaaaaaa", REPEATED), ("short", TOO_SHORT),
])
def test_an_admin_cannot_create_an_account_with_a_refused_password(client, auth, assert_error,
                                                                   db_counts, password, why):
    before = db_counts()
    body = assert_error(_new_person(client, auth, password), 422, why, "password_refused")
    assert body["errors"] == {"json": {"password": [why]}}
    assert db_counts() == before


def test_an_admin_creates_an_account_with_a_good_password(client, auth):
    resp = _new_person(client, auth, "kite harbour 7")
    assert resp.status_code == 201, resp.get_json()
    login = client.post("/api/auth/login", json={"username": "kai.m",
                                                 "password": "kite harbour 7"})
    assert login.status_code == 200


def test_an_admin_reset_follows_the_rule_and_changes_nothing_when_refused(
        client, auth, ids, assert_error):
    headers = auth.login("student")
    body = assert_error(client.patch(f"/api/roster/users/{ids['student']}",
                                     json={"password": "student123"},
                                     headers=auth.headers("admin")), 422, USERNAME)
    assert body["errors"] == {"json": {"password": [USERNAME]}}
    # refused: the old password still works, and the person's sessions go on
    assert client.get("/api/auth/me", headers=headers).status_code == 200
    assert client.post("/api/auth/login", json={"username": "student",
                                                "password": "waypoint"}).status_code == 200
