"""Benchmark (not collected by `pytest tests/e2e`: run it by name): how long "My growth"
takes to read its rows from a year's teacher's device store.

    WAYPOINT_E2E_WEB=.web-e2e-bench .venv/bin/pytest -q -s -m browser \\
        tests/e2e/bench_growth_read.py

year-teacher1 of the ci year (`flask seed-year --size ci --seed 1`) signs in on a phone,
waits for the first sync to finish, then opens /teacher/growth five times; each open's read
is the page's own performance measure `waypoint:growth` (assets/ui/shared_query.js). Prints
a table: the store's row counts and the read's median. Results: docs/benchmarks.md.
"""

import re
import statistics

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api

pytestmark = pytest.mark.browser
OPENS = 5
COUNT_ROWS = """() => new Promise((ok) => {
  const id = JSON.parse(localStorage.getItem('waypoint.session')).user.id;
  const open = indexedDB.open('waypoint-' + id);
  open.onsuccess = () => {
    const index = open.result.transaction('rows').objectStore('rows').index('type');
    const types = ['evidence', 'goal', 'pick', 'review'];
    const out = {};
    for (const type of types) {
      const count = index.count(IDBKeyRange.only(type));
      count.onsuccess = () => { out[type] = count.result;
        if (Object.keys(out).length === types.length) ok(out); };
    }
  };
})"""


def test_growth_read_of_a_years_teacher(live_year_app, year_phone):
    page = year_phone
    page.goto("/login")
    page.wait_for_load_state("networkidle")
    page.get_by_label("Username").fill("year-teacher1")
    page.get_by_label("Password").fill("waypoint")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/teacher/?$"), timeout=60_000)
    api.wait_synced(page, 180_000)
    page.wait_for_function("() => !window.waypoint.status().progress", timeout=180_000)
    runs = []
    for _ in range(OPENS):
        page.goto("/teacher/growth")
        expect(page.get_by_role("heading", name="My growth", level=1)).to_be_visible()
        page.wait_for_function(
            "() => performance.getEntriesByName('waypoint:growth').length > 0", timeout=60_000)
        runs.append(page.evaluate(
            "() => performance.getEntriesByName('waypoint:growth')[0].duration"))
    rows = page.evaluate(COUNT_ROWS)
    print("\n| store rows (evidence / goals / picks / reviews) | opens | read ms (each) | median |")
    print("|---|---|---|---|")
    print(f"| {rows['evidence']:,} / {rows['goal']:,} / {rows['pick']:,} / {rows['review']:,} "
          f"| {OPENS} | {', '.join(str(round(r)) for r in runs)} "
          f"| {statistics.median(runs):.0f} |")
    assert len(runs) == OPENS
