"""The learner's conference (issue 18 item 4) end to end: on a tablet with the network cut,
the learner stars two pieces of work ("Show this at my conference"), opens the rehearsal,
steps through its slides with the buttons and the arrow keys (the profile slide shows their
own words, the highlights their photos kept on the device), reloads offline and it is all
still there; back online the stars reach the server, and the printed pack opens with the
profile. Every screen passes the accessibility audit of the other browser tests.

Debian's Chromium against the real app (tests/e2e/conftest.py); the server is checked
through its own HTTP API (tests/e2e/teaching_api.py).
"""

import hashlib
import random
import re
import time
import uuid

import pytest
from playwright.sync_api import expect

from tests.backend.interop.test_reports import pdf_pages_and_text
from tests.e2e import teaching_api as api
from tests.e2e.test_accessibility import _audit

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}
MY_WORDS = "I build models and I explain how they work"
CAPTIONS = ("My bridge holds 2 kg", "My fractions poster")


def _uuid7() -> str:
    """A time-ordered id, as devices make them: the newest evidence lists first."""
    ms = int(time.time() * 1000)
    value = (ms << 80) | (0x7 << 76) | (random.getrandbits(12) << 64) | (0b10 << 62) \
        | random.getrandbits(62)
    return str(uuid.UUID(int=value))


def _photo_evidence(base: str, caption: str, colour) -> str:
    """The learner's photo on the server (sent earlier from another device): its id."""
    data = api.photo_bytes(colour)
    sha = hashlib.sha256(data).hexdigest()
    status, body = api.call(base, "PATCH", f"/api/blobs/{sha}", api.token(base, "student"),
                            data=data, headers={"Tus-Resumable": "1.0.0",
                                                "Content-Type": "application/offset+octet-stream",
                                                "Upload-Offset": "0",
                                                "Upload-Length": str(len(data))})
    assert status == 204, body
    evidence_id = _uuid7()
    results = api.push(base, "student", [{"name": "evidence.put", "args": {
        "id": evidence_id, "student_id": api.user_id(base, "student"), "kind": "photo",
        "caption": caption, "blob_sha256": sha, "submitted": True}}])
    assert results[0]["status"] == "applied", results
    time.sleep(0.01)
    return evidence_id


def _starred(base: str) -> set[str]:
    return {row["data"]["caption"] for (kind, _), row in api.pulled_rows(base, "student").items()
            if kind == "evidence" and row["data"].get("highlight") is True}


def test_the_learner_stars_work_and_rehearses_the_conference_offline(
        browser, live_app, sign_in, screenshot, tmp_path):
    api.reset_languages(live_app, ["student"])
    maya = api.user_id(live_app, "student")
    answer = api.push(live_app, "student", [{"name": "profile.section.put", "args": {
        "student_id": maya, "section": "strengths", "text": MY_WORDS, "seen": []}}])
    assert answer[0]["status"] == "applied", answer
    ids = [_photo_evidence(live_app, CAPTIONS[0], (40, 140, 90)),
           _photo_evidence(live_app, CAPTIONS[1], (150, 60, 160))]
    assert len(set(ids)) == 2

    context = browser.new_context(viewport=TABLET, base_url=live_app)
    context.set_default_timeout(15_000)
    tablet = context.new_page()
    problems: list[str] = []
    try:
        sign_in(tablet, "student")
        expect(tablet).to_have_url(re.compile(r"/learner/?$"), timeout=30_000)
        tablet.wait_for_function(
            "() => navigator.serviceWorker && navigator.serviceWorker.controller",
            timeout=30_000)
        api.wait_synced(tablet, timeout_ms=120_000)
        nav = tablet.get_by_role("navigation", name="Main")
        nav.get_by_role("link", name="Evidence").click()
        # online once: the photos' thumbnails are fetched and kept on the device
        for caption in CAPTIONS:
            expect(tablet.get_by_role("img", name=f"Your photo: {caption}")).to_be_visible(
                timeout=30_000)

        # ---- offline: star two pieces of work
        tablet.context.set_offline(True)
        expect(tablet.get_by_role("status", name="Sync status")).to_contain_text("Offline")
        for caption in CAPTIONS:
            star = tablet.get_by_role("button", name=f"Show this at my conference: {caption}")
            expect(star).to_have_attribute("aria-pressed", "false")
            star.click()
            form = tablet.get_by_role("form", name=f"Conference star: {caption}")
            expect(form.get_by_role("status")).to_have_text("Starred for my conference")
            expect(form.get_by_role("button", name=f"Starred for my conference: {caption}")
                   ).to_have_attribute("aria-pressed", "true")
        tablet.evaluate("window.scrollTo(0, 0)")  # the header stays over what is scrolled under
        problems += _audit(tablet, "evidence with stars (tablet, offline)")

        # ---- the rehearsal, offline, slide by slide
        nav.get_by_role("link", name="My conference").click()
        expect(tablet.get_by_role("heading", name="Rehearse my conference", level=1)
               ).to_be_visible()

        def on_slide(n: int, title: str):
            expect(tablet.locator("#slide-counter")).to_have_text(f"Slide {n} of 4")
            expect(tablet.get_by_role("heading", name=title, level=2)).to_be_visible()

        on_slide(1, "My profile, in my own words")
        expect(tablet.get_by_text(MY_WORDS)).to_be_visible()
        expect(tablet.get_by_role("button", name="Previous")).to_be_disabled()
        # the pointer off the nav link it clicked: axe measured its colour mid-change
        tablet.mouse.move(1, 700)
        tablet.wait_for_timeout(500)
        problems += _audit(tablet, "conference rehearsal: profile (tablet, offline)")
        screenshot(tablet, "learner-conference-profile")
        tablet.get_by_role("button", name="Next").click()
        on_slide(2, "My highlights")
        for caption in CAPTIONS:
            expect(tablet.get_by_role("img", name=caption)).to_be_visible()
        expect(tablet.get_by_text(MY_WORDS)).to_be_hidden()
        problems += _audit(tablet, "conference rehearsal: highlights (tablet, offline)")
        screenshot(tablet, "learner-conference-highlights")
        tablet.keyboard.press("ArrowRight")
        on_slide(3, "My goals")
        tablet.keyboard.press("ArrowRight")
        on_slide(4, "My levels")
        expect(tablet.get_by_role("button", name="Next")).to_be_disabled()
        problems += _audit(tablet, "conference rehearsal: levels (tablet, offline)")
        tablet.keyboard.press("ArrowLeft")
        on_slide(3, "My goals")

        # on paper every slide shows, one a page
        tablet.emulate_media(media="print")
        for title in ("My profile, in my own words", "My highlights", "My goals", "My levels"):
            expect(tablet.get_by_role("heading", name=title, level=2)).to_be_visible()
        expect(tablet.get_by_role("button", name="Next")).to_be_hidden()
        tablet.emulate_media(media="screen")

        # a reload with the network still cut keeps it all
        tablet.reload()
        on_slide(1, "My profile, in my own words")
        expect(tablet.get_by_text(MY_WORDS)).to_be_visible()
        tablet.get_by_role("button", name="Next").click()
        for caption in CAPTIONS:
            expect(tablet.get_by_role("img", name=caption)).to_be_visible()

        # ---- online: the stars reach the server, the printed pack opens with the profile
        tablet.context.set_offline(False)
        api.wait_for(lambda: _starred(live_app) >= set(CAPTIONS), "the two stars")
    finally:
        context.close()
    status, pdf = api.call(live_app, "GET", f"/api/interop/reports/conference/{maya}",
                           api.token(live_app, "student"))
    assert status == 200
    _, text = pdf_pages_and_text(pdf, tmp_path)
    assert text.index("My profile, in my own words") < text.index(MY_WORDS) \
        < text.index("My highlights") < text.index("My goals and reflections")
    for caption in CAPTIONS:
        assert caption in text
    assert not problems, "\n".join(problems)


def test_the_rehearsal_in_arabic_reads_right_to_left(browser, live_app, sign_in):
    """In Arabic the page is right to left: its words are the catalog's, and the arrow keys
    are mirrored (← goes on to the next slide)."""
    status, body = api.call(live_app, "PATCH", "/api/auth/locale",
                            api.token(live_app, "student"), body={"locale": "ar"})
    assert status == 200, body
    context = browser.new_context(viewport=TABLET, base_url=live_app)
    context.set_default_timeout(15_000)
    tablet = context.new_page()
    try:
        sign_in(tablet, "student")
        expect(tablet).to_have_url(re.compile(r"/learner/?$"), timeout=30_000)
        api.wait_synced(tablet, timeout_ms=120_000)
        tablet.goto("/learner/conference")
        expect(tablet.locator("html")).to_have_attribute("dir", "rtl")
        expect(tablet.get_by_role("heading", name="التدرّب على مؤتمري", level=1)).to_be_visible()
        expect(tablet.locator("#slide-counter")).to_contain_text("الشريحة")
        expect(tablet.get_by_role("heading", name="ملفي الشخصي، بكلماتي", level=2)
               ).to_be_visible()
        tablet.keyboard.press("ArrowLeft")
        expect(tablet.get_by_role("heading", name="أبرز أعمالي", level=2)).to_be_visible()
        tablet.keyboard.press("ArrowRight")
        expect(tablet.get_by_role("heading", name="ملفي الشخصي، بكلماتي", level=2)
               ).to_be_visible()
    finally:
        context.close()
        api.reset_languages(live_app, ["student"])
