"""A learner's own evidence at 375×812 (issue 15 item 6): thumbnails of their photos, made on
the device and shown offline after a reload; an upload the server refused can be tried again,
replaced with another photo, or removed (each reaching the server, or not, as it says); a
target's history shows the day of each score; the target opens with the plain sentence.

The refusal is the server's answer to the file's bytes (415), played by intercepting the blob
upload: nothing else of the app is stubbed, and the server's own rows are read back."""

import re
import time
import uuid

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.test_learner_offline import _go, _login, _ready_for_offline, _server_rows

pytestmark = pytest.mark.browser

REFUSAL = "This kind of file is not accepted. Choose a JPEG, PNG or WebP picture."
ONE_DATE = r"[A-Z][a-z]{2} \d{1,2}, \d{4}"  # English "date" (formatDate): Nov 8, 2026


def _photo(path, colour) -> str:
    """A small photo of its own colour (each photo a different file, a different sha256)."""
    image = Image.new("RGB", (900, 600), colour)
    for x in range(0, 900, 90):
        image.paste((255 - colour[0], 40, 90), (x, 0, x + 30, 600))
    image.save(path, "JPEG", quality=90)
    return str(path)


def _add(page, photo: str, caption: str):
    add = page.get_by_role("form", name="Add evidence")
    add.get_by_label("Photo").set_input_files(photo)
    add.get_by_label("Caption").fill(caption)
    add.get_by_role("button", name="Submit for review").click()
    expect(add.get_by_role("status")).to_have_text(re.compile("Evidence saved"), timeout=20_000)
    return page.get_by_role("listitem").filter(has_text=caption)


def _thumb_is_drawn(card, caption: str, side: int = 160) -> None:
    img = card.get_by_role("img", name=f"Your photo: {caption}")
    expect(img).to_be_visible(timeout=25_000)
    # a decoded picture, not a broken image with an alt text
    assert img.evaluate(f"(el) => el.complete && el.naturalWidth > 0 && el.naturalWidth <= {side}")


def _captions_on_server(base: str) -> set[str]:
    token = _login(base, "student")["access_token"]
    return {r["data"].get("caption") for r in _server_rows(base, token)
            if r["type"] == "evidence" and not r.get("deleted")}


def _wait(check, what: str, timeout: float = 25.0):
    deadline = time.monotonic() + timeout
    while not (result := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s: {what}")
        time.sleep(0.5)
    return result


def test_own_photos_show_as_thumbnails_offline_after_a_reload(phone, sign_in, tmp_path,
                                                              screenshot):
    run = uuid.uuid4().hex[:6]
    caption = f"My number line, offline {run}"
    sign_in(phone, "student")
    _ready_for_offline(phone)
    phone.context.set_offline(True)
    _go(phone, "Evidence", "My evidence")
    card = _add(phone, _photo(tmp_path / "a.jpg", (200, 120, 40)), caption)
    _thumb_is_drawn(card, caption)
    # newest first: the piece just added, not yet on the server, heads the list (F25)
    expect(phone.get_by_role("listitem").filter(has_text=re.compile(r"Waiting to upload|Uploading"))
           .first).to_contain_text(caption)
    first = phone.locator("li", has=phone.get_by_role("img", name=f"Your photo: {caption}"))
    assert first.evaluate("(li) => !li.previousElementSibling"), "the new piece is not first"

    phone.reload()  # still offline: the page from the service worker, the thumbnail from IndexedDB
    expect(phone.get_by_role("heading", name="My evidence", level=1)).to_be_visible()
    card = phone.get_by_role("listitem").filter(has_text=caption)
    _thumb_is_drawn(card, caption)
    expect(card).to_contain_text("Waiting to upload")
    screenshot(phone, "learner-evidence-thumbnail-offline")


def test_a_refused_upload_can_be_tried_again_replaced_or_removed(phone, sign_in, tmp_path,
                                                                 live_app, screenshot):
    run = uuid.uuid4().hex[:6]
    again, other, gone = (f"Try again {run}", f"Replace {run}", f"Remove {run}")

    def refuse(route):
        if route.request.method == "HEAD":
            route.fulfill(status=404)
        else:
            route.fulfill(status=415, json={"code": "unsupported_media_type", "status": 415,
                                            "message": REFUSAL, "errors": {}})

    sign_in(phone, "student")
    _ready_for_offline(phone)
    phone.route(re.compile(r".*/api/blobs/[0-9a-f]{64}$"), refuse)
    _go(phone, "Evidence", "My evidence")
    cards = {caption: _add(phone, _photo(tmp_path / f"{i}.jpg", (40 * i, 160, 200)), caption)
             for i, caption in enumerate((again, other, gone), start=1)}
    for caption, card in cards.items():
        expect(card).to_contain_text(f"Upload refused: {REFUSAL}", timeout=25_000)
        expect(card.get_by_role("form", name=f"Fix the upload of: {caption}")).to_be_visible()
    # the bar says it once, in the reader's words, never the server's English reason (F26)
    banner = phone.get_by_role("alert").filter(has_text="did not accept")
    expect(banner).to_have_text(re.compile(r"^The school did not accept a piece of evidence\. "
                                           r"Nothing else was lost\."), timeout=25_000)
    expect(banner).not_to_contain_text("account")
    # the reason wraps inside its card at 375 px (F27)
    card_box = cards[gone].bounding_box()
    reason_box = cards[gone].get_by_text(re.compile("^Upload refused")).bounding_box()
    assert reason_box["x"] + reason_box["width"] <= card_box["x"] + card_box["width"] + 1
    screenshot(phone, "learner-evidence-refused")
    phone.unroute(re.compile(r".*/api/blobs/[0-9a-f]{64}$"))

    # try again: the same photo goes, and the piece reaches the server
    fix = phone.get_by_role("form", name=f"Fix the upload of: {again}")
    fix.get_by_role("button", name=f"Try again to send the photo: {again}").click()
    expect(cards[again]).not_to_contain_text("Upload refused", timeout=25_000)
    _wait(lambda: again in _captions_on_server(live_app), f"{again!r} on the server")

    # replace: another photo, same caption and targets; its own thumbnail
    fix = phone.get_by_role("form", name=f"Fix the upload of: {other}")
    fix.get_by_label("Another photo").set_input_files(_photo(tmp_path / "new.jpg", (10, 200, 90)))
    fix.get_by_role("button", name="Use this photo instead").click()
    expect(cards[other]).not_to_contain_text("Upload refused", timeout=25_000)
    _thumb_is_drawn(cards[other], other)
    _wait(lambda: other in _captions_on_server(live_app), f"{other!r} on the server")

    # remove: gone from the list, after a reload too, and never on the server
    fix = phone.get_by_role("form", name=f"Fix the upload of: {gone}")
    expect(banner).to_be_visible()  # this piece's refusal still stands
    fix.get_by_role("button", name=f"Remove this evidence: {gone}").click()
    expect(cards[gone]).to_have_count(0)
    # its refusal answered: the bar's rejection goes at once, not at the next sync (F26)
    expect(banner).to_have_count(0, timeout=3_000)
    expect(phone.get_by_role("status", name="Sync status")).to_contain_text(
        "All changes sent", timeout=25_000)
    phone.reload()
    expect(phone.get_by_role("listitem").filter(has_text=other)).to_be_visible()
    expect(phone.get_by_role("listitem").filter(has_text=gone)).to_have_count(0)
    assert gone not in _captions_on_server(live_app)
    screenshot(phone, "learner-evidence-fixed")


def test_photos_taken_on_another_device_show_the_servers_thumbnail_offline_too(
        phone, sign_in, tmp_path, live_app, browser, screenshot):
    run = uuid.uuid4().hex[:6]
    caption = f"From my other tablet {run}"
    sign_in(phone, "student")
    _ready_for_offline(phone)
    _go(phone, "Evidence", "My evidence")
    _add(phone, _photo(tmp_path / "t.jpg", (30, 90, 220)), caption)
    _wait(lambda: caption in _captions_on_server(live_app), f"{caption!r} on the server")
    expect(phone.get_by_role("listitem").filter(has_text=caption)).to_contain_text(
        "Waiting for review", timeout=25_000)  # the photo is whole on the server

    # another device: it never saw the photo; the server's thumbnail is fetched and kept (F28)
    other = browser.new_context(viewport={"width": 375, "height": 812}, base_url=live_app)
    try:
        tablet = other.new_page()
        sign_in(tablet, "student")
        _ready_for_offline(tablet)
        _go(tablet, "Evidence", "My evidence")
        _thumb_is_drawn(tablet.get_by_role("listitem").filter(has_text=caption), caption, 320)
        other.set_offline(True)
        tablet.reload()  # offline: the thumbnail from the device's store
        expect(tablet.get_by_role("heading", name="My evidence", level=1)).to_be_visible()
        _thumb_is_drawn(tablet.get_by_role("listitem").filter(has_text=caption), caption, 320)
        screenshot(tablet, "learner-evidence-thumbnail-other-device")
    finally:
        other.close()


def test_history_shows_days_and_the_target_opens_with_a_plain_sentence(phone, sign_in,
                                                                       screenshot):
    sign_in(phone, "student")
    _ready_for_offline(phone)
    phone.context.set_offline(True)
    phone.get_by_role("link", name=re.compile("Identify equivalent fractions using models")).click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("M5.F.1")
    history = phone.get_by_role("heading", name="History").locator("xpath=..")
    lines = history.get_by_role("listitem")
    expect(lines.first).to_be_visible()
    for text in lines.all_inner_texts():
        assert re.search(rf"· {ONE_DATE}$", text.strip().splitlines()[0]), text
    expect(phone.get_by_text(re.compile(
        r"^(The most recent work|There is only one score|The best work|Every score|"
        r"The learning curve|The trend|The level is|Not yet a level|All \d+ scores)"))
    ).to_be_visible()
    screenshot(phone, "learner-target-history-dates")
