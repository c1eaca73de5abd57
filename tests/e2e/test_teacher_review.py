"""A learner's photo evidence, approved with a level by a teacher on a phone in two taps,
from the device's store (no REST read): the card says "Saved on this phone" until the
server acknowledged the decision, then "Sent"; the server, and the guardian's portal, then
show it. Offline, and after an offline reload, the same cards and the same words."""

import hashlib
import re

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api

pytestmark = pytest.mark.browser

CAPTION = "Fraction strips: 3/4 is more than 2/3"
OFFLINE_CAPTION = "Pizza slices: 5/8 is more than 1/2"


def _events(base: str, learner: int, target: int, evidence_id: str) -> list[dict]:
    _, detail = api.call(base, "GET", f"/api/learners/{learner}/targets/{target}",
                         api.token(base, "teacher"))
    return [e for e in detail["events"] if e.get("evidence_id") == evidence_id]


def test_teacher_approves_photo_evidence_with_a_level_in_two_taps(
        browser, live_app, phone, sign_in, screenshot):
    target = api.target_id(live_app, "M5.F.1")
    maya = api.user_id(live_app, "student")
    evidence_id = api.submit_photo_evidence(live_app, "student", target, CAPTION)

    sign_in(phone, "teacher")
    expect(phone).to_have_url(re.compile(r"/teacher/?$"))
    phone.goto("/teacher/review")
    phone.get_by_role("button", name="Newest first").click()  # the piece just sent
    card = phone.get_by_role("article", name=f"Maya R.: {CAPTION}")
    expect(card).to_be_visible(timeout=30_000)
    expect(card.get_by_role("img", name=f"Photo: {CAPTION}")).to_be_visible(timeout=30_000)
    api.wait_synced(phone)
    screenshot(phone, "teacher-review")

    card.get_by_label("Level for M5.F.1").select_option("3.0")
    card.get_by_role("button", name=f"Approve Maya R.: {CAPTION}").click()
    # locked at once: no second decision on the same card
    expect(card.get_by_role("button", name=f"Return Maya R.: {CAPTION}")).to_have_count(0)
    expect(card.get_by_text("Sent", exact=True)).to_be_visible(timeout=30_000)
    # "Sent" is said only once the server has it: no waiting here
    events = _events(live_app, maya, target, evidence_id)
    assert events and events[0]["score"] == 3.0 and events[0]["source"] == "teacher"
    screenshot(phone, "teacher-review-approved")
    assert "Synced" not in phone.inner_text("body")
    assert "ws://" not in phone.inner_text("body")

    # the guardian's portal shows the approved photo
    context = browser.new_context(viewport={"width": 375, "height": 812}, base_url=live_app)
    guardian = context.new_page()
    try:
        sign_in(guardian, "guardian")
        expect(guardian.get_by_role("img", name=f"Photo: {CAPTION}")).to_be_visible()
        screenshot(guardian, "family-with-photo")
    finally:
        context.close()


def test_a_second_review_of_the_same_evidence_is_refused_with_the_reason(live_app):
    target = api.target_id(live_app, "M5.F.2")
    evidence_id = api.submit_photo_evidence(live_app, "student", target, "Number line")
    review = {"name": "evidence.review", "args": {"evidence_id": evidence_id,
                                                  "decision": "approved"}}
    assert api.push(live_app, "teacher", [review])[0]["status"] == "applied"
    again = api.push(live_app, "teacher2", [review])[0]
    assert again["status"] == "rejected" and again["code"] == "review.taken"
    # the words name the first reviewer (the server's display name, not an id)
    assert again["params"]["teacher"] in again["reason"]
    assert again["params"]["teacher"] != str(again["params"]["teacher_id"])


def test_teacher_reloads_the_queue_offline_and_approves_from_the_device(live_app, phone,
                                                                       sign_in, screenshot):
    """A teacher on a bus: the queue renders from the device after an offline reload, the
    decision stays "Saved on this phone" across a reload, and says "Sent" once it went up."""
    target = api.target_id(live_app, "M5.F.1")
    maya = api.user_id(live_app, "student")
    evidence_id = api.submit_photo_evidence(live_app, "student", target, OFFLINE_CAPTION)

    sign_in(phone, "teacher")
    expect(phone).to_have_url(re.compile(r"/teacher/?$"))
    phone.goto("/teacher/review")
    phone.get_by_role("button", name="Newest first").click()  # the piece just sent
    expect(phone.get_by_role("article", name=f"Maya R.: {OFFLINE_CAPTION}")).to_be_visible(
        timeout=30_000)
    phone.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller",
                            timeout=60_000)
    api.wait_synced(phone)
    sha = hashlib.sha256(api.photo_bytes()).hexdigest()
    # (polled from Python: wait_for_function would take the async predicate's promise as
    # already true)
    api.wait_for(lambda: phone.evaluate(
        "async (sha) => Boolean(await (await caches.open('waypoint-teacher-thumbs'))"
        ".match(`/api/blobs/${sha}?size=thumb`))", sha), "the photo's thumbnail on the device")

    phone.context.set_offline(True)
    phone.reload()  # the service worker serves the page, IndexedDB the queue
    phone.get_by_role("button", name="Newest first").click()
    card = phone.get_by_role("article", name=f"Maya R.: {OFFLINE_CAPTION}")
    expect(card).to_be_visible(timeout=30_000)
    expect(card.get_by_text(re.compile(r"M5\.F\.1"))).to_be_visible()
    expect(card.get_by_role("img", name=f"Photo: {OFFLINE_CAPTION}")).to_be_visible(
        timeout=30_000)
    screenshot(phone, "teacher-review-offline")

    card.get_by_label("Level for M5.F.1").select_option("2.5")
    # by keyboard: Approve goes with the lock, and the focus moves to Undo (QA F37)
    card.get_by_role("button", name=f"Approve Maya R.: {OFFLINE_CAPTION}").focus()
    phone.keyboard.press("Enter")
    expect(card.get_by_text("Saved on this phone")).to_be_visible()
    expect(card.get_by_role("button", name=re.compile("^Undo"))).to_be_focused()
    expect(card.get_by_text("Sent", exact=True)).to_have_count(0)

    phone.on("dialog", lambda dialog: dialog.accept())  # unsent work: it asks first
    phone.reload()  # still offline: the decision is still on this phone, still unsent
    phone.get_by_role("button", name="Newest first").click()
    card = phone.get_by_role("article", name=f"Maya R.: {OFFLINE_CAPTION}")
    expect(card.get_by_text("Saved on this phone")).to_be_visible(timeout=30_000)
    expect(card.get_by_role("button", name=re.compile("^Undo"))).to_be_visible()
    assert not _events(live_app, maya, target, evidence_id)

    phone.context.set_offline(False)
    phone.evaluate("() => window.waypoint.flush()")
    expect(card.get_by_text("Sent", exact=True)).to_be_visible(timeout=30_000)
    events = _events(live_app, maya, target, evidence_id)
    assert events and events[0]["score"] == 2.5 and events[0]["source"] == "teacher"
    body = phone.inner_text("body")
    assert "Synced" not in body and "ws://" not in body
