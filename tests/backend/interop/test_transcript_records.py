"""Transcripts with learner records (issue 17): the class's transcript batch can come as a
zip of the PDF and each learner's signed CLR 2.0 record, and every record verifies."""

import io
import json
import zipfile

import jwt
import pytest

from tests.backend.credentials.helpers import meet_topic
from tests.backend.interop.test_report_jobs import HOOK, _class, _finish

BATCH = "/api/interop/reports/batch"


@pytest.fixture
def app(make_app):
    return make_app(REPORT_RENDERER=HOOK, REPORT_LEARNER_SECONDS=30)


def _records_batch(client, headers, class_id, **extra) -> dict:
    resp = client.post(BATCH, headers=headers, json={"class_id": class_id, "kind": "transcript",
                                                     "with_records": True, **extra})
    assert resp.status_code == 202, resp.get_json()
    return resp.get_json()


def _payload(envelope: dict) -> dict:
    token = envelope["id"].removeprefix("data:application/vc+jwt,")
    return jwt.decode(token, options={"verify_signature": False})


def test_transcripts_with_records_zip_every_learners_signed_clr(app, client, auth, ids):
    class_id, names = _class(app)
    meet_topic(app, ids["student"])  # the demo learner has a credential to carry
    headers = auth.headers("teacher")
    job = _finish(client, headers, _records_batch(client, headers, class_id))
    assert job["status"] == "done", job
    assert job["report"]["records"] == len(names)
    assert job["filename"].endswith(".zip")
    resp = client.get(f"/api/interop/jobs/{job['id']}/result", headers=headers)
    assert resp.status_code == 200
    assert resp.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(resp.data))
    files = archive.namelist()
    pdfs = [f for f in files if f.endswith(".pdf")]
    assert len(pdfs) == 1 and archive.read(pdfs[0]).startswith(b"%PDF")
    assert "README.txt" in files and "/verify" in archive.read("README.txt").decode()
    records = [f for f in files if f.startswith("records/")]
    assert len(records) == len(names)
    subjects = set()
    for name in records:
        envelope = json.loads(archive.read(name))
        verdict = client.post("/api/credentials/verify", json={"credential": envelope})
        assert verdict.status_code == 200
        assert verdict.get_json()["verdict"] == "authentic", (name, verdict.get_json())
        payload = _payload(envelope)
        assert "ClrCredential" in payload["type"]
        shown = {i["identityType"]: i["identityHash"]
                 for i in payload["credentialSubject"]["identifier"]}
        subjects.add(shown["name"])
        if name.endswith(f"-{ids['student']}.clr.json"):  # the credential travels inside
            inner = payload["credentialSubject"]["verifiableCredential"]
            assert len(inner) == 1 and "OpenBadgeCredential" in inner[0]["type"]
    assert subjects == set(names.values())  # one record per learner, each learner once


def test_records_only_with_transcripts_is_a_clear_422(client, auth, app):
    class_id, _ = _class(app)
    resp = client.post(BATCH, headers=auth.headers("teacher"),
                       json={"class_id": class_id, "kind": "progress", "with_records": True})
    assert resp.status_code == 422
    body = resp.get_json()
    assert "transcripts only" in body["message"]
    assert "with_records" in json.dumps(body)


def test_a_rerun_keeps_the_records(app, client, auth):
    class_id, names = _class(app)
    headers = auth.headers("teacher")
    first = _finish(client, headers, _records_batch(client, headers, class_id))
    resp = client.post(f"/api/interop/jobs/{first['id']}/rerun", headers=headers, json={})
    assert resp.status_code == 202, resp.get_json()
    again = _finish(client, headers, resp.get_json())
    assert again["status"] == "done" and again["filename"] == first["filename"]
    assert again["report"]["records"] == len(names)
