"""The 401s that flask-jwt-extended answers before any view runs (backend/auth.py loaders)
read in the reader's language, like every other API error (issue 15): a family whose
browser asks for Spanish is told to sign in in Spanish, never in English."""

import pytest

ES = {"Accept-Language": "es-MX,es;q=0.9"}


def test_no_token_is_asked_to_sign_in_in_spanish(client, assert_error):
    resp = client.get("/api/auth/me", headers=ES)
    assert_error(resp, 401)
    assert resp.get_json()["message"] == "Inicia sesión, por favor."


@pytest.mark.parametrize("lang, words", [
    ("es", "Tu sesión no es válida. Vuelve a iniciar sesión."),
    ("ar", "جلستك غير صالحة. يُرجى تسجيل الدخول مرة أخرى."),
    ("en", "Your sign-in is not valid. Please sign in again."),
])
def test_a_broken_token_is_refused_in_the_readers_language(client, assert_error, lang, words):
    resp = client.get("/api/auth/me", headers={"Authorization": "Bearer not.a.token",
                                               "Accept-Language": lang})
    assert_error(resp, 401)
    assert resp.get_json()["message"] == words


def test_a_signed_out_token_says_so_in_spanish(client, auth, assert_error):
    headers = auth.headers("guardian")
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    resp = client.get("/api/auth/me", headers={**headers, **ES})
    assert_error(resp, 401)
    assert resp.get_json()["message"] == "Cerraste sesión. Vuelve a iniciar sesión."
