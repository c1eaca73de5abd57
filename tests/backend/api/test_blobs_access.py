"""Issue 13 #4: a sha256 proves nothing. Evidence may cite only a file its own learner sent,
and a file is read only by its sender or through evidence whose learner sent it; everyone
else gets the same 404 as for a file that does not exist, on GET and on HEAD."""

import hashlib
import io
import uuid

import pytest
from PIL import Image
from sqlalchemy import select

from backend.extensions import db
from backend.models import Evidence, Goal

OCTETS = "application/offset+octet-stream"
HLC = "1790000000000-0000-{node}"


def _photo(colour=(30, 120, 200)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def _upload(client, headers, data: bytes, upto: int | None = None) -> str:
    sha = hashlib.sha256(data).hexdigest()
    end = len(data) if upto is None else upto
    resp = client.patch(f"/api/blobs/{sha}", data=data[:end], headers={
        **headers, "Content-Type": OCTETS, "Upload-Offset": "0",
        "Upload-Length": str(len(data))})
    assert resp.status_code == 204, resp.get_data(as_text=True)
    return sha


def _evidence(seq: int, student_id: int, sha: str | None, node: str) -> dict:
    args = {"id": str(uuid.uuid4()), "student_id": student_id, "kind": "photo",
            "caption": f"photo {seq}", "submitted": True}
    if sha:
        args["blob_sha256"] = sha
    return {"seq": seq, "name": "evidence.put", "hlc": HLC.format(node=node), "args": args}


def _goal(seq: int, student_id: int, node: str) -> dict:
    return {"seq": seq, "name": "goal.put", "hlc": HLC.format(node=node),
            "args": {"id": str(uuid.uuid4()), "student_id": student_id, "title": f"Goal {seq}"}}


def _push(client, headers, client_id: str, mutations: list) -> list[dict]:
    resp = client.post("/api/sync/push", headers=headers,
                       json={"client_id": client_id, "mutations": mutations})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()["results"]


def _reads(client, auth, sha: str, people) -> dict[str, tuple[int, int]]:
    """(GET, HEAD) status of `sha` for each person."""
    return {who: (client.get(f"/api/blobs/{sha}", headers=auth.headers(who)).status_code,
                  client.head(f"/api/blobs/{sha}", headers=auth.headers(who)).status_code)
            for who in people}


@pytest.fixture
def maya_photo(client, auth, ids):
    """student (Maya) uploads a photo and cites it in her own evidence."""
    sha = _upload(client, auth.headers("student"), _photo())
    results = _push(client, auth.headers("student"), "maya-tablet",
                    [_evidence(1, ids["student"], sha, "maya")])
    assert results[0]["status"] == "applied"
    return sha


def test_a_learner_cannot_cite_a_file_another_learner_sent(app, client, auth, ids,
                                                           maya_photo):
    eli = auth.headers("student2")
    results = _push(client, eli, "eli-tablet", [
        _goal(1, ids["student2"], "eli"),
        _evidence(2, ids["student2"], maya_photo, "eli"),
        _goal(3, ids["student2"], "eli")])
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert results[1]["code"] == "ref.file_not_sent"
    assert "not sent from this learner's account" in results[1]["reason"]
    # nothing of the refused evidence was written; the goals around it were
    with app.app_context():
        assert db.session.scalars(select(Evidence.student_id).where(
            Evidence.blob_sha256 == maya_photo)).all() == [ids["student"]]
        titles = set(db.session.scalars(select(Goal.title).where(
            Goal.student_id == ids["student2"])))
        assert {"Goal 1", "Goal 3"} <= titles
        db.session.remove()
    # Eli and his guardian learn nothing about Maya's photo: the 404 of no file at all
    unknown = hashlib.sha256(b"no such file").hexdigest()
    for who in ("student2", "guardian2"):
        assert _reads(client, auth, maya_photo, [who]) == {who: (404, 404)}
        got = client.get(f"/api/blobs/{maya_photo}", headers=auth.headers(who))
        none = client.get(f"/api/blobs/{unknown}", headers=auth.headers(who))
        assert got.get_json() == none.get_json()
        head = client.head(f"/api/blobs/{maya_photo}", headers=auth.headers(who))
        head_none = client.head(f"/api/blobs/{unknown}", headers=auth.headers(who))
        assert dict(head.headers) == dict(head_none.headers)


def test_a_citation_already_in_the_database_grants_no_read(app, client, auth, ids, maya_photo):
    """Evidence written before the fix (or by any other path) citing someone else's file:
    reading goes through the citing learner's own upload, so it still reads nothing."""
    with app.app_context():
        db.session.add(Evidence(id=str(uuid.uuid4()), student_id=ids["student2"], kind="photo",
                                caption="not mine", blob_sha256=maya_photo, is_submitted=True))
        db.session.commit()
        db.session.remove()
    assert _reads(client, auth, maya_photo, ["student2", "guardian2"]) == {
        "student2": (404, 404), "guardian2": (404, 404)}
    thumb = client.get(f"/api/blobs/{maya_photo}?size=thumb", headers=auth.headers("guardian2"))
    assert thumb.status_code == 404


def test_sender_teacher_guardian_and_admin_still_read(client, auth, ids, maya_photo):
    for who in ("student", "teacher", "guardian", "admin"):
        for query in ("", "?size=thumb"):
            resp = client.get(f"/api/blobs/{maya_photo}{query}", headers=auth.headers(who))
            assert resp.status_code == 200, (who, query)
            assert resp.mimetype == "image/jpeg"
    # HEAD speaks of one's own upload: only Maya sent this file
    assert client.head(f"/api/blobs/{maya_photo}", headers=auth.headers("student")).status_code \
        == 200
    assert client.head(f"/api/blobs/{maya_photo}", headers=auth.headers("teacher")).status_code \
        == 404


def test_a_file_nobody_cites_is_read_only_by_its_sender(client, auth):
    sha = _upload(client, auth.headers("student"), _photo((200, 40, 40)))
    assert _reads(client, auth, sha, ["student", "teacher", "guardian", "admin"]) == {
        "student": (200, 200), "teacher": (404, 404), "guardian": (404, 404),
        "admin": (404, 404)}


def test_deleted_evidence_no_longer_opens_its_file(client, auth, ids):
    maya = auth.headers("student")
    sha = _upload(client, maya, _photo((10, 200, 10)))
    put = _evidence(1, ids["student"], sha, "maya")
    assert _push(client, maya, "maya-phone", [put])[0]["status"] == "applied"
    assert client.get(f"/api/blobs/{sha}", headers=auth.headers("guardian")).status_code == 200
    delete = {"seq": 2, "name": "evidence.delete", "hlc": "1790000000001-0000-maya",
              "args": {"id": put["args"]["id"]}}
    assert _push(client, maya, "maya-phone", [delete])[0]["status"] == "applied"
    assert client.get(f"/api/blobs/{sha}", headers=auth.headers("guardian")).status_code == 404
    assert client.get(f"/api/blobs/{sha}", headers=maya).status_code == 200  # her own upload


def test_two_learners_who_both_send_the_same_file_may_both_cite_it(client, auth, ids,
                                                                   maya_photo):
    """A worksheet handed to the whole class: same bytes, same sha. Each learner proves
    possession by sending every byte; the stored file is shared."""
    eli = auth.headers("student2")
    data = _photo()  # the same bytes as Maya's photo
    # Eli has started sending it: he may cite it, but nobody reads it through him yet
    _upload(client, eli, data, upto=100)
    results = _push(client, eli, "eli-tablet", [_evidence(1, ids["student2"], maya_photo, "eli")])
    assert results[0]["status"] == "applied"
    assert client.get(f"/api/blobs/{maya_photo}", headers=auth.headers("guardian2")).status_code \
        == 404
    resp = client.patch(f"/api/blobs/{maya_photo}", data=data[100:], headers={
        **eli, "Content-Type": OCTETS, "Upload-Offset": "100"})
    assert resp.status_code == 204
    assert _reads(client, auth, maya_photo, ["student2", "guardian2"]) == {
        "student2": (200, 200), "guardian2": (200, 404)}


def test_a_report_never_embeds_a_file_its_learner_did_not_send(app, client, auth, ids,
                                                               maya_photo):
    with app.app_context():
        for learner, caption in (("student", "Maya photo"), ("student2", "Eli citing Maya photo")):
            db.session.add(Evidence(id=str(uuid.uuid4()), student_id=ids[learner],
                                    kind="photo", caption=caption, blob_sha256=maya_photo,
                                    review_status="approved", is_submitted=True))
        db.session.commit()
        db.session.remove()

    def report(learner: str, reader: str) -> str:
        resp = client.get(f"/api/interop/reports/progress/{ids[learner]}?format=html",
                          headers=auth.headers(reader))
        assert resp.status_code == 200
        return resp.get_data(as_text=True)

    assert "data:image/jpeg" in report("student", "guardian")
    eli = report("student2", "guardian2")
    assert "Eli citing Maya photo" in eli and "data:image/jpeg" not in eli


def test_a_family_export_never_packs_a_file_its_learner_did_not_send(app, ids, maya_photo):
    import zipfile

    from backend.models import User
    from backend.services.record_zip import build_zip

    with app.app_context():
        for learner in ("student", "student2"):
            db.session.add(Evidence(id=f"export-{learner}", student_id=ids[learner],
                                    kind="photo", caption="a photo", blob_sha256=maya_photo))
        db.session.commit()
        names = {}
        for learner in ("student", "student2"):
            data = build_zip(db.session.get(User, ids[learner]), lambda *_: None)
            names[learner] = zipfile.ZipFile(io.BytesIO(data)).namelist()
        db.session.remove()
    assert "photos/export-student.jpg" in names["student"]
    assert not any(name.startswith("photos/") for name in names["student2"])
