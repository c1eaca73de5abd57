"""Each person's language on the server: PATCH /api/auth/locale, returned at sign-in and by
/me, and the language of API error messages (device cookie, then account, then header)."""

from backend.i18n import COOKIE


def test_a_person_sets_their_language_and_sign_in_returns_it(client, auth):
    headers = auth.login("guardian")
    assert client.get("/api/auth/me", headers=headers).get_json()["locale"] is None
    resp = client.patch("/api/auth/locale", json={"locale": "es"}, headers=headers)
    assert resp.status_code == 200 and resp.get_json()["locale"] == "es"
    assert client.get("/api/auth/me", headers=headers).get_json()["locale"] == "es"
    login = client.post("/api/auth/login", json={"username": "guardian", "password": "waypoint"})
    assert login.get_json()["user"]["locale"] == "es"
    # null forgets the choice: the next device's browser language applies again
    resp = client.patch("/api/auth/locale", json={"locale": None}, headers=headers)
    assert resp.status_code == 200 and resp.get_json()["locale"] is None
    assert client.get("/api/auth/me", headers=headers).get_json()["locale"] is None


def test_an_unknown_language_is_refused_and_nothing_changes(client, auth, assert_error):
    headers = auth.login("student")
    body = assert_error(client.patch("/api/auth/locale", json={"locale": "fr"},
                                     headers=headers), 422)
    assert "locale" in str(body["errors"])
    assert client.get("/api/auth/me", headers=headers).get_json()["locale"] is None


def test_signed_out_cannot_set_a_language(client, assert_error):
    assert_error(client.patch("/api/auth/locale", json={"locale": "es"}), 401)


def test_errors_follow_accept_language(client, assert_error):
    resp = client.get("/api/no-such-thing", headers={"Accept-Language": "fr,es-MX;q=0.9,en;q=0.5"})
    assert_error(resp, 404, "No se encontró.")
    assert_error(client.get("/api/no-such-thing", headers={"Accept-Language": "fr"}), 404,
                 "That was not found.")


def test_the_account_language_beats_the_header_and_the_device_beats_both(client, auth,
                                                                          assert_error):
    headers = auth.login("teacher")
    client.patch("/api/auth/locale", json={"locale": "es"}, headers=headers)
    missing = {**headers, "Accept-Language": "en"}
    assert_error(client.get("/api/roster/classes/999999", headers=missing), 404,
                 "No se encontró esa clase.")
    client.set_cookie(COOKIE, "en")
    assert_error(client.get("/api/roster/classes/999999", headers=missing), 404,
                 "That class was not found.")
