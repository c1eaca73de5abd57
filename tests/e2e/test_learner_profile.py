"""The Personal Learner Profile end to end (issue 18): the learner fills in their profile
offline on a tablet, goes online and the server has it; their teacher adds an "I've
noticed…" on a phone with the network cut; the learner accepts it; the family reads both in
Spanish. Every screen passes the accessibility audit of the other browser tests.

Debian's Chromium against the real app (tests/e2e/conftest.py); the server is checked
through its own HTTP API (tests/e2e/teaching_api.py).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api
from tests.e2e.conftest import PHONE
from tests.e2e.test_accessibility import _audit

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}
STRENGTH = "I explain my thinking and I build things"
HELPS = "Long texts are hard; a picture first helps me"
TEACHER_WORDS = "You help others see the next step"
NOTICED = "You helped two classmates with ratios today"
ELSEWHERE = "I am good at drawing"


def _profile_rows(base: str, username: str) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {}
    for (kind, _id), row in api.pulled_rows(base, username).items():
        if kind.startswith("profile_"):
            rows.setdefault(kind, []).append(row["data"])
    return rows


def _section(base: str, username: str, name: str) -> dict | None:
    return next((s for s in _profile_rows(base, username).get("profile_section", [])
                 if s["section"] == name), None)


def _learner_offline(page, sign_in) -> None:
    """Sign in on the tablet, let the first sync finish, then cut the network."""
    sign_in(page, "student")
    expect(page).to_have_url(re.compile(r"/learner/?$"), timeout=30_000)
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller",
                           timeout=30_000)
    api.wait_synced(page, timeout_ms=120_000)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My profile").click()
    expect(page.get_by_role("heading", name="My profile", level=1)).to_be_visible()
    page.context.set_offline(True)
    expect(page.get_by_role("status", name="Sync status")).to_contain_text("Offline")


def test_profile_offline_observation_and_the_family_reads_it_in_spanish(
        browser, live_app, sign_in, screenshot):
    api.reset_languages(live_app, ["guardian", "student", "teacher"])
    maya = api.user_id(live_app, "student")

    # ---- the learner, on a tablet, offline
    tablet_context = browser.new_context(viewport=TABLET, base_url=live_app)
    tablet_context.set_default_timeout(15_000)
    tablet = tablet_context.new_page()
    _learner_offline(tablet, sign_in)

    strengths = tablet.get_by_role("form", name="My strengths")
    strengths.get_by_label("In my own words").fill(STRENGTH)
    strengths.get_by_role("button", name="Save: My strengths").click()
    expect(strengths.get_by_role("status")).to_have_text(
        "Saved on this device. It is sent when you are online.")

    learn = tablet.get_by_role("form", name="How I take in ideas")
    learn.get_by_role("checkbox", name="Doing").check()
    learn.get_by_role("checkbox", name="Talking").check()
    learn.get_by_role("button", name="Save: How I take in ideas").click()
    expect(learn.get_by_role("status")).to_contain_text("Saved on this device")

    hard = tablet.get_by_role("form", name="What I find hard, and what helps")
    save_hard = hard.get_by_role("button", name="Save: What I find hard, and what helps")
    save_hard.click()  # nothing written: the error is said beside the button
    expect(hard.get_by_role("status")).to_have_text("Write a few words first, or tick a choice.")
    hard.get_by_label("In my own words").fill("x" * 4001)
    save_hard.click()  # over the limit goals have: the limit in plain words, text kept
    expect(hard.get_by_role("status")).to_contain_text("at most 4000 characters")
    expect(hard.get_by_label("In my own words")).to_have_value("x" * 4001)
    hard.get_by_label("In my own words").fill(HELPS)
    save_hard.click()
    expect(hard.get_by_role("status")).to_contain_text("Saved on this device")
    # the history of a section shows what it said, and it stays across a reload offline
    tablet.reload()
    strengths = tablet.get_by_role("form", name="My strengths")
    expect(strengths.get_by_label("In my own words")).to_have_value(STRENGTH)
    strengths.get_by_text(re.compile(r"^How this has changed")).click()
    expect(strengths.get_by_text(STRENGTH).last).to_be_visible()
    problems = _audit(tablet, "learner profile (tablet, offline)")
    screenshot(tablet, "learner-profile-offline")

    # meanwhile the learner's phone (another device, which had not seen the tablet's text)
    # wrote the same section: both texts are kept, and the learner chooses on the tablet
    answer = api.push(live_app, "student", [{"name": "profile.section.put", "args": {
        "student_id": maya, "section": "strengths", "text": ELSEWHERE, "seen": []}}])
    assert answer[0]["status"] == "applied", answer
    tablet.context.set_offline(False)

    def both_texts():
        section = _section(live_app, "student", "strengths") or {}
        texts = {section.get("text")} | {a["text"] for a in section.get("alternatives", [])}
        return texts == {STRENGTH, ELSEWHERE}

    api.wait_for(both_texts, "both texts of the learner's strengths")
    tablet.reload()
    strengths = tablet.get_by_role("form", name="My strengths")
    keep = strengths.get_by_role("button", name=f"Keep this one: {STRENGTH}")
    expect(keep).to_be_visible(timeout=30_000)
    expect(strengths.get_by_text(ELSEWHERE).first).to_be_visible()
    problems += _audit(tablet, "learner profile (two texts to choose from)")
    screenshot(tablet, "learner-profile-two-texts")
    keep.click()
    expect(strengths.get_by_role("status")).to_have_text(
        "Kept. The other text stays in the history.")
    api.wait_for(lambda: (_section(live_app, "student", "strengths") or {}).get("alternatives")
                 == [] and _section(live_app, "student", "strengths")["text"] == STRENGTH,
                 "the learner's choice")
    learn_by = api.wait_for(lambda: _section(live_app, "student", "learn_by"), "learn_by")
    assert learn_by["choices"] == ["doing", "talking"]
    assert _section(live_app, "student", "hard_and_helps")["text"] == HELPS

    # ---- the teacher, on a phone, from the learner's page, offline
    phone_context = browser.new_context(viewport=PHONE, base_url=live_app)
    phone_context.set_default_timeout(15_000)
    phone = phone_context.new_page()
    sign_in(phone, "teacher")
    expect(phone).to_have_url(re.compile(r"/teacher/?$"), timeout=30_000)
    api.wait_synced(phone, timeout_ms=120_000)
    target = api.target_id(live_app, "M5.F.4")
    phone.goto(f"/teacher/learners/{maya}/targets/{target}")
    phone.get_by_role("link", name="Profile and observations").click()
    expect(phone.get_by_role("heading", name="Maya R.'s profile", level=1)).to_be_visible(
        timeout=30_000)
    expect(phone.get_by_text(STRENGTH).first).to_be_visible(timeout=30_000)
    phone.context.set_offline(True)
    form = phone.get_by_role("form", name="I've noticed…")
    form.get_by_label("What did you notice?").fill(NOTICED)
    form.get_by_label("About which part (optional)").select_option("strengths")
    form.get_by_role("button", name="Add observation").click()
    expect(form.get_by_role("status")).to_contain_text("Saved on this phone")
    expect(phone.get_by_text(NOTICED)).to_be_visible()
    # the teacher's own words in the section, offline: they stand beside the learner's
    beside = phone.get_by_role("form", name="Strengths", exact=True)
    beside.get_by_label("Your words, beside theirs").fill(TEACHER_WORDS)
    beside.get_by_role("button", name="Add beside their words: Strengths").click()
    expect(beside.get_by_role("status")).to_contain_text("Saved on this device")
    problems += _audit(phone, "teacher profile (phone, offline)")
    screenshot(phone, "teacher-profile-offline")
    phone.context.set_offline(False)
    api.wait_for(lambda: any(o["text"] == NOTICED for o in
                             _profile_rows(live_app, "teacher").get("profile_observation", [])),
                 "the teacher's observation")

    def teacher_beside():
        section = _section(live_app, "student", "strengths") or {}
        texts = {section.get("text")} | {a["text"] for a in section.get("alternatives", [])}
        return texts == {STRENGTH, TEACHER_WORDS}

    api.wait_for(teacher_beside, "the teacher's words beside the learner's (neither replaced)")
    phone_context.close()

    # ---- the learner keeps their own words, and accepts the observation (after a pull)
    tablet.reload()
    strengths = tablet.get_by_role("form", name="My strengths")
    keep_mine = strengths.get_by_role("button", name=f"Keep this one: {STRENGTH}")
    expect(keep_mine).to_be_visible(timeout=60_000)
    expect(strengths.get_by_text(TEACHER_WORDS).first).to_be_visible()
    keep_mine.click()
    expect(strengths.get_by_role("status")).to_have_text(
        "Kept. The other text stays in the history.")
    api.wait_for(lambda: (_section(live_app, "student", "strengths") or {}).get("alternatives")
                 == [] and _section(live_app, "student", "strengths")["text"] == STRENGTH,
                 "the learner's choice over the teacher's words")
    note = tablet.get_by_role("form", name=f"Answer: {NOTICED}")
    expect(note).to_be_visible(timeout=60_000)
    note.get_by_role("button", name="Accept").click()
    expect(note.get_by_role("status")).to_have_text("Accepted.")
    api.wait_for(lambda: any(o["response"] == "accepted" for o in
                             _profile_rows(live_app, "student").get("profile_observation", [])),
                 "the learner's answer")
    tablet_context.close()

    # ---- the family, in Spanish, read-only
    family_context = browser.new_context(viewport=PHONE, base_url=live_app, locale="es-ES")
    family_context.set_default_timeout(15_000)
    family = family_context.new_page()
    try:
        family.goto("/login")
        family.wait_for_load_state("networkidle")
        family.get_by_label("Usuario").fill("guardian")
        family.get_by_label("Contraseña").fill("waypoint")
        family.get_by_role("button", name="Iniciar sesión").click()
        expect(family).to_have_url(re.compile(r"/family/?$"), timeout=30_000)
        expect(family.get_by_role("heading", name="Su perfil, con sus propias palabras")
               ).to_be_visible(timeout=30_000)
        expect(family.get_by_text("Fortalezas", exact=True)).to_be_visible()
        expect(family.get_by_text(STRENGTH)).to_be_visible()
        expect(family.get_by_text("Haciendo, Hablando")).to_be_visible()
        expect(family.get_by_text(NOTICED)).to_be_visible()
        expect(family.get_by_text("Aceptada", exact=True)).to_be_visible()
        problems += _audit(family, "family profile (Spanish)")
        screenshot(family, "family-profile-es")
    finally:
        family_context.close()
        api.reset_languages(live_app, ["guardian", "student", "teacher"])
    assert not problems, "\n".join(problems)
