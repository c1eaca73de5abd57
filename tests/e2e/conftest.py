"""Fixtures for browser tests: the REAL app on a free port, and Debian's Chromium.

`live_app` migrates and seeds a demo school into a temporary instance folder, then starts
`reflex run --env prod --single-port` exactly as `make run` does (production build, the
Flask API mounted at /api), waits until it answers, and stops it at the end of the session.
The build goes to its own web folder (`.web-e2e`) so a `make run` in the same checkout keeps
serving while the tests run.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
BUN_DIR = ROOT / ".tools" / "node_modules" / ".bin"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT_S = 900  # a first build installs the frontend's packages with bun
PHONE = {"width": 375, "height": 812}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _app_env(instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        WAYPOINT_INSTANCE=str(instance),
        FLASK_APP="backend",
        PATH=f"{BUN_DIR}:{BIN}:{env.get('PATH', '')}",
        REFLEX_USE_SYSTEM_BUN="1",
        REFLEX_TELEMETRY_ENABLED="false",
        # its own build folder; WAYPOINT_E2E_WEB lets two test runs in one checkout not
        # rebuild each other's frontend from under a running server
        REFLEX_WEB_WORKDIR=os.environ.get("WAYPOINT_E2E_WEB", ".web-e2e"),
        REFLEX_STATES_WORKDIR=str(instance / "states"),
        PYTHONUNBUFFERED="1",
        # no sign-in limit to lift: successful sign-ins never count (docs/deploy.md,
        # "Sign-in policy"), so the whole suite signs in from 127.0.0.1 as a school would
    )
    return env


def _serve(instance: Path, env: dict[str, str], what: str):
    """Start `reflex run --env prod --single-port` on a free port as `make run` does, yield
    its base URL once it answers, and stop it (and its workers) at the end."""
    port = _free_port()
    log_path = instance / "reflex.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(BIN / "reflex"), "run", "--env", "prod", "--single-port",
             "--frontend-port", str(port), "--backend-port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # one process group: the server and its workers stop together
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not (_answers(f"{base}/ping") and _answers(f"{base}/login")):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start:\n"
                                   + log_path.read_text(errors="replace")[-4000:])
            time.sleep(1)
        yield base
    finally:
        _stop(process)
        shutil.rmtree(instance / "states", ignore_errors=True)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """Base URL of the real app, serving a freshly seeded demo school."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make system-test-deps)")
    instance = tmp_path_factory.mktemp("instance")
    env = _app_env(instance)
    for command in (["flask", "db", "upgrade"], ["flask", "seed-demo"]):
        subprocess.run([str(BIN / command[0]), *command[1:]], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    yield from _serve(instance, env, "the app")


@pytest.fixture(scope="session")
def live_year_app(tmp_path_factory):
    """Base URL of the real app serving a school YEAR (`flask seed-year --size ci --seed 1`:
    56 learners, 180 days, `year-goals` and `year-evidence`; accounts in the README).

    Like `live_app`, with its own instance folder, database and web build folder (a build
    bakes in its port). Seeding takes ~60 s.
    """
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make system-test-deps)")
    instance = tmp_path_factory.mktemp("year-instance")
    env = _app_env(instance)
    # its own build folder: a production build bakes its server's port into the pages, so
    # a session using both apps would send live_app's pages to this server's socket
    env["REFLEX_WEB_WORKDIR"] += "-year"
    for command in (["flask", "db", "upgrade"], ["flask", "seed-year", "--size", "ci",
                                                 "--seed", "1"]):
        subprocess.run([str(BIN / command[0]), *command[1:]], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    yield from _serve(instance, env, "the year app")


@pytest.fixture
def year_phone(browser, live_year_app):
    """A fresh 375×812 phone page pointed at the school-year app (`live_year_app`)."""
    context = browser.new_context(viewport=PHONE, base_url=live_year_app)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="session")
def playwright_driver():
    """The one Playwright of the run: its sync API allows one at a time per process, so a
    test that needs a browser launched with other flags (a fake camera) launches it here."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """Debian's Chromium, headless (never a Playwright-downloaded browser)."""
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    new_context = chromium.new_context

    def watched_context(*args, **kwargs):
        # an uncaught error in any page (a React hydration error #418 included) is printed,
        # so a failing test's captured output says what the page itself threw
        context = new_context(*args, **kwargs)
        context.on("weberror", lambda error: print(f"[page error] {error.error}"))
        context.on("console", lambda m: print(f"[console {m.type}] {m.text[:300]}")
                   if m.type == "error" and "WebSocket" not in m.text else None)
        return context

    chromium.new_context = watched_context
    yield chromium
    chromium.close()


@pytest.fixture
def phone(browser, live_app):
    """A fresh page in a 375×812 phone viewport, pointed at the live app."""
    context = browser.new_context(viewport=PHONE, base_url=live_app)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser, live_app):
    """A fresh page in a laptop-sized viewport."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_app)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def sign_in():
    """sign_in(page, username, password="waypoint"): fill the real login form and submit."""

    def _sign_in(page, username: str, password: str = "waypoint"):
        page.goto("/login")
        page.wait_for_load_state("networkidle")  # React has hydrated: the form is live
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        return page

    return _sign_in


@pytest.fixture
def screenshot():
    """screenshot(page, name): keep a full-page PNG when WAYPOINT_SCREENSHOTS names a folder."""
    folder = os.environ.get("WAYPOINT_SCREENSHOTS")

    def _shoot(page, name: str) -> None:
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    return _shoot
