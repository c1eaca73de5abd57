"""Downloads (issue 13, findings 6 and 8): CSV cells never run as formulas; file names from
people (a class, a username) reach Content-Disposition only as RFC 6266/5987 ASCII.

The class-report download is also driven through a2wsgi, the WSGI bridge `make run`
serves the API with: a header it cannot encode is where the plain-text 500 came from.
"""

import csv
import io
import time
from urllib.parse import quote

import pytest
from a2wsgi import WSGIMiddleware
from sqlalchemy import select
from starlette.testclient import TestClient

from backend.downloads import content_disposition, csv_text, safe_cell
from backend.extensions import db
from backend.models import LearningTarget, SchoolClass, User

HOSTILE = ["=HYPERLINK(\"http://x.invalid\",\"click\")", "+1+2", "-3+4", "@SUM(A1)",
           "\tTab first", "\rReturn first"]
CLASS_NAME = 'Matemáticas 数学 "A"\r\nX-Injected: 1'


@pytest.mark.parametrize("cell", HOSTILE)
def test_a_cell_that_starts_like_a_formula_is_prefixed_with_a_quote(cell):
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Read 3 books", "2.5", "", "a=b", "x-y", None, 42])
def test_other_cells_are_kept_as_they_are(cell):
    assert safe_cell(cell) == ("" if cell is None else str(cell))


def test_every_cell_is_quoted_and_quotes_are_doubled():
    text = csv_text(["a", "b"], [['say "hi"', "=1"]])
    assert text == '"a","b"\r\n"say ""hi""","\'=1"\r\n'


def _poison(app, student_id: int) -> None:
    """The learner's name and their school's first targets start like formulas."""
    with app.app_context():
        db.session.get(User, student_id).display_name = HOSTILE[0]
        targets = db.session.scalars(select(LearningTarget).order_by(LearningTarget.id)
                                     .limit(len(HOSTILE) - 1)).all()
        for target, value in zip(targets, HOSTILE[1:], strict=True):
            target.title = value
        db.session.commit()
        db.session.remove()


def test_binder_csv_neutralises_every_formula_cell(app, client, auth, ids):
    _poison(app, ids["student"])
    resp = client.get(f"/api/interop/binder.csv?student_id={ids['student']}",
                      headers=auth.headers("teacher"))
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert resp.headers["Content-Disposition"] == 'attachment; filename="binder.csv"'
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True))))
    cells = [cell for row in rows for cell in row]
    assert cells and not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    for value in HOSTILE:
        assert "'" + value in cells
    assert all(line.startswith('"') for line in resp.get_data(as_text=True).split("\r\n")
               if line)


def test_the_binder_export_from_the_cli_is_neutralised_too(app, ids, tmp_path):
    _poison(app, ids["student"])
    out = tmp_path / "binder.csv"
    result = app.test_cli_runner().invoke(args=["export-binder", "-o", str(out)])
    assert result.exit_code == 0, result.output
    cells = [cell for row in csv.reader(io.StringIO(out.read_text(), newline=""))
             for cell in row]
    assert "'" + HOSTILE[0] in cells and HOSTILE[0] not in cells


@pytest.mark.parametrize("name", [
    "binder.csv", "progress-Matemáticas 6º.pdf", "数学.pdf", 'a"b\r\nX-Evil: 1.pdf', "",
    "../../etc/passwd", "tab\there.pdf"])
def test_content_disposition_is_ascii_with_the_real_name_in_utf8(name):
    value = content_disposition(name)
    assert value.isascii() and "\r" not in value and "\n" not in value
    fallback = value.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback and '"' not in fallback and "/" not in fallback and "\\" not in fallback
    if "filename*=" in value:
        real = value.split("filename*=UTF-8''", 1)[1]
        assert real == quote(real, safe="%")  # only percent-escapes, nothing raw


def _batch(client, headers, class_id) -> dict:
    job = client.post("/api/interop/reports/batch", headers=headers,
                      json={"class_id": class_id, "kind": "progress"}).get_json()
    deadline = time.monotonic() + 120
    while job["status"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.2)
        job = client.get(f"/api/interop/jobs/{job['id']}", headers=headers).get_json()
    assert job["status"] == "done", job
    return job


def test_a_class_report_named_in_any_language_downloads_through_the_wsgi_bridge(app, auth):
    with app.app_context():
        cls = db.session.scalar(select(SchoolClass).where(SchoolClass.name == "Math Studio A"))
        cls.name, class_id = CLASS_NAME, cls.id
        db.session.commit()
        db.session.remove()
    headers = auth.headers("teacher")
    job = _batch(app.test_client(), headers, class_id)
    with TestClient(WSGIMiddleware(app)) as bridge:
        resp = bridge.get(f"/api/interop/jobs/{job['id']}/result", headers=headers)
    assert resp.status_code == 200, resp.text[:300]
    assert resp.headers["content-type"] == "application/pdf"
    assert "x-injected" not in resp.headers
    value = resp.headers["content-disposition"]
    assert value.startswith('attachment; filename="progress-Matematicas')
    assert "filename*=UTF-8''progress-Matem%C3%A1ticas%20%E6%95%B0%E5%AD%A6%20%22A%22" in value


def test_a_learner_report_for_a_non_ascii_username_is_a_clean_inline_pdf(app, client, auth,
                                                                          ids):
    with app.app_context():
        db.session.get(User, ids["student"]).username = "maría.ñ"
        db.session.commit()
        db.session.remove()
    resp = client.get(f"/api/interop/reports/progress/{ids['student']}",
                      headers=auth.headers("teacher"))
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.headers["Content-Disposition"] == (
        "inline; filename=\"progress-maria.n.pdf\"; "
        "filename*=UTF-8''progress-mar%C3%ADa.%C3%B1.pdf")


def test_every_download_and_csv_goes_through_the_one_helper():
    """No view builds Content-Disposition by hand, and no module writes CSV but the helper."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3] / "backend"
    by_hand, writers = [], []
    for path in root.rglob("*.py"):
        if path.name == "downloads.py" and path.parent == root:
            continue
        text = path.read_text()
        for line in text.splitlines():
            if "Content-Disposition" in line and "content_disposition(" not in line:
                by_hand.append(f"{path.relative_to(root)}: {line.strip()}")
        if re.search(r"csv\.(writer|DictWriter)\(", text):
            writers.append(str(path.relative_to(root)))
    assert not by_hand, "use backend.downloads.content_disposition:\n" + "\n".join(by_hand)
    assert not writers, f"use backend.downloads.csv_text in {writers}"
