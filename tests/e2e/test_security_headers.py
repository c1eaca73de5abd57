"""The single-port server (`make run`) as a browser meets it (issue 13, #3 and #9d).

- Another origin gets no CORS permission, on /api, on Reflex's own routes and on the pages,
  and the event socket refuses its handshake; the app's own origin works as before.
- Every page carries the CSP, frame-ancestors and nosniff of app/web_security.py, and the
  learner's, teacher's, family's and admin's main pages run under that CSP without one
  violation (collected from `securitypolicyviolation` events and the console).
"""

import base64
import os
import re
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from app.web_security import PAGE_HEADERS
from tests.e2e import teaching_api as api

pytestmark = pytest.mark.browser

FOREIGN = "http://localhost:9999"
CORS_HEADERS = ("access-control-allow-origin", "access-control-allow-credentials")
SETTLE_MS = 1_500
COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


def _get(url: str, headers: dict | None = None, method: str = "GET"):
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}


@pytest.mark.parametrize("path", ["/api/auth/me", "/api/openapi.json", "/ping", "/login",
                                  "/learner"])
def test_another_origin_gets_no_cors_permission(live_app, path):
    status, headers = _get(live_app + path, {"Origin": FOREIGN})
    assert status < 500
    for name in CORS_HEADERS:
        assert name not in headers, (path, name, headers.get(name))
    # nor does a preflight let it send a credentialed write
    status, headers = _get(live_app + path, {
        "Origin": FOREIGN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-csrf-token"}, method="OPTIONS")
    assert "access-control-allow-origin" not in headers, (path, status, headers)


def _handshake(base: str, origin: str) -> str:
    """The status line the event socket answers a websocket upgrade from `origin` with."""
    netloc = urlsplit(base).netloc
    host, port = netloc.split(":")
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /_event/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {netloc}\r\n"
               f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
               f"Sec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n")
    with socket.create_connection((host, int(port)), timeout=15) as conn:
        conn.sendall(request.encode())
        return conn.recv(4096).decode(errors="replace").split("\r\n", 1)[0]


def test_the_event_socket_refuses_another_origin_and_takes_its_own(live_app):
    refused = _handshake(live_app, FOREIGN)  # socket.io says 400; the server may say 403
    assert re.match(r"HTTP/1\.1 4\d\d ", refused), refused
    assert _handshake(live_app, live_app).startswith("HTTP/1.1 101 "), "own origin refused"


@pytest.mark.parametrize("path", ["/", "/login", "/learner", "/teacher/review", "/family",
                                  "/admin", "/sw.js", "/manifest.webmanifest"])
def test_pages_and_files_carry_the_security_headers(live_app, path):
    status, headers = _get(live_app + path)
    assert status == 200, path
    for name, value in PAGE_HEADERS.items():
        assert headers.get(name.lower()) == value, (path, name)


def test_the_api_keeps_its_own_stricter_headers(live_app):
    _status, headers = _get(live_app + "/api/auth/me")
    assert headers["content-security-policy"] == (
        "default-src 'none'; frame-ancestors 'none'; sandbox")


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.add_init_script(COLLECT_VIOLATIONS)
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and (
        "Content Security Policy" in msg.text or "Refused to" in msg.text) else None)
    return errors


def _visit_all(page, pages) -> list[str]:
    found = []
    for url, heading in pages:
        page.goto(url)
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible(timeout=30_000)
        page.wait_for_timeout(SETTLE_MS)
        found += [f"{url}: {v}" for v in page.evaluate("() => window.__csp || []")]
    return found


def _assert_clean(page, console: list[str], violations: list[str]) -> None:
    assert not violations, "CSP violations:\n" + "\n".join(violations)
    assert not console, "CSP errors in the console:\n" + "\n".join(console)


def _assert_service_worker(page) -> None:
    """The offline screens' service worker still registers under the policy."""
    for _ in range(30):
        if page.evaluate("async () => !!(await navigator.serviceWorker.getRegistration())"):
            break
        page.wait_for_timeout(500)
    else:
        raise AssertionError("the service worker did not register")


def test_learner_pages_run_under_the_csp(phone, sign_in, live_app):
    console = _watch(phone)
    target = api.target_id(live_app, "M5.F.4")
    sign_in(phone, "student")
    expect(phone).to_have_url(re.compile(r"/learner/?$"))
    violations = _visit_all(phone, [
        ("/learner", "My binder"), (f"/learner/target?id={target}", re.compile(".")),
        ("/learner/goals", "My goals"), ("/learner/playlists", "My playlists"),
        ("/learner/evidence", re.compile("."))])
    _assert_clean(phone, console, violations)
    _assert_service_worker(phone)


def test_teacher_pages_run_under_the_csp(phone, sign_in, live_app):
    console = _watch(phone)
    maya = api.user_id(live_app, "student")
    target = api.target_id(live_app, "M5.F.4")
    sign_in(phone, "teacher")
    expect(phone).to_have_url(re.compile(r"/teacher/?$"))
    violations = _visit_all(phone, [
        ("/teacher", re.compile(".")), ("/teacher/review", re.compile(".")),
        ("/teacher/grid", re.compile(".")), ("/teacher/conflicts", re.compile(".")),
        (f"/teacher/learners/{maya}/targets/{target}", "Rate Maya R.")])
    _assert_clean(phone, console, violations)
    _assert_service_worker(phone)


def test_family_pages_run_under_the_csp(phone, sign_in, live_app):
    console = _watch(phone)
    maya = api.user_id(live_app, "student")
    target = api.target_id(live_app, "M5.F.4")
    sign_in(phone, "guardian")
    expect(phone).to_have_url(re.compile(r"/family/?$"))
    violations = _visit_all(phone, [
        ("/family", re.compile(".")), (f"/family/{maya}/targets/{target}", re.compile("."))])
    _assert_clean(phone, console, violations)
    # signing out is an rx.call_script, which Reflex runs with eval(): the policy allows it
    phone.get_by_role("button", name="Sign out").click()
    expect(phone).to_have_url(re.compile(r"/login/?$"), timeout=20_000)


def test_admin_pages_run_under_the_csp(phone, sign_in):
    console = _watch(phone)
    sign_in(phone, "admin")
    expect(phone).to_have_url(re.compile(r"/admin/?$"))
    violations = _visit_all(phone, [
        ("/admin", re.compile(".")), ("/admin/curriculum", re.compile(".")),
        ("/admin/people", re.compile(".")), ("/admin/settings", re.compile(".")),
        ("/admin/sync", re.compile(".")), ("/admin/imports", re.compile("."))])
    _assert_clean(phone, console, violations)


def test_a_same_origin_call_with_the_session_cookie_still_works(phone, sign_in):
    sign_in(phone, "teacher")
    expect(phone).to_have_url(re.compile(r"/teacher/?$"))
    me = phone.evaluate("""async () => {
        const r = await fetch("/api/auth/me", {credentials: "same-origin"});
        return {status: r.status, body: await r.json()};
    }""")
    assert me["status"] == 200 and me["body"]["username"] == "teacher"
