"""A teacher prints a class's progress reports from their own Reports page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_teacher_prints_their_class_progress_reports(live_app, phone, sign_in, screenshot):
    page = phone
    sign_in(page, "teacher")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page).to_have_url(re.compile(r"/teacher/reports/?$"))
    expect(page.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    # only their own classes: Ms. Rivera teaches Math Studio A and B, not Writers' Workshop
    expect(page.get_by_text("Math Studio B")).to_be_visible()
    expect(page.get_by_text("Writers' Workshop")).to_have_count(0)
    screenshot(page, "teacher-reports")

    row = page.get_by_text("Math Studio A").locator("..")
    with page.expect_download(timeout=120_000) as download:
        row.get_by_role("button", name="Progress reports").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    expect(page.get_by_role("status")).to_contain_text("Done")
