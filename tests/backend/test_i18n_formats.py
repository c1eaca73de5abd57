"""backend/i18n.py: locale negotiation and one format per locale per kind. The expected
strings are the ones tests/js/i18n.test.js expects from Intl (same CLDR patterns)."""

from datetime import date, datetime

import pytest

from backend import i18n


@pytest.mark.parametrize(("tags", "code"), [
    (["es-MX"], "es"), (["zh-CN"], "zh-Hans"), (["zh-Hans-SG"], "zh-Hans"),
    (["zh-TW", "fr"], "en"), (["fr-FR", "vi-VN", "en"], "vi"), ([], "en"), (["AR"], "ar"),
])
def test_negotiate(tags, code):
    assert i18n.negotiate(tags) == code


def test_dates_one_format_per_locale_and_kind():
    day, moment = date(2026, 10, 22), datetime(2026, 10, 22, 14, 5)
    assert i18n.format_date(day, "date", "en") == "Oct 22, 2026"
    assert i18n.format_date("2026-10-22", "date", "es") == "22 oct 2026"
    assert i18n.format_date(moment, "weekdayTime", "es") == "jueves, 14:05"
    assert i18n.format_date(moment, "dateTime", "en") == "Oct 22, 2026, 2:05\u202fPM"
    assert i18n.format_date(moment, "dateTime", "es") == "22 oct 2026, 14:05"
    assert i18n.format_date(None) == ""


def test_numbers_and_paper():
    assert i18n.format_number(1234.5, "es") == "1234,5"
    assert i18n.format_number(1234.5, "en") == "1,234.5"
    assert [i18n.paper_size(code) for code in i18n.LOCALES] == ["letter", "A4", "A4", "A4", "A4"]
    assert i18n.paper_size("es", region="US") == "letter"


def test_rtl():
    assert i18n.is_rtl("ar") and not i18n.is_rtl("es")


def test_the_browser_knows_the_same_five_languages_and_names():
    """assets/ui/i18n.js repeats LOCALES and NAMES (it must start with no server): equal."""
    import json
    import re
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "assets/ui/i18n.js").read_text()
    locales = re.search(r"export const LOCALES = (\[.*?\]);", source)[1]
    names = re.search(r"export const NAMES = (\{.*?\});", source)[1]
    assert json.loads(locales) == list(i18n.LOCALES)
    as_json = re.sub(r"([{,]\s*)([A-Za-z]+):", r'\1"\2":', names)
    assert json.loads(as_json) == i18n.NAMES
    assert re.search(r'new Set\(\["ar"\]\)', source)
    assert set(i18n.RTL_LOCALES) == {"ar"}
