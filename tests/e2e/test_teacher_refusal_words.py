"""A refusal on the teacher's sync strip is said in the teacher's language (issue 16 item 3).

The server answers a refused change with a reason code and its params; the teacher's phone
says it through its own catalog (assets/ui/reason_text.js), never the server's English. A
Spanish phone rates a learning target the school does not have: the strip says, in Spanish,
that it was not saved and why; in English once the teacher picks English (the words come
from the code, not from the server's answer); Dismiss takes it away.
"""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NO_TARGET = "There is no learning target {target_id}."
NOT_SAVED = ("Not saved: {reason}. Nothing else was changed; reload to see the current "
             "state.")


def _es(msgid: str) -> str:
    text = json.loads((ROOT / "assets" / "i18n" / "es.json").read_text()).get(msgid)
    assert isinstance(text, str) and text, f"es catalog lacks {msgid!r}"
    return text


@pytest.fixture
def spanish_teacher_phone(browser, live_app):
    api.reset_languages(live_app, ["teacher"])
    context = browser.new_context(viewport=PHONE, base_url=live_app, locale="es-MX")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()
    api.reset_languages(live_app, ["teacher"])


def test_a_refused_rating_is_said_in_spanish_on_the_teacher_strip(spanish_teacher_phone,
                                                                   live_app):
    page = spanish_teacher_phone
    page.goto("/login")
    page.wait_for_load_state("networkidle")
    page.get_by_label(_es("Username")).fill("teacher")
    page.get_by_label(_es("Password")).fill("waypoint")
    page.get_by_role("button", name=_es("Sign in")).click()
    page.wait_for_url(re.compile(r"/teacher/?$"), timeout=30_000)
    api.wait_synced(page)
    learner = api.user_id(live_app, "student")
    missing = 987654  # no learning target has this id
    page.evaluate("([s, t]) => window.waypoint.rate(s, t, 3, '')", [learner, missing])

    # the reason's own full stop gives way to the sentence's ("987654. No se…", not "..")
    reason = _es(NO_TARGET).replace("{target_id}", str(missing)).rstrip(".")
    words = _es(NOT_SAVED).replace("{reason}", reason)
    alert = page.get_by_role("alert").filter(has_text=words)
    expect(alert).to_be_visible(timeout=30_000)
    # the server's English never reaches the screen
    assert "There is no learning target" not in page.locator("body").inner_text()

    # the words are the phone's, from the code: in English once the teacher picks English
    page.wait_for_selector("html[data-hydrated]")
    page.get_by_label(_es("Language")).select_option("en")
    english = NOT_SAVED.replace("{reason}", NO_TARGET.replace("{target_id}", str(missing))
                                .rstrip("."))
    alert = page.get_by_role("alert").filter(has_text=english)
    expect(alert).to_be_visible()
    assert _es(NO_TARGET).split("{")[0] not in page.locator("body").inner_text()
    alert.get_by_role("button", name="Dismiss").click()
    expect(alert).to_have_count(0)
