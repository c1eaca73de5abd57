"""With the network cut, no page of any role shows a `ws://` address, the word "websocket" or
"Cannot connect" (Reflex's own toast did, issue 14). Screens that need the server say so in
plain words ("No connection to the school's server."); screens that work from the device's
store (routes.OFFLINE_CAPABLE) say nothing beyond their sync status. At 375×812.
"""

import re

import pytest
from playwright.sync_api import expect

from app import routes

pytestmark = pytest.mark.browser

# the notice's first sentence (a page's "Not loaded: there is no connection…" is not it)
NOTICE = re.compile(r"^No connection to the school's server\.")
DEVELOPER_WORDS = re.compile(r"ws://|wss://|websocket|cannot connect|connection error", re.I)
QUIET_WAIT_MS = 6_000  # the socket's reconnects have failed by then (the notice shows sooner)

PAGES_BY_ROLE = {
    "admin": [routes.ADMIN, routes.ADMIN_CURRICULUM, routes.ADMIN_PEOPLE,
              routes.ADMIN_SETTINGS, routes.ADMIN_SYNC, routes.ADMIN_IMPORTS,
              routes.ADMIN_ACCESS_LOG, routes.PRIVACY],
    "teacher": [routes.TEACHER_REVIEW, routes.TEACHER, routes.TEACHER_GRID,
                routes.TEACHER_READY, routes.TEACHER_CONFLICTS, routes.TEACHER_REPORTS,
                routes.TEACHER_SIGN_IN_HELP],
    "guardian": [routes.FAMILY, routes.PRIVACY],
    "student": [routes.LEARNER, routes.LEARNER_GOALS, routes.LEARNER_PLAYLISTS,
                routes.LEARNER_EVIDENCE],
}

# pages whose list comes from the server after the page opens (a reload offline cannot load it)
NOT_LOADED = {routes.TEACHER_REPORTS, routes.TEACHER_SIGN_IN_HELP, routes.ADMIN_SETTINGS}
NOT_LOADED_WORDS = "Not loaded: there is no connection to the school's server."

# everything a person can read or hear: the text, and the names and tooltips of elements
SEEN_TEXT = """() => [document.body.innerText,
  ...[...document.querySelectorAll('[title], [aria-label]')].map(
     (el) => `${el.getAttribute('title') || ''} ${el.getAttribute('aria-label') || ''}`)
].join('\\n')"""


def _nothing_for_developers(page, where: str) -> None:
    seen = page.evaluate(SEEN_TEXT)
    found = DEVELOPER_WORDS.findall(seen)
    assert not found, f"{where} offline shows {found}: {seen[:400]!r}"


def _offline_from_here(page) -> None:
    """Make the device's service worker keep the pages (it is installed by the learner's and
    teacher's screens; /teacher serves any signed-in role, redirecting the others), then cut
    the network: pages come from the worker, and the event socket cannot connect."""
    page.goto(routes.TEACHER)
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller",
                           timeout=30_000)
    page.context.set_offline(True)


@pytest.mark.parametrize("role", sorted(PAGES_BY_ROLE))
def test_no_page_shows_a_socket_address_offline(role, phone, sign_in, screenshot):
    sign_in(phone, {"student": "student", "teacher": "teacher", "guardian": "guardian",
                    "admin": "admin"}[role])
    expect(phone).to_have_url(re.compile(re.escape(routes.home_for(role)) + "/?$"))
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    _offline_from_here(phone)
    notice = phone.get_by_role("status").filter(has_text=NOTICE)
    try:
        for path in PAGES_BY_ROLE[role]:
            phone.goto(path)
            expect(phone.get_by_role("heading", level=1)).to_be_visible()
            if path in routes.OFFLINE_CAPABLE:
                phone.wait_for_timeout(QUIET_WAIT_MS)
                expect(notice).to_have_count(0)
            else:
                expect(notice).to_be_visible(timeout=20_000)
                expect(notice).to_contain_text("What you typed stays here")
                # and the page claims nothing it could not load (QA F34): no "No classes
                # yet" for a list never fetched, no spinner that never ends
                if path in NOT_LOADED:
                    expect(phone.get_by_role("status").filter(has_text=NOT_LOADED_WORDS)
                           ).to_be_visible()
                    expect(phone.get_by_text(re.compile(r"^No classes yet"))).to_have_count(0)
                expect(phone.get_by_text(re.compile(r"^Loading .*…$"))).to_have_count(0)
            _nothing_for_developers(phone, path)
            screenshot(phone, f"offline-{role}-{path.strip('/').replace('/', '-')}")
    finally:
        phone.context.set_offline(False)


def test_an_admin_form_keeps_what_was_typed_offline(phone, sign_in, screenshot):
    sign_in(phone, "admin")
    expect(phone).to_have_url(re.compile(r"/admin/?$"))
    _offline_from_here(phone)
    try:
        phone.goto(routes.ADMIN_PEOPLE)
        form = phone.get_by_role("form", name="Add an account")
        form.get_by_label("Full name").fill("Rosa Offline")
        form.get_by_label("Username").fill("rosa.offline")
        notice = phone.get_by_role("status").filter(has_text=NOTICE)
        expect(notice).to_be_visible(timeout=20_000)
        form.get_by_role("button", name="Add account").click()
        phone.wait_for_timeout(1_000)
        expect(form.get_by_label("Full name")).to_have_value("Rosa Offline")
        expect(form.get_by_label("Username")).to_have_value("rosa.offline")
        _nothing_for_developers(phone, routes.ADMIN_PEOPLE)
        screenshot(phone, "offline-admin-form-kept")
    finally:
        phone.context.set_offline(False)
