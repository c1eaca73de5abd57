"""An admin edits what already exists, at phone width: a target's rubric (learners read the
new descriptor), a class's name (its teacher sees it), a person's name and password (the
learner signs in with the new one). Every change is put back at the end: the live app is
shared by the whole session."""

import contextlib
import re

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api

pytestmark = pytest.mark.browser


def _said(page, words: str):
    """The status line that says `words` (the language picker has its own status line)."""
    return page.get_by_role("status").filter(has_text=words)


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def _topic_id(base: str, name: str) -> int:
    _, areas = api.call(base, "GET", "/api/curriculum/areas", api.token(base, "admin"))
    return next(t["id"] for a in areas for t in a["topics"] if t["name"] == name)


def test_admin_edits_a_rubric_descriptor_and_learners_read_it(live_app, phone, sign_in,
                                                              screenshot):
    admin = api.token(live_app, "admin")
    status, created = api.call(live_app, "POST", "/api/curriculum/targets", admin, {
        "topic_id": _topic_id(live_app, "Fractions"), "code": "M5.F.21",
        "title": "Add fractions with unlike denominators", "scale_level": 3.0,
        "rubric": [{"score": 3, "text": "Adds with help."},
                   {"score": 2, "text": "Adds like denominators."}]})
    assert status == 201, created

    sign_in(phone, "admin")
    expect(phone).to_have_url(re.compile(r"/admin/?$"))
    phone.goto("/admin/curriculum")
    phone.get_by_role("button", name="Edit M5.F.21").click()
    form = phone.get_by_role("form", name="Edit M5.F.21")
    expect(form.get_by_label("Code")).to_have_value("M5.F.21")
    expect(form.get_by_label("Title")).to_have_value("Add fractions with unlike denominators")
    expect(form.get_by_label("Scale level")).to_have_value("3.0")
    expect(form.get_by_label("Rubric: what 3 looks like")).to_have_value("Adds with help.")
    expect(form.get_by_label("Rubric: what 2 looks like")).to_have_value(
        "Adds like denominators.")
    expect(form.get_by_label("Rubric: what 4 looks like")).to_have_value("")

    # the API refuses (a code longer than 40 characters): the message shows, nothing is lost
    new_three = "Adds any two fractions and simplifies the sum."
    form.get_by_label("Rubric: what 3 looks like").fill(new_three)
    form.get_by_label("Code").fill("M" * 41)
    form.get_by_role("button", name="Save changes").click()
    # the API's words sit under the Code field, tied to it, and it takes focus
    expect(form.get_by_label("Code")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Code")).to_be_focused()
    expect(form.get_by_label("Code")).to_have_accessible_description(re.compile(r"\w{3,}"))
    expect(form.get_by_label("Rubric: what 3 looks like")).to_have_value(new_three)
    _fits_the_phone(phone)
    screenshot(phone, "admin-edit-target-error")

    form.get_by_label("Code").fill("M5.F.21")
    form.get_by_role("button", name="Save changes").click()
    expect(_said(phone, "Saved learning target M5.F.21.")).to_be_visible()
    expect(form).to_have_count(0)
    expect(phone.get_by_text("M5.F.21 · Add fractions with unlike denominators")).to_be_visible()

    # what a learner's device reads: the target with its new rubric
    status, seen = api.call(live_app, "GET", f"/api/curriculum/targets/{created['id']}",
                            api.token(live_app, "student"))
    assert status == 200, seen
    rubric = {d["score"]: d["text"] for d in seen["rubric"]}
    assert rubric == {3: new_three, 2: "Adds like denominators."}
    # archive it again (other tests count Fractions' targets); a 204 has no JSON to parse
    with contextlib.suppress(ValueError):
        api.call(live_app, "DELETE", f"/api/curriculum/targets/{created['id']}", admin)


def test_admin_renames_a_class_and_its_teacher_sees_the_new_name(live_app, phone, sign_in):
    admin = api.token(live_app, "admin")
    _, classes = api.call(live_app, "GET", "/api/roster/classes", admin)
    studio = next(c for c in classes if c["name"] == "Math Studio A")
    sign_in(phone, "admin")
    expect(phone).to_have_url(re.compile(r"/admin/?$"))
    try:
        phone.goto("/admin/people")
        phone.get_by_role("button", name="Edit Math Studio A", exact=True).click()
        form = phone.get_by_role("form", name="Edit class Math Studio A", exact=True)
        expect(form.get_by_label("Class name")).to_have_value("Math Studio A")
        expect(form.get_by_label("Teacher")).to_have_value(str(studio["teacher_id"]))
        form.get_by_label("Class name").fill("Math Studio Alpha")
        form.get_by_role("button", name="Save class").click()
        expect(_said(phone, "Saved class Math Studio Alpha.")).to_be_visible()
        expect(phone.get_by_role("heading", name="Math Studio Alpha", level=3)).to_be_visible()
        _fits_the_phone(phone)

        _, mine = api.call(live_app, "GET", "/api/roster/classes",
                           api.token(live_app, "teacher"))
        assert "Math Studio Alpha" in [c["name"] for c in mine]
    finally:
        api.call(live_app, "PATCH", f"/api/roster/classes/{studio['id']}", admin,
                 {"name": "Math Studio A"})


def test_admin_renames_a_person_and_resets_a_password(live_app, phone, sign_in, screenshot):
    admin = api.token(live_app, "admin")
    eli, ava = api.user_id(live_app, "student2"), api.user_id(live_app, "student3")
    sign_in(phone, "admin")
    expect(phone).to_have_url(re.compile(r"/admin/?$"))
    try:
        phone.goto("/admin/people")
        phone.get_by_role("button", name="Edit Ava P.").click()
        rename = phone.get_by_role("form", name="Rename Ava P.")
        expect(rename.get_by_label("Full name")).to_have_value("Ava P.")
        rename.get_by_label("Full name").fill("Ava Park")
        rename.get_by_role("button", name="Save name").click()
        expect(_said(phone, "Renamed to Ava Park.")).to_be_visible()
        expect(phone.get_by_role("button", name="Deactivate Ava Park")).to_be_visible()

        phone.get_by_role("button", name="Edit Eli T.").click()
        reset = phone.get_by_role("form", name="Reset password for Eli T.")
        reset.get_by_label("New password (8+ characters)").fill("short")
        reset.get_by_label("Type the new password again").fill("short")
        reset.get_by_role("button", name="Reset password").click()
        expect(reset.get_by_label("New password (8+ characters)")).to_have_accessible_description(
            re.compile("at least 8 characters"))
        reset.get_by_label("New password (8+ characters)").fill("river-otter-42")
        reset.get_by_label("Type the new password again").fill("river-otter-43")
        reset.get_by_role("button", name="Reset password").click()
        expect(reset.get_by_label("Type the new password again")).to_have_accessible_description(
            re.compile("not the same"))
        expect(reset.get_by_label("New password (8+ characters)")).to_have_value(
            "river-otter-42")
        _fits_the_phone(phone)
        screenshot(phone, "admin-reset-password")
        reset.get_by_label("Type the new password again").fill("river-otter-42")
        reset.get_by_role("button", name="Reset password").click()
        expect(_said(phone, "Password reset for Eli T.")).to_be_visible()
        expect(reset).to_have_count(0)

        status, body = api.call(live_app, "POST", "/api/auth/login",
                                body={"username": "student2", "password": "river-otter-42"})
        assert status == 200 and body["access_token"], body
        status, _ = api.call(live_app, "POST", "/api/auth/login",
                             body={"username": "student2", "password": "waypoint"})
        assert status == 401
    finally:
        api.call(live_app, "PATCH", f"/api/roster/users/{eli}", admin, {"password": "waypoint"})
        api.call(live_app, "PATCH", f"/api/roster/users/{ava}", admin,
                 {"display_name": "Ava P."})
