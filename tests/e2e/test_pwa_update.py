"""A new build arrives while a learner has unsent work: the update waits for the outbox.

The new build is simulated the way a deploy looks to the browser: the server starts serving
a different `sw.js` (its BUILD id changed) from the e2e build's own output folder, and the
page asks its registration for an update. The new worker installs and waits; "Update now"
with a change still on the device does not activate it; once online and the outbox is
empty it activates, the page reloads on the new build, and the change is on the server.
"""

import gzip
import os
import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SIDECARS = (".gz", ".br", ".zst")  # the server prefers a precompressed copy when one exists
SYNC_WAIT_MS = 30_000


def _served_worker() -> Path:
    """sw.js as the e2e server serves it (conftest builds into WAYPOINT_E2E_WEB/.web-e2e)."""
    web = ROOT / os.environ.get("WAYPOINT_E2E_WEB", ".web-e2e")
    return web / "build" / "client" / "sw.js"


@pytest.fixture
def new_build():
    """new_build(): serve a sw.js with another BUILD id; the original is put back after."""
    worker = _served_worker()
    if not worker.exists():
        pytest.skip(f"no built service worker at {worker}")
    originals = {path: path.read_bytes()
                 for path in [worker, *(Path(f"{worker}{s}") for s in SIDECARS)]
                 if path.exists()}
    builds = []

    def _publish() -> tuple[str, str]:
        source = originals[worker].decode()
        old = re.search(r'const BUILD = "([^"]+)";', source).group(1)
        new = f"{old}-next-{uuid.uuid4().hex[:6]}"
        changed = source.replace(f'const BUILD = "{old}";', f'const BUILD = "{new}";', 1)
        worker.write_text(changed)
        for suffix in SIDECARS:
            Path(f"{worker}{suffix}").unlink(missing_ok=True)
        Path(f"{worker}.gz").write_bytes(gzip.compress(changed.encode()))
        builds.append(new)
        return old, new

    yield _publish
    for suffix in SIDECARS:
        Path(f"{worker}{suffix}").unlink(missing_ok=True)
    for path, data in originals.items():
        path.write_bytes(data)


def _shells(page) -> list[str]:
    return page.evaluate(
        "async () => (await caches.keys()).filter((n) => n.startsWith('waypoint-shell-'))")


def _ready_for_offline(page) -> None:
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller",
                           timeout=30_000)
    expect(page.get_by_role("heading", name="Fractions", exact=True)).to_be_visible(timeout=30_000)
    expect(page.get_by_role("status", name="Sync status")).to_contain_text("Last synced",
                                                                          timeout=SYNC_WAIT_MS)


def test_update_waits_for_unsent_changes_then_activates(phone, sign_in, live_app, new_build,
                                                        screenshot):
    goal_title = f"Finish the playlist before the update ({uuid.uuid4().hex[:6]})"
    sign_in(phone, "student")
    expect(phone).to_have_url(re.compile(r"/learner/?$"))
    _ready_for_offline(phone)
    old, new = new_build()
    assert _shells(phone) == [f"waypoint-shell-{old}"]

    # a deploy: the page looks for a new worker, which installs (precaches) and waits
    phone.evaluate("() => window.waypointPWA.registration.update()")
    status = phone.get_by_role("status", name="Sync status")
    expect(phone.get_by_text("A new version of Waypoint is ready.")).to_be_visible(
        timeout=60_000)
    update_now = phone.get_by_role("button", name="Update now")
    expect(update_now).to_be_visible()
    phone.wait_for_function("() => window.waypointPWA.registration.waiting !== null")

    # offline, the learner adds a goal: one change waits on the device
    phone.context.set_offline(True)
    expect(status).to_contain_text("Offline")
    phone.get_by_role("navigation", name="Main").get_by_role("link", name="Goals").click()
    expect(phone.get_by_role("heading", name="My goals", level=1)).to_be_visible()
    form = phone.get_by_role("form", name="New goal")
    form.get_by_label("Goal", exact=True).fill(goal_title)
    form.get_by_role("button", name="Add goal").click()
    expect(form.get_by_role("status")).to_have_text("Goal added.")
    expect(status).to_contain_text(re.compile(r"[1-9]\d* changes? waiting to send"))

    # "Update now" with the change unsent: it says so, and the old build stays in charge
    update_now.click()
    expect(phone.get_by_text(re.compile(
        r"Update waits until your \d+ unsent changes? (is|are) sent"))).to_be_visible()
    screenshot(phone, "update-waits-for-outbox")
    phone.wait_for_timeout(1_000)  # time enough for a wrongly sent SKIP_WAITING to land
    assert phone.evaluate("() => window.waypointPWA.registration.waiting !== null")
    assert f"waypoint-shell-{old}" in _shells(phone)  # activation would delete it

    # online: the engine pushes by itself; then the update goes through and reloads
    phone.context.set_offline(False)
    expect(status).to_contain_text("All changes sent", timeout=SYNC_WAIT_MS)
    with phone.expect_event("load", timeout=SYNC_WAIT_MS):
        update_now.click()
    phone.wait_for_function(
        "() => navigator.serviceWorker.controller"
        " && navigator.serviceWorker.controller.state === 'activated'", timeout=SYNC_WAIT_MS)
    # async checks are polled from Python: wait_for_function would take their promise as true
    api.wait_for(lambda: phone.evaluate(
        "async () => (await navigator.serviceWorker.getRegistration()).waiting === null"),
        "no worker left waiting")
    api.wait_for(lambda: phone.evaluate(
        "async (name) => { const n = await caches.keys(); return n.includes(name)"
        " && !n.some((k) => k.startsWith('waypoint-shell-') && k !== name); }",
        f"waypoint-shell-{new}"), "only the new build's cache")
    expect(phone.get_by_role("heading", name="My goals", level=1)).to_be_visible()
    expect(phone.get_by_role("heading", name=goal_title)).to_be_visible()

    token = api.token(live_app, "student")
    assert _has_goal(live_app, token, goal_title), "the goal did not reach the server"


def _has_goal(base: str, token: str, title: str) -> bool:
    """Whether the server holds the goal, reading every page of a pull from the start."""
    cursor, client = "", str(uuid.uuid4())
    while True:
        query = f"/api/sync/pull?limit=1000{'&cursor=' + cursor if cursor else ''}"
        status, page = api.call(base, "GET", query, token, headers={"X-Client-Id": client})
        assert status == 200, page
        if any(r["type"] == "goal" and r["data"]["title"] == title for r in page["changes"]):
            return True
        if not page["has_more"]:
            return False
        cursor = page["cursor"]

