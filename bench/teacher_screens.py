"""The teacher's other screens (class lists, Grid, Rate, Conflicts, Ready) against issue 14's
budget: each interactive after an offline reload within 1 s, on a school year.

    .venv/bin/python bench/teacher_screens.py                # seeds the `ci` year and serves it
    .venv/bin/python bench/teacher_screens.py --size full    # the full year (150 learners)
    .venv/bin/python bench/teacher_screens.py --url URL      # a running year app

Headless Chromium at 375×812 as `year-teacher1`: the device finishes its first sync, the
network is cut, and each screen is reloaded --runs times; from the reload until the screen's
first control is on screen (a learner link, a grid cell, Keep on a conflict, a request, Save
rating), or its empty state when it has nothing to show. Median and worst per screen, and
beside it the median of the screen's own store read (the first `waypoint:teacher-<screen>`
User Timing measure of the reload, assets/ui/shared_query.js): the rest is the page's boot.
Prints a Markdown table for docs/benchmarks.md. The server and the helpers are
bench/teacher_day.py's (the review queue's bench), so both measure the same way.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.teacher_day import TEACHER, _poll, _row, _sign_in, _synced, _year_app  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402

BUDGET = 1.0
# screen → (path, what shows it is usable: a control, or the empty state that says what next)
SCREENS = {
    "class lists": ("/teacher", 'a[href^="/binder/"]', "You have no classes yet."),
    "grid": ("/teacher/grid", 'button[id^="cell-"]', "No learners in this class."),
    "conflicts": ("/teacher/conflicts", '[data-page-list="conflicts"] button',
                  "No conflicts."),
    "ready to demonstrate": ("/teacher/ready", '[data-page-list="ready"] a',
                             "No one is waiting to demonstrate."),
    "rate": (None, "text=Save rating", "is not on this phone"),
}
# screen → the label of its store read (useScreenRows in assets/ui/teacher_screens.js)
READS = {"class lists": "classes", "grid": "grid", "conflicts": "conflicts",
         "ready to demonstrate": "ready", "rate": "rate"}
FIRST_READ = "(name) => performance.getEntriesByName(name)[0]?.duration ?? null"


def _usable(page, control: str, empty: str) -> bool:
    return page.locator(control).first.is_visible() or page.get_by_text(empty).first.is_visible()


def offline_reloads(browser, base: str, runs: int) -> tuple[dict, dict]:
    """Seconds from an offline reload to a usable screen, and of its store read, per screen
    and run."""
    context = browser.new_context(viewport=PHONE, base_url=base)
    context.set_default_timeout(60_000)
    page = context.new_page()
    out: dict[str, list[float]] = {name: [] for name in SCREENS}
    reads: dict[str, list[float]] = {name: [] for name in SCREENS}
    try:
        _sign_in(page)
        page.goto("/teacher/grid")
        _poll(lambda: _synced(page), "the first sync", every=0.5)
        page.wait_for_function("() => navigator.serviceWorker?.controller", timeout=60_000)
        cell = page.locator('button[id^="cell-"]').first
        _poll(cell.is_visible, "a grid cell")
        learner, target = re.search(r"cell-(\d+)-(\d+)", cell.get_attribute("id")).groups()
        page.on("dialog", lambda dialog: dialog.accept())
        for name, (path, control, empty) in SCREENS.items():
            page.goto(path or f"/teacher/learners/{learner}/targets/{target}")
            _poll(lambda c=control, e=empty: _usable(page, c, e), f"{name} online")
            context.set_offline(True)
            for _ in range(runs):
                start = time.perf_counter()
                page.reload(wait_until="commit")
                _poll(lambda c=control, e=empty: _usable(page, c, e), f"{name} offline")
                out[name].append(time.perf_counter() - start)
                took = page.evaluate(FIRST_READ, f"waypoint:teacher-{READS[name]}")
                if took is not None:
                    reads[name].append(took / 1000)
            context.set_offline(False)
    finally:
        context.close()
    return out, reads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="ci", choices=["ci", "full"])
    parser.add_argument("--url", help="a running year app (skips seeding)")
    parser.add_argument("--year-db", type=Path,
                        help="serve a copy of this seeded SQLite year (e.g. the 150-learner"
                             " .cache/bench/first-sync-150/year.db)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with contextlib.ExitStack() as stack:
        base = args.url or stack.enter_context(_year_app(args.size, args.year_db))
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results, reads = offline_reloads(browser, base, args.runs)
        browser.close()
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    year = args.year_db or f"`{args.size}` year"
    print(f"\nTeacher screens, {year}, {TEACHER}, 375×812 (load average {load})\n")
    print("| interactive after an offline reload | median | budget | met | of it, the store read |")
    print("|---|---|---|---|---|")
    for name, values in results.items():
        read = f"{statistics.median(reads[name]) * 1000:.0f} ms" if reads[name] else "?"
        print(f"{_row(name, values, BUDGET)} {read} |")


if __name__ == "__main__":
    main()
