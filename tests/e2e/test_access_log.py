"""Issue 13's duties in the browser: a teacher opens a learner's binder and the guardian then
sees that teacher under "Who has looked at Maya R.'s record" on a phone; the admin reads
the same line on /admin/access-log; the privacy page is reachable from sign-in and from
every page's footer, with no sign-in, and passes axe at 375x812."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api
from tests.e2e.conftest import PHONE
from tests.e2e.test_accessibility import AXE, _audit

pytestmark = pytest.mark.browser


def _phone(browser, base):
    context = browser.new_context(viewport=PHONE, base_url=base)
    context.set_default_timeout(20_000)
    return context


def test_a_teachers_read_reaches_the_guardians_page(browser, live_app, sign_in, screenshot):
    maya = api.user_id(live_app, "student")
    teacher = _phone(browser, live_app)
    try:
        page = teacher.new_page()
        sign_in(page, "teacher")
        expect(page).to_have_url(re.compile(r"/teacher/?$"))
        page.goto(f"/binder/{maya}")
        expect(page.get_by_role("heading", name="Maya R.'s binder", level=1)).to_be_visible(
            timeout=30_000)
        expect(page.get_by_role("heading", name="Fractions").first).to_be_visible()
    finally:
        teacher.close()

    guardian = _phone(browser, live_app)
    try:
        page = guardian.new_page()
        sign_in(page, "guardian")
        expect(page).to_have_url(re.compile(r"/family/?$"))
        heading = page.get_by_role("heading", name="Who has looked at Maya R.'s record",
                                   level=3)
        expect(heading).to_be_visible(timeout=30_000)
        section = page.get_by_role("region", name="Who has looked at your child's record")
        line = section.get_by_role("listitem").filter(has_text="Ms. Rivera").filter(
            has_text="Looked at the binder")
        expect(line).to_be_visible()
        expect(line).to_contain_text("Teacher (Math Studio A)")
        expect(line).to_contain_text(re.compile(r"UTC · (once|\d+ times)"))
        # the guardian's own visits are not listed to them
        expect(section.get_by_text("Guardian", exact=True)).to_have_count(0)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page scrolls sideways ({width}px)"
        screenshot(page, "family-access-log")
    finally:
        guardian.close()


def test_the_admin_filters_the_access_log(browser, live_app, sign_in, screenshot):
    eli = api.user_id(live_app, "student2")
    status, _ = api.call(live_app, "GET", f"/api/learners/{eli}/goals",
                         api.token(live_app, "teacher"))
    assert status == 200
    # an admin write that changes nothing: renaming a class to its own name (QA F16)
    admin_token = api.token(live_app, "admin")
    status, classes = api.call(live_app, "GET", "/api/roster/classes", admin_token)
    assert status == 200 and classes
    name = classes[0]["name"]
    status, _ = api.call(live_app, "PATCH", f"/api/roster/classes/{classes[0]['id']}",
                         admin_token, {"name": name})
    assert status == 200
    context = _phone(browser, live_app)
    try:
        page = context.new_page()
        sign_in(page, "admin")
        expect(page).to_have_url(re.compile(r"/admin/?$"))
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Logs").click()
        expect(page.get_by_role("heading", name="Access and audit logs", level=1)
               ).to_be_visible(timeout=30_000)
        page.get_by_label("Learner").select_option(label="Eli T.")
        page.get_by_label("What").select_option(label="Looked at the goals")
        page.get_by_role("button", name="Show", exact=True).click()
        lines = page.get_by_role("listitem").filter(has_text="Looked at the goals")
        expect(lines.filter(has_text="Ms. Rivera")).to_be_visible()
        expect(page.get_by_role("listitem").filter(has_text="Looked at the binder")
               ).to_have_count(0)
        # the filters stay as the admin set them
        expect(page.get_by_label("Learner")).to_have_value(str(eli))
        page.get_by_role("tab", name="Admin changes").click()
        expect(page.get_by_label("Change", exact=True)).to_be_visible()
        # the person filter is a search box; the change reads in words, not field names
        page.get_by_label("Who", exact=True).fill("admin")
        page.get_by_role("button", name="Show", exact=True).click()
        renamed = page.get_by_role("listitem").filter(has_text="Changed a class")
        expect(renamed.filter(has_text=f"Class: {name}").filter(has_text=f"Name: {name}")
               .first).to_be_visible()
        expect(page.get_by_role("listitem").filter(
            has_text=re.compile(r"_id|\bTrue\b|\bNone\b"))).to_have_count(0)
        screenshot(page, "admin-access-log")
        if AXE.exists():
            problems = _audit(page, "/admin/access-log")
            assert not problems, "accessibility problems:\n" + "\n".join(problems)
    finally:
        context.close()


def test_privacy_from_sign_in_and_from_the_footer(phone, sign_in, screenshot):
    phone.goto("/login")
    phone.wait_for_load_state("networkidle")
    phone.get_by_role("link", name="Privacy: what Waypoint keeps and why").click()
    expect(phone).to_have_url(re.compile(r"/privacy/?$"))
    expect(phone.get_by_role("heading", level=1, name=re.compile("^Privacy"))).to_be_visible()
    for heading in ("What Waypoint keeps", "Photos", "Who can see a learner's record",
                    "How long it is kept", "What families can do"):
        expect(phone.get_by_role("heading", name=heading, level=2)).to_be_visible()
    expect(phone.get_by_text(re.compile(r"record is kept until the school deletes it"))
           ).to_be_visible()
    expect(phone.get_by_text(re.compile(r"removes its hidden data \(EXIF\)"))).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width}px)"
    screenshot(phone, "privacy")
    if AXE.exists():
        problems = _audit(phone, "/privacy")
        assert not problems, "accessibility problems:\n" + "\n".join(problems)

    sign_in(phone, "guardian")
    expect(phone).to_have_url(re.compile(r"/family/?$"))
    # the page has finished loading (its last part, what badges share, is in): a tap on
    # the footer then lands where the person aimed, not where the footer was a moment ago
    expect(phone.locator("#credential-sharing").get_by_role("checkbox").first).to_be_visible(
        timeout=30_000)
    footer = phone.get_by_role("contentinfo")
    footer.get_by_role("link", name="Privacy").click()
    expect(phone).to_have_url(re.compile(r"/privacy/?$"))
    expect(phone.get_by_role("heading", level=1, name=re.compile("^Privacy"))).to_be_visible()
