"""Admin forms on a phone (issue 15 item 5): a refused form keeps everything typed, each
message sits under its own field in plain words, tied to it by aria-describedby, the field
is marked aria-invalid and the first invalid one takes focus; Tab still walks the fields in
order. A success empties the form."""

import contextlib
import json
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.browser

DEVELOPER_WORDS = re.compile(r"json|Length must|Missing data|\(|\)")


def _open_people(phone, sign_in):
    sign_in(phone, "admin")
    expect(phone).to_have_url(re.compile(r"/admin/?$"))
    phone.goto("/admin/people")
    expect(phone.get_by_role("heading", name="Everyone")).to_be_visible()


def test_add_an_account_keeps_what_was_typed_and_says_why_beside_the_password(
        live_app, phone, sign_in, screenshot):
    _open_people(phone, sign_in)
    form = phone.get_by_role("form", name="Add an account")
    username = f"rosa.forms{int(time.time())}"
    name, username_field = form.get_by_label("Full name"), form.get_by_label("Username")
    role, password = form.get_by_label("Role"), form.get_by_label("First password")
    name.fill("Rosa Forms")
    username_field.fill(username)
    role.select_option("teacher")
    password.fill("short")
    form.get_by_role("button", name="Add account").click()

    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_be_focused()
    expect(password).to_have_accessible_description(re.compile(r"\w{3,}"))
    described = password.get_attribute("aria-describedby")
    said = phone.locator(f"#{described}").inner_text()
    assert said and not DEVELOPER_WORDS.search(said), said
    expect(form.get_by_text(said)).to_be_visible()  # under the field, not at the page's top
    for field, value in ((name, "Rosa Forms"), (username_field, username), (role, "teacher"),
                         (password, "short")):
        expect(field).to_have_value(value)
    for field in (name, username_field, role):
        expect(field).to_have_attribute("aria-invalid", "false")
    screenshot(phone, "forms-add-account-refused")

    # Tab walks the fields in the order they are shown; the message is not a stop
    name.focus()
    for field in (username_field, role, password):
        phone.keyboard.press("Tab")
        expect(field).to_be_focused()
    phone.keyboard.press("Tab")
    expect(form.get_by_role("button", name="Add account")).to_be_focused()

    password.fill("a-long-enough-password-7")
    form.get_by_role("button", name="Add account").click()
    expect(phone.get_by_role("status").filter(has_text="Added Rosa Forms.")).to_be_visible()
    expect(form.get_by_label("Full name")).to_have_value("")
    expect(form.get_by_label("First password")).to_have_attribute("aria-invalid", "false")
    created = api.user_id(live_app, username)
    with contextlib.suppress(ValueError):  # a 204 has no JSON to parse
        api.call(live_app, "DELETE", f"/api/roster/users/{created}",
                 api.token(live_app, "admin"))


def test_a_taken_username_is_said_beside_username_and_forgotten_when_it_changes(
        phone, sign_in, screenshot):
    """A 409 (the username exists) names the Username field, not the form's line under the
    password (QA F30); changing that field takes its old message away."""
    _open_people(phone, sign_in)
    form = phone.get_by_role("form", name="Add an account")
    username, password = form.get_by_label("Username"), form.get_by_label("First password")
    form.get_by_label("Full name").fill("Second Admin")
    username.fill("admin")  # the demo's own admin: taken
    form.get_by_label("Role").select_option("teacher")
    password.fill("a-long-enough-password-7")
    form.get_by_role("button", name="Add account").click()

    expect(username).to_have_attribute("aria-invalid", "true")
    expect(username).to_be_focused()
    expect(username).to_have_accessible_description(re.compile(r"taken"))
    expect(password).to_have_attribute("aria-invalid", "false")
    expect(phone.locator("#add-account-error")).to_be_hidden()  # not on the form's line
    expect(username).to_have_value("admin")
    screenshot(phone, "forms-add-account-username-taken")

    username.press("End")
    username.press_sequentially("-2")
    expect(username).to_have_attribute("aria-invalid", "false")
    expect(form.get_by_text(re.compile("taken"))).to_have_count(0)
    expect(username).to_have_value("admin-2")


def test_a_missing_choice_is_named_on_its_own_select_and_focused(phone, sign_in):
    _open_people(phone, sign_in)
    form = phone.get_by_role("form", name="Enroll a learner")
    learner = form.get_by_label("Learner")
    learner.select_option(index=1)
    chosen = learner.input_value()
    form.get_by_role("button", name="Enroll").click()
    klass = form.get_by_label("Class")
    expect(klass).to_be_focused()
    expect(klass).to_have_attribute("aria-invalid", "true")
    expect(klass).to_have_accessible_description("Choose a class.")
    expect(learner).to_have_attribute("aria-invalid", "false")
    expect(learner).to_have_value(chosen)


def test_a_disclosure_looks_and_works_like_a_control(phone, sign_in):
    """"Link learning targets" (issue 15: it did not look tappable): a 44 px bordered control
    with a chevron, reached by Tab and opened with Enter, which then reads as expanded."""
    sign_in(phone, "student")
    expect(phone).to_have_url(re.compile(r"/learner/?$"))
    phone.goto("/learner/goals")
    control = phone.locator("summary", has_text="Link learning targets").first
    expect(control).to_be_visible(timeout=30_000)
    box = control.bounding_box()
    assert box and box["height"] >= 44, box
    assert control.evaluate("el => getComputedStyle(el).borderTopStyle") == "solid"
    expect(control.locator("svg")).to_have_count(1)  # the chevron
    folded = control.locator("xpath=..")
    expect(folded).not_to_have_attribute("open", "")
    control.focus()
    phone.keyboard.press("Enter")
    expect(folded).to_have_attribute("open", "")
    expect(folded.get_by_role("checkbox").first).to_be_visible()


def _es(msgid: str) -> str:
    catalog = json.loads((Path(__file__).resolve().parents[2] / "assets" / "i18n" / "es.json")
                         .read_text())
    assert catalog.get(msgid), f"es catalog lacks {msgid!r}"
    return catalog[msgid]


@pytest.fixture
def spanish_admin(browser, live_app):
    """An admin whose phone says es-MX; the account is put back to no chosen language."""
    # before too: any earlier sign-in on an English browser gave the account "en"
    api.reset_languages(live_app, ["admin"])
    context = browser.new_context(viewport=PHONE, base_url=live_app, locale="es-MX")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()
    api.reset_languages(live_app, ["admin"])


def test_admin_imports_and_settings_in_spanish_with_named_file_inputs(spanish_admin):
    """QA F32: the two file inputs are named by their card's heading (axe `label`), and the
    imports and settings pages speak the reader's language."""
    page = spanish_admin
    page.goto("/login")
    page.get_by_label(_es("Username")).fill("admin")
    page.get_by_label(_es("Password")).fill("waypoint")
    page.get_by_role("button", name=_es("Sign in")).click()
    expect(page).to_have_url(re.compile(r"/admin/?$"), timeout=30_000)
    # an account that already has a language keeps it over the phone's: choose Spanish
    page.get_by_role("combobox", name=re.compile(r"^(Language|Idioma)$")).select_option("es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.goto("/admin/imports")
    expect(page.get_by_role("heading", name=_es("Imports and reports"), level=1)).to_be_visible(
        timeout=30_000)
    for heading in ("Roster: OneRoster 1.1 CSV zip", "Curriculum: CASE 1.1 JSON"):
        expect(page.get_by_label(_es(heading), exact=True)).to_have_attribute("type", "file")
    expect(page.get_by_role("button", name=_es("Preview the changes"))).to_have_count(2)
    expect(page.get_by_text(_es("Preview only (dry run)"))).to_be_visible()
    page.goto("/admin/settings")
    expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=30_000)
    expect(page.get_by_role("group", name=_es("Assessments that count"))).to_be_visible()
    expect(page.get_by_label(_es("Teachers' ratings"))).to_be_visible()
    now = _es("Now: {method}").replace("{method}", "")
    expect(page.get_by_text(re.compile("^" + re.escape(now)))).to_be_visible()
    page.goto("/admin/access-log")
    expect(page.get_by_role("tab", name=_es("Who looked at records"))).to_be_visible(
        timeout=30_000)
    expect(page.get_by_role("searchbox", name=_es("Who looked"))).to_have_attribute(
        "placeholder", _es("Part of a name or username"))
    page.goto("/admin/people")
    enroll = page.get_by_role("form", name=_es("Enroll a learner"))
    expect(enroll.get_by_label(_es("Class")).locator("option").first).to_have_text(
        _es("Choose a class…"), timeout=30_000)
