"""Reports in the family's language: the guardian's setting is the default for the child's
report, a teacher may choose another, paper is US Letter for English and A4 elsewhere, and
an Arabic report is right-to-left with Arabic text a reader (and pdftotext) can get at."""

import re
import shutil
import subprocess
from datetime import date

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.i18n import format_date, gettext
from backend.models import User

LETTER = (612, 792)  # points
A4 = (595, 842)


def _pdf(data: bytes, tmp_path) -> tuple[tuple[int, int], str]:
    """(page size in whole points, text) from Debian's poppler-utils."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: run `make system-test-deps` (poppler-utils)")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    size = (round(float(found[1])), round(float(found[2])))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return size, " ".join(text.split())


def _report(client, auth, ids, kind="progress", **query):
    resp = client.get(f"/api/interop/reports/{kind}/{ids['student']}",
                      headers=auth.headers("teacher"), query_string=query)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    return resp


def _guardian_reads(app, locale):
    with app.app_context():
        guardian = db.session.scalar(select(User).where(User.username == "guardian"))
        guardian.locale = locale
        db.session.commit()


def test_english_report_is_on_letter(client, auth, ids, tmp_path):
    size, text = _pdf(_report(client, auth, ids).data, tmp_path)
    assert size == LETTER
    assert "Progress report" in text and "Academic learning" in text
    assert "Page 1 of" in text
    assert format_date(date.today(), "date", "en") in text


def test_the_guardians_language_is_the_default(app, client, auth, ids, tmp_path):
    _guardian_reads(app, "es")
    size, text = _pdf(_report(client, auth, ids).data, tmp_path)
    assert size == A4
    assert "Informe de progreso" in text and "Aprendizaje académico" in text
    assert "Página 1 de" in text
    assert "Progress report" not in text and "Academic learning" not in text
    assert format_date(date.today(), "date", "es") in text  # Babel's Spanish date


def test_a_teacher_may_choose_the_language(app, client, auth, ids, tmp_path):
    _guardian_reads(app, "es")
    size, text = _pdf(_report(client, auth, ids, locale="en").data, tmp_path)
    assert size == LETTER and "Progress report" in text
    size, text = _pdf(_report(client, auth, ids, kind="transcript", locale="es").data,
                      tmp_path)
    assert size == A4 and "Expediente académico" in text


def test_an_unknown_language_is_refused_in_plain_words(client, auth, ids, assert_error):
    resp = client.get(f"/api/interop/reports/progress/{ids['student']}",
                      headers=auth.headers("teacher"), query_string={"locale": "xx"})
    err = assert_error(resp, 422)
    assert err["message"].startswith("Choose one of: en, es, ar")


def test_an_arabic_report_is_right_to_left_with_arabic_text(app, client, auth, ids,
                                                             tmp_path):
    name = "مريم الحسيني"  # a learner's name in Arabic script: shaped, joined, extractable
    with app.app_context():
        db.session.get(User, ids["student"]).display_name = name
        db.session.commit()
    page = _report(client, auth, ids, locale="ar", format="html").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "size: A4" in page
    size, text = _pdf(_report(client, auth, ids, locale="ar").data, tmp_path)
    assert size == A4
    # WeasyPrint found Arabic glyphs (a missing font gives boxes and no text) and the
    # words come out whole, in reading order or reversed (pdftotext's choice)
    assert name in text or name[::-1] in text or all(
        word in text or word[::-1] in text for word in name.split()), text[:500]
    assert gettext("Progress report", locale="ar") in text  # the catalog's words


def test_a_class_batch_in_spanish(app, client, auth, tmp_path):
    from backend.models import SchoolClass

    with app.app_context():
        class_id = db.session.scalar(select(SchoolClass.id).where(
            SchoolClass.name == "Math Studio A"))
    resp = client.post("/api/interop/reports/batch", headers=auth.headers("teacher"),
                       json={"class_id": class_id, "kind": "progress", "locale": "es",
                             "wait": True})
    job = resp.get_json()
    assert resp.status_code == 200 and job["status"] == "done", job
    pdf = client.get(f"/api/interop/jobs/{job['id']}/result", headers=auth.headers("teacher"))
    size, text = _pdf(pdf.data, tmp_path)
    assert size == A4
    assert text.count("Informe de progreso") >= job["report"]["learners"]
    assert "Progress report" not in text


def test_a_chinese_report_has_chinese_text(client, auth, ids, tmp_path):
    size, text = _pdf(_report(client, auth, ids, locale="zh-Hans").data, tmp_path)
    assert size == A4
    # Babel's Chinese date ("2026年12月6日") extracts as text, set in a CJK font (pango
    # falls back to hex boxes when no installed font has the glyphs)
    assert format_date(date.today(), "date", "zh-Hans") in text, text[:300]
    path = tmp_path / "zh.pdf"
    path.write_bytes(_report(client, auth, ids, locale="zh-Hans").data)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout
    assert any(name in fonts for name in ("WenQuanYi", "CJK", "Hei", "Song")), fonts
