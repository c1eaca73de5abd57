"""Issue 17 part 3 in a browser: a teacher earns an in-house microcredential end to end, on
phones (375×812, Debian Chromium).

Ms. Rivera ("teacher") chooses "Student-Centered Feedback" on My growth, writes evidence of
practice OFFLINE: the form refuses it without the reflection on transfer to practice (and so
does the server), keeps what she typed across an offline reload, and says "Saved on this
phone" until the server acknowledged it, then "Sent". The coach (an assessor) finds it in the
same review queue as a microcredential, with the reflection and the competency's rubric, and
approves it with a level OFFLINE on a phone; it is sent when back online. A second piece (a
photo of student work) comes back with the coach's feedback, which she reads on her page and
answers with more evidence. With every competency approved, the teacher's page shows the
badge, she downloads it, and POST /api/credentials/verify says it is authentic. The district
office then records the stipend and hours and edits a microcredential's terms.
"""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api
from tests.e2e.conftest import PHONE
from tests.e2e.test_accessibility import _audit

pytestmark = pytest.mark.browser

MICRO = "Student-Centered Feedback"
FIRST, SECOND = "EC.FB.1", "EC.FB.2"
CAPTION = "Exit tickets: feedback tied to the fractions target, with one next step"
REFLECTION = ("I now write one next step on every exit ticket; learners revise the next day "
              "and I re-teach from what they still miss.")
SENT = "Sent: waiting for an assessor"
SAVED = "Saved on this phone, not sent yet"
FEEDBACK = "Show what the learners revised, not only the plan."


def _server_evidence(base: str, username: str, owner: int) -> dict[str, dict]:
    """The evidence of `owner` the server hands `username`'s device: {id: data}."""
    return {key: row["data"] for (kind, key), row in api.pulled_rows(base, username).items()
            if kind == "evidence" and not row["deleted"]
            and str(row["data"].get("student_id")) == str(owner)}


def _competency(page, code: str):
    """A competency of a microcredential (its list item is named by its code and title)."""
    return page.get_by_role("listitem", name=re.compile(rf"^{re.escape(code)} "))


def test_a_teacher_earns_a_microcredential_offline_and_the_coach_approves_on_a_phone(
        browser, live_app, phone, sign_in, screenshot, tmp_path):
    rivera = api.user_id(live_app, "teacher")
    first, second = api.target_id(live_app, FIRST), api.target_id(live_app, SECOND)

    # the server refuses a submitted piece of her own with no reflection
    refused = api.push(live_app, "teacher", [{"name": "evidence.put", "args": {
        "id": "0190f0c0-0000-7000-8000-00000000e2e1", "student_id": rivera, "kind": "text",
        "caption": "No reflection", "text": "No reflection", "target_ids": [first],
        "submitted": True}}])[0]
    assert refused["status"] == "rejected", refused
    assert refused["code"] == "microcredential.reflection_required", refused

    # --- the teacher chooses a microcredential (online), then works offline --------------
    sign_in(phone, "teacher")
    expect(phone).to_have_url(re.compile(r"/teacher/?$"))
    phone.get_by_role("link", name="My growth").first.click()
    expect(phone).to_have_url(re.compile(r"/teacher/growth/?$"))
    expect(phone.get_by_role("heading", name="My growth", level=1)).to_be_visible()
    card = phone.get_by_role("article", name=MICRO)
    expect(card).to_be_visible(timeout=60_000)
    expect(card.get_by_text("What the district requires")).to_be_visible()
    expect(card.get_by_text(re.compile(r"\$150 stipend · 10 recertification hours"))
           ).to_be_visible()
    phone.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller",
                            timeout=60_000)
    api.wait_synced(phone)
    expect(_competency(card, FIRST).get_by_text("Not started")).to_be_visible()
    card.get_by_role("button", name=f"Work on this: {MICRO}").click()
    expect(card.get_by_text("0 of 2 competencies approved")).to_be_visible(timeout=15_000)
    screenshot(phone, "growth-working")

    phone.context.set_offline(True)
    # the district's activities for the competency: picked and started offline (own binder)
    activities = _competency(card, FIRST)
    activities.get_by_role("button", name=re.compile(r"^Pick: ")).first.click()
    expect(activities.get_by_text("Picked", exact=True)).to_be_visible()
    activities.get_by_role("button", name=re.compile(r"^Start: ")).click()
    expect(activities.get_by_text("In progress", exact=True)).to_be_visible()
    form = phone.get_by_role("form", name=f"Evidence for {FIRST}")
    expect(form).to_be_visible()
    form.get_by_label("What did you do?").fill(CAPTION)
    pending_before = phone.evaluate("() => window.waypoint.status().pending")
    # no reflection: refused on the form, said beside it, and nothing queued
    form.get_by_role("button", name=f"Send for review: {FIRST}").click()
    reflection = form.get_by_label("How did this change your teaching? (transfer to practice)")
    expect(form.get_by_text(re.compile(r"^Write how this changed your teaching first"))
           ).to_be_visible()
    expect(reflection).to_have_attribute("aria-invalid", "true")
    expect(reflection).to_be_focused()
    assert phone.evaluate("() => window.waypoint.status().pending") == pending_before

    # what was typed survives an offline reload
    reflection.fill(REFLECTION)
    phone.on("dialog", lambda dialog: dialog.accept())  # unsent work (the goal): it asks first
    phone.reload()
    form = phone.get_by_role("form", name=f"Evidence for {FIRST}")
    expect(form).to_be_visible(timeout=30_000)
    expect(form.get_by_label("What did you do?")).to_have_value(CAPTION)
    reflection = form.get_by_label("How did this change your teaching? (transfer to practice)")
    expect(reflection).to_have_value(REFLECTION)

    form.get_by_role("button", name=f"Send for review: {FIRST}").click()
    comp = _competency(phone.get_by_role("article", name=MICRO), FIRST)
    expect(comp.get_by_text(SAVED)).to_be_visible(timeout=15_000)
    expect(comp.get_by_text(SENT)).to_have_count(0)
    screenshot(phone, "growth-saved-offline")
    assert not any(d.get("caption") == CAPTION
                   for d in _server_evidence(live_app, "teacher", rivera).values())

    # back online: "Sent" only once the server has it
    phone.context.set_offline(False)
    phone.evaluate("() => window.waypoint.flush()")
    expect(comp.get_by_text(SENT)).to_be_visible(timeout=30_000)
    held = [d for d in _server_evidence(live_app, "teacher", rivera).values()
            if d.get("caption") == CAPTION]
    assert held and held[0]["reflection"] == REFLECTION and held[0]["submitted"], held
    assert held[0]["target_ids"] == [first]
    picks = [row["data"] for (kind, _key), row in api.pulled_rows(live_app, "teacher").items()
             if kind == "pick" and row["data"].get("student_id") == rivera]
    assert [p["status"] for p in picks] == ["in_progress"], picks

    # the second competency with a photo of student work (the evidence upload path)
    form = phone.get_by_role("form", name=f"Evidence for {SECOND}")
    form.get_by_label("What did you do?").fill("Revision day")
    form.get_by_label("Photo or file (optional)").set_input_files(
        files=[{"name": "revision.jpg", "mimeType": "image/jpeg", "buffer": api.photo_bytes()}])
    form.get_by_label("How did this change your teaching? (transfer to practice)").fill(
        "Revision is now part of every unit.")
    form.get_by_role("button", name=f"Send for review: {SECOND}").click()
    expect(_competency(phone.get_by_role("article", name=MICRO), SECOND).get_by_text(SENT)
           ).to_be_visible(timeout=30_000)
    photo = api.wait_for(lambda: next(
        (key for key, d in _server_evidence(live_app, "teacher", rivera).items()
         if d.get("caption") == "Revision day"), None), "the photo evidence on the server")
    held = _server_evidence(live_app, "teacher", rivera)[photo]
    assert held["kind"] == "photo" and held["blob_sha256"] and held["submitted"], held
    assert held["reflection"] == "Revision is now part of every unit.", held

    # her own pieces wait for another assessor: never in her own review queue
    phone.goto("/teacher/review")
    expect(phone.get_by_role("heading", name="Review queue", level=1)).to_be_visible()
    expect(phone.get_by_text("Reading the queue on this phone…")).to_have_count(0,
                                                                            timeout=30_000)
    expect(phone.get_by_role("article", name=re.compile(r"^Ms\. Rivera: "))).to_have_count(0)
    phone.goto("/teacher/growth")

    # --- the coach approves on a phone, offline ------------------------------------------
    context = browser.new_context(viewport=PHONE, base_url=live_app)
    context.set_default_timeout(15_000)
    try:
        coach = context.new_page()
        sign_in(coach, "coach")
        expect(coach).to_have_url(re.compile(r"/teacher/?$"))
        coach.goto("/teacher/review")
        coach.get_by_role("button", name="Newest first").click()
        piece = coach.get_by_role("article", name=f"Ms. Rivera: {CAPTION}")
        expect(piece).to_be_visible(timeout=60_000)
        expect(piece.get_by_text(f"Microcredential: {MICRO}")).to_be_visible()
        expect(piece.get_by_text(REFLECTION)).to_be_visible()
        expect(piece.get_by_text("Feedback names the target, what the learner did and one "
                                 "next step.")).to_be_visible()
        # the assessor sees the photo of student work (the staff member's file)
        expect(coach.get_by_role("article", name="Ms. Rivera: Revision day").get_by_role(
            "img", name="Photo: Revision day")).to_be_visible(timeout=30_000)
        coach.wait_for_function(
            "() => navigator.serviceWorker && navigator.serviceWorker.controller",
            timeout=60_000)
        api.wait_synced(coach)
        screenshot(coach, "review-microcredential")
        problems = _audit(coach, "/teacher/review (a microcredential piece)")
        assert not problems, "\n".join(problems)

        coach.context.set_offline(True)
        piece.get_by_label(f"Level for {FIRST}").select_option("3.0")
        piece.get_by_role("button", name=f"Approve Ms. Rivera: {CAPTION}").click()
        expect(piece.get_by_text("Saved on this phone")).to_be_visible()
        expect(piece.get_by_text("Sent", exact=True)).to_have_count(0)
        coach.context.set_offline(False)
        coach.evaluate("() => window.waypoint.flush()")
        expect(piece.get_by_text("Sent", exact=True)).to_be_visible(timeout=30_000)
        # the second piece: returned with feedback by the coach from another device
        answer = api.push(live_app, "coach", [{"name": "evidence.review", "args": {
            "evidence_id": photo, "decision": "returned", "comment": FEEDBACK}}])[0]
        assert answer["status"] == "applied", answer
    finally:
        context.close()

    # --- the teacher reads the feedback and sends more evidence for that competency --------
    phone.evaluate("() => window.waypoint.flush()")
    card = phone.get_by_role("article", name=MICRO)
    returned = _competency(card, SECOND)
    expect(returned.get_by_text("Returned by the assessor")).to_be_visible(timeout=30_000)
    expect(returned.get_by_text(FEEDBACK)).to_be_visible()
    form = phone.get_by_role("form", name=f"Evidence for {SECOND}")
    form.get_by_label("What did you do?").fill("Revision day 2: learners' notes on what changed")
    form.get_by_label("How did this change your teaching? (transfer to practice)").fill(
        "I plan the revision lesson before the unit starts now.")
    form.get_by_role("button", name=f"Send for review: {SECOND}").click()
    expect(returned.get_by_text(SENT)).to_be_visible(timeout=30_000)
    again = api.wait_for(lambda: next(
        (key for key, d in _server_evidence(live_app, "teacher", rivera).items()
         if d.get("caption", "").startswith("Revision day 2")), None), "the second try")
    answer = api.push(live_app, "coach", [{"name": "evidence.review", "args": {
        "evidence_id": again, "decision": "approved", "level": 3.0, "target_id": second}}])[0]
    assert answer["status"] == "applied", answer

    # --- the teacher sees the badge, downloads it, and it checks out ---------------------
    phone.evaluate("() => window.waypoint.flush()")
    api.wait_synced(phone)
    phone.reload()
    card = phone.get_by_role("article", name=MICRO)
    expect(_competency(card, FIRST).get_by_text("Approved at level 3.0")).to_be_visible(
        timeout=30_000)
    expect(card.get_by_text(f"Awarded: {MICRO}")).to_be_visible(timeout=30_000)
    screenshot(phone, "growth-awarded")
    problems = _audit(phone, "/teacher/growth (awarded)")
    assert not problems, "\n".join(problems)
    with phone.expect_download() as info:
        card.get_by_role("button", name=f"Download the badge: {MICRO}").click()
    path = tmp_path / "badge.json"
    info.value.save_as(path)
    envelope = json.loads(path.read_text())
    status, verdict = api.call(live_app, "POST", "/api/credentials/verify",
                               body={"credential": envelope})
    assert status == 200, verdict
    assert verdict["verdict"] == "authentic", verdict
    expect(card.get_by_role("link", name="Check a credential")).to_be_visible()

    # --- the district office records the stipend and hours, and edits a microcredential --
    context = browser.new_context(viewport=PHONE, base_url=live_app)
    context.set_default_timeout(15_000)
    try:
        admin = context.new_page()
        sign_in(admin, "admin")
        expect(admin).to_have_url(re.compile(r"/admin/?$"))
        admin.get_by_role("link", name="Growth").first.click()
        expect(admin).to_have_url(re.compile(r"/admin/growth/?$"))
        row = admin.get_by_role("listitem", name=f"Ms. Rivera: {MICRO}")
        expect(row).to_be_visible(timeout=30_000)
        expect(row.get_by_text("Awarded", exact=True)).to_be_visible()
        expect(row.get_by_text("Nothing recorded yet")).to_be_visible()
        row.get_by_label("Stipend paid ($)").fill("150 dollars")
        row.get_by_role("button", name=f"Record the stipend and hours for Ms. Rivera: {MICRO}"
                        ).click()
        expect(row.get_by_text("Write the stipend in dollars, e.g. 250 or 250.50.")
               ).to_be_visible()
        row.get_by_label("Stipend paid ($)").fill("150")
        row.get_by_label("Recertification hours").fill("10")
        row.get_by_label("Note").fill("Paid with the March payroll")
        row.get_by_role("button", name=f"Record the stipend and hours for Ms. Rivera: {MICRO}"
                        ).click()
        expect(row.get_by_text(re.compile(r"^Recorded .*: \$150 stipend · 10 recertification "
                                          r"hours$"))).to_be_visible(timeout=15_000)
        screenshot(admin, "admin-growth")
        problems = _audit(admin, "/admin/growth")
        assert not problems, "\n".join(problems)
        status, talent = api.call(live_app, "GET", "/api/admin/growth?limit=50",
                                  api.token(live_app, "admin"))
        assert status == 200, talent
        mine = next(i for i in talent["items"] if i["educator_id"] == rivera
                    and i["topic_name"] == MICRO)
        assert mine["award"]["stipend_cents"] == 15000, mine
        assert mine["award"]["note"] == "Paid with the March payroll", mine

        terms = admin.get_by_role("form", name="Learner Goal Conferencing")
        terms.get_by_label("What the district requires").fill(
            "Hold goal conferences with at least four learners.")
        terms.get_by_label("Stipend ($)").fill("120")
        terms.get_by_role("button", name="Save Learner Goal Conferencing").click()
        expect(terms.get_by_text("Saved. Teachers see it after their next sync.")).to_be_visible()
        _, catalog = api.call(live_app, "GET", "/api/admin/microcredentials",
                              api.token(live_app, "admin"))
        edited = next(i for i in catalog["items"] if i["name"] == "Learner Goal Conferencing")
        assert edited["stipend_cents"] == 12000 and "four learners" in edited["requirements"]
    finally:
        context.close()


def test_the_district_adds_a_microcredential_that_teachers_see_and_learners_do_not(
        live_app, phone, sign_in, browser, screenshot):
    """The admin's curriculum page makes an area for educators, a topic in it (a
    microcredential) and a competency with its rubric; a teacher's My growth lists it, a
    learner's curriculum never does."""
    sign_in(phone, "admin")
    expect(phone).to_have_url(re.compile(r"/admin/?$"))
    phone.goto("/admin/curriculum")
    area = phone.get_by_role("form", name="Add a content area")
    area.get_by_label("Name").fill("Coaching Microcredentials")
    area.get_by_label("Kind").select_option(label="Educator microcredentials")
    area.get_by_role("button", name="Add content area").click()
    expect(phone.get_by_role("heading", name="Coaching Microcredentials")).to_be_visible(
        timeout=15_000)
    topic = phone.get_by_role("form", name="Add a measurement topic")
    topic.get_by_label("Content area").select_option(label="Coaching Microcredentials")
    topic.get_by_label("Name").fill("Peer Observation Cycles")
    topic.get_by_role("button", name="Add topic").click()
    expect(phone.get_by_role("heading", name="Peer Observation Cycles")).to_be_visible(
        timeout=15_000)
    phone.get_by_label("Measurement topic", exact=True).select_option(
        label="Coaching Microcredentials: Peer Observation Cycles")
    phone.get_by_label("Code").fill("EC.PO.1")
    phone.get_by_label("Title").fill("Observes a peer with a shared focus")
    phone.get_by_label("Rubric: what 3 looks like").fill("Agrees a focus and gives evidence.")
    phone.get_by_role("button", name="Add learning target").click()
    expect(phone.get_by_text("EC.PO.1 · Observes a peer with a shared focus")).to_be_visible()
    screenshot(phone, "admin-curriculum-educators")

    _, areas = api.call(live_app, "GET", "/api/curriculum/areas", api.token(live_app, "student"))
    assert "Coaching Microcredentials" not in {a["name"] for a in areas}

    context = browser.new_context(viewport=PHONE, base_url=live_app)
    context.set_default_timeout(15_000)
    try:
        teacher = context.new_page()
        sign_in(teacher, "teacher2")
        expect(teacher).to_have_url(re.compile(r"/teacher/?$"))
        teacher.goto("/teacher/growth")
        card = teacher.get_by_role("article", name="Peer Observation Cycles")
        expect(card).to_be_visible(timeout=60_000)
        expect(card.get_by_text("Observes a peer with a shared focus")).to_be_visible()
        expect(card.get_by_role("button", name="Work on this: Peer Observation Cycles")
               ).to_be_visible()
    finally:
        context.close()
