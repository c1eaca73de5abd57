"""A learner's open tablet when the school ends their sign-in (QA F3, F6), in Chromium.

Right after signing in the status bar says the work is coming ("Getting your work…"),
never "Not signed in on this device". When an admin deactivates the account, the next
sync is refused with `session_ended`: the bar then says the sign-in has *ended* (the
server's words), does not claim a fresh sync, and offers "Sign in again" where the person
is looking; the work on the device stays.

Run with WAYPOINT_E2E_WEB=.web-e2e-<name> (a build folder of its own).
"""

import json
import re
import time
import urllib.request

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# a learner no other browser test signs in as: this test deactivates them
ENDED = "student22"
WAIT_S = 60


def _api(base: str, method: str, path: str, token: str = "", body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read()
    return json.loads(text) if text else None


def _bar(page) -> str:
    bar = page.get_by_role("status", name="Sync status")
    return bar.inner_text() if bar.count() else ""


def test_an_ended_sign_in_says_ended_and_offers_to_sign_in(phone, live_app, sign_in):
    sign_in(phone, ENDED)
    # sample the bar from the redirect until the first sync is done: never "not signed in"
    seen = []
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        try:
            text = _bar(phone) if re.search(r"/learner/?$", phone.url) else ""
            synced = phone.evaluate("() => Boolean(window.waypoint?.status?.().lastSyncedAt)")
        except PlaywrightError:  # the sign-in's redirect replaced the page mid-read
            text, synced = "", False
        if text:
            seen.append(text)
        if synced:
            break
        time.sleep(0.1)
    else:
        raise AssertionError(f"the first sync did not finish; bar said {seen[-3:]!r}")
    assert seen, "the status bar never showed"
    assert not [t for t in seen if "Not signed in" in t], seen
    learner_id = phone.evaluate(
        "() => JSON.parse(localStorage.getItem('waypoint.session')).user.id")

    token = _api(live_app, "POST", "/api/auth/login", "",
                 {"username": "admin", "password": "waypoint"})["access_token"]
    _api(live_app, "DELETE", f"/api/roster/users/{learner_id}", token)

    phone.evaluate("() => window.waypoint.flush()")
    ended = "Your sign-in has ended. Please sign in again."
    expect(phone.get_by_text(ended)).to_be_visible(timeout=WAIT_S * 1000)
    body = phone.inner_text("body")
    assert "expired" not in body
    bar = _bar(phone)
    assert "Last synced" not in bar and "Online ·" in bar and "not syncing" in bar, bar
    link = phone.get_by_role("link", name="Sign in again")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", "/login")
    box = link.bounding_box()
    assert box and box["height"] >= 44
    # the device keeps the learner's work: the binder is still on screen
    assert phone.evaluate("() => localStorage.getItem('waypoint.session')") is not None
