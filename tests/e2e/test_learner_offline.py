"""The learner's lesson with the network cut: goal, pick, self-assessment and a photo, kept
through a reload and a closed tab, then all of it on the server once the network is back.

Everything is done the way a learner does it (labels, roles, the file input), in Debian's
Chromium against the real app (tests/e2e/conftest.py). The server is checked through its
own HTTP API, as a client with a token would.
"""

import io
import json
import re
import time
import urllib.request
import uuid

import pytest
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SYNC_WAIT_S = 20


# ---- the server, through its HTTP API ------------------------------------------------------

def _call(base: str, method: str, path: str, token: str | None = None, body=None,
          headers: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={**(headers or {}),
                                              **({"Content-Type": "application/json"}
                                                 if data else {}),
                                              **({"Authorization": f"Bearer {token}"}
                                                 if token else {})})
    with urllib.request.urlopen(request, timeout=10) as response:
        raw = response.read()
        kind = response.headers.get("Content-Type", "")
        return json.loads(raw) if "json" in kind else raw


def _login(base: str, username: str) -> dict:
    return _call(base, "POST", "/api/auth/login",
                 body={"username": username, "password": "waypoint"})


def _server_rows(base: str, token: str) -> list[dict]:
    """Every row the account may read, pulled from the start."""
    rows, cursor, client = [], "", str(uuid.uuid4())
    while True:
        query = f"/api/sync/pull?limit=1000{'&cursor=' + cursor if cursor else ''}"
        page = _call(base, "GET", query, token, headers={"X-Client-Id": client})
        rows.extend(page["changes"])
        cursor = page["cursor"]
        if not page["has_more"]:
            return rows


def _wait_for(predicate, what: str, timeout: float = SYNC_WAIT_S):
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not on the server within {timeout}s: {what}")
        time.sleep(0.5)


# ---- the device ------------------------------------------------------------------------------

def _photo_with_gps(path) -> None:
    """A real camera-like JPEG whose EXIF says where it was taken."""
    image = Image.new("RGB", (2400, 1800), (200, 170, 60))
    for x in range(0, 2400, 150):  # some structure, so it is not a flat colour
        image.paste((30, 90, 160), (x, 0, x + 40, 1800))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (44.0, 30.0, 0.0), 3: "W", 4: (69.0, 15.0, 0.0)}  # GPS IFD
    image.save(path, "JPEG", exif=exif, quality=92)


def _ready_for_offline(page) -> None:
    """The service worker controls the page and the store holds the binder."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller",
                           timeout=30_000)
    expect(page.get_by_role("heading", name="Fractions", exact=True)).to_be_visible(timeout=30_000)
    expect(page.get_by_role("status", name="Sync status")).to_contain_text("Last synced")


def _go(page, link: str, heading: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()


def _work_offline(page, photo, goal_title: str, caption: str, note: str) -> dict:
    """Goal, pick, self-assessment and photo evidence, all with the network cut."""
    status = page.get_by_role("status", name="Sync status")
    expect(status).to_contain_text("Offline")

    _go(page, "Goals", "My goals")
    form = page.get_by_role("form", name="New goal")
    form.get_by_label("Goal", exact=True).fill(goal_title)
    form.get_by_label("Due date (optional)").fill("2030-05-01")
    form.get_by_text("Link learning targets").click()
    form.get_by_role("checkbox").first.check()
    form.get_by_role("button", name="Add goal").click()
    expect(form.get_by_role("status")).to_have_text("Goal added.")
    expect(page.get_by_role("heading", name=goal_title)).to_be_visible()
    # the new goal's edit form holds the new goal (not the one that stood there before)
    card = page.locator("[data-page-item]", has=page.get_by_role("heading", name=goal_title))
    card.get_by_text("Edit or reflect").click()  # the edit form is built on first opening
    edit = page.get_by_role("form", name=f"Edit goal: {goal_title}")
    expect(edit.get_by_label("Goal", exact=True)).to_have_value(goal_title)

    _go(page, "Playlists", "My playlists")
    pick = page.get_by_role("button", name=re.compile(r"^Pick: ")).first
    activity = pick.get_attribute("aria-label").removeprefix("Pick: ")
    pick.click()
    expect(page.get_by_role("button", name=f"Start: {activity}").first).to_be_visible()

    _go(page, "Binder", "My binder")
    page.get_by_role("link", name=re.compile("Identify equivalent fractions using models")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("M5.F.1")
    assess = page.get_by_role("form", name="Assess yourself")
    assess.get_by_label("Your level").select_option("3.5")
    assess.get_by_label("Why (optional)").fill(note)
    assess.get_by_role("button", name="Save self-assessment").click()
    expect(assess.get_by_role("status")).to_have_text("Self-assessment saved.")
    expect(page.get_by_text("3.5 · Self-assessment").first).to_be_visible()

    _go(page, "Evidence", "My evidence")
    add = page.get_by_role("form", name="Add evidence")
    add.get_by_label("Photo").set_input_files(str(photo))
    add.get_by_label("Caption").fill(caption)
    add.get_by_text("Tag learning targets").click()
    add.get_by_role("checkbox").first.check()
    add.get_by_role("button", name="Submit for review").click()
    expect(add.get_by_role("status")).to_have_text(re.compile("Evidence saved"), timeout=20_000)
    card = page.get_by_role("listitem").filter(has_text=caption)
    expect(card).to_contain_text("Waiting to upload")
    expect(status).to_contain_text(re.compile(r"[1-9]\d* changes? waiting to send"))
    return {"activity": activity}


def _still_there_offline(page, goal_title: str, activity: str, caption: str) -> None:
    expect(page.get_by_role("heading", name="My evidence", level=1)).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=caption)).to_contain_text(
        "Waiting to upload")
    _go(page, "Goals", "My goals")
    expect(page.get_by_role("heading", name=goal_title)).to_be_visible()
    _go(page, "Playlists", "My playlists")
    expect(page.get_by_role("button", name=f"Start: {activity}").first).to_be_visible()
    _go(page, "Binder", "My binder")
    expect(page.get_by_text("you said 3.5").first).to_be_visible()


def _learner_session(page) -> dict:
    return json.loads(page.evaluate("() => localStorage.getItem('waypoint.session')"))


def _assert_server_has_it_all(base: str, token: str, learner_id: int, work: dict) -> dict:
    goal_title, caption = work["goal_title"], work["caption"]
    def everything():
        rows = _server_rows(base, token)
        goals = [r for r in rows if r["type"] == "goal" and r["data"]["title"] == goal_title]
        activities = {r["id"] for r in rows
                      if r["type"] == "activity" and r["data"]["title"] == work["activity"]}
        picks = [r for r in rows if r["type"] == "pick" and r["data"]["student_id"] == learner_id
                 and r["data"]["activity_id"] in activities and r["data"]["status"] == "picked"]
        selfs = [r for r in rows if r["type"] == "self_assessment"
                 and r["data"]["level"] == 3.5
                 and r["data"]["note"] == work["note"]]
        evidence = [r for r in rows if r["type"] == "evidence"
                    and r["data"]["caption"] == caption and r["data"]["submitted"]]
        if not (goals and picks and selfs and evidence):
            return None
        sha = evidence[0]["data"]["blob_sha256"]
        try:
            photo = _call(base, "GET", f"/api/blobs/{sha}", token)
        except OSError:
            return None  # the upload is still on its way
        return {"goal": goals[0], "evidence": evidence[0], "photo": photo, "rows": rows}

    found = _wait_for(everything, "goal, pick, self-assessment, evidence and its photo")
    assert found["goal"]["data"]["due_on"] == "2030-05-01"
    assert found["goal"]["data"]["target_ids"]
    image = Image.open(io.BytesIO(found["photo"]))
    assert image.format == "JPEG"
    assert max(image.size) <= 1920  # compressed on the device
    assert not image.getexif().get_ifd(0x8825), "the stored photo still says where it was taken"
    return found


def _offline_lesson(page, photo, work: dict, screenshot, prefix):
    """Work offline, reload offline, close the tab and open a new one (still offline)."""
    goal_title, caption = work["goal_title"], work["caption"]
    context = page.context
    _ready_for_offline(page)
    context.set_offline(True)
    done = _work_offline(page, photo, goal_title, caption, work["note"])
    work["activity"] = done["activity"]
    screenshot(page, f"{prefix}-evidence-offline")

    page.reload()  # still offline: the service worker serves the page, IndexedDB the data
    _still_there_offline(page, goal_title, done["activity"], caption)
    screenshot(page, f"{prefix}-binder-after-offline-reload")

    page.close()  # the tab is gone; the outbox is in IndexedDB, not in memory
    again = context.new_page()
    again.goto("/learner/evidence")
    _still_there_offline(again, goal_title, done["activity"], caption)
    return again


def test_a_lesson_offline_reaches_the_server_when_the_network_returns(phone, sign_in,
                                                                      live_app, tmp_path,
                                                                      screenshot):
    photo = tmp_path / "work.jpg"
    _photo_with_gps(photo)
    run = uuid.uuid4().hex[:6]  # the server outlives one test: make this run's work unique
    work = {"goal_title": f"Finish the fractions playlist (offline {run})",
            "caption": f"My fraction strips, photographed offline {run}",
            "note": f"I explained it to my group offline {run}"}

    sign_in(phone, "student")
    expect(phone).to_have_url(re.compile(r"/learner/?$"))
    session = _learner_session(phone)
    page = _offline_lesson(phone, photo, work, screenshot, "offline")

    page.context.set_offline(False)
    expect(page.get_by_role("status", name="Sync status")).to_contain_text(
        "All changes sent", timeout=SYNC_WAIT_S * 1000)
    # the page holds no token (httpOnly cookies): check the server as an API client
    token = _login(live_app, "student")["access_token"]
    _assert_server_has_it_all(live_app, token, session["user"]["id"], work)
    _go(page, "Evidence", "My evidence")
    expect(page.get_by_role("listitem").filter(has_text=work["caption"])).to_contain_text(
        "Waiting for review", timeout=SYNC_WAIT_S * 1000)
    screenshot(page, "offline-synced")


def test_a_teachers_approval_meanwhile_and_the_offline_work_both_arrive(phone, sign_in,
                                                                        live_app, tmp_path,
                                                                        screenshot):
    photo = tmp_path / "work.jpg"
    _photo_with_gps(photo)
    run = uuid.uuid4().hex[:6]
    work = {"goal_title": f"Practise ratio tables (offline {run}, reviewed meanwhile)",
            "caption": f"Ratio table homework, offline {run}",
            "note": f"Ready for the next step, said offline {run}"}

    sign_in(phone, "student")
    expect(phone).to_have_url(re.compile(r"/learner/?$"))
    session = _learner_session(phone)
    learner_id = session["user"]["id"]
    page = _offline_lesson(phone, photo, work, screenshot, "review")

    # meanwhile, on the server: the teacher approves a piece of this learner's evidence
    teacher = _login(live_app, "teacher")["access_token"]
    waiting = [r for r in _server_rows(live_app, teacher)
               if r["type"] == "evidence" and r["data"]["student_id"] == learner_id
               and r["data"]["submitted"] and not r["data"]["reviewed"] and not r["deleted"]]
    assert waiting, "the demo school has evidence of this learner waiting for review"
    reviewed = waiting[0]
    comment = "Clear strips, well explained. Approved."
    hlc = f"{int(time.time() * 1000):013d}-0000-e2e-teacher"
    answer = _call(live_app, "POST", "/api/sync/push", teacher, body={
        "client_id": str(uuid.uuid4()),
        "mutations": [{"seq": 1, "name": "evidence.review", "hlc": hlc,
                       "args": {"evidence_id": reviewed["id"], "decision": "approved",
                                "comment": comment}}]})
    assert answer["results"][0]["status"] == "applied", answer

    page.context.set_offline(False)
    expect(page.get_by_role("status", name="Sync status")).to_contain_text(
        "All changes sent", timeout=SYNC_WAIT_S * 1000)
    found = _assert_server_has_it_all(live_app, _login(live_app, "student")["access_token"],
                                      learner_id, work)
    approved = [r for r in found["rows"] if r["type"] == "evidence" and r["id"] == reviewed["id"]]
    assert approved[0]["data"]["reviewed"]["decision"] == "approved"

    # and on the device: the approval with its comment, beside the learner's own work
    _go(page, "Evidence", "My evidence")
    expect(page.get_by_text(f"Teacher's comment: {comment}")).to_be_visible(
        timeout=SYNC_WAIT_S * 1000)
    expect(page.get_by_role("listitem").filter(has_text=comment)).to_contain_text("Approved")
    expect(page.get_by_role("listitem").filter(has_text=work["caption"])).to_contain_text(
        "Waiting for review")
    _go(page, "Goals", "My goals")
    expect(page.get_by_role("heading", name=work["goal_title"])).to_be_visible()
    screenshot(page, "review-synced")


def test_a_file_that_is_not_a_photo_is_refused_in_plain_words(phone, sign_in, tmp_path,
                                                              screenshot):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a picture")
    sign_in(phone, "student")
    _ready_for_offline(phone)
    phone.context.set_offline(True)

    _go(phone, "Evidence", "My evidence")
    add = phone.get_by_role("form", name="Add evidence")
    add.get_by_label("Caption").fill("My notes")
    add.get_by_label("Photo").set_input_files(str(notes))
    add.get_by_role("button", name="Submit for review").click()
    expect(add.get_by_role("status")).to_have_text(
        '"notes.txt" is not a photo. Choose a JPEG, PNG or WebP picture.')
    expect(add.get_by_label("Caption")).to_have_value("My notes")  # nothing typed is lost
    expect(phone.get_by_role("status", name="Sync status")).to_contain_text("All changes sent")

    _go(phone, "Binder", "My binder")
    phone.get_by_role("link", name=re.compile("Identify equivalent fractions using models")).click()
    expect(phone.get_by_role("heading", name="Rubric")).to_be_visible()
    screenshot(phone, "learner-target-offline")
