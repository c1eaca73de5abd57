"""Two teachers rate the same target for the same learner, one of them offline; after both
sync the conflict is in both inboxes (with a badge), one resolves it, it leaves both."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def _teacher_page(browser, live_app, sign_in, username):
    context = browser.new_context(viewport=PHONE, base_url=live_app)
    context.set_default_timeout(20_000)
    page = context.new_page()
    sign_in(page, username)
    expect(page).to_have_url(re.compile(r"/teacher/?$"), timeout=60_000)
    return context, page


def _synced(page) -> None:
    """Until the page's sync core has finished its first sync (push + every pull page)."""
    api.wait_for(lambda: page.evaluate(
        "() => Boolean(window.waypoint && window.waypoint.status().lastSyncedAt"
        " && !window.waypoint.status().progress)"), "the first sync", 60)


def _rate(page, level: str) -> None:
    form = page.get_by_role("form", name="Your rating")
    form.get_by_role("radio", name=level, exact=True).click()
    form.get_by_role("button", name="Save rating").click()


def test_conflicting_ratings_meet_in_both_inboxes_and_one_choice_closes_them(
        browser, live_app, sign_in, screenshot):
    maya = api.user_id(live_app, "student")
    target = api.target_id(live_app, "M5.F.4")
    rate_url = f"/teacher/learners/{maya}/targets/{target}"
    ctx_a, a = _teacher_page(browser, live_app, sign_in, "teacher")
    ctx_b, b = _teacher_page(browser, live_app, sign_in, "teacher2")
    try:
        a.goto(rate_url)
        expect(a.get_by_role("heading", name="Rate Maya R.", level=1)).to_be_visible()
        _synced(a)
        ctx_a.set_offline(True)  # teacher A keeps working on the bus

        b.goto(rate_url)
        _synced(b)
        _rate(b, "2.5")
        expect(b.get_by_text("Sent", exact=True)).to_be_visible(timeout=90_000)

        _rate(a, "3.5")
        expect(a.get_by_text("Saved on this phone", exact=True)).to_be_visible()
        expect(a.get_by_text("Sent", exact=True)).to_have_count(0)
        screenshot(a, "teacher-rate-offline")
        ctx_a.set_offline(False)  # back online: the engine pushes on "online"
        expect(a.get_by_text("Sent", exact=True)).to_be_visible(timeout=90_000)

        for page in (a, b):
            page.goto("/teacher/conflicts")
            conflict = page.get_by_role("form", name=re.compile(r"^Conflict: Maya R\."))
            expect(conflict).to_be_visible(timeout=30_000)
            expect(conflict.get_by_text("2.5 · developing")).to_be_visible()
            expect(conflict.get_by_text("3.5 · proficient")).to_be_visible()
            nav = page.get_by_role("navigation", name="Main")
            expect(nav.get_by_role("link", name=re.compile(r"Conflicts.*1"))).to_be_visible()
        screenshot(a, "teacher-conflicts")

        _settle_offline_with_reason_and_undo(a, ctx_a, live_app)

        conflict = a.get_by_role("form", name=re.compile(r"^Conflict: Maya R\."))
        reason = conflict.get_by_label("Why this level (kept with your choice)")
        expect(reason).to_have_value("Her second proof holds")  # what was typed came back
        conflict.get_by_role("button", name=re.compile(r"^Keep 3\.5 from")).click()
        expect(conflict.get_by_text("Settled at 3.5 · Sent")).to_be_visible(timeout=30_000)

        for page in (a, b):
            page.goto("/teacher/conflicts")
            api.wait_for(lambda page=page: page.get_by_text("No conflicts.").is_visible(),
                         "the conflict gone after a sync", 60)
        assert api.open_conflicts(live_app, "teacher") == 0
    finally:
        ctx_a.close()
        ctx_b.close()


def _settle_offline_with_reason_and_undo(page, context, base: str) -> None:
    """Offline: no reason → the error beside the box; with one → "Settled at 3.5 · Saved on
    this phone" and Undo, still there after an offline reload (from the outbox); Undo takes it
    back before it is sent. Ends online with nothing waiting."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller",
                           timeout=30_000)
    context.set_offline(True)
    conflict = page.get_by_role("form", name=re.compile(r"^Conflict: Maya R\."))
    reason = conflict.get_by_label("Why this level (kept with your choice)")
    keep = conflict.get_by_role("button", name=re.compile(r"^Keep 3\.5 from"))
    keep.click()
    error = conflict.get_by_text(re.compile(r"^Say why this level stands"))
    expect(error).to_be_visible()
    expect(reason).to_be_focused()
    expect(reason).to_have_attribute("aria-invalid", "true")
    described = reason.get_attribute("aria-describedby")
    expect(page.locator(f"[id='{described}']")).to_have_text(re.compile(r"^Say why"))
    expect(conflict.get_by_text(re.compile(r"^Settled"))).to_have_count(0)
    assert page.evaluate("() => window.waypoint.status().pending") == 0

    reason.fill("Her second proof holds")
    keep.click()
    expect(conflict.get_by_text("Settled at 3.5 · Saved on this phone")).to_be_visible()
    expect(conflict.get_by_role("button", name=re.compile(r"^Undo the settlement"))).to_be_visible()

    page.reload()  # offline: the settlement comes back from the outbox, not page memory
    conflict = page.get_by_role("form", name=re.compile(r"^Conflict: Maya R\."))
    expect(conflict.get_by_text("Settled at 3.5 · Saved on this phone")).to_be_visible(
        timeout=30_000)
    conflict.get_by_role("button", name=re.compile(r"^Undo the settlement")).click()
    expect(conflict.get_by_text("Decision undone. Nothing was sent.")).to_be_visible()
    expect(reason).to_be_focused()
    expect(conflict.get_by_role("button", name=re.compile(r"^Keep 3\.5 from"))).to_be_visible()
    api.wait_for(lambda: page.evaluate("() => window.waypoint.status().pending") == 0,
                 "the resolution withdrawn from the outbox", 10)
    context.set_offline(False)
    assert api.open_conflicts(base, "teacher") == 1  # nothing went up


def test_teacher_screens_at_phone_width(phone, sign_in, screenshot):
    sign_in(phone, "teacher")
    expect(phone).to_have_url(re.compile(r"/teacher/?$"), timeout=60_000)
    phone.goto("/teacher/grid")
    expect(phone.get_by_role("region", name=re.compile("Levels by learner"))).to_be_visible()
    screenshot(phone, "teacher-grid")
    # a tapped cell's rate form opens below the grid and its heading takes the focus
    cell = phone.get_by_role("button", name=re.compile(r"Tap to rate\.$")).first
    learner = cell.get_attribute("aria-label").split(",")[0]
    cell.click()
    expect(phone.get_by_role("heading", name=re.compile(rf"^Rate {re.escape(learner)} on "))
           ).to_be_focused()
    phone.get_by_role("button", name="Group by next target").click()
    group = phone.get_by_role("heading", name=re.compile(r"^Next: ")).first
    expect(group).to_be_visible()
    screenshot(phone, "teacher-grid-groups")
    # regrouping needs a connection: offline it says so and keeps the playlist picked
    form = phone.get_by_role("form", name=re.compile(r"^Next: ")).first
    picker = form.get_by_label("Playlist for this group")
    choice = picker.locator("option").nth(1).get_attribute("value")
    picker.select_option(choice)
    phone.context.set_offline(True)
    form.get_by_role("button", name="Make group and assign playlist").click()
    expect(form.get_by_text(re.compile(r"^Making a group needs a connection\."))).to_be_visible()
    expect(picker).to_have_value(choice)
    phone.context.set_offline(False)
    form.get_by_role("button", name="Make group and assign playlist").click()
    expect(form.get_by_text(re.compile(r"now goes to this group\.$"))).to_be_visible(
        timeout=30_000)
    phone.goto("/teacher/ready")
    expect(phone.get_by_role("heading", name="Ready to demonstrate", level=1)).to_be_visible()
    screenshot(phone, "teacher-ready")
