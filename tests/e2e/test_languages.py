"""The family portal in Spanish and the learner's offline binder in Arabic (right to left),
online and after an offline reload, in Debian's Chromium against the real app.

What a person does: a Spanish-speaking parent's phone says es-MX, so the sign-in page is in
Spanish before anyone picks anything; a learner picks العربية in the page footer and the
whole page turns right to left, stays so after a reload with no network, and their account
remembers it (a new device opens in Arabic after sign-in). Texts are the seeded catalog
entries (locales/*/messages.po), looked up through the same catalogs the app uses.
"""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
FAMILY_INTRO = "How your child is doing. 3.0 means proficient: the goal for each target."


def _catalog(code: str) -> dict:
    return json.loads((ROOT / "assets" / "i18n" / f"{code}.json").read_text())


def _words(code: str, msgid: str) -> str:
    """The catalog's translation (the tests fail loudly if a seeded one is removed)."""
    text = _catalog(code).get(msgid)
    assert isinstance(text, str) and text, f"{code} catalog lacks {msgid!r}"
    return text



@pytest.fixture
def no_language_chosen(live_app):
    # before too: any earlier sign-in on an English browser gave the account "en"
    api.reset_languages(live_app, ["guardian", "student2"])
    yield
    api.reset_languages(live_app, ["guardian", "student2"])


def _offline_ready(page) -> None:
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller",
                           timeout=30_000)


def _html(page, lang: str, direction: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("dir", direction)


@pytest.fixture
def spanish_phone(browser, live_app):
    """A phone whose browser language is Mexican Spanish (navigator.languages, Accept-Language)."""
    context = browser.new_context(viewport=PHONE, base_url=live_app, locale="es-MX")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_family_portal_in_spanish_online_and_after_an_offline_reload(spanish_phone, live_app,
                                                                    no_language_chosen):
    page = spanish_phone
    page.goto("/login")
    page.wait_for_load_state("networkidle")
    _html(page, "es", "ltr")
    expect(page.get_by_role("heading", name=_words("es", "Sign in"), level=1)).to_be_visible()
    expect(page.get_by_label(_words("es", "Language"))).to_have_value("es")
    page.get_by_label(_words("es", "Username")).fill("guardian")
    page.get_by_label(_words("es", "Password")).fill("nope")
    page.get_by_role("button", name=_words("es", "Sign in")).click()
    # the API's answer is in the language on screen
    expect(page.get_by_text(_words("es", "That username and password do not match."))
           ).to_be_visible()
    page.get_by_label(_words("es", "Password")).fill("waypoint")
    page.get_by_role("button", name=_words("es", "Sign in")).click()
    expect(page).to_have_url(re.compile(r"/family/?$"), timeout=30_000)
    expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=30_000)
    _html(page, "es", "ltr")
    picker = page.get_by_label(_words("es", "Language"))
    expect(picker).to_have_value("es")
    expect(page.get_by_text(_words("es", FAMILY_INTRO))).to_be_visible()
    # chosen before sign-in, so it became the account's language
    status, me = api.call(live_app, "GET", "/api/auth/me", api.token(live_app, "guardian"))
    assert status == 200 and me["locale"] == "es", me

    _offline_ready(page)
    page.context.set_offline(True)
    page.reload()
    _html(page, "es", "ltr")
    expect(page.get_by_label(_words("es", "Language"))).to_have_value("es")
    expect(page.get_by_role("link", name=_words("es", "Privacy"))).to_be_visible()
    expect(page.get_by_text(_words("es", FAMILY_INTRO))).to_be_visible()
    page.context.set_offline(False)


def test_learner_binder_in_arabic_right_to_left_online_offline_and_on_a_new_device(
        browser, phone, sign_in, live_app, no_language_chosen):
    page = phone
    sign_in(page, "student2")
    expect(page).to_have_url(re.compile(r"/learner/?$"), timeout=30_000)
    expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=30_000)
    _html(page, "en", "ltr")
    page.locator("html[data-hydrated]").wait_for(state="attached")  # the picker is live
    page.get_by_label("Language").select_option("ar")
    _html(page, "ar", "rtl")
    picker = page.get_by_label(_words("ar", "Language"))
    expect(picker).to_have_value("ar")
    expect(page.get_by_role("status").filter(has_text="العربية")).to_be_visible()
    status, me = api.call(live_app, "GET", "/api/auth/me", api.token(live_app, "student2"))
    assert me["locale"] == "ar", me

    # mirrored: the brand starts on the right, Sign out sits to its left
    brand = page.get_by_text("Waypoint", exact=True).first.bounding_box()
    sign_out = page.get_by_role("button", name=re.compile("Sign out|تسجيل الخروج")).bounding_box()
    assert brand["x"] > sign_out["x"], (brand, sign_out)

    _offline_ready(page)
    page.context.set_offline(True)
    page.reload()
    _html(page, "ar", "rtl")
    expect(page.get_by_label(_words("ar", "Language"))).to_have_value("ar")
    expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=30_000)
    # offline, a change is this device's only, and the page says so (in the new language,
    # whose catalog the service worker keeps)
    page.get_by_label(_words("ar", "Language")).select_option("es")
    _html(page, "es", "ltr")
    expect(page.get_by_role("status").filter(has_text=_words(
        "es", "Changed on this device only: you are offline, so your account still has its "
              "own language. Choose again when you are online."))).to_be_visible()
    # the offline binder in Spanish, before and after another offline reload
    academic = page.get_by_role("heading", name=_words("es", "Academic learning"), level=2)
    expect(academic).to_be_visible()
    page.reload()
    _html(page, "es", "ltr")
    expect(academic).to_be_visible(timeout=30_000)
    page.context.set_offline(False)
    status, me = api.call(live_app, "GET", "/api/auth/me", api.token(live_app, "student2"))
    assert me["locale"] == "ar", "an offline change must not reach the account unseen"

    # a new device (English browser) opens in the account's language after sign-in
    context = browser.new_context(viewport=PHONE, base_url=live_app)
    try:
        other = context.new_page()
        sign_in(other, "student2")
        expect(other).to_have_url(re.compile(r"/learner/?$"), timeout=30_000)
        _html(other, "ar", "rtl")
        expect(other.get_by_label(_words("ar", "Language"))).to_have_value("ar")
    finally:
        context.close()
