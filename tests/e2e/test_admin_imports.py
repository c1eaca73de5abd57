"""An admin previews a district roster, imports the curriculum, and prints a class's reports."""

import re

import pytest
from playwright.sync_api import expect

from tests.backend.interop.conftest import CASE, DISTRICT, zip_folder

pytestmark = pytest.mark.browser


def test_admin_previews_a_roster_imports_standards_and_prints_reports(
        live_app, desktop, sign_in, screenshot, tmp_path):
    roster = tmp_path / "district.zip"
    roster.write_bytes(zip_folder(DISTRICT))
    page = desktop
    sign_in(page, "admin")
    expect(page).to_have_url(re.compile(r"/admin/?$"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Imports").click()
    expect(page.get_by_role("heading", name="Imports and reports")).to_be_visible()

    page.get_by_label("Your school's sourcedId").fill("org-maple")
    page.locator("#oneroster-zip input[type=file]").set_input_files(str(roster))
    page.get_by_role("button", name="Preview the changes").first.click()
    status = page.get_by_role("main").get_by_role("status")  # not the language picker's
    expect(status).to_contain_text("Previewed", timeout=60_000)
    expect(status).to_contain_text("users: create")
    screenshot(page, "admin-imports-preview")

    page.get_by_label("Preview only (dry run)").click()  # now import for real
    page.locator("#case-json input[type=file]").set_input_files(str(CASE / "math.json"))
    page.get_by_role("button", name="Import").nth(1).click()
    expect(status).to_contain_text("Done", timeout=60_000)
    expect(status).to_contain_text("learning targets: create 7")

    row = page.get_by_text("Math Studio A").locator("..")
    with page.expect_download(timeout=120_000) as download:
        row.get_by_role("button", name="Progress reports").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    expect(status).to_contain_text("Done")
