"""The catalog pipeline (backend/i18n_catalogs.py): generated files fresh, every locale
complete, extraction of both call shapes, CLDR plural order, English per missing string.

Completeness fails until translators have filled every .po; the lead checks it with
`python -m backend.i18n_catalogs --missing` (one line per gap)."""

import io

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from backend import i18n, i18n_catalogs
from backend.i18n_extract import extract_js, extract_py

TRANSLATED = ("es", "ar", "vi", "zh-Hans")


def test_generated_catalogs_are_what_the_command_writes():
    stale = i18n_catalogs.stale()
    assert stale == [], f"stale: {stale}; run `make catalogs` (python -m backend.i18n_catalogs)"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_locale_has_every_english_message_with_the_same_placeholders(code):
    problems = i18n_catalogs.problems(code)
    assert problems == [], f"{len(problems)} gaps, first: {problems[:5]}"


def test_js_extractor_reads_strings_and_the_plural_object_only():
    source = b"""
    const a = t("Saved on this phone");
    const b = t("{n} left", {n, label: "not a msgid"});
    const c = t({one: "{n} change waiting", other: "{n} changes waiting", n});
    const d = t({"other": 'x {n}', one: `one {n}`, n: 2});
    obj.t("a method of something else"); t(`tmpl ${x}`); // t("in a comment")
    """
    found = [(f, m) for _l, f, m, _c in extract_js(io.BytesIO(source), [], [], {})]
    assert found == [("gettext", "Saved on this phone"), ("gettext", "{n} left"),
                     ("ngettext", ("{n} change waiting", "{n} changes waiting")),
                     ("ngettext", ("one {n}", "x {n}"))]


def test_python_extractor_takes_literal_arguments_only():
    source = b"""
ONE = N_("emerging")
PAIR = N_("{n} score", "{n} scores")
rx.text(t("Hello {name}", name=State.name))
tn("{n} change waiting", "{n} changes waiting", count)
ngettext(sentence["msgid"], sentence["plural"], n)
gettext(f"not {constant}")
"""
    found = [(f, m) for _l, f, m, _c in extract_py(io.BytesIO(source), [], [], {})]
    assert found == [("gettext", "emerging"), ("ngettext", ("{n} score", "{n} scores")),
                     ("gettext", "Hello {name}"),
                     ("ngettext", ("{n} change waiting", "{n} changes waiting"))]


def test_plural_forms_map_to_cldr_categories():
    # gettext's Arabic order is not CLDR's: msgstr[4] is 100-102 ("other"), [5] 11-99
    assert i18n_catalogs.plural_tags("ar") == ["zero", "one", "two", "few", "other", "many"]
    assert i18n_catalogs.plural_tags("es") == ["one", "other"]
    assert i18n_catalogs.plural_tags("zh-Hans") == ["other"]
    assert i18n_catalogs.plural_tags("vi") == ["other"]


def _compile(tmp_path, code, messages):
    """A catalog of `messages` ({msgid | (sing, plural): str | tuple}) compiled where
    backend.i18n looks (LOCALE_DIR monkeypatched to tmp_path)."""
    catalog = Catalog(locale=i18n_catalogs.folder(code))
    for key, value in messages.items():
        catalog.add(key, value)
    folder = tmp_path / i18n_catalogs.folder(code) / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "messages.mo", "wb") as fh:
        write_mo(fh, catalog)
    return catalog


@pytest.fixture
def catalogs_in(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    yield tmp_path
    i18n.translations.cache_clear()


def test_arabic_six_forms_and_chinese_one_in_python_and_json(catalogs_in):
    pair = ("{n} learner", "{n} learners")
    forms = ("zero", "one", "two", "few {n}", "other {n}", "many {n}")
    catalog = _compile(catalogs_in, "ar", {pair: forms})
    said = [i18n.ngettext(*pair, n, locale="ar") for n in (0, 1, 2, 3, 11, 100, 102)]
    assert said == ["zero", "one", "two", "few 3", "many 11", "other 100", "other 102"]
    assert i18n_catalogs.to_json("ar", catalog)["{n} learner"] == {
        "zero": "zero", "one": "one", "two": "two", "few": "few {n}", "other": "other {n}",
        "many": "many {n}"}
    _compile(catalogs_in, "zh-Hans", {pair: ("{n} 名学生",)})
    assert [i18n.ngettext(*pair, n, locale="zh-Hans") for n in (1, 5)] == ["1 名学生", "5 名学生"]


def test_a_removed_translation_is_english_for_that_string_alone(catalogs_in):
    catalog = _compile(catalogs_in, "es", {"Sign in": "Iniciar sesión", "Username": "",
                                           ("{n} learner", "{n} learners"): ("", "")})
    assert i18n.gettext("Sign in", locale="es") == "Iniciar sesión"
    assert i18n.gettext("Username", locale="es") == "Username"
    assert i18n.gettext("Never catalogued {x}", locale="es", x=1) == "Never catalogued 1"
    assert i18n.ngettext("{n} learner", "{n} learners", 3, locale="es") == "3 learners"
    assert i18n_catalogs.to_json("es", catalog) == {"Sign in": "Iniciar sesión"}


def test_placeholders_are_filled_like_the_browser_does():
    assert i18n.fill("Hi {name}, {missing} stays", {"name": "Ana"}) == "Hi Ana, {missing} stays"
    assert i18n.ngettext("{n} change", "{n} changes", 1200, locale="en") == "1,200 changes"


def test_the_seeded_spanish_catalog_is_used():
    assert i18n.gettext("Sign in", locale="es") == "Iniciar sesión"
    assert i18n.gettext("proficient", locale="es") == "competente"
