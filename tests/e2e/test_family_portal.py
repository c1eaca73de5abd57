"""The guardian portal: only their child, levels in words, "how this level was worked out",
no write control on the record (the family's consent for badges is the one box), and
another child's address leads to a friendly not-found."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from backend.i18n import format_date
from tests.e2e import teaching_api as api
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.browser


def _no_write_controls(page) -> None:
    expect(page.get_by_role("textbox")).to_have_count(0)
    expect(page.get_by_role("radio")).to_have_count(0)
    # the one kind of box allowed is the family's own consent (what badges link to, per
    # child): a choice the family makes, not a write to the record
    boxes = page.get_by_role("checkbox")
    assert boxes.count() == page.locator("#credential-sharing").get_by_role(
        "checkbox", name=re.compile(r"badges may link to their approved work$")).count()
    # the one select allowed is the reader's own language (a setting, not the record)
    combos = page.get_by_role("combobox")
    assert combos.count() == page.get_by_role("combobox", name="Language").count()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    # the other buttons only read: more of a list ("Show done goals (3)", "Show 20 more …")
    # or a download of the record
    names = [b.get_attribute("aria-label") or b.inner_text()
             for b in page.get_by_role("button").all()]
    assert all(re.match(r"^(Sign out|Show |Hide the math|Download )", n.strip())
               for n in names), names


def test_guardian_sees_their_child_and_how_a_level_was_worked_out(phone, sign_in,
                                                                   screenshot):
    sign_in(phone, "guardian")
    expect(phone).to_have_url(re.compile(r"/family/?$"))
    expect(phone.get_by_role("heading", name="Maya R.", level=2)).to_be_visible()
    expect(phone.get_by_text("Eli T.")).to_have_count(0)
    expect(phone.get_by_role("heading", name="Progress over ten weeks")).to_be_visible()
    expect(phone.get_by_role("img", name=re.compile(r"^Chart: Now \d+ learning target"))
           ).to_be_visible()
    expect(phone.get_by_role("heading", name="Current goals")).to_be_visible()
    _no_write_controls(phone)
    screenshot(phone, "family")

    phone.get_by_role("link", name=re.compile(r"How was this level worked out\?")).first.click()
    expect(phone).to_have_url(re.compile(r"/family/\d+/targets/\d+/?$"))
    expect(phone.get_by_role("heading", name="How this level was worked out")).to_be_visible()
    expect(phone.get_by_text(re.compile(r"^Method: ")).first).to_be_visible()
    _no_write_controls(phone)
    screenshot(phone, "family-target")


# how each of backend/mastery/sentence.py's sentences begins (tests/vectors/level_sentences.json)
PLAIN = re.compile(r"^(The most recent work|There is only one score|The best work|Every score|"
                   r"The learning curve|The trend|The level is|Not yet a level|All \d+ scores)")
ONE_DATE = re.compile(r"\b[A-Z][a-z]{2} \d{1,2}, \d{4}\b")  # English "date": Nov 8, 2026


def test_guardian_reads_a_plain_sentence_first_and_the_math_on_request(phone, sign_in,
                                                                       screenshot):
    """Issue 15 item 4: one sentence in plain words, the arithmetic behind a real button, the
    level in the math exactly as on the badge, and dates in one format."""
    sign_in(phone, "guardian")
    phone.get_by_role("link", name=re.compile(r"How was this level worked out\?")).first.click()
    section = phone.get_by_role("region", name="How this level was worked out")
    expect(section.get_by_text(PLAIN)).to_be_visible()
    math = section.get_by_role("button", name="Show the math")
    expect(math).to_have_attribute("aria-expanded", "false")
    expect(section.get_by_text(re.compile(r"^Level: \d\.\d "))).to_have_count(0)
    screenshot(phone, "family-target-sentence")

    math.click()
    hide = section.get_by_role("button", name="Hide the math")
    expect(hide).to_have_attribute("aria-expanded", "true")
    level_line = section.get_by_text(re.compile(r"^Level: \d\.\d \("))
    expect(level_line).to_be_visible()
    shown = re.match(r"^Level: (\d\.\d) \((\w[\w ]*)\)", level_line.inner_text())
    badge = phone.get_by_text(re.compile(r"^\d\.\d · ")).first.inner_text()
    assert badge == f"{shown[1]} · {shown[2]}", (badge, shown[0])
    # no number with two or more decimals is named as the level (2.33 beside a 2.3 badge)
    assert not re.search(r"Rounded to 2 decimals", section.inner_text())
    expect(section.get_by_role("heading", name="What counted")).to_be_visible()
    page_text = phone.locator("main").inner_text()
    assert ONE_DATE.search(page_text), page_text
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", page_text), page_text
    screenshot(phone, "family-target-math")

    hide.click()
    expect(section.get_by_role("button", name="Show the math")).to_have_attribute(
        "aria-expanded", "false")
    expect(section.get_by_role("heading", name="What counted")).to_have_count(0)


def test_guardian_url_for_another_child_is_a_friendly_not_found(live_app, phone, sign_in,
                                                                 screenshot):
    eli = api.user_id(live_app, "student2")
    target = api.target_id(live_app, "M5.F.1")
    sign_in(phone, "guardian")
    expect(phone).to_have_url(re.compile(r"/family/?$"))
    phone.goto(f"/family/{eli}/targets/{target}")
    expect(phone.get_by_role("alert")).to_contain_text("We could not find that page")
    expect(phone.get_by_text("Eli T.")).to_have_count(0)
    screenshot(phone, "family-not-theirs")


def test_every_write_from_a_guardian_is_refused(live_app):
    guardian = api.token(live_app, "guardian")
    maya = api.user_id(live_app, "student")
    status, _ = api.call(live_app, "POST", "/api/sync/push", guardian,
                         {"client_id": "guardian-device", "mutations": [
                             {"seq": 1, "name": "self_assessment.put", "hlc":
                              "1700000000000-0000-g", "args": {"student_id": maya,
                                                               "target_id": 1,
                                                               "level": 4.0}}]})
    assert status == 403
    for method, path, body in [
        ("POST", "/api/curriculum/areas", {"name": "Mine"}),
        ("POST", "/api/groups", {"class_id": 1, "name": "x", "student_ids": [maya],
                                 "playlist_id": 1}),
        ("PUT", "/api/mastery/settings", {"calculation_method": "highest"}),
        ("POST", "/api/roster/guardian-links", {"guardian_id": 1, "student_id": maya}),
    ]:
        status, _ = api.call(live_app, method, path, guardian, body)
        assert status == 403, (method, path, status)


def _ar(msgid: str) -> str:
    catalog = json.loads((Path(__file__).resolve().parents[2] / "assets" / "i18n" / "ar.json")
                         .read_text())
    assert catalog.get(msgid), f"ar catalog lacks {msgid!r}"
    return catalog[msgid]


@pytest.fixture
def arabic_phone(browser, live_app):
    """A phone whose browser says ar-EG; the guardian's account is put back to no language."""
    # before too: any earlier sign-in on an English browser gave the account "en"
    api.reset_languages(live_app, ["guardian"])
    context = browser.new_context(viewport=PHONE, base_url=live_app, locale="ar-EG")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()
    api.reset_languages(live_app, ["guardian"])


def test_progress_chart_in_arabic_reads_left_to_right_with_dates_in_arabic(
        arabic_phone, live_app, screenshot):
    """QA F23/F24: in a right-to-left page the chart keeps its own left-to-right direction
    (its y numbers sit left of the axis, not over the plot) and its dates are the page's one
    Arabic date format, not English month names."""
    page = arabic_phone
    page.goto("/login")
    page.get_by_label(_ar("Username")).fill("guardian")
    page.get_by_label(_ar("Password")).fill("waypoint")
    page.get_by_role("button", name=_ar("Sign in")).click()
    expect(page).to_have_url(re.compile(r"/family/?$"), timeout=30_000)
    # an account that already has a language keeps it over the phone's: choose Arabic
    page.get_by_role("combobox", name=re.compile(r"^(Language|اللغة)$")).select_option("ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.reload()  # the words the server built (dates, sentences) come in the new language
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    chart = page.locator('[role="img"]:has(.recharts-wrapper)').first
    expect(chart).to_have_attribute("dir", "ltr")
    x_ticks = chart.locator(".recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value")
    expect(x_ticks.first).to_be_visible()

    maya = api.user_id(live_app, "student")
    _, progress = api.call(live_app, "GET", f"/api/learners/{maya}/progress",
                           api.token(live_app, "guardian"))
    arabic_days = {format_date(w["week_ending"], "date", "ar") for w in progress["weeks"]}
    shown = [text.strip() for text in x_ticks.all_text_contents()]
    assert shown and all(text in arabic_days for text in shown), (shown, arabic_days)
    assert not any(re.search(r"[A-Z][a-z]{2} \d", text) for text in shown), shown

    axis = chart.locator(".recharts-yAxis .recharts-cartesian-axis-line").bounding_box()
    y_ticks = chart.locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value")
    expect(y_ticks.first).to_be_visible()
    for tick in y_ticks.all():
        box = tick.bounding_box()
        assert box["x"] + box["width"] <= axis["x"] + 1, (box, axis)  # left of the axis
    screenshot(page, "family-chart-ar")
