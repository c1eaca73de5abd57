"""The header after an offline reload (QA F18, issue 14 #1): a teacher's and a learner's
navigation and name come from the device (localStorage "waypoint.session", read by
assets/ui/device_nav.js), not from Reflex's server state, so the same links, the person's
name and the Conflicts count are there with the network cut, and the links navigate.
Year school (year-teacher1, year-learner1) on a 375×812 phone. Waits poll from Python.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api

pytestmark = pytest.mark.browser

FIRST_SYNC_S = 180  # a new device's first sync of a year


def _display_name(base: str, username: str) -> str:
    _, me = api.call(base, "GET", "/api/auth/me", api.token(base, username))
    return me["display_name"]


def _sign_in(page, sign_in, username: str, home: str) -> None:
    sign_in(page, username)
    page.wait_for_url(re.compile(re.escape(home) + "/?$"), timeout=30_000)
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller",
                           timeout=30_000)


def _nav(page):
    return page.get_by_role("navigation", name="Main")


def _go_by_link(page, name, path: str) -> None:
    """Tap a link of the header offline: its page opens and the link says it is current."""
    link = _nav(page).get_by_role("link", name=name)
    link.click()
    page.wait_for_url(re.compile(re.escape(path) + "/?$"), timeout=30_000)
    expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=30_000)
    expect(_nav(page).get_by_role("link", name=name)).to_have_attribute("aria-current", "page")


def test_teacher_header_keeps_links_name_and_conflict_count_after_offline_reload(
        live_year_app, year_phone, sign_in, screenshot):
    page = year_phone
    name = _display_name(live_year_app, "year-teacher1")
    open_total = api.open_conflicts(live_year_app, "year-teacher1")
    assert open_total > 0, "year-teacher1 has no open conflict: the badge proves nothing"
    _sign_in(page, sign_in, "year-teacher1", "/teacher")
    page.goto("/teacher/review")
    api.wait_for(lambda: page.evaluate(
        "() => Boolean(window.waypoint && window.waypoint.status().lastSyncedAt"
        " && !window.waypoint.status().progress)"), "the first sync", FIRST_SYNC_S)
    conflicts = re.compile(r"^Conflicts")
    expect(_nav(page).get_by_role("link", name=conflicts)).to_contain_text(str(open_total))

    page.context.set_offline(True)
    try:
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=30_000)
        nav = _nav(page)
        for label in ("Review", "Classes", "Grid", "Ready"):
            expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
        # the count is read from the store once the sync core opened it (a loaded CI box: slow)
        expect(nav.get_by_role("link", name=conflicts)).to_contain_text(str(open_total),
                                                                         timeout=30_000)
        expect(nav.get_by_role("link", name="Review", exact=True)).to_have_attribute(
            "aria-current", "page")
        expect(page.get_by_role("banner").get_by_text(name, exact=True)).to_be_visible()
        screenshot(page, "offline-nav-teacher-review")

        _go_by_link(page, "Grid", "/teacher/grid")
        _go_by_link(page, conflicts, "/teacher/conflicts")
        _go_by_link(page, "Ready", "/teacher/ready")
        # and after another offline reload on a screen reached offline
        page.reload()
        expect(_nav(page).get_by_role("link", name="Ready", exact=True)).to_have_attribute(
            "aria-current", "page", timeout=30_000)
        expect(page.get_by_role("banner").get_by_text(name, exact=True)).to_be_visible()
    finally:
        page.context.set_offline(False)


def test_learner_header_keeps_links_and_name_after_offline_reload(
        live_year_app, year_phone, sign_in, screenshot):
    page = year_phone
    name = _display_name(live_year_app, "year-learner1")
    _sign_in(page, sign_in, "year-learner1", "/learner")
    page.context.set_offline(True)
    try:
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=30_000)
        nav = _nav(page)
        for label in ("Binder", "Goals", "Playlists", "Evidence"):
            expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
        expect(page.get_by_role("banner").get_by_text(name, exact=True)).to_be_visible()
        screenshot(page, "offline-nav-learner")
        _go_by_link(page, "Goals", "/learner/goals")
        _go_by_link(page, "Binder", "/learner")
    finally:
        page.context.set_offline(False)
