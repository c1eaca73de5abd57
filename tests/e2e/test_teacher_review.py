"""A learner's photo evidence, approved with a level by a teacher on a phone in two taps;
the server, the learner's binder and the guardian's portal then show it."""

import hashlib
import re

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api

pytestmark = pytest.mark.browser

CAPTION = "Fraction strips: 3/4 is more than 2/3"


def test_teacher_approves_photo_evidence_with_a_level_in_two_taps(
        browser, live_app, phone, sign_in, screenshot):
    target = api.target_id(live_app, "M5.F.1")
    maya = api.user_id(live_app, "student")
    evidence_id = api.submit_photo_evidence(live_app, "student", target, CAPTION)

    sign_in(phone, "teacher")
    expect(phone).to_have_url(re.compile(r"/teacher/?$"))
    phone.goto("/teacher/review")
    card = phone.get_by_role("article", name=f"Maya R.: {CAPTION}")
    expect(card).to_be_visible()
    expect(card.get_by_role("img", name=f"Photo evidence: {CAPTION}")).to_be_visible()
    api.wait_synced(phone)
    screenshot(phone, "teacher-review")

    waiting_before = _waiting_count(phone)
    taps = 0
    card.get_by_role("radio", name="3.0").click()
    taps += 1
    card.get_by_role("button", name="Approve Maya R.'s evidence").click()
    taps += 1
    assert taps <= 3

    expect(phone.get_by_text(re.compile(r"Maya R\. · reviewed \(synced\)"))).to_be_visible(
        timeout=30_000)
    # the strip agrees with the card, and the approved piece no longer counts as waiting
    expect(phone.get_by_text("Approved. Synced.")).to_be_visible()
    api.wait_for(lambda: _waiting_count(phone) == waiting_before - 1,
                 "the waiting count to leave out the approved piece")
    screenshot(phone, "teacher-review-approved")

    teacher = api.token(live_app, "teacher")

    def approved_event():
        _, detail = api.call(live_app, "GET", f"/api/learners/{maya}/targets/{target}",
                             teacher)
        return [e for e in detail["events"] if e.get("evidence_id") == evidence_id]

    events = api.wait_for(approved_event, "the teacher event of the approval")
    assert events[0]["score"] == 3.0 and events[0]["source"] == "teacher"
    _, queue = api.call(live_app, "GET", "/api/review-queue?limit=100", teacher)
    assert evidence_id not in {item["id"] for item in queue["items"]}

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
    assert again["status"] == "rejected" and "already reviewed" in again["reason"]


OFFLINE_CAPTION = "Pizza slices: 5/8 is more than 1/2"


def test_teacher_reloads_the_queue_offline_and_approves_from_the_device(live_app, phone,
                                                                       sign_in, screenshot):
    """A teacher on a bus: the queue renders from the device after an offline reload."""
    target = api.target_id(live_app, "M5.F.1")
    maya = api.user_id(live_app, "student")
    evidence_id = api.submit_photo_evidence(live_app, "student", target, OFFLINE_CAPTION)

    sign_in(phone, "teacher")
    expect(phone).to_have_url(re.compile(r"/teacher/?$"))
    phone.goto("/teacher/review")
    expect(phone.get_by_role("article", name=f"Maya R.: {OFFLINE_CAPTION}")).to_be_visible()
    phone.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller",
                            timeout=60_000)
    api.wait_synced(phone)
    # this photo's thumbnail is kept on the device once synced (other waiting photos of
    # earlier tests may be cached first: wait for this one)
    sha = hashlib.sha256(api.photo_bytes()).hexdigest()
    # (polled from Python: wait_for_function would take the async predicate's promise as
    # already true)
    api.wait_for(lambda: phone.evaluate(
        "async (sha) => Boolean(await (await caches.open('waypoint-teacher-thumbs'))"
        ".match(`/api/blobs/${sha}?size=thumb`))", sha), "the photo's thumbnail on the device")

    phone.context.set_offline(True)
    phone.reload()  # the service worker serves the page, IndexedDB the queue
    card = phone.get_by_role("article", name=f"Maya R.: {OFFLINE_CAPTION}")
    expect(card).to_be_visible(timeout=30_000)
    expect(card.get_by_text("M5.F.1", exact=True)).to_be_visible()
    # many cards may be waiting (earlier tests): their thumbnails load from the cache in turn
    expect(card.get_by_role("img", name=f"Photo evidence: {OFFLINE_CAPTION}")).to_be_visible(
        timeout=30_000)
    screenshot(phone, "teacher-review-offline")

    waiting_before = _waiting_count(phone)
    taps = 0
    card.get_by_role("radio", name="2.5").click()
    taps += 1
    card.get_by_role("button", name="Approve Maya R.'s evidence").click()
    taps += 1
    assert taps <= 3
    expect(phone.get_by_text(re.compile(r"Maya R\. · reviewed \(waiting to sync\)"))
           ).to_be_visible()
    # the strip counts in words, and the piece reviewed here no longer counts as waiting
    expect(phone.get_by_text("1 change waiting to sync", exact=True)).to_be_visible()
    api.wait_for(lambda: _waiting_count(phone) == waiting_before - 1,
                 "the waiting count to leave out the approved piece")

    phone.context.set_offline(False)
    teacher = api.token(live_app, "teacher")

    def approved_event():
        _, detail = api.call(live_app, "GET", f"/api/learners/{maya}/targets/{target}",
                             teacher)
        return [e for e in detail["events"] if e.get("evidence_id") == evidence_id]

    events = api.wait_for(approved_event, "the teacher event of the offline approval")
    assert events[0]["score"] == 2.5 and events[0]["source"] == "teacher"
    _, queue = api.call(live_app, "GET", "/api/review-queue?limit=100", teacher)
    assert evidence_id not in {item["id"] for item in queue["items"]}


def _waiting_count(page) -> int:
    """M of the device queue's "Showing N of M pieces waiting for review" (0 when none)."""
    found = re.search(r"Showing \d+ of (\d+) pieces? waiting for review", page.inner_text("body"))
    return int(found.group(1)) if found else 0
