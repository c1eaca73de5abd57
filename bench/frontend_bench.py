"""Learner app budgets in headless Chromium: JS shipped, offline reload, local write latency.

    .venv/bin/python bench/frontend_bench.py                  # builds and starts the app
    .venv/bin/python bench/frontend_bench.py --base-url URL   # an app already running
    .venv/bin/python bench/frontend_bench.py --catalogs       # only the i18n figures (no browser)

Budgets (issue 4): gzipped JS shipped to a learner ≤ 350 KB; offline reload to interactive
≤ 1 s; a local write (tap → IndexedDB commit) ≤ 50 ms p95. Prints a Markdown table for
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402

LEARNER_PAGES = ["/learner", "/learner/goals", "/learner/playlists", "/learner/evidence",
                 "/learner/target"]
BUDGET_JS_KB = 350
BUDGET_RELOAD_MS = 1000
BUDGET_WRITE_MS = 50


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@contextlib.contextmanager
def _running_app(base_url: str | None):
    """The app at base_url, or a fresh one started exactly like the browser tests do."""
    if base_url:
        yield base_url
        return
    import subprocess
    import tempfile

    from tests.e2e import conftest

    instance = Path(tempfile.mkdtemp(prefix="frontend-bench-"))
    env = conftest._app_env(instance)
    for command in (["flask", "db", "upgrade"], ["flask", "seed-demo"]):
        subprocess.run([str(conftest.BIN / command[0]), *command[1:]], cwd=ROOT, env=env,
                       check=True, capture_output=True)
    port = conftest._free_port()
    with open(instance / "reflex.log", "wb") as log:
        process = subprocess.Popen(
            [str(conftest.BIN / "reflex"), "run", "--env", "prod", "--single-port",
             "--frontend-port", str(port), "--backend-port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + conftest.START_TIMEOUT_S
        while not (conftest._answers(f"{base}/ping") and conftest._answers(f"{base}/login")):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the app did not start; see {instance / 'reflex.log'}")
            time.sleep(1)
        yield base
    finally:
        conftest._stop(process)


def _sign_in(page, username="student"):
    page.goto("/login")
    page.wait_for_load_state("networkidle")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("waypoint")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/learner**")
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller",
                           timeout=60_000)
    page.get_by_role("heading", name="Fractions").wait_for(timeout=30_000)


def measure_js(browser, base: str) -> dict:
    """Gzipped bytes of every script the learner's pages load (first visit, no cache)."""
    context = browser.new_context(viewport=PHONE, base_url=base, service_workers="block")
    page = context.new_page()
    scripts: dict[str, bytes] = {}

    def keep(response):
        if response.request.resource_type == "script" and response.ok:
            with contextlib.suppress(Exception):
                scripts[response.url] = response.body()

    page.on("response", keep)
    _sign_in_without_worker(page)
    first = dict(scripts)
    for path in LEARNER_PAGES[1:]:
        page.goto(path)
        _settled(page)
    context.close()

    def kb(files):
        return sum(len(gzip.compress(body, 9)) for body in files.values()) / 1024

    return {"binder_kb": kb(first), "all_kb": kb(scripts), "binder_files": len(first),
            "all_files": len(scripts)}


def _sign_in_without_worker(page):
    page.goto("/login")
    page.wait_for_load_state("networkidle")
    page.get_by_label("Username").fill("student")
    page.get_by_label("Password").fill("waypoint")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/learner**")
    page.get_by_role("heading", name="Fractions").wait_for(timeout=30_000)
    _settled(page)


def _settled(page) -> None:
    """The page's scripts are all in: its sync finished (not "networkidle": the sync core's
    own requests can keep a busy machine's network from ever being idle for 500 ms)."""
    page.wait_for_load_state("load")
    page.get_by_role("status", name="Sync status").get_by_text("Last synced").wait_for(
        timeout=60_000)
    page.wait_for_timeout(1000)


def measure_offline_reload(browser, base: str, runs: int = 10) -> list[float]:
    """Reload /learner with the network cut until the binder from IndexedDB is on screen
    and its navigation answers (a link can be focused)."""
    context = browser.new_context(viewport=PHONE, base_url=base)
    page = context.new_page()
    _sign_in(page)
    page.get_by_role("status", name="Sync status").get_by_text("Last synced").wait_for()
    context.set_offline(True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        page.reload(wait_until="commit")
        page.get_by_role("heading", name="Fractions").wait_for()
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Goals").focus()
        times.append((time.perf_counter() - start) * 1000)
    context.close()
    return times


WRITE_LOOP = """async (n) => {
  // one goal, saved again and again from its own edit form: the page stays the same size,
  // as in a lesson (a learner has a handful of goals, not hundreds)
  const name = `bench goal ${Date.now()}`;
  const first = document.getElementById("goal-form-new");
  first.querySelector("[name=title]").value = name;
  await window.waypointUI.saveGoal(first);
  // its card, then its "Edit or reflect" (the edit form is built on the first opening)
  const sleep = () => new Promise((resolve) => setTimeout(resolve, 100));
  let card;
  for (let wait = 0; !card && wait < 100; wait++) {
    await sleep();
    card = [...document.querySelectorAll("[data-page-item]")]
      .find((c) => c.innerText.includes(name));
  }
  card.querySelector("summary").click();
  let form;
  for (let wait = 0; !form && wait < 100; wait++) {
    await sleep();
    form = card.querySelector("[data-goal-id]");
  }
  const title = form.querySelector("[name=title]");
  const out = [];
  for (let i = 0; i < n; i++) {
    // a person taps at most every few hundred ms: let the last write's re-render finish
    await new Promise((resolve) => setTimeout(resolve, 400));
    title.value = `bench goal, edit ${i}`;
    const t0 = performance.now();
    await window.waypointUI.saveGoal(form);  // what the "Save goal" tap runs, to the commit
    out.push(performance.now() - t0);
  }
  return out;
}"""


def measure_writes(browser, base: str, n: int = 60) -> list[float]:
    """Tap → IndexedDB commit: the Save goal handler until its transaction has committed."""
    context = browser.new_context(viewport=PHONE, base_url=base)
    page = context.new_page()
    _sign_in(page)
    context.set_offline(True)  # no sync traffic in the way: the cost of the local write
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Goals").click()
    page.get_by_role("form", name="New goal").wait_for()
    samples = page.evaluate(WRITE_LOOP, n)
    context.close()
    return samples[5:]  # the first writes open the database and warm the JIT


I18N_JS = ["assets/ui/i18n.js", "assets/ui/locale_choice.js"]


def _gz_kb(data: bytes) -> float:
    return len(gzip.compress(data, 9)) / 1024


def catalog_figures() -> list[tuple[str, str, str, bool]]:
    """What the catalogs add to a learner's download (issue 15), without a browser: the
    runtime's source (an upper bound: Vite minifies it into the page chunks), each committed
    JSON catalog, and a fully translated one estimated from the template (every msgid as its
    own translation, Arabic's six plural forms; UTF-8 Arabic/Chinese text is about as many
    bytes as the English it replaces)."""
    import json

    from babel.messages.pofile import read_po

    runtime = _gz_kb(b"".join((ROOT / p).read_bytes() for p in I18N_JS))
    sizes = {p.stem: _gz_kb(p.read_bytes()) for p in sorted((ROOT / "assets/i18n").glob("*.json"))}
    with open(ROOT / "locales/messages.pot", "rb") as fh:
        template = read_po(fh)
    full = {}
    for message in template:
        if not message.id:
            continue
        if message.pluralizable:
            full[message.id[0]] = {tag: message.id[1] for tag in
                                   ("zero", "one", "two", "few", "many", "other")}
        else:
            full[message.id] = message.id
    estimate = _gz_kb(json.dumps(full, ensure_ascii=False, indent=0).encode())
    largest = max(sizes, key=sizes.get)
    return [
        ("i18n runtime (i18n.js + locale_choice.js source, gzipped)", f"{runtime:.1f} KB",
         "(in the JS above)", True),
        (f"catalog JSON as committed, largest ({largest})", f"{sizes[largest]:.1f} KB",
         "(one language per device)", True),
        (f"catalog JSON fully translated, estimate ({len(full)} messages)", f"{estimate:.1f} KB",
         "(one language per device)", True),
    ]


def _print(rows) -> None:
    print("| measure | result | budget | ok |")
    print("|---|---|---|---|")
    for name, value, budget, ok in rows:
        print(f"| {name} | {value} | {budget} | {'yes' if ok else '**no**'} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="an app already running (default: start one)")
    parser.add_argument("--catalogs", action="store_true", help="only the i18n figures")
    args = parser.parse_args()
    if args.catalogs:
        _print(catalog_figures())
        return
    from playwright.sync_api import sync_playwright

    with _running_app(args.base_url) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        js = measure_js(browser, base)
        reloads = measure_offline_reload(browser, base)
        writes = measure_writes(browser, base)
        browser.close()

    rows = [
        ("gzipped JS, first visit to /learner", f"{js['binder_kb']:.0f} KB "
         f"({js['binder_files']} files)", f"≤ {BUDGET_JS_KB} KB",
         js["binder_kb"] <= BUDGET_JS_KB),
        ("gzipped JS, all five learner pages", f"{js['all_kb']:.0f} KB ({js['all_files']} files)",
         "(for reference)", True),
        ("offline reload → binder interactive, median", f"{statistics.median(reloads):.0f} ms",
         f"≤ {BUDGET_RELOAD_MS} ms", True),
        ("offline reload → binder interactive, p95", f"{_p95(reloads):.0f} ms",
         f"≤ {BUDGET_RELOAD_MS} ms", _p95(reloads) <= BUDGET_RELOAD_MS),
        ("local write (tap → IndexedDB commit), median", f"{statistics.median(writes):.1f} ms",
         f"≤ {BUDGET_WRITE_MS} ms", True),
        ("local write (tap → IndexedDB commit), p95", f"{_p95(writes):.1f} ms",
         f"≤ {BUDGET_WRITE_MS} ms", _p95(writes) <= BUDGET_WRITE_MS),
    ]
    _print(rows + catalog_figures())
    print(f"\n{len(reloads)} offline reloads, {len(writes)} writes; headless Chromium "
          f"{PHONE['width']}×{PHONE['height']}")


if __name__ == "__main__":
    main()
