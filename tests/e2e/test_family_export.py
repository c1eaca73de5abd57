"""Issue 13's duties end to end in Chromium: a family downloads a child's record and it
opens; an admin deletes a withdrawn learner and the devices that synced them are wiped.

Run with WAYPOINT_E2E_WEB=.web-e2e-h4b (a build folder of its own).
"""

import json
import re
import subprocess
import time
import urllib.request
import zipfile

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WAIT_S = 60
# a learner no other browser test reads: this test deletes them
GONE = "student24"
GONE_NAME = "Samir A."


def _poll(read, is_done, what: str, timeout: float = WAIT_S):
    """Ask the page (or the server) again until the answer is the one wanted."""
    deadline = time.monotonic() + timeout
    value = read()
    while not is_done(value):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; last: {value!r}")
        time.sleep(0.5)
        value = read()
    return value


def test_a_guardian_downloads_the_record_on_a_phone_and_the_zip_opens(phone, sign_in,
                                                                      tmp_path):
    sign_in(phone, "guardian")
    phone.wait_for_url(re.compile(r"/family/?$"), timeout=30_000)
    start = phone.get_by_role("button", name="Download Maya R.'s record")
    expect(start).to_be_visible(timeout=30_000)
    box = start.bounding_box()
    assert box["height"] >= 44
    start.click()
    save = phone.get_by_role("link", name="Save Maya R.'s record")
    expect(save).to_be_visible(timeout=WAIT_S * 1000)
    href = save.get_attribute("href")
    answer = phone.evaluate(
        "async (href) => { const r = await fetch(href, {credentials: 'same-origin'});"
        " return [r.status, r.headers.get('content-type')]; }", href)
    assert answer == [200, "application/zip"], (answer, save.evaluate("a => a.outerHTML"))
    with phone.expect_download() as download:
        save.click()
    path = tmp_path / "record.zip"
    download.value.save_as(path)
    assert download.value.suggested_filename.startswith("waypoint-record-")

    zf = zipfile.ZipFile(path)
    assert {"record.pdf", "record.json", "binder.csv", "goals.csv", "evidence.csv"} <= set(
        zf.namelist())
    record = json.loads(zf.read("record.json"))
    assert record["learner"]["display_name"] == "Maya R."
    (tmp_path / "record.pdf").write_bytes(zf.read("record.pdf"))
    text = subprocess.run(["pdftotext", str(tmp_path / "record.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Maya R." in text and "How it was worked out" in text

    # with no connection the card says so and offers no button that cannot work
    phone.context.set_offline(True)
    expect(phone.get_by_text("Downloading a record needs a connection.")).to_be_visible()
    expect(phone.get_by_role("button", name="Download Maya R.'s record")).to_be_disabled()
    phone.context.set_offline(False)


def _db_names(page) -> list[str]:
    return page.evaluate("async () => (await indexedDB.databases()).map((d) => d.name)")


def _rows_of(page, user_id: int, learner_id: int) -> int:
    """How many rows of `learner_id` the device store of `user_id` holds (-1: no store)."""
    return page.evaluate(
        """async ([userId, learnerId]) => {
          const names = (await indexedDB.databases()).map((d) => d.name);
          if (!names.includes(`waypoint-${userId}`)) return -1;
          const db = await new Promise((ok, fail) => {
            const open = indexedDB.open(`waypoint-${userId}`);
            open.onsuccess = () => ok(open.result);
            open.onerror = () => fail(open.error);
          });
          const rows = await new Promise((ok, fail) => {
            const all = db.transaction("rows").objectStore("rows").getAll();
            all.onsuccess = () => ok(all.result);
            all.onerror = () => fail(all.error);
          });
          db.close();
          return rows.filter((r) => String(r.data?.student_id) === String(learnerId)
            || (r.type === "learner" && String(r.id) === String(learnerId))).length;
        }""", [user_id, learner_id])


def _me(page) -> dict:
    return page.evaluate("() => JSON.parse(localStorage.getItem('waypoint.session')).user")


def _api(base: str, method: str, path: str, token: str, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_deleting_a_learner_wipes_the_devices_that_synced_them(browser, live_app, sign_in):
    devices = []
    for _ in range(3):
        context = browser.new_context(viewport={"width": 375, "height": 812},
                                      base_url=live_app)
        context.set_default_timeout(15_000)
        devices.append((context, context.new_page()))
    (_, learner), (_, teacher), (_, admin) = devices
    try:
        sign_in(learner, GONE)
        learner.wait_for_url(re.compile(r"/learner/?$"), timeout=30_000)
        sign_in(teacher, "teacher2")
        teacher.wait_for_url(re.compile(r"/teacher"), timeout=30_000)
        teacher.goto("/teacher/review")  # the review queue keeps the learners on the phone
        learner_id = _me(learner)["id"]
        teacher_id = _me(teacher)["id"]
        # both devices hold the learner's rows once their first sync is done
        _poll(lambda: _rows_of(learner, learner_id, learner_id), lambda n: n > 0,
              "the learner's tablet to sync")
        _poll(lambda: _rows_of(teacher, teacher_id, learner_id), lambda n: n > 0,
              "the teacher's phone to sync")
        _poll(lambda: teacher.evaluate("() => Boolean(window.waypoint.status().lastSyncedAt)"),
              bool, "the teacher's pull to finish")

        # the admin withdraws, then deletes with the typed username, on /admin/people
        sign_in(admin, "admin")
        admin.wait_for_url(re.compile(r"/admin"), timeout=30_000)
        admin.goto("/admin/people")
        chooser = admin.get_by_label("Learner to withdraw or delete")
        expect(chooser).to_be_visible(timeout=30_000)
        _poll(lambda: chooser.locator("option").count(), lambda n: n > 1,
              "the learners to load")
        chooser.select_option(label=GONE_NAME)
        admin.get_by_role("button", name="Mark as withdrawn").click()
        confirm = admin.get_by_label(f"To delete, type the username {GONE}")
        confirm.fill("not the name")
        admin.get_by_role("button", name=f"Delete {GONE_NAME}'s record").click()
        expect(admin.get_by_role("alert")).to_contain_text("username")
        expect(confirm).to_have_value("not the name")  # what was typed stays
        confirm.fill(GONE)
        admin.get_by_role("button", name=f"Delete {GONE_NAME}'s record").click()
        # the page's own status line (the footer's language picker has a status region too)
        expect(admin.get_by_role("status").filter(has_text="Deleted the record")).to_contain_text(
            f"Deleted the record of learner {learner_id} (SA)", timeout=30_000)
        expect(admin.get_by_role("link", name="Download the receipt")).to_be_visible()

        # the server: the learner is gone for the admin too
        token = _api(live_app, "POST", "/api/auth/login", "",
                     {"username": "admin", "password": "waypoint"})["access_token"]
        learners = _api(live_app, "GET", "/api/privacy/learners?limit=1000", token)
        assert learner_id not in [u["id"] for u in learners]

        # the next sync on each device wipes the learner
        teacher.evaluate("() => window.waypoint.flush()")
        _poll(lambda: _rows_of(teacher, teacher_id, learner_id), lambda n: n == 0,
              "the teacher's phone to wipe the learner")
        learner.evaluate("() => window.waypoint.flush()")
        _poll(lambda: _db_names(learner), lambda names: f"waypoint-{learner_id}" not in names,
              "the learner's tablet to delete its store")
        assert learner.evaluate("() => localStorage.getItem('waypoint.session')") is None

        # the open page (no reload) drops the child at once and says so in one plain line
        removed = "This record was removed by the school. Nothing of it is left on this device."
        _poll(lambda: learner.inner_text("body"), lambda text: removed in text,
              "the learner's open page to say the record was removed")
        text = learner.inner_text("body")
        assert GONE_NAME not in text  # neither the header's name nor the binder's rows
        assert "kept on this device" not in text and "expired" not in text
        assert "All changes sent" not in text and "Last synced" not in text
        expect(learner.get_by_role("link", name="Sign in", exact=True)).to_have_attribute(
            "href", "/login")
        learner.get_by_role("link", name="Goals").click()  # another screen: still nothing
        expect(learner.get_by_text(removed)).to_be_visible()
        assert learner.get_by_label("Goal", exact=True).count() == 0  # no live goal form
        assert GONE_NAME not in learner.inner_text("body")
    finally:
        for context, _page in devices:
            context.close()
