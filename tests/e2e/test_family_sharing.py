"""The family's consent (issue 17) in a browser, on a phone: a guardian turns off work links
in their child's badges; the page says it was saved and what it means, and after a reload
the box is still off (the server's answer, not the page's memory)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api

pytestmark = pytest.mark.browser

LABEL = re.compile(r"badges may link to their approved work$")


def test_a_guardian_keeps_work_links_out_of_their_childs_badges(phone, sign_in, live_app,
                                                                 screenshot):
    eli = api.user_id(live_app, "student2")
    guardian = api.token(live_app, "guardian2")
    try:
        sign_in(phone, "guardian2")
        expect(phone).to_have_url(re.compile(r"/family/?$"))
        section = phone.locator("#credential-sharing")
        box = section.get_by_role("checkbox", name=LABEL)
        expect(box).to_be_checked(timeout=30_000)  # the school's default: links
        box.click()
        expect(section.get_by_role("status")).to_contain_text("Saved.")
        expect(box).not_to_be_checked()
        screenshot(phone, "family-sharing")
        status, body = api.call(live_app, "GET", f"/api/privacy/learners/{eli}/sharing",
                                guardian)
        assert status == 200 and body["credential_evidence"] is False, body
        phone.reload()
        expect(phone.locator("#credential-sharing").get_by_role("checkbox", name=LABEL)
               ).not_to_be_checked(timeout=30_000)
    finally:
        api.call(live_app, "PUT", f"/api/privacy/learners/{eli}/sharing", guardian,
                 {"credential_evidence": True})
