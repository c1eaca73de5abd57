"""Sign in through the real login page as each role and see that role's real data; the
page's scripts never hold a token (httpOnly cookies, issue #8)."""

import json
import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api
from tests.e2e.teaching_api import wait_for

pytestmark = pytest.mark.browser

LEVEL_BADGE = re.compile(r"^\d\.\d · (emerging|developing|proficient|advanced)$")
JWT = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]+")
TOKEN_COOKIES = ("waypoint_access", "waypoint_refresh")
CSRF_COOKIES = ("waypoint_csrf_access", "waypoint_csrf_refresh")


def _session(page) -> dict:
    raw = page.evaluate("() => window.localStorage.getItem('waypoint.session')")
    return json.loads(raw) if raw else {}


def _cookies(page) -> dict[str, dict]:
    return {c["name"]: c for c in page.context.cookies()}


def _assert_no_token_in_reach_of_scripts(page) -> None:
    """localStorage, sessionStorage and document.cookie: no JWT anywhere a script can read."""
    readable = page.evaluate("""() => ({
        local: Object.keys(localStorage).map((k) => k + "=" + localStorage.getItem(k)),
        session: Object.keys(sessionStorage).map((k) => k + "=" + sessionStorage.getItem(k)),
        cookie: document.cookie,
    })""")
    for where, values in readable.items():
        text = "\n".join(values) if isinstance(values, list) else values
        assert not JWT.search(text), f"a token is readable in {where}: {text[:200]}"
    for name in TOKEN_COOKIES:
        assert name not in readable["cookie"]
    for name in CSRF_COOKIES:  # the page needs these to prove its writes
        assert name in readable["cookie"]


def _me_with(base: str, token: str) -> int:
    request = urllib.request.Request(f"{base}/api/auth/me",
                                     headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


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

    # the browser keeps who is signed in for the offline sync core, and nothing more
    session = _session(phone)
    assert set(session) == {"user"}
    assert session["user"]["role"] == "student"
    assert session["user"]["display_name"] == "Maya R."
    # the tokens are httpOnly, SameSite=Strict cookies: out of reach of the page's scripts
    cookies = _cookies(phone)
    for name in TOKEN_COOKIES:
        assert JWT.fullmatch(cookies[name]["value"]), name
        assert cookies[name]["httpOnly"] is True, cookies[name]
        assert cookies[name]["sameSite"] == "Strict", cookies[name]
        assert cookies[name]["path"] == "/", cookies[name]
    for name in CSRF_COOKIES:
        assert cookies[name]["httpOnly"] is False and not JWT.search(cookies[name]["value"])
    _assert_no_token_in_reach_of_scripts(phone)
    screenshot(phone, "learner")


def test_teacher_sees_classes_and_opens_a_learners_binder(desktop, sign_in, screenshot):
    sign_in(desktop, "teacher")

    expect(desktop).to_have_url(re.compile(r"/teacher/?$"))
    expect(desktop.get_by_role("heading", name="Math Studio A")).to_be_visible()
    _assert_no_token_in_reach_of_scripts(desktop)
    assert _session(desktop)["user"]["role"] == "teacher"
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
    # read-only: no field to type in; besides "Sign out" only buttons that read more
    # ("Show 20 more entries" of the access log, done goals) or download the record
    expect(phone.get_by_role("textbox")).to_have_count(0)
    names = [b.get_attribute("aria-label") or b.inner_text()
             for b in phone.get_by_role("button").all()]
    assert all(re.match(r"^(Sign out|Show |Download )", n.strip()) for n in names), names
    expect(phone.get_by_role("button", name="Sign out")).to_be_visible()
    _assert_no_token_in_reach_of_scripts(phone)
    screenshot(phone, "guardian")


def test_admin_sees_school_counts(phone, sign_in, screenshot, live_app):
    # the school's counts as the server has them now: browser tests earlier in the run add
    # and delete accounts (test_family_export, test_forms, the year seeds), so the demo's
    # 24 learners and 2 teachers are not constants; the page must say what the server says
    status, summary = teaching_api.call(live_app, "GET", "/api/roster/summary",
                                        teaching_api.token(live_app, "admin"))
    assert status == 200 and summary["learners"] >= 20 and summary["teachers"] >= 2
    sign_in(phone, "admin")

    expect(phone).to_have_url(re.compile(r"/admin/?$"))
    for group, key in (("Learners", "learners"), ("Teachers", "teachers")):
        expect(phone.get_by_role("group", name=group)).to_contain_text(
            re.compile(rf"(^|\D){summary[key]}(\D|$)"))
    _assert_no_token_in_reach_of_scripts(phone)
    screenshot(phone, "admin")


def test_wrong_password_shows_the_apis_message(phone, sign_in, screenshot):
    sign_in(phone, "student", password="not-the-password")

    expect(phone.get_by_role("alert")).to_have_text("That username and password do not match.")
    expect(phone).to_have_url(re.compile(r"/login/?$"))
    assert _session(phone) == {}
    assert not set(_cookies(phone)) & set(TOKEN_COOKIES + CSRF_COOKIES)
    screenshot(phone, "login-error")


def test_signing_in_offline_says_so(phone):
    phone.goto("/login")
    phone.wait_for_load_state("networkidle")
    phone.context.set_offline(True)
    phone.get_by_label("Username").fill("student")
    phone.get_by_label("Password").fill("waypoint")
    phone.get_by_role("button", name="Sign in").click()
    expect(phone.get_by_role("alert")).to_have_text(
        "You are offline. Connect to the internet to sign in.")
    assert _session(phone) == {}
    phone.context.set_offline(False)


def test_sign_out_revokes_the_tokens_and_clears_the_cookies(phone, sign_in, live_app):
    sign_in(phone, "student")
    expect(phone.get_by_role("heading", name="Fractions", exact=True)).to_be_visible()
    access = _cookies(phone)["waypoint_access"]["value"]
    assert _me_with(live_app, access) == 200

    phone.get_by_role("button", name="Sign out").click()

    expect(phone).to_have_url(re.compile(r"/login/?$"))
    expect(phone.get_by_label("Username")).to_be_visible()
    phone.wait_for_function("() => !window.localStorage.getItem('waypoint.session')")
    assert not set(_cookies(phone)) & set(TOKEN_COOKIES + CSRF_COOKIES)
    assert _me_with(live_app, access) == 401  # revoked on the server, not only forgotten
    phone.goto("/learner")
    expect(phone).to_have_url(re.compile(r"/login/?$"))


def test_another_person_signs_in_on_the_same_tab(phone, sign_in):
    """Sign out, then someone else signs in: the state uses the new person's cookie."""
    sign_in(phone, "student")
    expect(phone).to_have_url(re.compile(r"/learner/?$"))
    phone.get_by_role("button", name="Sign out").click()
    expect(phone).to_have_url(re.compile(r"/login/?$"))
    sign_in(phone, "teacher")
    expect(phone).to_have_url(re.compile(r"/teacher/?$"))
    expect(phone.get_by_role("heading", name="Math Studio A")).to_be_visible()
    assert _session(phone)["user"]["role"] == "teacher"


def test_signed_out_visitor_is_sent_to_login(phone):
    phone.goto("/teacher")
    expect(phone).to_have_url(re.compile(r"/login/?$"))
    expect(phone.get_by_role("button", name="Sign in")).to_be_visible()


def test_a_dead_access_cookie_is_refreshed_by_the_state_and_by_the_page(desktop, sign_in,
                                                                        live_app):
    """The access token dies (revoked here; expired after 8 h): the Reflex state refreshes
    server-side with the handshake's refresh cookie, the sync core through the cookie."""
    sign_in(desktop, "teacher")
    expect(desktop.get_by_role("heading", name="Math Studio A")).to_be_visible()
    access = _cookies(desktop)["waypoint_access"]["value"]
    request = urllib.request.Request(f"{live_app}/api/auth/logout", method="POST",
                                     headers={"Authorization": f"Bearer {access}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204
    assert _me_with(live_app, access) == 401

    desktop.reload()  # a new socket whose handshake carries the dead access cookie
    expect(desktop).to_have_url(re.compile(r"/teacher/?$"))
    expect(desktop.get_by_role("heading", name="Math Studio A")).to_be_visible()

    desktop.goto("/teacher/review")  # the sync core runs here: its pull gets a 401, refreshes
    expect(desktop).to_have_url(re.compile(r"/teacher/review/?$"))
    wait_for(lambda: _cookies(desktop)["waypoint_access"]["value"] != access,
             "the page's sync core refreshed the access cookie")
    fresh = _cookies(desktop)["waypoint_access"]
    assert fresh["httpOnly"] is True and _me_with(live_app, fresh["value"]) == 200
    _assert_no_token_in_reach_of_scripts(desktop)
