"""The heavy screens on a school year vs a demo week, side by side in one run (issue 12).

    .venv/bin/python bench/year_screens_bench.py                        # seeds and starts both
    .venv/bin/python bench/year_screens_bench.py --year-size ci         # the smaller year
    .venv/bin/python bench/year_screens_bench.py --demo-url URL --year-url URL  # running apps

Two apps from one build: a demo week (`flask seed-demo`: `student`, `guardian`, `teacher`)
and a school year (`flask seed-year --size full`: `year-goals` with 5,000 goals,
`year-evidence` with 2,000 pieces of evidence, `year-guardian2` their family,
`year-teacher1` their teacher). Headless Chromium at 375×812.

Measured per screen, each the median of --runs visits after the device's first sync, the
demo and the year visitor taking turns (a busy moment of the machine falls on both):
- **interactive**: from navigation start until the screen's first page of its list is on
  screen with its button (a "Mark done", the count line, a topic, a review card);
- **first meaningful paint** of the family portal: until the child's name and the first
  page of current goals show;
- **CPU**: the tab's main-thread task time (CDP Performance.getMetrics TaskDuration) during
  that visit and 2 s after it, and for the whole visit of a person (sign-in, first sync,
  every screen).

Budgets: family portal paint ≤ 2× the demo learner's; goals, evidence and binder interactive
≤ 2×; the 5,000-goal learner's every screen interactive ≤ 3 s and no tab over 5 s of CPU.
Prints Markdown tables for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402

SETTLE_S = 2.0  # CPU is counted this long after a screen became interactive
SYNC_WAIT_S = 600
BUDGET_RATIO = 2.0
BUDGET_INTERACTIVE_S = 3.0
BUDGET_CPU_S = 5.0


@contextlib.contextmanager
def _app(seed: list[str], label: str):
    """A fresh instance seeded with `flask <seed…>`, served like the browser tests do."""
    from tests.e2e import conftest

    instance = Path(tempfile.mkdtemp(prefix=f"year-bench-{label}-"))
    env = conftest._app_env(instance)
    # a build folder per app: a production build bakes its own port into the pages
    env["REFLEX_WEB_WORKDIR"] = f"{env['REFLEX_WEB_WORKDIR']}-{label}"
    for command in (["flask", "db", "upgrade"], ["flask", *seed]):
        subprocess.run([str(conftest.BIN / command[0]), *command[1:]], cwd=ROOT, env=env,
                       check=True, capture_output=True)
    yield from conftest._serve(instance, env, f"the {label} app")


def _poll(predicate, what: str, timeout: float = 60.0, every: float = 0.02):
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(every)


class Visitor:
    """One person's tab: signs in, waits for the first sync, then times screens."""

    def __init__(self, browser, base: str, username: str):
        self.context = browser.new_context(viewport=PHONE, base_url=base)
        self.context.set_default_timeout(60_000)
        self.page = self.context.new_page()
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send("Performance.enable")
        self.username = username
        self.spent, self.last = 0.0, 0.0

    def cpu(self) -> float:
        """The tab's main-thread task seconds so far. Chromium's TaskDuration restarts with
        each new document, so a drop means a navigation: the old document's last reading
        (taken just before each navigation and in every poll) is kept."""
        metrics = self.cdp.send("Performance.getMetrics")["metrics"]
        now = next(m["value"] for m in metrics if m["name"] == "TaskDuration")
        if now < self.last:
            self.spent += self.last
        self.last = now
        return self.spent + now

    def sign_in(self, home: str) -> None:
        page = self.page
        page.goto("/login")
        page.wait_for_load_state("networkidle")
        page.get_by_label("Username").fill(self.username)
        page.get_by_label("Password").fill("waypoint")
        self.cpu()
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(rf"{home}/?$"))

    def wait_synced(self) -> None:
        """Until the learner's first sync has finished (history included)."""
        status = self.page.get_by_role("status", name="Sync status")

        def done() -> bool:
            self.cpu()
            text = status.inner_text() if status.count() else ""
            return ("Last synced" in text and "older work" not in text
                    and "syncing" not in text)
        _poll(done, "the first sync", timeout=SYNC_WAIT_S, every=0.5)

    def visit(self, path: str, ready) -> tuple[float, float, float]:
        """(seconds to interactive, CPU seconds of the visit, seconds of the screen's first
        read of the device store): `ready(page)` says when it is interactive."""
        before = self.cpu()
        start = time.perf_counter()
        self.page.goto(path, wait_until="commit")
        _poll(lambda: ready(self.page), f"{path} to be interactive")
        elapsed = time.perf_counter() - start
        time.sleep(SETTLE_S)
        reads = self.page.evaluate(
            "() => performance.getEntriesByType('measure')"
            ".filter(m => m.name.startsWith('waypoint:')).map(m => m.duration)")
        return elapsed, self.cpu() - before, (reads[0] / 1000 if reads else 0.0)

    def close(self) -> None:
        self.context.close()


def _visible(locator) -> bool:
    return locator.count() > 0 and locator.first.is_visible()


def _goals_ready(page) -> bool:
    return _visible(page.get_by_role("button", name="Mark done")) or _visible(
        page.get_by_text("No current goals."))


def _evidence_ready(page) -> bool:
    return _visible(page.get_by_role("status").filter(has_text="pieces of evidence")) or \
        _visible(page.get_by_text("No evidence yet."))


def _binder_ready(page) -> bool:
    return _visible(page.get_by_text(re.compile(r"\d+ of \d+ targets proficient")))


def _playlists_ready(page) -> bool:
    return _visible(page.get_by_role("heading", name="My playlists", level=1)) and (
        _visible(page.get_by_role("button", name=re.compile("^(Pick|Start|Mark done)")))
        or _visible(page.get_by_text(re.compile("No playlists"))))


def _target_ready(page) -> bool:
    return _visible(page.get_by_role("button", name="Save self-assessment"))


def _family_ready(page) -> bool:
    return _visible(page.get_by_role("heading", level=2)) and (
        _visible(page.get_by_role("heading", name="Current goals")))


def _review_ready(page) -> bool:
    return _visible(page.get_by_role("button", name=re.compile("^Approve"))) or _visible(
        page.get_by_text("Nothing waits for review."))


def _a_target(page) -> str:
    """The first target link of the binder (the learner's own target page)."""
    link = page.locator('a[href*="/learner/target?id="]').first
    return link.get_attribute("href")


LEARNER_SCREENS = [("binder", "/learner", _binder_ready),
                   ("goals", "/learner/goals", _goals_ready),
                   ("evidence", "/learner/evidence", _evidence_ready),
                   ("playlists", "/learner/playlists", _playlists_ready)]


def _side_by_side(pairs, screens, runs: int) -> dict:
    """Each screen visited by each visitor in turn, `runs` times (so a busy moment of the
    machine falls on both sides): {(visitor index, screen): (median s, max CPU s, median
    first store read s)}."""
    times: dict = {}
    for name, path_of, ready in screens:
        for _ in range(runs):
            for i, visitor in enumerate(pairs):
                times.setdefault((i, name), []).append(visitor.visit(path_of(visitor), ready))
    return {key: (statistics.median(t for t, _, _ in v), max(c for _, c, _ in v),
                  statistics.median(r for _, _, r in v))
            for key, v in times.items()}


def _learners(browser, bases_users: list[tuple[str, str]], runs: int) -> list[dict]:
    """Every learner screen of each learner, side by side; and each tab's CPU."""
    visitors = [Visitor(browser, base, user) for base, user in bases_users]
    try:
        first_sync = []
        for visitor in visitors:
            visitor.sign_in("/learner")
            visitor.wait_synced()
            first_sync.append(visitor.cpu())
        targets = {}
        for visitor in visitors:
            visitor.page.goto("/learner")
            _poll(lambda v=visitor: _binder_ready(v.page), "the binder")
            targets[visitor] = _a_target(visitor.page)
        screens = [(name, lambda v, p=path: p, ready) for name, path, ready in LEARNER_SCREENS]
        screens.append(("target", lambda v: targets[v], _target_ready))
        measured = _side_by_side(visitors, screens, runs)
        out = []
        for i, visitor in enumerate(visitors):
            row = {name: measured[(i, name)] for name, *_ in screens}
            row["first sync CPU"] = first_sync[i]
            row["tab CPU"] = visitor.cpu()
            out.append(row)
        return out
    finally:
        for visitor in visitors:
            visitor.close()


def _pair(browser, bases_users: list[tuple[str, str]], home: str, path: str, ready,
          runs: int) -> list[tuple[float, float, float]]:
    """One screen of two people side by side: [(median s, max CPU s, tab CPU s)]."""
    visitors = [Visitor(browser, base, user) for base, user in bases_users]
    try:
        for visitor in visitors:
            visitor.sign_in(home)
        measured = _side_by_side(visitors, [("screen", lambda v: path, ready)], runs)
        return [(*measured[(i, "screen")][:2], v.cpu()) for i, v in enumerate(visitors)]
    finally:
        for visitor in visitors:
            visitor.close()


def _row(measure: str, demo: float, year: float, budget: str, ok: bool | None) -> str:
    ratio = year / demo if demo else float("inf")
    met = "–" if ok is None else "yes" if ok else "**no**"
    return f"| {measure} | {demo:.2f} s | {year:.2f} s | {ratio:.2f}× | {budget} | {met} |"


def measure(demo: str, year: str, runs: int, heavy_goals: str, heavy_evidence: str,
            family: str, teacher: str) -> list[str]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            demo_learner, goals_learner = _learners(
                browser, [(demo, "student"), (year, heavy_goals)], runs)
            _, evidence_learner = _learners(
                browser, [(demo, "student"), (year, heavy_evidence)], runs)
            demo_family, year_family = _pair(browser, [(demo, "guardian"), (year, family)],
                                             "/family", "/family", _family_ready, runs)
            demo_review, year_review = _pair(browser, [(demo, "teacher"), (year, teacher)],
                                             "/teacher", "/teacher/review", _review_ready,
                                             runs)
        finally:
            browser.close()
    lines = ["| measure | demo week | school year | ratio | budget | met |",
             "|---|---|---|---|---|---|",
             _row(f"family portal, first meaningful paint ({family})", demo_family[0],
                  year_family[0], "≤ 2×", year_family[0] <= BUDGET_RATIO * demo_family[0])]
    for screen, who in (("goals", goals_learner), ("evidence", evidence_learner),
                        ("binder", goals_learner)):
        d, y = demo_learner[screen][0], who[screen][0]
        name = heavy_goals if who is goals_learner else heavy_evidence
        lines.append(_row(f"learner's {screen} interactive ({name})", d, y, "≤ 2×",
                          y <= BUDGET_RATIO * d))
        dr, yr = demo_learner[screen][2], who[screen][2]
        lines.append(_row("… of which its first read of the device store", dr, yr, "–",
                          None))
    lines += ["", f"The {heavy_goals} learner, every screen (median of {runs} visits; CPU: "
              "the most main-thread task time of one visit, 2 s after it included):", "",
              "| screen | interactive: demo week | interactive | budget | CPU of the visit: "
              "demo week | CPU of the visit | budget | met |",
              "|---|---|---|---|---|---|---|---|"]
    heavy = [(f"learner {s}", demo_learner[s], goals_learner[s])
             for s in [name for name, *_ in LEARNER_SCREENS] + ["target"]]
    heavy.append((f"family portal ({family})", demo_family, year_family))
    heavy.append((f"review queue ({teacher})", demo_review, year_review))
    for name, demo_side, (seconds, cpu, *_) in heavy:
        ok = seconds <= BUDGET_INTERACTIVE_S and cpu <= BUDGET_CPU_S
        lines.append(f"| {name} | {demo_side[0]:.2f} s | {seconds:.2f} s | ≤ 3 s | "
                     f"{demo_side[1]:.2f} s | {cpu:.2f} s | ≤ 5 s | "
                     f"{'yes' if ok else '**no**'} |")
    lines += ["", "Tab CPU for a whole visit (sign-in, first sync, every screen above):", "",
              "| tab | sign-in and first sync CPU | whole tab CPU |", "|---|---|---|",
              f"| demo `student` | {demo_learner['first sync CPU']:.2f} s | "
              f"{demo_learner['tab CPU']:.2f} s |",
              f"| `{heavy_goals}` | {goals_learner['first sync CPU']:.2f} s | "
              f"{goals_learner['tab CPU']:.2f} s |",
              f"| `{heavy_evidence}` | {evidence_learner['first sync CPU']:.2f} s | "
              f"{evidence_learner['tab CPU']:.2f} s |",
              f"| demo `guardian` / `{family}` | – | {demo_family[2]:.2f} s / "
              f"{year_family[2]:.2f} s |",
              f"| demo `teacher` / `{teacher}` (review queue) | – | {demo_review[2]:.2f} s / "
              f"{year_review[2]:.2f} s |"]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--demo-url", help="an app already serving the demo week")
    parser.add_argument("--year-url", help="an app already serving a school year")
    parser.add_argument("--year-size", default="full", choices=["ci", "full"])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        demo = args.demo_url or stack.enter_context(_app(["seed-demo"], "demo"))
        year = args.year_url or stack.enter_context(
            _app(["seed-year", "--size", args.year_size, "--seed", "1"], "year"))
        lines = measure(demo, year, args.runs, "year-goals", "year-evidence",
                        "year-guardian2", "year-teacher1")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
