"""The learner's "Suggested next" on /learner/playlists: the server's recommendations, with
each activity's one-line why, kept on the device (pull ?computed=1) so they still show
after the network is cut and the page reloaded.
"""

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# how the service's why-lines start (backend/services/recommendations.py, _why)
WHY = re.compile(r"^(\d+ of \d+ learners? who finished it|You have finished|You often finish"
                 r"|Next in your playlist|Aligned to|You said )")


def _api_token(base: str, username: str) -> str:
    """An API client's access token (the page itself holds none: httpOnly cookies)."""
    body = json.dumps({"username": username, "password": "waypoint"}).encode()
    request = urllib.request.Request(f"{base}/api/auth/login", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["access_token"]


def _recommendations(base: str, token: str, learner_id: int) -> dict:
    request = urllib.request.Request(f"{base}/api/learners/{learner_id}/recommendations",
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _suggested(page):
    section = page.get_by_role("region", name="Suggested next")
    expect(section.get_by_role("heading", name="Suggested next")).to_be_visible(timeout=30_000)
    return section


def _shows_a_reason(section, why: str) -> None:
    expect(section.get_by_text(why, exact=True).first).to_be_visible(timeout=30_000)
    first = section.locator("[data-why]").first
    expect(first).to_have_text(WHY)
    pick = section.get_by_role("button", name=re.compile(r"^(Pick suggestion|Start|Mark done): "))
    expect(pick.first).to_be_visible()
    box = pick.first.bounding_box()
    assert box and box["height"] >= 44


def test_the_learner_sees_suggestions_with_reasons_online_and_offline(phone, sign_in,
                                                                      live_app, screenshot):
    sign_in(phone, "student")
    expect(phone).to_have_url(re.compile(r"/learner/?$"))
    session = json.loads(phone.evaluate("() => localStorage.getItem('waypoint.session')"))
    expected = _recommendations(live_app, _api_token(live_app, "student"),
                                session["user"]["id"])
    whys = [a["why"] for t in expected["topics"] for a in t["activities"]]
    assert whys, "the demo learner has recommended activities"
    assert all(WHY.match(w) for w in whys), whys

    phone.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller",
                            timeout=30_000)
    expect(phone.get_by_role("status", name="Sync status")).to_contain_text("Last synced",
                                                                             timeout=30_000)
    phone.get_by_role("navigation", name="Main").get_by_role("link", name="Playlists").click()
    expect(phone.get_by_role("heading", name="My playlists", level=1)).to_be_visible()
    _shows_a_reason(_suggested(phone), whys[0])
    screenshot(phone, "learner-suggested-next")

    phone.context.set_offline(True)
    phone.reload()  # the service worker serves the page, IndexedDB the recommendations
    expect(phone.get_by_role("status", name="Sync status")).to_contain_text("Offline")
    _shows_a_reason(_suggested(phone), whys[0])
    screenshot(phone, "learner-suggested-next-offline")
