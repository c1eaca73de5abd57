"""A Spanish-speaking parent's page heading is Spanish too (issue 15): headings that were
passed to the page shell as English strings ("My family") now go through t(), so the one
h1 a screen reader announces first follows the reader's language, as do the browser tab's
title and the access-log section under it ("Who has looked at your child's record")."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import teaching_api as api

pytestmark = pytest.mark.browser


@pytest.fixture
def spanish_family(browser, live_app):
    # before too: any earlier sign-in on an English browser gave the account "en"
    api.reset_languages(live_app, ["guardian"])
    context = browser.new_context(viewport={"width": 375, "height": 812}, base_url=live_app,
                                  locale="es-MX")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()
    api.reset_languages(live_app, ["guardian"])


def test_a_spanish_family_reads_a_spanish_h1(spanish_family):
    page = spanish_family
    page.goto("/login")
    page.get_by_label("Usuario").fill("guardian")
    page.get_by_label("Contraseña").fill("waypoint")
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).to_have_url(re.compile(r"/family/?$"), timeout=30_000)
    h1 = page.get_by_role("heading", level=1)
    expect(h1).to_have_text("Mi familia", timeout=30_000)
    # the browser tab too (app/components/tab_title.py), not only the h1
    expect(page).to_have_title("Mi familia · Waypoint")
    expect(page.get_by_role("heading", name="Quién ha visto el expediente de su hijo o hija",
                            level=2)).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="My family")).to_have_count(0)
