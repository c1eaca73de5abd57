"""QR sign-in cards in the browser (issue 15 #7): a teacher marks the class device as
shared and prints a class's cards; a learner holds their card up to the camera (a QR image
generated here, fed to Chromium's fake camera as a Y4M video) and lands on their binder;
the typed code works too; a stopped card is refused where the learner is looking; on a
device nobody marked, the page says so in plain words."""

import hashlib
import hmac
import io
import json
import re
import secrets
import sqlite3
from pathlib import Path

import pytest
import segno
from PIL import Image
from playwright.sync_api import expect

from tests.e2e import teaching_api
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.e2e.teaching_api import wait_for
from tests.e2e.test_accessibility import _audit  # axe (contrast on), names, 44 px targets

pytestmark = pytest.mark.browser

W, H = 640, 480


def _live_instance(tmp_path_factory) -> Path:
    """The live app's instance folder (conftest's `live_app` seeds it in `instance<n>`)."""
    [folder] = [p for p in tmp_path_factory.getbasetemp().glob("instance*")
                if not p.is_symlink() and (p / "waypoint.db").exists()]
    return folder


def _digest(key: str, kind: str, value: str) -> str:
    """As backend/services/sign_in_cards.py `digest` stores it (HMAC-SHA256, SECRET_KEY)."""
    return hmac.new(key.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _known_card(instance: Path, username: str) -> tuple[str, str]:
    """Give the learner's printed card a secret and code this test knows: (QR text, code).

    The printed PDF holds the real ones as vector art; reading them back out of it would
    test a PDF reader, not the app. The row stays the one the teacher's print made."""
    key = json.loads((instance / "secret_keys.json").read_text())["SECRET_KEY"]
    secret, code = secrets.token_urlsafe(24), "KMPT3479"
    with sqlite3.connect(instance / "waypoint.db") as conn:
        [user_id] = conn.execute("SELECT id FROM users WHERE username = ?",
                                 (username,)).fetchone()
        changed = conn.execute(
            "UPDATE sign_in_cards SET secret_hash = ?, code_hash = ? "
            "WHERE student_id = ? AND invalidated_at IS NULL",
            (_digest(key, "card", secret), _digest(key, "code", code), user_id)).rowcount
    assert changed == 1, "the teacher's print made no live card for " + username
    return f"WPCARD1:{secret}", code


def _y4m_of_qr(text: str, path: Path) -> Path:
    """A few seconds of 'camera' showing the card's QR on a white table (YUV4MPEG2 4:2:0)."""
    frame = Image.new("RGB", (W, H), (235, 235, 230))
    if text:
        png = io.BytesIO()
        segno.make(text, error="m").save(png, kind="png", scale=7, border=4)
        qr = Image.open(io.BytesIO(png.getvalue())).convert("RGB")
        frame.paste(qr, ((W - qr.width) // 2, (H - qr.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    planes = (y.tobytes() + cb.resize((W // 2, H // 2)).tobytes()
              + cr.resize((W // 2, H // 2)).tobytes())
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{W} H{H} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(20):
            out.write(b"FRAME\n" + planes)
    return path


@pytest.fixture
def camera_browser(playwright_driver):
    """Chromium whose camera films whatever `camera_browser.film(y4m)` was set to, allowed
    without a prompt. One browser per video (the file is fixed at launch)."""
    launched = []

    def launch(video: Path):
        browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=[
            *CHROMIUM_ARGS, "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream", f"--use-file-for-fake-video-capture={video}"])
        launched.append(browser)
        return browser

    yield launch
    for browser in launched:
        browser.close()


def _sign_in_password(page, username: str) -> None:
    page.goto("/login")
    page.wait_for_load_state("networkidle")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("waypoint")
    page.get_by_role("button", name="Sign in").click()


def _sign_out(page, to: str = "/login") -> None:
    page.get_by_role("button", name="Sign out").click()
    # it first sends what the device holds (a first sync may still be running); a learner
    # who came in with a card goes back to the card page, for the next child
    expect(page).to_have_url(re.compile(rf"{to}/?$"), timeout=60_000)


def _db_names(page) -> list[str]:
    return page.evaluate("async () => (await indexedDB.databases()).map((d) => d.name)")


def _open_card_page(page) -> None:
    if not re.search(r"/card/?$", page.url):
        page.get_by_role("link", name="Sign in with a card").click()
    expect(page).to_have_url(re.compile(r"/card/?$"))
    expect(page.get_by_role("heading", name="Sign in with my card", level=1)).to_be_visible()


def test_a_learner_signs_in_with_a_qr_card_on_a_shared_device(
        live_app, camera_browser, tmp_path, tmp_path_factory, screenshot):
    # a plain device first: the camera is never offered where cards cannot work
    # the camera's file is named at launch; until the card exists it films a blank table
    video = _y4m_of_qr("", tmp_path / "card.y4m")
    browser = camera_browser(video)
    context = browser.new_context(viewport=PHONE, base_url=live_app)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/card")
    expect(page.get_by_text("This device is not set up for sign-in cards. Ask your "
                            "teacher.")).to_be_visible()
    expect(page.get_by_role("button", name="Show my card")).to_have_count(0)
    problems = _audit(page, "/card (not shared)")

    # the teacher, on this device: marks it shared and prints Math Studio A's cards
    _sign_in_password(page, "teacher")
    expect(page).to_have_url(re.compile(r"/teacher/?$"))
    page.goto("/teacher/cards")
    page.get_by_label("Name of this device").fill("Room 12 iPad 3")
    page.get_by_role("button", name="Mark this device as shared").click()
    expect(page.get_by_role("status").filter(has_text="Room 12 iPad 3")).to_be_visible()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Print cards for Math Studio A").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    # the class had no cards: new ones for every learner, and nothing said to stop working
    expect(page.get_by_text("New cards for Math Studio A are in the PDF, for the learners who "
                            "had no card that works. Cards printed before still work.")
           ).to_be_visible()
    page.get_by_role("button", name="Show learners of Math Studio A").click()
    expect(page.get_by_role("button", name="Stop card: Eli T.")).to_be_visible()
    problems += _audit(page, "/teacher/cards")
    screenshot(page, "cards-teacher")
    _sign_out(page)

    instance = _live_instance(tmp_path_factory)
    qr, code = _known_card(instance, "student2")
    _y4m_of_qr(qr, video)

    # Eli holds up his card: the page's decoder reads the camera and he lands on his binder
    _open_card_page(page)
    page.get_by_role("button", name="Show my card").click()
    expect(page).to_have_url(re.compile(r"/learner/?$"), timeout=30_000)
    expect(page.get_by_role("heading", name="My binder", level=1)).to_be_visible()
    session = json.loads(page.evaluate("() => localStorage.getItem('waypoint.session')"))
    assert session["user"]["display_name"] == "Eli T."
    eli_id = session["user"]["id"]
    screenshot(page, "cards-learner-binder")
    wait_for(lambda: page.evaluate(
        "() => Boolean(window.waypoint && window.waypoint.status().lastSyncedAt)"),
        "Eli's binder to be copied to the device")
    assert f"waypoint-{eli_id}" in _db_names(page)
    _sign_out(page, to="/card")
    # the next child on this device cannot open Eli's binder: his local copy is gone
    wait_for(lambda: f"waypoint-{eli_id}" not in _db_names(page),
             "Eli's local database deleted at sign-out")

    # the typed code, for a learner who can type a little (any case, with the dash)
    _open_card_page(page)
    page.get_by_role("button", name="Type my code").click()
    page.get_by_label("My code").fill(code.lower()[:4] + "-" + code.lower()[4:])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/learner/?$"))
    expect(page.get_by_role("heading", name="My binder", level=1)).to_be_visible()
    _sign_out(page, to="/card")

    # the teacher stops Eli's card: at once, the camera and the code are both refused
    status, body = teaching_api.call(
        live_app, "DELETE", f"/api/cards/learners/{eli_id}",
        teaching_api.token(live_app, "teacher"))
    assert status == 200 and body == {"invalidated": 1}, body
    _open_card_page(page)
    page.get_by_role("button", name="Show my card").click()
    error = page.get_by_role("alert")
    expect(error).to_have_text(re.compile("That card did not work"), timeout=30_000)
    expect(error).to_be_focused()
    expect(page).to_have_url(re.compile(r"/card/?$"))
    page.get_by_role("button", name="Type my code").click()
    field = page.get_by_label("My code")
    field.fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text(re.compile("That code did not work"))
    expect(field).to_have_attribute("aria-describedby", "card-error")
    expect(field).to_have_value(code)  # what was typed stays
    screenshot(page, "cards-refused")
    problems += _audit(page, "/card (refused)")
    assert not problems, "accessibility problems:\n" + "\n".join(problems)
    context.close()


def test_no_camera_says_so_in_plain_words_and_opens_the_code_field(browser, live_app):
    """A shared device whose camera is absent or refused: words, then the typed code."""
    context = browser.new_context(viewport=PHONE, base_url=live_app)  # no camera at all
    context.set_default_timeout(20_000)
    page = context.new_page()
    _sign_in_password(page, "teacher2")
    expect(page).to_have_url(re.compile(r"/teacher/?$"))
    page.goto("/teacher/cards")
    page.get_by_label("Name of this device").fill("Library Chromebook 7")
    page.get_by_role("button", name="Mark this device as shared").click()
    expect(page.get_by_role("status").filter(has_text="Library Chromebook 7")).to_be_visible()
    _sign_out(page)
    _open_card_page(page)
    page.get_by_role("button", name="Show my card").click()
    error = page.get_by_role("alert")
    expect(error).to_have_text(re.compile(
        "Waypoint could not find a camera|The camera is turned off for Waypoint"))
    expect(error).to_contain_text("Type your code instead")
    expect(error).to_be_focused()
    expect(page.get_by_label("My code")).to_be_visible()
    problems = _audit(page, "/card (no camera)")
    assert not problems, "accessibility problems:\n" + "\n".join(problems)
    context.close()
