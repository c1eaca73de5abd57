"""The teacher's day on a phone (issue 14): class lists, Grid, Rate, Conflicts and Ready read
from the device's store, on a school year (year-teacher1) at 375×812, online, offline and
after an offline reload. A grid cell tapped offline rates that learner; the rating says
"Saved on this phone" (never "Sent" or "Synced") until the server acknowledged it, then
"Sent", and the server has it. No ws:// address or developer message ever shows.
Waits poll from Python (teaching_api.wait_for), never an async predicate.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api

pytestmark = pytest.mark.browser

FIRST_SYNC_S = 180  # a new device's first sync of a year
BUDGET_S = 1.0  # issue 14: each teacher screen interactive after an offline reload
DEVELOPER = re.compile(r"ws://|websocket|Cannot connect to server|Traceback|undefined|\[object")


def _sign_in(page, username: str) -> None:
    page.goto("/login")
    page.wait_for_load_state("networkidle")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("waypoint")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/teacher/?$"), timeout=30_000)


def _no_developer_words(page) -> None:
    text = page.locator("body").inner_text()
    assert not DEVELOPER.search(text), DEVELOPER.search(text)


def _says_nothing_sent(page) -> None:
    body = page.locator("body").inner_text()
    assert not re.search(r"\bSent\b|\bSynced\b", body), "says Sent/Synced before the ack"


def _offline_reload(page, ready) -> float:
    """Reload with the network cut; seconds until `ready()` (a locator) is visible."""
    page.context.set_offline(True)
    start = time.monotonic()
    page.reload()
    expect(ready()).to_be_visible(timeout=30_000)
    return time.monotonic() - start


def _classes(base: str, token: str) -> dict[str, int]:
    _, body = api.call(base, "GET", "/api/roster/classes", token)
    return {c["name"]: len(c.get("learners", [])) for c in body}


def test_teacher_screens_read_the_store_online_offline_and_after_an_offline_reload(
        live_year_app, year_phone, screenshot):
    page = year_phone
    token = api.token(live_year_app, "year-teacher1")
    classes = _classes(live_year_app, token)
    assert classes, "year-teacher1 teaches no class"
    name, size = next(iter(classes.items()))
    _sign_in(page, "year-teacher1")

    # class lists, from the store: each class with its true learner count
    heading = page.get_by_role("heading", name=name, level=2)
    expect(heading).to_be_visible(timeout=FIRST_SYNC_S * 1000)
    expect(page.get_by_text(f"{size} learners", exact=True).first).to_be_visible()
    # wait for the first sync's history (events behind conflicts and the ready list)
    api.wait_for(lambda: page.evaluate(
        "() => Boolean(window.waypoint && window.waypoint.status().lastSyncedAt"
        " && !window.waypoint.status().progress)"), "the first sync", FIRST_SYNC_S)
    took = _offline_reload(page, lambda: page.get_by_role("heading", name=name, level=2))
    print(f"class lists offline reload: {took:.2f}s")
    _no_developer_words(page)
    page.context.set_offline(False)

    # the grid online, then offline after a reload; tap a cell to rate offline
    page.goto("/teacher/grid")
    grid = page.get_by_role("region", name=re.compile("Levels by learner"))
    expect(grid).to_be_visible(timeout=30_000)
    screenshot(page, "teacher-day-grid")
    took = _offline_reload(page, lambda: page.get_by_role("region",
                                                          name=re.compile("Levels by learner")))
    print(f"grid offline reload: {took:.2f}s")
    assert took <= BUDGET_S * 5, took  # loose in CI; bench/teacher_screens.py measures
    cell = page.get_by_role("button", name=re.compile(r"Tap to rate\.$")).first
    label = cell.get_attribute("aria-label")
    learner = label.split(",")[0]
    cell.click()
    panel = page.get_by_role("form", name=re.compile(rf"^Rate {re.escape(learner)} on "))
    expect(panel).to_be_visible()
    # the form's heading takes the focus (a screen reader hears where the tap led)
    expect(panel.get_by_role("heading", name=re.compile(r"^Rate "))).to_be_focused()
    panel.get_by_text("Rubric").click()  # the rubric, one tap away
    panel.get_by_role("radio", name="3.5", exact=True).click()
    panel.get_by_label("Note (optional)").fill("Explained it to the group")
    panel.get_by_role("button", name="Save rating").click()
    expect(panel.get_by_text("Saved on this phone")).to_be_visible()
    _says_nothing_sent(page)
    _no_developer_words(page)
    screenshot(page, "teacher-day-grid-rated-offline")
    page.context.set_offline(False)
    expect(panel.get_by_text("Sent", exact=True)).to_be_visible(timeout=60_000)

    # the server has it: the learner's rating on that target, with the note
    learner_id, target_id = re.search(r"cell-(\d+)-(\d+)", cell.get_attribute("id")).groups()
    _, detail = api.call(live_year_app, "GET",
                         f"/api/learners/{learner_id}/targets/{target_id}", token)
    assert "Explained it to the group" in str(detail), detail

    # Rate (a learner × target page) after an offline reload
    page.goto(f"/teacher/learners/{learner_id}/targets/{target_id}")
    expect(page.get_by_role("heading", name=f"Rate {learner}", level=1)).to_be_visible(
        timeout=30_000)
    took = _offline_reload(page, lambda: page.get_by_role("heading", name=f"Rate {learner}",
                                                          level=1))
    print(f"rate offline reload: {took:.2f}s")
    expect(page.get_by_role("button", name="Save rating")).to_be_enabled()
    page.context.set_offline(False)

    # Ready to demonstrate, online and after an offline reload: the same list
    page.goto("/teacher/ready")
    expect(page.get_by_role("heading", name="Ready to demonstrate", level=1)).to_be_visible()
    ready_items = page.locator('[data-page-list="ready"] [data-page-item]')
    empty = page.get_by_text("No one is waiting to demonstrate.")
    api.wait_for(lambda: ready_items.count() > 0 or empty.is_visible(), "the ready list", 30)
    online_count = ready_items.count()
    took = _offline_reload(page, lambda: page.get_by_role("heading",
                                                          name="Ready to demonstrate", level=1))
    api.wait_for(lambda: ready_items.count() == online_count and (
        online_count or empty.is_visible()), "the same ready list offline", 10)
    print(f"ready offline reload: {took:.2f}s ({online_count} shown)")
    _no_developer_words(page)
    page.context.set_offline(False)


def test_a_conflict_settled_offline_with_a_reason_leaves_the_badge_after_sync_and_reload(
        live_year_app, year_phone, screenshot):
    page = year_phone
    _sign_in(page, "year-teacher1")
    page.goto("/teacher/conflicts")
    expect(page.get_by_role("heading", name="Conflicts", level=1)).to_be_visible()
    cards = page.locator('[data-page-list="conflicts"] [data-page-item]')
    api.wait_for(lambda: page.evaluate(
        "() => Boolean(window.waypoint && window.waypoint.status().lastSyncedAt"
        " && !window.waypoint.status().progress)"), "the first sync", FIRST_SYNC_S)
    api.wait_for(lambda: cards.count() > 0, "a conflict on the device", 30)
    nav = page.get_by_role("navigation", name="Main")
    badge = nav.get_by_role("link", name=re.compile(r"^Conflicts"))

    def open_count() -> int:
        found = re.search(r"(\d+)", badge.inner_text())
        return int(found[1]) if found else 0

    before = api.wait_for(open_count, "the Conflicts badge", 30)
    first = cards.first
    # context: who rated each side, when in words, the note/evidence behind it, the history
    expect(first.get_by_text(re.compile(r"^(Note: |No note)")).first).to_be_visible()
    # this week in words ("Thursday 13:42"); older, the date ("Apr 23, 2026, 1:42 PM")
    expect(first.get_by_text(re.compile(
        r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2}:\d{2}"
        r"|[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}")).first
    ).to_be_visible()
    first.get_by_text("History on this target").click()
    screenshot(page, "teacher-day-conflict")

    took = _offline_reload(page, lambda: cards.first)
    print(f"conflicts offline reload: {took:.2f}s")
    first = cards.first
    first.get_by_label("Why this level (kept with your choice)").fill("Her second proof")
    first.get_by_role("button", name=re.compile(r"^Keep ")).first.click()
    expect(first.get_by_text("Saved on this phone")).to_be_visible()
    _says_nothing_sent(page)
    _no_developer_words(page)
    page.context.set_offline(False)
    expect(first.get_by_text(re.compile(r"^Settled at .* · Sent$"))).to_be_visible(timeout=60_000)
    page.reload()
    expect(page.get_by_role("heading", name="Conflicts", level=1)).to_be_visible()
    api.wait_for(lambda: open_count() == before - 1, "the badge one lower after a reload", 30)
