"""The teacher's review queue on a school year's data at 375×812 (issue 14): one read model
(the device's store) online, offline and after an offline reload; "Saved on this phone"
until the server has the decision, then "Sent"; the card locks on the first decision and
can be undone while unsent; errors beside their card; filters; Approve selected; the tab
asks before closing with unsent work. The page never says "Synced" or shows a ws:// address.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api
from tests.e2e.test_accessibility import _audit

pytestmark = pytest.mark.browser

TEACHER = "year-teacher1"
SENT = re.compile(r"^\s*Sent\s*$")


def _sign_in(page, username: str = TEACHER) -> None:
    page.goto("/login")
    page.wait_for_load_state("networkidle")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("waypoint")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/teacher/?$"), timeout=30_000)


def _sent_at(data: dict) -> int:
    """When the learner last wrote the piece (sentAt in assets/ui/queue_views.js)."""
    stamps = [data.get("_put_hlc"), *(data.get("_hlc") or {}).values()]
    return max([0] + [int(str(s).split("-")[0]) for s in stamps if s])


def _queue(base: str) -> list[dict]:
    """The pieces waiting for the teacher, each with the name its card has ("Learner:
    caption"), every learner's oldest first (what the learner filter shows on top)."""
    rows = api.pulled_rows(base, TEACHER)
    names = {key: row["data"]["display_name"] for (kind, key), row in rows.items()
             if kind == "learner"}
    waiting = api.waiting_for_review(base, TEACHER)
    out = [{"id": key, **data, "card": f"{names[str(data['student_id'])]}: {data['caption']}"}
           for key, data in waiting.items() if data.get("target_ids")]
    counts: dict[str, int] = {}
    for item in out:
        counts[item["card"]] = counts.get(item["card"], 0) + 1
    out = sorted((item for item in out if counts[item["card"]] == 1),
                 key=lambda item: (_sent_at(item), item["id"]))
    firsts, seen = [], set()
    for item in out:  # each learner's oldest, then the rest
        if item["student_id"] not in seen:
            seen.add(item["student_id"])
            firsts.append(item)
    return firsts + [item for item in out if item not in firsts]


def _rival(base: str, item: dict) -> str:
    """Another teacher of this piece's learner (who may review it too)."""
    for n in range(2, 10):
        username = f"year-teacher{n}"
        if api.call(base, "POST", "/api/auth/login",
                    body={"username": username, "password": "waypoint"})[0] != 200:
            continue
        if item["id"] in api.waiting_for_review(base, username):
            return username
    pytest.fail("no second teacher of this learner in the year data")


def _events(base: str, item: dict) -> list[dict]:
    _, detail = api.call(
        base, "GET", f"/api/learners/{item['student_id']}/targets/{item['target_ids'][0]}",
        api.token(base, TEACHER))
    return [e for e in detail.get("events", []) if e.get("evidence_id") == item["id"]]


def _card(page, item: dict):
    return page.get_by_role("article", name=item["card"], exact=True)


def _honest(page) -> None:
    body = page.inner_text("body")
    assert "ws://" not in body and "Synced" not in body, body[:500]


def _claim_pending_for_a_closed_tab(page) -> int:
    """Stamp this device's pending outbox entries as claimed just now by a tab that is gone."""
    return page.evaluate(
        """async () => {
          let stamped = 0;
          for (const { name } of await indexedDB.databases()) {
            if (!name.startsWith("waypoint-")) continue;
            const db = await new Promise((ok, fail) => {
              const open = indexedDB.open(name);
              open.onsuccess = () => ok(open.result);
              open.onerror = () => fail(open.error);
            });
            if (db.objectStoreNames.contains("outbox")) {
              await new Promise((ok, fail) => {
                const tx = db.transaction("outbox", "readwrite");
                const outbox = tx.objectStore("outbox");
                outbox.getAll().onsuccess = (event) => {
                  for (const entry of event.target.result) {
                    if (entry.status !== "pending") continue;
                    outbox.put({ ...entry, sending: Date.now(), sender: "a-closed-tab" });
                    stamped += 1;
                  }
                };
                tx.oncomplete = ok;
                tx.onerror = () => fail(tx.error);
              });
            }
            db.close();
          }
          return stamped;
        }"""
    )


def _filter_to(page, item: dict, timeout: float = 15_000) -> None:
    """Show only this learner's pieces (the filter a teacher uses to find a card)."""
    learner = item["card"].split(": ")[0]
    page.get_by_label("Learner", exact=True).select_option(label=learner, timeout=timeout)


def test_a_teacher_works_through_the_queue_online_offline_and_after_an_offline_reload(
        live_year_app, year_phone, screenshot):
    page = year_phone
    queue = _queue(live_year_app)
    assert len(queue) >= 6, len(queue)
    _sign_in(page)
    page.goto("/teacher/review")
    expect(page.get_by_role("heading", name="Review queue", level=1)).to_be_visible()
    api.wait_synced(page, timeout_ms=120_000)
    first = queue[0]
    _filter_to(page, first)
    card = _card(page, first)
    expect(card).to_be_visible(timeout=30_000)
    # the learner filter shows only that learner's cards
    learner = first["card"].split(": ")[0]
    names = page.get_by_role("article").evaluate_all("els => els.map(e => e.ariaLabel)")
    assert names and all(name.startswith(f"{learner}: ") for name in names), names
    screenshot(page, "teacher-day-queue")
    problems = _audit(page, "/teacher/review (year)")
    assert not problems, "accessibility problems:\n" + "\n".join(problems)
    box = card.bounding_box()
    assert box and box["height"] <= 170, box  # compact: many cards per screen

    # online: Approve at a level → locked at once, "Sent" only once the server has it
    card.get_by_label(re.compile("^Level for")).select_option("3.0")
    card.get_by_role("button", name=f"Approve {first['card']}").click()
    expect(card.get_by_role("button", name=f"Return {first['card']}")).to_have_count(0)
    expect(card.get_by_text(SENT)).to_be_visible(timeout=10_000)
    events = _events(live_year_app, first)
    assert events and events[0]["score"] == 3.0, events
    _honest(page)

    # Return without a comment: the error sits under this card's comment box, focused
    second = queue[1]
    _filter_to(page, second)
    card2 = _card(page, second)
    card2.get_by_role("button", name=f"Return {second['card']}").click()
    error = card2.get_by_role("alert")
    expect(error).to_have_text("Write a comment so the learner knows what to change.")
    comment = card2.get_by_label("Comment for the learner")
    expect(comment).to_be_focused()
    described = comment.get_attribute("aria-describedby")
    assert described and page.locator(f"#{described}").inner_text().startswith("Write a comment")
    comment.fill("Add a photo of your working, please.")
    card2.get_by_role("button", name=f"Return {second['card']}").click()
    expect(card2.get_by_text("Returned to the learner")).to_be_visible()
    expect(card2.get_by_text(SENT)).to_be_visible(timeout=10_000)

    # offline: Saved on this phone, Undo takes it back, nothing is sent
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller",
                           timeout=60_000)
    third = queue[2]
    _filter_to(page, third)
    card3 = _card(page, third)
    page.context.set_offline(True)
    card3.get_by_role("button", name=f"Approve {third['card']}").click()
    expect(card3.get_by_text("Saved on this phone")).to_be_visible()
    card3.get_by_role("button", name=re.compile("^Undo")).click()
    expect(card3.get_by_text("Decision undone. Nothing was sent.")).to_be_visible()
    expect(card3.get_by_role("button", name=f"Approve {third['card']}")).to_be_enabled()

    # unsent work: closing the tab asks first; after an offline reload it is still there
    card3.get_by_label(re.compile("^Level for")).select_option("2.5")
    card3.get_by_role("button", name=f"Approve {third['card']}").click()
    expect(card3.get_by_text("Saved on this phone")).to_be_visible()
    dialogs = []

    def _answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", _answer)
    with page.expect_event("dialog", timeout=10_000):
        page.close(run_before_unload=True)
    for _ in range(50):  # the handler answers it (events arrive while Playwright waits)
        if dialogs:
            break
        page.wait_for_timeout(100)
    assert dialogs == ["beforeunload"]
    assert not page.is_closed()
    page.remove_listener("dialog", _answer)
    # the teacher leaves anyway and opens the queue again, still offline: a new page load
    # from the service worker and the device's store. (A reload of this page after the
    # answered prompt hung in Chromium before it committed, in suite runs only: the
    # second prompt was never delivered to the handler.)
    url = page.url
    fresh = page.context.new_page()
    page.close()  # without asking again: the teacher already chose to leave
    page = fresh
    page.goto(url, wait_until="commit", timeout=30_000)
    page.wait_for_selector("html[data-hydrated]", timeout=30_000)  # the controls are live
    _filter_to(page, third)
    card3 = _card(page, third)
    expect(card3.get_by_text("Saved on this phone")).to_be_visible(timeout=30_000)
    assert not _events(live_year_app, third)
    screenshot(page, "teacher-day-offline-reload")
    _honest(page)

    # the closed tab may have died between claiming the write for a push (its flush on
    # visibilitychange) and releasing it: such a claim names a tab whose Web Lock is gone, so
    # the write goes up as soon as the network is back, not after the claim's minute (CLAIM_MS)
    assert _claim_pending_for_a_closed_tab(page) >= 1
    page.context.set_offline(False)
    expect(card3.get_by_text(SENT)).to_be_visible(timeout=30_000)
    assert _events(live_year_app, third)


def test_approve_selected_and_a_refusal_shown_on_its_card(live_year_app, year_phone):
    page = year_phone
    queue = _queue(live_year_app)
    _sign_in(page)
    page.goto("/teacher/review")
    api.wait_synced(page, timeout_ms=120_000)
    # a learner's two oldest pieces, ticked and approved at 2.0 together
    by_learner: dict[str, list[dict]] = {}
    for item in sorted(queue, key=lambda item: (_sent_at(item), item["id"])):
        by_learner.setdefault(item["student_id"], []).append(item)
    pair = next(items[:2] for items in list(by_learner.values())[3:] if len(items) >= 2)
    # a tick belongs to its piece: another learner's list starts with nothing ticked, so
    # Approve selected never takes pieces the teacher did not tick (QA F38)
    other = next(items[0] for items in list(by_learner.values())[3:]
                 if items[0]["student_id"] != pair[0]["student_id"])
    _filter_to(page, other)
    _card(page, other).get_by_role("checkbox").check()
    _filter_to(page, pair[0])
    expect(_card(page, pair[0])).to_be_visible()
    expect(page.locator('input[name="queue-pick"]:checked')).to_have_count(0)
    for item in pair:
        _card(page, item).get_by_role("checkbox").check()
    page.get_by_label("Level for the selected pieces").select_option("2.0")
    page.get_by_role("button", name="Approve selected").click()
    expect(page.get_by_text("2 approvals saved on this phone.")).to_be_visible()
    for item in pair:
        expect(_card(page, item).get_by_text(SENT)).to_be_visible(timeout=10_000)
        assert [e["score"] for e in _events(live_year_app, item)] == [2.0]

    # another reviewer got there first: the server refuses, and the card says why
    taken = next(items[0] for items in list(by_learner.values())[3:] if items[0] not in pair)
    rival = _rival(live_year_app, taken)
    page.context.set_offline(True)  # this phone will not hear of the other review
    answer = api.push(live_year_app, rival, [{"name": "evidence.review", "args": {
        "evidence_id": taken["id"], "decision": "approved"}}])
    assert answer[0]["status"] == "applied", answer
    _filter_to(page, taken)
    card = _card(page, taken)
    card.get_by_role("button", name=f"Approve {taken['card']}").click()
    expect(card.get_by_text("Saved on this phone")).to_be_visible()
    page.context.set_offline(False)
    page.evaluate("() => window.waypoint.flush()")
    refusal = card.get_by_role("alert")
    expect(refusal).to_contain_text("Not accepted", timeout=30_000)
    expect(refusal).to_contain_text("Already reviewed by")  # review.taken, said on the device
    card.get_by_role("button", name="Drop this decision").click()
    expect(card.get_by_text("Not accepted")).to_have_count(0)
    _honest(page)


def test_an_approval_during_the_first_sync_is_acknowledged_within_two_seconds(
        live_year_app, year_phone):
    page = year_phone
    queue = _queue(live_year_app)
    _sign_in(page)
    page.goto("/teacher/review")
    item = queue[min(5, len(queue) - 1)]
    _filter_to(page, item, timeout=120_000)
    card = _card(page, item)
    expect(card).to_be_visible(timeout=60_000)
    card.get_by_label(re.compile("^Level for")).select_option("1.5")
    progress = page.evaluate("() => window.waypoint.status().progress")
    card.get_by_role("button", name=f"Approve {item['card']}").click()
    tapped = time.monotonic()
    expect(card.get_by_text(SENT)).to_be_visible(timeout=10_000)
    took = time.monotonic() - tapped
    assert [e["score"] for e in _events(live_year_app, item)] == [1.5]
    print(f"tap → Sent: {took:.2f}s (first sync then: {progress})")
    assert took <= 2.0, (took, progress)
