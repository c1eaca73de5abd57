"""The sign-in policy in the browser, at phone width: a learner locked out by wrong
passwords (maybe someone else's) is told when to try again, and their teacher lets them in
from "Sign-in help"; an admin's new password is refused beside the field, as typed."""

import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api
from tests.e2e.test_accessibility import AXE, _audit

pytestmark = pytest.mark.browser

LEARNER, NAME = "student12", "Lucas D."  # in Ms. Rivera's Math Studio A


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def _no_axe_problems(page, where: str) -> None:
    """axe-core and the touch-target check of tests/e2e/test_accessibility.py, here on the
    states only this test reaches (a learner listed; a refusal under the field)."""
    if AXE.exists():
        problems = _audit(page, where)
        assert not problems, "accessibility problems:\n" + "\n".join(problems)


def _delete(base: str, path: str) -> int:
    """An admin's DELETE (204, no body: teaching_api.call would try to read JSON)."""
    request = urllib.request.Request(base + path, method="DELETE", headers={
        "Authorization": f"Bearer {api.token(base, 'admin')}"})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _lock_out(base: str) -> None:
    """Ten wrong passwords for the learner's name, as a classmate guessing would send."""
    for i in range(10):
        api.call(base, "POST", "/api/auth/login",
                 body={"username": LEARNER, "password": f"not-it-{i}"})


def test_a_teacher_lets_a_locked_learner_in(live_app, phone, sign_in, screenshot):
    _lock_out(live_app)
    learner_id = api.user_id(live_app, LEARNER)
    try:
        sign_in(phone, LEARNER)  # the right password, but the name must wait
        expect(phone.get_by_role("alert")).to_contain_text("ask your teacher to let you in")
        expect(phone).to_have_url(re.compile(r"/login/?$"))

        sign_in(phone, "teacher")
        expect(phone).not_to_have_url(re.compile(r"/login/?$"))
        phone.get_by_role("link", name="Sign-in help").click()
        expect(phone).to_have_url(re.compile(r"/teacher/sign-in-help/?$"))
        phone.mouse.move(5, 800)  # no hover left on the link for the contrast check
        expect(phone.get_by_role("heading", name="Sign-in help", level=1)).to_be_visible()
        let_in = phone.get_by_role("button", name=f"Let in {NAME}")
        expect(let_in).to_be_visible()
        expect(phone.get_by_text(re.compile(r"Can try again by themself in \d+"))).to_be_visible()
        box = let_in.bounding_box()
        assert box and box["height"] >= 44 and box["width"] >= 44
        _fits_the_phone(phone)
        screenshot(phone, "teacher-sign-in-help")
        _no_axe_problems(phone, "/teacher/sign-in-help")
        let_in.click()
        # the page's notice (the footer's language picker has a status line of its own)
        expect(phone.get_by_role("status").filter(
            has_text=f"{NAME} can sign in again now.")).to_be_visible()
        expect(phone.get_by_text("None of your learners is locked out.")).to_be_visible()
        expect(let_in).to_have_count(0)

        status, body = api.call(live_app, "POST", "/api/auth/login",
                                body={"username": LEARNER, "password": "waypoint"})
        assert status == 200, body
    finally:  # the live app is shared: never leave the learner locked out
        _delete(live_app, f"/api/auth/lockouts/{learner_id}")


def test_an_admin_lets_a_locked_learner_in_from_people(live_app, phone, sign_in):
    _lock_out(live_app)
    learner_id = api.user_id(live_app, LEARNER)
    try:
        sign_in(phone, "admin")
        expect(phone).to_have_url(re.compile(r"/admin/?$"))
        phone.goto("/admin/people")
        phone.get_by_role("button", name=f"Let in {NAME}").click()
        # the page's notice (the footer's language picker has a status line of its own)
        expect(phone.get_by_role("status").filter(
            has_text=f"{NAME} can sign in again now.")).to_be_visible()
        expect(phone.get_by_role("button", name=f"Let in {NAME}")).to_have_count(0)
        status, _ = api.call(live_app, "POST", "/api/auth/login",
                             body={"username": LEARNER, "password": "waypoint"})
        assert status == 200
    finally:
        _delete(live_app, f"/api/auth/lockouts/{learner_id}")


def test_a_refused_new_password_is_explained_beside_the_field(live_app, phone, sign_in,
                                                              screenshot):
    """Refusals only: the shared demo school must keep its 24 learners and its passwords."""
    sign_in(phone, "admin")
    expect(phone).to_have_url(re.compile(r"/admin/?$"))
    phone.goto("/admin/people")
    form = phone.get_by_role("form", name="Add an account")
    form.get_by_label("Full name").fill("Rosa Q.")
    form.get_by_label("Username").fill("rosa.q")
    password = form.get_by_label("First password (8+ characters)")
    password.fill("password1")
    form.get_by_role("button", name="Add account").click()
    # the rule's words under the field, tied to it (aria-describedby)
    expect(password).to_have_accessible_description(re.compile("most common passwords"))
    expect(password).to_have_attribute("aria-invalid", "true")
    # nothing typed was lost
    expect(form.get_by_label("Full name")).to_have_value("Rosa Q.")
    expect(form.get_by_label("Username")).to_have_value("rosa.q")
    expect(password).to_have_value("password1")
    _fits_the_phone(phone)
    screenshot(phone, "admin-password-refused")
    _no_axe_problems(phone, "/admin/people")
    password.fill("rosa.q2024")
    form.get_by_role("button", name="Add account").click()
    expect(password).to_have_accessible_description(re.compile("cannot be the username"))
    status, _ = api.call(live_app, "POST", "/api/auth/login",
                         body={"username": "rosa.q", "password": "rosa.q2024"})
    assert status == 401  # no account was made

    # an admin's reset: the same rule, under its own field
    phone.get_by_role("button", name="Edit Eli T.").click()
    reset = phone.get_by_role("form", name="Reset password for Eli T.")
    new = reset.get_by_label("New password (8+ characters)")
    new.fill("aaaaaaaaaa")
    reset.get_by_label("Type the new password again").fill("aaaaaaaaaa")
    reset.get_by_role("button", name="Reset password").click()
    expect(new).to_have_accessible_description(re.compile("repeated"))
    expect(new).to_have_value("aaaaaaaaaa")
    reset.get_by_role("button", name="Cancel").click()
    status, _ = api.call(live_app, "POST", "/api/auth/login",
                         body={"username": "student2", "password": "waypoint"})
    assert status == 200  # Eli's password is unchanged
