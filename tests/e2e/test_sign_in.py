"""Sign in through the real login page as each role and see that role's real data."""

import json
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LEVEL_BADGE = re.compile(r"^\d\.\d · (emerging|developing|proficient|advanced)$")


def _session(page) -> dict:
    raw = page.evaluate("() => window.localStorage.getItem('waypoint.session')")
    return json.loads(raw) if raw else {}


def test_learner_sees_their_binder_on_a_phone(phone, sign_in, screenshot):
    sign_in(phone, "student")

    expect(phone).to_have_url(re.compile(r"/learner/?$"))
    expect(phone.get_by_role("heading", name="My binder", level=1)).to_be_visible()
    expect(phone.get_by_role("heading", name="Fractions", exact=True)).to_be_visible()
    expect(phone.get_by_text(LEVEL_BADGE).first).to_be_visible()
    expect(phone.get_by_text("not yet assessed").first).to_be_visible()
    expect(phone.get_by_text(re.compile(r"^\d+ of 5 targets proficient$")).first).to_be_visible()
    # Lifelong Learning Skills are their own section, apart from academic learning
    expect(phone.get_by_role("heading", name="Lifelong Learning Skills", level=2)).to_be_visible()
    expect(phone.get_by_role("heading", name="Self-Direction")).to_be_attached()
    expect(phone.get_by_role("button", name="Sign out")).to_be_visible()

    # the browser keeps the session for the offline sync core under one key
    session = _session(phone)
    assert session["access_token"] and session["refresh_token"]
    assert session["user"]["role"] == "student"
    assert session["user"]["display_name"] == "Maya R."
    screenshot(phone, "learner")


def test_teacher_sees_classes_and_opens_a_learners_binder(desktop, sign_in, screenshot):
    sign_in(desktop, "teacher")

    expect(desktop).to_have_url(re.compile(r"/teacher/?$"))
    expect(desktop.get_by_role("heading", name="Math Studio A")).to_be_visible()
    expect(desktop.get_by_role("heading", name="Math Studio B")).to_be_visible()
    # another teacher's classes stay out of sight
    expect(desktop.get_by_role("heading", name="Writers' Workshop")).to_have_count(0)
    screenshot(desktop, "teacher")

    desktop.get_by_role("link", name="Open Maya R.'s binder").first.click()
    expect(desktop).to_have_url(re.compile(r"/binder/\d+/?$"))
    expect(desktop.get_by_role("heading", name="Maya R.'s binder", level=1)).to_be_visible()
    expect(desktop.get_by_role("heading", name="Fractions", exact=True)).to_be_visible()
    expect(desktop.get_by_text(LEVEL_BADGE).first).to_be_visible()


def test_guardian_sees_only_their_child_read_only_on_a_phone(phone, sign_in, screenshot):
    sign_in(phone, "guardian")

    expect(phone).to_have_url(re.compile(r"/family/?$"))
    expect(phone.get_by_role("heading", name="Maya R.", level=2)).to_be_visible()
    expect(phone.get_by_role("heading", name="Fractions", exact=True)).to_be_visible()
    expect(phone.get_by_text("Eli T.")).to_have_count(0)
    # read-only: no field to type in, and the one button is "Sign out"
    expect(phone.get_by_role("textbox")).to_have_count(0)
    expect(phone.get_by_role("button")).to_have_count(1)
    expect(phone.get_by_role("button", name="Sign out")).to_be_visible()
    screenshot(phone, "guardian")


def test_admin_sees_school_counts(phone, sign_in, screenshot):
    sign_in(phone, "admin")

    expect(phone).to_have_url(re.compile(r"/admin/?$"))
    expect(phone.get_by_role("group", name="Learners")).to_contain_text("24")
    expect(phone.get_by_role("group", name="Teachers")).to_contain_text("2")
    screenshot(phone, "admin")


def test_wrong_password_shows_the_apis_message(phone, sign_in, screenshot):
    sign_in(phone, "student", password="not-the-password")

    expect(phone.get_by_role("alert")).to_have_text("That username and password do not match.")
    expect(phone).to_have_url(re.compile(r"/login/?$"))
    assert _session(phone) == {}
    screenshot(phone, "login-error")


def test_sign_out_returns_to_login_and_forgets_the_session(phone, sign_in):
    sign_in(phone, "student")
    expect(phone.get_by_role("heading", name="Fractions", exact=True)).to_be_visible()

    phone.get_by_role("button", name="Sign out").click()

    expect(phone).to_have_url(re.compile(r"/login/?$"))
    expect(phone.get_by_label("Username")).to_be_visible()
    phone.wait_for_function("() => !window.localStorage.getItem('waypoint.session')")
    phone.goto("/learner")
    expect(phone).to_have_url(re.compile(r"/login/?$"))


def test_signed_out_visitor_is_sent_to_login(phone):
    phone.goto("/teacher")
    expect(phone).to_have_url(re.compile(r"/login/?$"))
    expect(phone.get_by_role("button", name="Sign in")).to_be_visible()
