"""Server validation messages are plain words a person acts on, beside each field: the
admin's "Add an account" form posts to /api/roster/users (issue 15, item 5)."""

import pytest

from backend.error_words import plain, plain_errors, summary

DEVELOPER_WORDS = ("Length must", "Missing data", "Not a valid", "Unknown field", "(json",
                   "json.", "Shorter than", "Longer than", "Must be one of")


def _account(**changes):
    body = {"username": "newkid7", "display_name": "New Kid", "role": "student",
            "password": "a-long-password"}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def _fields(err):
    return err["errors"]["json"]


def _no_developer_words(err):
    text = repr(err)
    assert not any(word in text for word in DEVELOPER_WORDS), err


def test_add_an_account_with_every_field_wrong(client, auth, assert_error, db_counts):
    before = db_counts()
    resp = client.post("/api/roster/users", headers=auth.headers("admin"), json=_account(
        username="New Kid", display_name="", role=None, email="kid@example.org"))
    err = assert_error(resp, 422, code="invalid")
    fields = _fields(err)
    assert fields["display_name"] == ["Fill this in."]
    assert fields["role"] == ["Fill this in."]
    assert fields["username"] == ["Use 2–80 lowercase letters, digits, dots, dashes."]
    assert fields["email"] == ["This is not something that can be set here; leave it out."]
    # several fields: the message says each one says why (no "field: …" list)
    assert err["message"] == "Some answers need a change; each one says why."
    _no_developer_words(err)
    assert db_counts() == before  # nothing written


def test_a_short_password_says_how_long(client, auth, assert_error, db_counts):
    before = db_counts()
    resp = client.post("/api/roster/users", headers=auth.headers("admin"),
                       json=_account(password="short"))
    err = assert_error(resp, 422)
    assert err["message"] == "Use at least 8 characters for the password."
    assert _fields(err) == {"password": ["Use at least 8 characters for the password."]}
    _no_developer_words(err)
    assert db_counts() == before


@pytest.mark.parametrize("name, words", [
    ("x" * 121, "Use at most 120 characters."),
    ("", "Fill this in."),
    (7, "Type this as text."),
])
def test_one_wrong_name_is_the_message(client, auth, assert_error, db_counts, name, words):
    before = db_counts()
    resp = client.post("/api/roster/users", headers=auth.headers("admin"),
                       json=_account(display_name=name))
    err = assert_error(resp, 422)
    assert err["message"] == words
    assert _fields(err) == {"display_name": [words]}
    assert db_counts() == before


def test_length_says_which_bound_the_value_missed():
    said = "Length must be between 8 and 200."
    assert plain(said, "abc", "en") == "Use at least 8 characters."
    assert plain(said, "x" * 201, "en") == "Use at most 200 characters."
    assert plain(said, None, "en") == "Use 8 to 200 characters."
    assert plain("Shorter than minimum length 1.", [], "en") == "Choose at least one."
    assert plain("Longer than maximum length 5.", [1] * 6, "en") == "Choose at most 5."


@pytest.mark.parametrize("said, words", [
    ("Must be greater than or equal to 0 and less than or equal to 4.",
     "Use a number from 0 to 4."),
    ("Must be greater than or equal to 1.", "Use 1 or more."),
    ("Must be less than or equal to 10.", "Use 10 or less."),
    ("Must be one of: student, teacher.", "Choose one of: student, teacher."),
    ("Not a valid email address.", "Type an email address, like name@example.org."),
    ("Not a valid integer.", "Type a whole number."),
    ("Type a name: it cannot be only spaces.", "Type a name: it cannot be only spaces."),
])
def test_marshmallow_templates_in_plain_words(said, words):
    assert plain(said, None, "en") == words


def test_an_empty_message_stays_empty_in_every_language():
    assert plain("", None, "es") == ""  # not the catalog's header


def test_nested_errors_keep_their_shape():
    errors = plain_errors({"json": {"items": {0: {"level": ["Not a valid number."]}}}}, "en")
    assert errors == {"json": {"items": {0: {"level": ["Type a number."]}}}}
    assert summary(errors, "en") == "Type a number."


def test_errors_in_spanish_for_a_spanish_browser(client, auth, assert_error, db_counts):
    """Accept-Language chooses the catalog: the message and each field's words in Spanish."""
    before = db_counts()
    headers = {**auth.headers("admin"), "Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}
    err = assert_error(client.post("/api/roster/users", headers=headers,
                                   json=_account(display_name="", email="x@example.org")), 422)
    assert _fields(err) == {"display_name": ["Completa este campo."],
                            "email": ["Esto no se puede indicar aquí; déjalo fuera."]}
    assert err["message"] == "Algunas respuestas necesitan un cambio; cada una dice por qué."
    err = assert_error(client.post("/api/roster/users", headers=headers,
                                   json=_account(password="corta")), 422)
    assert err["message"] == "Usa al menos 8 caracteres para la contraseña."
    assert _fields(err) == {"password": ["Usa al menos 8 caracteres para la contraseña."]}
    err = assert_error(client.post("/api/roster/users", headers=headers,
                                   json=_account(display_name="x" * 121)), 422)
    assert err["message"] == "Usa como máximo 120 caracteres."  # {max} filled in Spanish
    assert db_counts() == before
