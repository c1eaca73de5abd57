"""The heavy screens on a school year (issue 12): the learner with thousands of goals, the
learner with hundreds of pieces of evidence, their family and their teacher, at 375×812.

Each screen shows the current or open items first, one page of 20 with the true count; "Show
20 more" adds 20 and moves focus to the first new item; done goals are one tap away and
never in the first render; the device-store screens say the same after an offline reload.
Counts are checked against the API. Waits poll from Python (never an async predicate).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api

pytestmark = pytest.mark.browser

SYNC_WAIT_S = 180  # a new device's first sync of a year (current state, then history)
PAGE = 20


def _sign_in(page, username: str) -> None:
    page.goto("/login")
    page.wait_for_load_state("networkidle")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("waypoint")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/(learner|family|teacher)/?$"), timeout=30_000)


def _poll(predicate, what: str, timeout: float = SYNC_WAIT_S):
    """teaching_api.wait_for with a year's first-sync patience."""
    return api.wait_for(predicate, what, timeout)


def _items(page, list_id: str):
    return page.locator(f'[data-page-list="{list_id}"] [data-page-item]')


def _count_of(page, pattern: str) -> tuple[int, int] | None:
    """(shown, total) from the first "Showing 20 of 143 …" line matching `pattern`."""
    lines = page.get_by_role("status").filter(has_text=re.compile(pattern))
    if not lines.count():
        return None
    found = re.search(r"Showing ([\d,]+) of ([\d,]+)", lines.first.inner_text())
    return (int(found[1].replace(",", "")), int(found[2].replace(",", ""))) if found else None


def _focused_index(page, list_id: str) -> int:
    return page.evaluate(
        """(id) => [...document.querySelectorAll(`[data-page-list="${id}"] [data-page-item]`)]
                   .indexOf(document.activeElement)""", list_id)


def _goal_counts(base: str, token: str, learner_id: int) -> dict:
    _, page = api.call(base, "GET", f"/api/learners/{learner_id}/goals?limit=1", token)
    return page["counts"]


def _me(base: str, username: str) -> tuple[str, int]:
    token = api.token(base, username)
    _, me = api.call(base, "GET", "/api/auth/me", token)
    return token, int(me["id"])


def _target_of_button(button) -> int:
    return int(re.search(r"Show (\d+) more", button.inner_text())[1])


def test_learner_with_a_thousand_goals_sees_current_goals_first_also_offline(
        live_year_app, year_phone, screenshot):
    page = year_phone
    token, me = _me(live_year_app, "year-goals")
    counts = _goal_counts(live_year_app, token, me)
    open_total = counts["active"] + counts["dropped"]
    assert counts["done"] > PAGE and open_total > 0, counts

    _sign_in(page, "year-goals")
    page.goto("/learner/goals")
    expect(page.get_by_role("heading", name="My goals", level=1)).to_be_visible()
    # the device counts what it holds: wait until the first sync has brought every goal
    _poll(lambda: _count_of(page, "current goal") == (min(PAGE, open_total), open_total),
          "the current goals' count")
    expect(page.get_by_role("button", name=f"Show done goals ({counts['done']:,})")
           ).to_be_visible(timeout=SYNC_WAIT_S * 1000)
    expect(_items(page, "goals-open")).to_have_count(min(PAGE, open_total))
    expect(_items(page, "goals-done")).to_have_count(0)  # never in the first render
    expect(page.get_by_role("button", name="Mark done")).to_have_count(min(PAGE, open_total))
    screenshot(page, "year-goals")

    if open_total > PAGE:
        more = page.get_by_role("button", name=re.compile(r"^Show \d+ more current goals?$"))
        adds = _target_of_button(more)
        more.click()
        expect(_items(page, "goals-open")).to_have_count(PAGE + adds)
        _poll(lambda: _focused_index(page, "goals-open") == PAGE, "focus on the first new goal",
              timeout=10)

    page.get_by_role("button", name=f"Show done goals ({counts['done']:,})").click()
    expect(page.get_by_role("heading", name="Done goals")).to_be_visible()
    expect(_items(page, "goals-done")).to_have_count(PAGE)
    assert _count_of(page, "done goal") == (PAGE, counts["done"])
    _poll(lambda: _focused_index(page, "goals-done") == 0, "focus on the first done goal",
          timeout=10)
    more_done = page.get_by_role("button", name=re.compile(r"^Show \d+ more done goals?$"))
    more_done.click()
    expect(_items(page, "goals-done")).to_have_count(PAGE + min(PAGE, counts["done"] - PAGE))
    box = more_done.bounding_box()
    assert box is None or box["height"] >= 44

    # offline after a reload: the same first page and counts, from the device's store
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller",
                           timeout=30_000)
    page.context.set_offline(True)
    page.reload()
    _poll(lambda: _count_of(page, "current goal") == (min(PAGE, open_total), open_total),
          "the current goals' count offline", timeout=60)
    expect(_items(page, "goals-open")).to_have_count(min(PAGE, open_total))
    expect(_items(page, "goals-done")).to_have_count(0)
    expect(page.get_by_role("button", name=f"Show done goals ({counts['done']:,})")
           ).to_be_visible()
    page.context.set_offline(False)


def test_learner_with_hundreds_of_evidence_sees_twenty_at_a_time_also_offline(
        live_year_app, year_phone, screenshot):
    page = year_phone
    token, me = _me(live_year_app, "year-evidence")
    rows = _poll(lambda: _server_evidence(live_year_app, token, me), "the server's evidence")
    _sign_in(page, "year-evidence")
    page.goto("/learner/evidence")
    expect(page.get_by_role("heading", name="My evidence", level=1)).to_be_visible()
    _poll(lambda: _count_of(page, "evidence") == (PAGE, rows), "the evidence count")
    expect(_items(page, "evidence")).to_have_count(PAGE)
    screenshot(page, "year-evidence")
    page.get_by_role("button", name="Show 20 more pieces of evidence").click()
    expect(_items(page, "evidence")).to_have_count(2 * PAGE)
    _poll(lambda: _focused_index(page, "evidence") == PAGE, "focus on the first new piece",
          timeout=10)
    assert _count_of(page, "evidence") == (2 * PAGE, rows)

    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller",
                           timeout=30_000)
    page.context.set_offline(True)
    page.reload()
    _poll(lambda: _count_of(page, "evidence") == (PAGE, rows), "the evidence count offline",
          timeout=60)
    expect(_items(page, "evidence")).to_have_count(PAGE)
    page.context.set_offline(False)


def _server_evidence(base: str, token: str, learner_id: int) -> int:
    """How many live pieces of evidence the server holds for the learner (from a full pull)."""
    cursor, seen = None, {}
    while True:
        query = "/api/sync/pull?limit=500" + (f"&cursor={cursor}" if cursor else "")
        _, body = api.call(base, "GET", query, token)
        for change in body["changes"]:
            if change["type"] == "evidence":
                seen[change["id"]] = not change["deleted"] and str(
                    change["data"].get("student_id")) == str(learner_id)
        cursor = body["cursor"]
        if not body["has_more"]:
            return sum(seen.values())


def test_family_of_the_thousand_goal_learner_sees_a_page_and_done_goals_on_a_tap(
        live_year_app, year_phone, screenshot):
    page = year_phone
    token, _ = _me(live_year_app, "year-guardian2")
    _, children = api.call(live_year_app, "GET", "/api/learners", token)
    child = children[0]
    counts = _goal_counts(live_year_app, token, child["id"])
    _sign_in(page, "year-guardian2")
    expect(page.get_by_role("heading", name=child["display_name"], level=2)).to_be_visible(
        timeout=30_000)
    list_id = f"goals-active-{child['id']}"
    expect(_items(page, list_id)).to_have_count(min(PAGE, counts["active"]))
    if counts["active"]:
        assert _count_of(page, "current goal") == (min(PAGE, counts["active"]),
                                                    counts["active"])
    expect(_items(page, f"goals-done-{child['id']}")).to_have_count(0)
    screenshot(page, "year-family")
    page.get_by_role("button", name=f"Show done goals ({counts['done']:,})").click()
    expect(_items(page, f"goals-done-{child['id']}")).to_have_count(PAGE)
    assert _count_of(page, "done goal") == (PAGE, counts["done"])
    _poll(lambda: _focused_index(page, f"goals-done-{child['id']}") == 0,
          "focus on the first done goal", timeout=10)
    page.get_by_role("button", name="Show 20 more done goals").click()
    expect(_items(page, f"goals-done-{child['id']}")).to_have_count(2 * PAGE)
    _poll(lambda: _focused_index(page, f"goals-done-{child['id']}") == PAGE,
          "focus on the first new done goal", timeout=10)


def test_teacher_of_the_heavy_learners_gets_the_queue_and_conflicts_in_pages(
        live_year_app, year_phone, screenshot):
    page = year_phone
    token, _ = _me(live_year_app, "year-teacher1")
    waiting = len(api.waiting_for_review(live_year_app, "year-teacher1"))
    open_total = api.open_conflicts(live_year_app, "year-teacher1")
    assert waiting > PAGE, waiting
    _sign_in(page, "year-teacher1")
    page.goto("/teacher/review")
    expect(page.get_by_role("heading", name="Review queue", level=1)).to_be_visible()
    counted = r"^Showing [\d,]+ of [\d,]+ pieces? waiting for review$"
    _poll(lambda: _count_of(page, counted) == (PAGE, waiting),
          "the review queue's count", timeout=60)
    expect(_items(page, "review-queue")).to_have_count(PAGE)
    screenshot(page, "year-review")
    more = re.compile(r"^Show \d+ more pieces? waiting for review$")
    page.get_by_role("button", name=more).click()
    expect(_items(page, "review-queue")).to_have_count(min(2 * PAGE, waiting))
    _poll(lambda: _focused_index(page, "review-queue") == PAGE, "focus on the first new card",
          timeout=10)

    page.goto("/teacher/conflicts")
    expect(page.get_by_role("heading", name="Conflicts", level=1)).to_be_visible()
    if open_total:
        _poll(lambda: _count_of(page, "open conflict") == (min(PAGE, open_total), open_total),
              "the conflicts' count", timeout=60)
        expect(_items(page, "conflicts")).to_have_count(min(PAGE, open_total))
    else:
        expect(page.get_by_text("No conflicts.")).to_be_visible()
