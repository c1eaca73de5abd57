"""An admin adds a learning target with a rubric, then archives a target that learners'
history cites: the events are kept."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api

pytestmark = pytest.mark.browser


def _said(page, words: str):
    """The status line that says `words` (the language picker has its own status line)."""
    return page.get_by_role("status").filter(has_text=words)


def test_admin_adds_a_target_with_a_rubric_and_archives_one_with_history(
        live_app, phone, sign_in, screenshot):
    sign_in(phone, "admin")
    expect(phone).to_have_url(re.compile(r"/admin/?$"))
    phone.goto("/admin/curriculum")
    phone.get_by_label("Measurement topic", exact=True).select_option(label="Math: Fractions")
    phone.get_by_label("Code").fill("M5.F.9")
    phone.get_by_label("Title").fill("Place fractions on a number line")
    phone.get_by_label("Rubric: what 3 looks like").fill("Places any fraction correctly.")
    phone.get_by_label("Rubric: what 2 looks like").fill("Places unit fractions.")
    phone.get_by_role("button", name="Add learning target").click()
    expect(_said(phone, "Added learning target M5.F.9.")).to_be_visible()
    expect(phone.get_by_text("M5.F.9 · Place fractions on a number line")).to_be_visible()
    screenshot(phone, "admin-curriculum")

    # a teacher rates a learner on it: now learners' history cites it
    maya = api.user_id(live_app, "student")
    target = api.target_id(live_app, "M5.F.9")
    _, detail = api.call(live_app, "GET", f"/api/curriculum/targets/{target}",
                         api.token(live_app, "admin"))
    assert {d["score"] for d in detail["rubric"]} == {3, 2}
    results = api.push(live_app, "teacher", [{"name": "rating.put", "args": {
        "student_id": maya, "target_id": target, "level": 2.0, "base_version": 0}}])
    assert results[0]["status"] == "applied"

    phone.get_by_role("button", name="Archive M5.F.9").click()
    expect(phone.get_by_role("alertdialog")).to_contain_text("1 assessment(s)")
    phone.get_by_role("button", name="Archive it").click()
    expect(_said(phone, "Its events and evidence are kept.")).to_be_visible()
    expect(phone.get_by_text("M5.F.9 · Place fractions on a number line")).to_have_count(0)

    _, kept = api.call(live_app, "GET", f"/api/learners/{maya}/targets/{target}",
                       api.token(live_app, "teacher"))
    assert [e["score"] for e in kept["events"] if e["source"] == "teacher"] == [2.0]


def test_admin_pages_at_phone_width(phone, sign_in, screenshot):
    sign_in(phone, "admin")
    expect(phone).to_have_url(re.compile(r"/admin/?$"))
    for path, heading, name in [("/admin/people", "People and classes", "admin-people"),
                                ("/admin/settings", "Settings", "admin-settings"),
                                ("/admin/sync", "Sync health", "admin-sync")]:
        phone.goto(path)
        expect(phone.get_by_role("heading", name=heading, level=1)).to_be_visible()
        screenshot(phone, name)
    expect(phone.get_by_role("group", name="Open conflicts")).to_be_visible()
