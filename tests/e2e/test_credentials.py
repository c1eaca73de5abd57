"""Issue 17 in a browser: a learner's topic is met, the family downloads the credential
from the family page, and the public /verify page (on a phone, through axe) says it is
authentic; with one byte changed it says altered; after an admin revokes it, revoked."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api
from tests.e2e.conftest import PHONE
from tests.e2e.test_accessibility import AXE, _audit

pytestmark = pytest.mark.browser

AUTHENTIC = "Authentic: issued by Riverbend Community School, unaltered and not revoked."
ALTERED = re.compile(r"^Not authentic: this credential was changed after it was signed")
REVOKED = "Revoked: Riverbend Community School withdrew this credential."
TOPIC = "Ecosystems"


def _meet_topic(base: str, learner: int) -> int:
    """The teacher rates every target of TOPIC at 4 and the admin counts the most recent
    level for that topic: the school's own credit rule is then met (no shortcut)."""
    admin = api.token(base, "admin")
    _, areas = api.call(base, "GET", "/api/curriculum/areas", admin)
    topic = next(t for a in areas for t in a["topics"] if t["name"] == TOPIC)
    results = api.push(base, "teacher", [{"name": "rating.put", "args": {
        "student_id": learner, "target_id": target["id"], "level": 4.0, "base_version": 0}}
        for target in topic["targets"]])
    assert {r["status"] for r in results} == {"applied"}, results
    status, body = api.call(base, "PUT", f"/api/mastery/topics/{topic['id']}/settings", admin,
                            {"override": {"calculation_method": "most_recent",
                                          "method_params": {}}})
    assert status == 200, body
    return topic["id"]


def _check(page, text: str, expected) -> None:
    page.get_by_label("The credential").fill(text)
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#verdict-headline")).to_have_text(expected)


def _one_byte_changed(envelope: dict) -> str:
    token = envelope["id"].removeprefix("data:application/vc+jwt,")
    header, payload, signature = token.split(".")
    i = len(payload) // 2
    payload = payload[:i] + ("B" if payload[i] != "B" else "C") + payload[i + 1:]
    return json.dumps({**envelope, "id": "data:application/vc+jwt,"
                       + ".".join([header, payload, signature])})


def _withdraw_as_admin(browser, base: str, sign_in, learner: int, screenshot) -> None:
    """The admin opens the learner's binder and withdraws the credential (two taps)."""
    context = browser.new_context(viewport=PHONE, base_url=base)
    context.set_default_timeout(15_000)
    try:
        admin = context.new_page()
        sign_in(admin, "admin")
        admin.wait_for_url(re.compile(r"/admin"))
        admin.goto(f"/binder/{learner}")
        admin.get_by_role("button", name=f"Withdraw {TOPIC}").click(timeout=30_000)
        expect(admin.get_by_role("alert")).to_contain_text("cannot be undone")
        admin.get_by_role("button", name="Withdraw it").click()
        expect(admin.get_by_text(f"{TOPIC} is withdrawn: checking it now says revoked.")
               ).to_be_visible()
        expect(admin.get_by_text("Withdrawn by the school")).to_be_visible()
        expect(admin.get_by_role("button", name=f"Withdraw {TOPIC}")).to_have_count(0)
        screenshot(admin, "binder-credential-withdrawn")
        if AXE.exists():
            problems = _audit(admin, "/binder (admin, withdrawn)")
            assert not problems, "accessibility problems:\n" + "\n".join(problems)
    finally:
        context.close()


def _learner_finds_it(browser, base: str, sign_in, screenshot) -> None:
    """The learner's binder (/learner) links to their credentials, ready to download."""
    context = browser.new_context(viewport=PHONE, base_url=base)
    context.set_default_timeout(15_000)
    try:
        learner = context.new_page()
        sign_in(learner, "student2")
        learner.wait_for_url(re.compile(r"/learner/?$"))
        learner.get_by_role("link", name="My credentials").click(timeout=30_000)
        expect(learner).to_have_url(re.compile(r"/learner/credentials/?$"))
        expect(learner.get_by_role("heading", name="My credentials", level=1)).to_be_visible()
        expect(learner.get_by_role("button", name=f"Download {TOPIC}")).to_be_visible(
            timeout=30_000)
        screenshot(learner, "learner-credentials")
        if AXE.exists():
            problems = _audit(learner, "/learner/credentials")
            assert not problems, "accessibility problems:\n" + "\n".join(problems)
    finally:
        context.close()


def test_family_downloads_a_credential_that_verify_checks(phone, sign_in, live_app,
                                                          screenshot, tmp_path, browser):
    eli = api.user_id(live_app, "student2")
    topic_id = _meet_topic(live_app, eli)
    try:
        sign_in(phone, "guardian2")
        expect(phone).to_have_url(re.compile(r"/family/?$"))
        download_button = phone.get_by_role("button", name=f"Download {TOPIC}")
        expect(download_button).to_be_visible(timeout=30_000)
        with phone.expect_download() as info:
            download_button.click()
        assert info.value.suggested_filename.endswith(".json")
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        text = path.read_text()
        envelope = json.loads(text)
        assert envelope["type"] == "EnvelopedVerifiableCredential"
        screenshot(phone, "family-credentials")
        _learner_finds_it(browser, live_app, sign_in, screenshot)

        phone.get_by_role("link", name="Check a credential").click()
        expect(phone).to_have_url(re.compile(r"/verify/?$"))
        expect(phone.get_by_role("heading", name="Check a credential", level=1)).to_be_visible()
        # nothing pasted: the error is said where the person looks, under the field
        phone.get_by_role("button", name="Check").click()
        expect(phone.get_by_role("alert")).to_have_text(
            "Paste a credential or choose a file first.")
        expect(phone.get_by_label("The credential")).to_have_attribute("aria-invalid", "true")

        _check(phone, text, AUTHENTIC)
        expect(phone.get_by_text("Nothing changed since signing (unaltered)")).to_be_visible()
        expect(phone.get_by_text(TOPIC, exact=True)).to_be_visible()
        screenshot(phone, "verify-authentic")
        if AXE.exists():
            problems = _audit(phone, "/verify (authentic)")
            assert not problems, "accessibility problems:\n" + "\n".join(problems)

        _check(phone, _one_byte_changed(envelope), ALTERED)
        screenshot(phone, "verify-altered")

        _withdraw_as_admin(browser, live_app, sign_in, eli, screenshot)
        _, listed = api.call(live_app, "GET", f"/api/credentials/learners/{eli}",
                             api.token(live_app, "guardian2"))
        cred = next(c for c in listed["credentials"] if c["topic_id"] == topic_id)
        assert cred["is_revoked"], cred
        _check(phone, text, REVOKED)
        # the downloaded file itself, chosen with the file picker, gets the same verdict
        _check(phone, _one_byte_changed(envelope), ALTERED)
        phone.locator("#credential-file input[type=file]").set_input_files(str(path))
        expect(phone.locator("#verdict-headline")).to_have_text(REVOKED)
        expect(phone.locator("[data-sonner-toast]")).to_have_count(0)
        screenshot(phone, "verify-revoked")
        if AXE.exists():
            problems = _audit(phone, "/verify (revoked)")
            assert not problems, "accessibility problems:\n" + "\n".join(problems)
    finally:
        # give the topic back the school's method, so later tests see the seeded levels
        api.call(live_app, "PUT", f"/api/mastery/topics/{topic_id}/settings",
                 api.token(live_app, "admin"), {"override": None})


def _foreign_credential() -> str:
    """An OB 3.0 credential signed by an issuer this server has never seen."""
    import jwt
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    payload = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:7d1c8e2a-5b0f-4c1e-9a33-0d8f00000017",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Restorative Practices Facilitator",
        "issuer": {"id": "https://academy.example/issuer", "type": ["Profile"],
                   "name": "Elsewhere Academy"},
        "validFrom": "2026-05-01T00:00:00Z",
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
            "id": "https://academy.example/achievements/rp", "type": ["Achievement"],
            "name": "Restorative Practices Facilitator", "description": "Leads circles.",
            "criteria": {"narrative": "Led six circles, observed twice."}}},
    }
    token = jwt.encode(payload, Ed25519PrivateKey.generate(), algorithm="EdDSA",
                       headers={"kid": "did:web:academy.example#key-1"})
    return json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2"],
                       "id": f"data:application/vc+jwt,{token}",
                       "type": "EnvelopedVerifiableCredential"})


def test_a_teacher_adds_a_credential_earned_elsewhere(phone, sign_in, screenshot):
    """Issue 17 part 4: the teacher's record keeps it, marked with its check, in words."""
    sign_in(phone, "teacher2")
    phone.wait_for_url(re.compile(r"/teacher"))
    phone.goto("/teacher/credentials")
    expect(phone.get_by_role("heading", name="My credentials from elsewhere", level=1)
           ).to_be_visible(timeout=30_000)
    phone.get_by_role("button", name="Add it").click()
    expect(phone.get_by_role("alert")).to_have_text("Paste a credential or choose a file first.")
    phone.get_by_label("The credential").fill(_foreign_credential())
    phone.get_by_role("button", name="Add it").click()
    item = phone.get_by_role("listitem").filter(has_text="Restorative Practices Facilitator")
    expect(item).to_be_visible()
    expect(item.get_by_text("From Elsewhere Academy")).to_be_visible()
    expect(item.get_by_text(re.compile(r"^Could not be checked: it was signed by an issuer "
                                       r"this server does not know\."))).to_be_visible()
    screenshot(phone, "teacher-credentials")
    if AXE.exists():
        problems = _audit(phone, "/teacher/credentials")
        assert not problems, "accessibility problems:\n" + "\n".join(problems)
