"""Reports to HTML (Jinja, print-friendly) and PDF (WeasyPrint, which needs Debian's pango),
in a language: every fixed word through the catalog (`gettext`/`ngettext` in the
templates, extracted by babel.cfg's jinja2 line), dates and numbers through Babel
(backend/i18n.py), the paper the locale's families print on (US Letter for English, A4
elsewhere) and right-to-left pages for Arabic.

Whose language: the one a teacher chose for the report, else the guardian's (users.locale;
the report goes home to them), else the reader's.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy import select

from backend.extensions import db
from backend.i18n import (
    DEFAULT_LOCALE,
    N_,
    current_locale,
    format_date,
    format_number,
    gettext,
    is_rtl,
    ngettext,
    normalize,
    paper_size,
)
from backend.models import GuardianLink, User
from backend.reports.data import BUILDERS

KINDS = tuple(BUILDERS)
TITLES = {"progress": N_("Progress report"), "transcript": N_("Transcript"),
          "conference": N_("Student-led conference")}
PAGE_OF = N_("Page {page} of {pages}")
_PLACEHOLDER = re.compile(r"\{(page|pages)\}")


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_counter_css(locale: str) -> Markup:
    """The footer's "Page 2 of 5" as CSS `content` (counters in the translated sentence's
    own order: one msgid, the counters put where the language puts the numbers)."""
    parts, at = [], 0
    sentence = gettext(PAGE_OF, locale=locale)
    for found in _PLACEHOLDER.finditer(sentence):
        if found.start() > at:
            parts.append(_css_string(sentence[at:found.start()]))
        parts.append(f"counter({found[1]})")
        at = found.end()
    if at < len(sentence):
        parts.append(_css_string(sentence[at:]))
    return Markup(" ".join(parts))  # digits as Babel writes the locale's (format_number)


def _level(value, locale: str) -> str:
    """A level as shown ("2.5", "–"): one decimal, in the locale's digits."""
    from babel.numbers import format_decimal

    if value in (None, "", "–"):
        return "–"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return format_decimal(number, format="0.0", locale=locale.replace("-", "_"),
                          numbering_system="default")


def _day(value, locale: str) -> str:
    """A date in the locale's one format ("22 oct 2026"); text that is not a date as is."""
    if not value:
        return ""
    try:
        return format_date(value, "date", locale)
    except (TypeError, ValueError):
        return str(value)


@cache
def environment(locale: str) -> Environment:
    """The templates with this locale's words, dates and numbers (one per locale)."""
    env = Environment(loader=PackageLoader("backend.reports", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.globals.update(
        gettext=lambda msgid, **params: gettext(msgid, locale=locale, **params) if msgid
        else "",
        ngettext=lambda one, other, n, **params: ngettext(one, other, n, locale=locale,
                                                          **params),
        lang=locale, dir="rtl" if is_rtl(locale) else "ltr", paper=paper_size(locale),
        page_of=page_counter_css(locale))
    env.filters["day"] = lambda d: _day(d, locale)
    env.filters["level"] = lambda v: _level(v, locale)
    env.filters["number"] = lambda v: format_number(v, locale) if v is not None else ""
    return env


def report_locale(learner: User, chosen: str | None = None,
                  fallback: str | None = None) -> str:
    """The language of `learner`'s report: `chosen` (the teacher's pick), else the first
    linked guardian's setting who has one, else `fallback` (or the reader's language)."""
    if normalize(chosen):
        return normalize(chosen)
    settings = db.session.scalars(
        select(User.locale).join(GuardianLink, GuardianLink.guardian_id == User.id)
        .where(GuardianLink.student_id == learner.id, User.locale.is_not(None),
               User.is_active.is_(True))
        .order_by(GuardianLink.id).limit(10))
    for setting in settings:
        if normalize(setting):
            return normalize(setting)
    return normalize(fallback) or current_locale() or DEFAULT_LOCALE


def render_html(kind: str, learner: User, *, today: date | None = None,
                evidence_ids: list[str] | None = None, locale: str | None = None) -> str:
    """One learner's report as a standalone, print-friendly HTML page, in `locale` (by
    default the guardian's language: report_locale)."""
    today = today or date.today()
    locale = normalize(locale) or report_locale(learner)
    context = BUILDERS[kind](learner, today, evidence_ids=evidence_ids)
    return environment(locale).get_template(f"{kind}.html").render(
        title=gettext(TITLES[kind], locale=locale), kind=kind, **context)


def _document(html: str):
    from weasyprint import HTML  # imported on use: it loads pango, which takes a moment

    return HTML(string=html, base_url=".").render()


def render_pdf(kind: str, learner: User, **kwargs) -> bytes:
    """One learner's report as a PDF."""
    return _document(render_html(kind, learner, **kwargs)).write_pdf()


def learner_document(kind: str, learner: User, today: date, locale: str | None = None):
    """One learner's report laid out (a WeasyPrint document), for a class's batch."""
    return _document(render_html(kind, learner, today=today, locale=locale))


def combine_documents(kind: str, documents: list, failures: list[dict],
                      locale: str = DEFAULT_LOCALE) -> bytes:
    """Learners' documents as one PDF, each starting on a new page, then a page listing
    the learners left out (if any), in the teacher's `locale`."""
    env = environment(normalize(locale) or DEFAULT_LOCALE)
    if failures:
        documents = [*documents, _document(env.get_template("left_out.html").render(
            title=gettext(TITLES[kind], locale=locale), failures=failures))]
    if not documents:
        return _document(env.get_template("empty.html").render(
            title=gettext(TITLES[kind], locale=locale))).write_pdf()
    pages = [page for doc in documents for page in doc.pages]
    return documents[0].copy(pages).write_pdf()
