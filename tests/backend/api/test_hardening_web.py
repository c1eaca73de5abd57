"""CORS and page headers of the Reflex server, without starting it (issue 13, #3 and #9d).

The live server is checked end to end in tests/e2e/test_security_headers.py; here the
pieces are checked exactly as Reflex assembles them: its own CORS middleware
(`reflex.app.App._add_cors`) fed with our origin list, socket.io's origin check, our
header wrapper, and nginx's copy of the header values.
"""

import re
from pathlib import Path

import pytest
from reflex.app import App
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from app.web_security import (
    PAGE_HEADERS,
    CorsSettingError,
    allowed_origins,
    install_cors,
    origin_allowed,
    with_security_headers,
)

ROOT = Path(__file__).resolve().parents[3]
PARTNER = "https://portal.district.example"
FOREIGN = "http://localhost:9999"


def _reflex_server(monkeypatch, setting: str) -> TestClient:
    """A Starlette app given its CORS middleware by Reflex (`App._add_cors`), as app/app.py
    sets it up."""
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", setting)
    monkeypatch.setattr(App, "_add_cors", App._add_cors)  # put Reflex's back afterwards
    install_cors()

    async def page(_request):
        return PlainTextResponse("binder")

    server = Starlette(routes=[Route("/api/learners/4/binder", page)])
    App._add_cors(server)
    return TestClient(server, base_url="http://127.0.0.1:3000")


@pytest.mark.parametrize("origin", [FOREIGN, "http://127.0.0.1:3001", "null"])
def test_by_default_no_other_origin_gets_credentialed_access(monkeypatch, origin):
    client = _reflex_server(monkeypatch, "")
    resp = client.get("/api/learners/4/binder", headers={"Origin": origin,
                                                        "Cookie": "waypoint_access=x"})
    assert resp.status_code == 200  # the browser, not the server, withholds the answer
    assert "access-control-allow-origin" not in resp.headers
    assert "access-control-allow-credentials" not in resp.headers
    preflight = client.options("/api/learners/4/binder", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_a_same_origin_request_needs_and_gets_no_cors_headers(monkeypatch):
    client = _reflex_server(monkeypatch, "")
    resp = client.get("/api/learners/4/binder", headers={"Origin": "http://127.0.0.1:3000"})
    assert resp.status_code == 200 and resp.text == "binder"


def test_an_allow_listed_origin_is_allowed_and_only_it(monkeypatch):
    client = _reflex_server(monkeypatch, f"{PARTNER}, https://other.example/")
    resp = client.get("/api/learners/4/binder", headers={"Origin": PARTNER})
    assert resp.headers["access-control-allow-origin"] == PARTNER
    assert resp.headers["access-control-allow-credentials"] == "true"
    resp = client.get("/api/learners/4/binder", headers={"Origin": FOREIGN})
    assert "access-control-allow-origin" not in resp.headers


@pytest.mark.parametrize("setting", ["*", "portal.district.example", "https://x.example/path"])
def test_a_wildcard_or_malformed_setting_stops_the_start_naming_the_setting(setting):
    with pytest.raises(CorsSettingError) as caught:
        allowed_origins(setting)
    assert str(caught.value.args[0]).startswith("waypoint: CORS_ALLOWED_ORIGINS: ")
    assert caught.value.code == 1


def test_the_rxconfig_list_is_empty_unless_the_setting_names_origins(monkeypatch):
    monkeypatch.delenv("CORS_ALLOWED_ORIGINS", raising=False)
    assert allowed_origins() == []
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", PARTNER)
    assert allowed_origins() == [PARTNER]


def _environ(host="127.0.0.1:3000", scheme="http", **extra):
    return {"HTTP_HOST": host, "wsgi.url_scheme": scheme, **extra}


def test_the_event_socket_takes_its_own_origin_and_refuses_others(monkeypatch):
    monkeypatch.delenv("CORS_ALLOWED_ORIGINS", raising=False)
    assert origin_allowed("http://127.0.0.1:3000", _environ())
    assert not origin_allowed(FOREIGN, _environ())
    assert not origin_allowed("http://127.0.0.1:3001", _environ())  # another port
    assert not origin_allowed("https://127.0.0.1:3000", _environ())  # another scheme
    # behind nginx, which forwards the browser's host and scheme
    assert origin_allowed("https://waypoint.district.example", _environ(
        host="waypoint.district.example", HTTP_X_FORWARDED_PROTO="https"))
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", PARTNER)
    assert origin_allowed(PARTNER, _environ())


def test_the_reflex_app_uses_this_origin_check_for_its_socket():
    text = (ROOT / "app" / "app.py").read_text()
    assert "guard_event_socket(app)" in text and "with_security_headers" in text
    assert text.index("install_cors()") < text.index("app = rx.App(")
    assert "cors_allowed_origins=allowed_origins()" in (ROOT / "rxconfig.py").read_text()


def _wrapped(response_headers: dict | None = None) -> TestClient:
    async def page(_request):
        return PlainTextResponse("<html></html>", headers=response_headers or {})

    server = Starlette(routes=[Route("/{path:path}", page)])
    return TestClient(with_security_headers(server))


def test_pages_get_the_headers_and_the_api_keeps_its_own():
    resp = _wrapped().get("/learner")
    for name, value in PAGE_HEADERS.items():
        assert resp.headers[name] == value
    resp = _wrapped({"Content-Security-Policy": "default-src 'none'"}).get("/api/auth/me")
    assert resp.headers["Content-Security-Policy"] == "default-src 'none'"
    assert "Cross-Origin-Opener-Policy" not in resp.headers


def test_a_page_that_sets_its_own_header_keeps_it():
    resp = _wrapped({"X-Frame-Options": "SAMEORIGIN"}).get("/")
    assert resp.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_the_policy_frames_nothing_and_sniffs_nothing():
    csp = dict(d.split(" ", 1) for d in PAGE_HEADERS["Content-Security-Policy"].split("; "))
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert csp["connect-src"] == "'self'" and "blob:" in csp["img-src"]
    assert PAGE_HEADERS["X-Content-Type-Options"] == "nosniff"


def test_nginx_sends_the_same_headers_as_the_single_port_server():
    text = (ROOT / "deploy" / "nginx-security-headers.conf").read_text()
    nginx = dict(re.findall(r'^add_header (\S+) "([^"]*)" always;$', text, re.M))
    assert nginx == PAGE_HEADERS


def test_api_answers_are_not_stored_by_browsers_or_proxies(client, auth, ids):
    resp = client.get(f"/api/learners/{ids['student']}/binder", headers=auth.headers("teacher"))
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    error = client.get("/api/learners/999999/binder", headers=auth.headers("teacher"))
    assert error.headers["Cache-Control"] == "no-store"
