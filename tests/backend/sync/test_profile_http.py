"""The Personal Learner Profile over HTTP (issue 18): the learner writes it, the teacher adds
an observation, pulls carry it to learner, teacher and guardian; the family export includes
it and deleting the learner removes it."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile

import pytest
from sqlalchemy import func, select

from backend.extensions import db
from backend.models import ProfileEntry, ProfileObservation, ProfileSection, User

PUSH, PULL = "/api/sync/push", "/api/sync/pull"
OBS = "0190f0f1-0000-7000-8000-0000000000aa"


@pytest.fixture(autouse=True)
def _server_time(monkeypatch):
    from backend.sync_server import push as sync_push

    monkeypatch.setattr(sync_push, "now_ms", lambda: 1_700_000_600_000)


def _m(seq: int, name: str, args: dict, node: str, ms: int) -> dict:
    hlc = f"{1_700_000_000_000 + ms:013d}-0000-{node}"
    return {"seq": seq, "name": name, "args": args, "hlc": hlc}


def _push(client, headers, client_id, mutations) -> list[dict]:
    resp = client.post(PUSH, json={"client_id": client_id, "mutations": mutations},
                       headers=headers)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["results"]


def _pulled(client, headers) -> dict[str, list]:
    rows, cursor = [], None
    while True:
        query = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
        page = client.get(PULL, query_string=query, headers=headers).get_json()
        rows.extend(page["changes"])
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    out: dict[str, list] = {}
    for r in rows:
        if r["type"].startswith("profile_"):
            out.setdefault(r["type"], []).append(r)
    return out


def _write_profile(client, auth, maya: int) -> None:
    learner = auth.headers("student")
    both = _push(client, learner, "tablet-maya", [
        _m(1, "profile.section.put", {"student_id": maya, "section": "strengths",
                                      "text": "I explain things", "seen": []}, "tab", 1000),
        _m(2, "profile.section.put", {"student_id": maya, "section": "learn_by",
                                      "text": "Trying it", "seen": [],
                                      "choices": ["doing"]}, "tab", 1001)])
    assert [r["status"] for r in both] == ["applied", "applied"]
    # the phone, offline, wrote the same section without seeing the tablet's text
    phone = _push(client, learner, "phone-maya", [
        _m(1, "profile.section.put", {"student_id": maya, "section": "strengths",
                                      "text": "I am patient", "seen": []}, "ph", 900)])
    assert phone[0]["code"] == "profile.both_kept"
    teacher = _push(client, auth.headers("teacher"), "phone-teacher", [
        _m(1, "profile.observation.put", {"id": OBS, "student_id": maya,
                                          "text": "You help others", "section": "strengths"},
           "tp", 2000)])
    assert teacher == [{"seq": 1, "status": "applied"}]


def test_learner_teacher_and_guardian_read_the_profile_and_only_the_learner_writes_it(
        client, auth, ids, assert_error):
    maya = ids["student"]
    _write_profile(client, auth, maya)
    for who in ("student", "teacher", "guardian"):
        rows = _pulled(client, auth.headers(who))
        (strengths,) = [r for r in rows["profile_section"]
                        if r["data"]["section"] == "strengths"]
        assert strengths["data"]["text"] == "I explain things", who
        assert [a["text"] for a in strengths["data"]["alternatives"]] == ["I am patient"]
        assert len(rows["profile_entry"]) == 3
        assert rows["profile_observation"][0]["data"]["text"] == "You help others"
    # a guardian never writes (the push refuses guardians outright)
    resp = client.post(PUSH, json={"client_id": "phone-guardian", "mutations": [
        _m(1, "profile.section.put", {"student_id": maya, "section": "interests",
                                      "text": "x", "seen": []}, "g", 3000)]},
        headers=auth.headers("guardian"))
    assert_error(resp, 403)
    # the learner resolves: a put that saw both texts; then answers the observation
    learner = auth.headers("student")
    stamps = ["1700000001000-0000-tab", "1700000000900-0000-ph"]
    done = _push(client, learner, "tablet-maya", [
        _m(3, "profile.section.put", {"student_id": maya, "section": "strengths",
                                      "text": "I explain things patiently", "seen": stamps},
           "tab", 4000),
        _m(4, "profile.observation.respond", {"id": OBS, "response": "discuss",
                                              "reply": "Only in maths"}, "tab", 4001)])
    assert done == [{"seq": 3, "status": "applied"}, {"seq": 4, "status": "applied"}]
    rows = _pulled(client, auth.headers("guardian"))
    (strengths,) = [r for r in rows["profile_section"] if r["data"]["section"] == "strengths"]
    assert strengths["data"]["alternatives"] == []
    assert rows["profile_observation"][0]["data"]["response"] == "discuss"


def test_the_export_carries_the_profile_and_deleting_the_learner_removes_it(
        app, client, auth, ids, tmp_path):
    from backend.blobstore import LocalFolderStore

    app.config["EXPORT_INLINE"] = True
    app.extensions["waypoint_blobs"] = LocalFolderStore(tmp_path / "store")
    maya = ids["student"]
    _write_profile(client, auth, maya)
    job = client.post(f"/api/privacy/learners/{maya}/exports",
                      headers=auth.headers("guardian")).get_json()
    zf = zipfile.ZipFile(io.BytesIO(client.get(job["download_url"],
                                               headers=auth.headers("guardian")).data))
    record = json.loads(zf.read("record.json"))
    sections = {s["section"]: s for s in record["profile"]["sections"]}
    assert sections["strengths"]["text"] == "I explain things"
    assert sections["strengths"]["alternatives"][0]["text"] == "I am patient"
    assert sections["learn_by"]["choices"] == ["doing"]
    assert len(record["profile"]["history"]) == 3
    assert record["profile"]["observations"][0]["teacher"]
    assert "I am patient" in zf.read("profile.csv").decode()
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(zf.read("record.pdf"))
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert "Their profile, in their own words" in text and "I explain things" in text
    assert "Doing" in text and "You help others" in text

    # the school's office exports the same record (a records request), access-logged
    admin = auth.headers("admin")
    job = client.post(f"/api/privacy/learners/{maya}/exports", headers=admin).get_json()
    zf = zipfile.ZipFile(io.BytesIO(client.get(job["download_url"], headers=admin).data))
    record = json.loads(zf.read("record.json"))
    assert {s["section"] for s in record["profile"]["sections"]} >= {"strengths", "learn_by"}
    with app.app_context():
        from backend.models import AccessEntry

        assert db.session.scalar(select(func.count()).select_from(AccessEntry).where(
            AccessEntry.learner_id == maya, AccessEntry.kind == "export")) >= 2

    assert client.patch(f"/api/privacy/learners/{maya}", json={"is_withdrawn": True},
                        headers=admin).status_code == 200
    with app.app_context():
        username = db.session.get(User, maya).username
    resp = client.delete(f"/api/privacy/learners/{maya}", json={"confirm": username},
                         headers=admin)
    assert resp.status_code == 200, resp.get_json()
    with app.app_context():
        for model in (ProfileSection, ProfileEntry, ProfileObservation):
            assert db.session.scalar(select(func.count()).select_from(model).where(
                model.student_id == maya)) == 0, model


def test_a_year_of_observations_reads_as_the_newest_50_with_the_total(client, auth, ids):
    """GET /api/learners/<id>/profile is a page's read: the newest 50 observations and
    history entries, oldest first, with how many there are (the export has them all)."""
    maya = ids["student"]
    teacher = auth.headers("teacher")
    notes = [_m(i + 1, "profile.observation.put",
                {"id": f"0190f0f1-0000-7000-8000-{i:012d}", "student_id": maya,
                 "text": f"Noticed {i}"}, "tp", 10_000 + i) for i in range(60)]
    for start in range(0, 60, 20):
        results = _push(client, teacher, "tablet-teacher", notes[start:start + 20])
        assert {r["status"] for r in results} == {"applied"}
    _write_profile(client, auth, maya)  # 3 history entries and one more observation
    record = client.get(f"/api/learners/{maya}/profile",
                        headers=auth.headers("guardian")).get_json()
    assert record["observations_total"] == 61
    texts = [o["text"] for o in record["observations"]]
    assert len(texts) == 50
    assert texts[-1] == "You help others" and texts[0] == "Noticed 11"  # the newest 50
    assert record["history_total"] == len(record["history"]) == 3
