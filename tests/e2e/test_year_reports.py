"""On a school year (`live_year_app`): a teacher signs in and prints a whole class's
transcripts; the job ends, every learner is in the file, and the page says so. Then the
same transcripts with each learner's signed CLR 2.0 record, as a zip."""

import io
import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_teacher_prints_a_year_class_of_transcripts(live_year_app, year_phone, sign_in):
    page = year_phone
    sign_in(page, "year-teacher1")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page).to_have_url(re.compile(r"/teacher/reports/?$"))
    # the class with the 1,000-goal and the 400-evidence learners
    row = page.get_by_text("Math & Science 1").locator("..")
    with page.expect_download(timeout=600_000) as download:
        row.get_by_role("button", name="Transcripts", exact=True).click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    done = page.get_by_role("status").filter(has_text="Done: 28 of 28 reports.")
    expect(done.first).to_be_visible()

    with page.expect_download(timeout=600_000) as download:
        row.get_by_role("button", name="Transcripts with learner records (CLR)").click()
    assert download.value.suggested_filename.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    records = [n for n in archive.namelist() if n.startswith("records/")]
    assert len(records) == 28
    envelope = json.loads(archive.read(records[0]))
    assert envelope["type"] == "EnvelopedVerifiableCredential"
    verdict = page.request.post(page.url.split("/teacher")[0] + "/api/credentials/verify",
                                data={"credential": envelope}).json()
    assert verdict["verdict"] == "authentic", verdict
    expect(done.first).to_be_visible()
