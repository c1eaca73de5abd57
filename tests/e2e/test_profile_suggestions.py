"""Suggestions that use the Personal Learner Profile, end to end (issue 18 items 3 and 5).

A learner who said they take in ideas by doing sees a suggestion whose why cites it; they
say "not for me" to it with the network cut, it stays gone after an offline reload, and the
server has their answer once they are online (and their Undo after it). Their teacher, on a
phone, groups the class grid by that profile answer. Every screen passes the accessibility
audit of the other browser tests.

Debian's Chromium against the real app (tests/e2e/conftest.py); the server is checked
through its own HTTP API (tests/e2e/teaching_api.py).
"""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api
from tests.e2e.conftest import PHONE
from tests.e2e.test_accessibility import _audit

pytestmark = pytest.mark.browser

LEARNER, NAME = "student2", "Eli T."
CITES = "You said you take in ideas by doing"


def _declines(base: str, username: str) -> dict[str, bool]:
    """activity id → declined, from the rows the server hands the learner's device."""
    return {str(row["data"]["activity_id"]): row["data"]["declined"]
            for (kind, _id), row in api.pulled_rows(base, username).items()
            if kind == "suggestion_decline" and not row.get("deleted")}


def _recommendations(base: str, learner_id: int) -> dict:
    status, body = api.call(base, "GET", f"/api/learners/{learner_id}/recommendations",
                            api.token(base, LEARNER))
    assert status == 200, body
    return body


def _until(check, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(1.0)
    return check()


def test_a_suggestion_cites_the_profile_not_for_me_offline_and_the_grid_groups_by_it(
        browser, live_app, sign_in, screenshot):
    eli = api.user_id(live_app, LEARNER)
    answer = api.push(live_app, LEARNER, [{"name": "profile.section.put", "args": {
        "student_id": eli, "section": "learn_by", "text": "Trying it with my hands",
        "seen": [], "choices": ["doing"]}}])
    assert answer[0]["status"] == "applied", answer

    # ---- the learner, on a phone: the why cites what they said
    context = browser.new_context(viewport=PHONE, base_url=live_app)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, LEARNER)
    expect(page).to_have_url(re.compile(r"/learner/?$"), timeout=30_000)
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller",
                           timeout=30_000)
    api.wait_synced(page, timeout_ms=120_000)
    page.goto("/learner/playlists")
    section = page.get_by_role("region", name="Suggested next")
    cited = section.locator("li").filter(
        has=page.locator("[data-why]", has_text=CITES)).first
    expect(cited).to_be_visible(timeout=30_000)
    expect(cited.locator("[data-why]")).to_contain_text(re.compile(
        r"You said you take in ideas by doing: this is (a hands-on lab|a project|a practice set)"))
    button = cited.get_by_role("button", name=re.compile(r"^Not for me: "))
    title = button.get_attribute("aria-label").removeprefix("Not for me: ")
    box = button.bounding_box()
    assert box and box["height"] >= 44, box
    recs = _recommendations(live_app, eli)
    activity = {str(a["id"]) for t in recs["topics"] for a in t["activities"]
                if a["title"] == title}
    assert activity, (title, recs)
    problems = _audit(page, "learner suggestions citing the profile (phone)")

    # ---- "not for me" with the network cut: gone at once, and after an offline reload
    context.set_offline(True)
    expect(page.get_by_role("status", name="Sync status")).to_contain_text("Offline")
    button.click()
    expect(page.locator("#suggested-next-form [data-msg]")).to_have_text(
        "Noted: it will not be suggested again. Undo is below.")
    not_for_me = section.get_by_role("button", name=f"Not for me: {title}", exact=True)
    undo = section.get_by_role("button", name=f"Undo not for me: {title}")
    expect(undo).to_be_visible()
    expect(not_for_me).to_have_count(0)
    page.reload()
    section = page.get_by_role("region", name="Suggested next")
    undo = section.get_by_role("button", name=f"Undo not for me: {title}")
    expect(undo).to_be_visible(timeout=30_000)
    expect(section.get_by_role("button", name=f"Not for me: {title}", exact=True)).to_have_count(0)
    problems += _audit(page, "learner suggestions after not for me (phone, offline)")
    screenshot(page, "learner-not-for-me-offline")

    # ---- online: the server has the answer, and its suggestions leave the activity out
    context.set_offline(False)
    assert _until(lambda: any(_declines(live_app, LEARNER).get(a) for a in activity)), \
        "the server never got the learner's 'not for me'"
    recs = _recommendations(live_app, eli)
    assert title not in {a["title"] for t in recs["topics"] for a in t["activities"]}

    # ---- Undo, online: the server has it taken back
    undo.click()
    expect(section.get_by_role("button", name=f"Undo not for me: {title}")).to_have_count(0)
    assert _until(lambda: not any(_declines(live_app, LEARNER).get(a) for a in activity)), \
        "the server never got the Undo"
    context.close()

    # ---- the teacher, on a phone: the class grid grouped by the profile answer
    context = browser.new_context(viewport=PHONE, base_url=live_app)
    context.set_default_timeout(15_000)
    teacher = context.new_page()
    sign_in(teacher, "teacher")
    expect(teacher).to_have_url(re.compile(r"/teacher"), timeout=30_000)
    api.wait_synced(teacher, timeout_ms=120_000)
    teacher.goto("/teacher/grid")
    expect(teacher.get_by_role("region", name=re.compile("Levels by learner"))).to_be_visible(
        timeout=30_000)
    teacher.get_by_label("Group by").select_option("learn_by")
    expect(teacher.get_by_role("heading", name="Grouped by: How they take in ideas")
           ).to_be_visible()
    doing = teacher.get_by_role("form", name="Learns best by doing")
    expect(doing).to_be_visible()
    expect(doing).to_contain_text(NAME)
    problems += _audit(teacher, "class grid grouped by a profile answer (phone)")
    screenshot(teacher, "teacher-grid-by-profile")
    context.close()
    assert not problems, "\n".join(problems)

