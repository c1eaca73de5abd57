"""Learner credentials end to end through the API: a met topic becomes a signed
OpenBadgeCredential the family downloads; /verify says authentic, and says altered after
one byte is changed, revoked after an admin revokes it; keys rotate without breaking old
credentials; bad input gets a verdict, never a 500."""

import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from backend.credentials.models import CredentialKey, LearnerCredential
from backend.credentials.status import bit_at
from backend.extensions import db
from backend.models import AccessEntry, Evidence, MeasurementTopic, School
from tests.backend.credentials.helpers import change_one_byte, meet_topic

VERIFY = "/api/credentials/verify"


@pytest.fixture
def earned(app, client, auth, ids):
    """The demo learner has met Fractions; the family lists (and so gets) the credential."""
    topic_id = meet_topic(app, ids["student"])
    resp = client.get(f"/api/credentials/learners/{ids['student']}",
                      headers=auth.headers("guardian"))
    assert resp.status_code == 200, resp.get_json()
    creds = resp.get_json()["credentials"]
    assert [c["topic_id"] for c in creds] == [topic_id]
    return creds[0]


def _download(client, auth, cred, role="guardian"):
    resp = client.get(cred["download"], headers=auth.headers(role))
    assert resp.status_code == 200
    assert "attachment" in resp.headers["Content-Disposition"]
    return resp.get_json()


def _token(envelope: dict) -> str:
    assert envelope["type"] == "EnvelopedVerifiableCredential"
    return envelope["id"].removeprefix("data:application/vc+jwt,")


def _verify(client, body, **kwargs):
    resp = client.post(VERIFY, json={"credential": body}, **kwargs)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    return resp.get_json()


def test_met_topic_is_issued_once_and_verifies(app, client, auth, earned, ids):
    again = client.get(f"/api/credentials/learners/{ids['student']}",
                       headers=auth.headers("student")).get_json()["credentials"]
    assert [c["id"] for c in again] == [earned["id"]]  # idempotent
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LearnerCredential)) == 1
    envelope = _download(client, auth, earned)
    verdict = _verify(client, envelope)  # anyone, no sign-in
    assert verdict["verdict"] == "authentic" and verdict["is_valid"]
    assert verdict["headline"].startswith("Authentic: issued by Riverbend")
    assert all(c["ok"] for c in verdict["checks"])
    assert verdict["credential"]["achievement"] == "Fractions"
    assert verdict["credential"]["issued"].endswith("Z")
    payload = jwt.decode(_token(envelope), options={"verify_signature": False})
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["credentialStatus"]["type"] == "BitstringStatusListEntry"
    # the compact JWS alone, and an uploaded file, verify the same
    assert _verify(client, _token(envelope))["verdict"] == "authentic"
    resp = client.post(VERIFY, data={"file": (__import__("io").BytesIO(
        json.dumps(envelope).encode()), "badge.json")}, content_type="multipart/form-data")
    assert resp.get_json()["verdict"] == "authentic"


@pytest.mark.parametrize("part", [1, 2])
def test_one_byte_changed_is_altered(client, auth, earned, part):
    envelope = _download(client, auth, earned)
    token = change_one_byte(_token(envelope), part)
    verdict = _verify(client, {**envelope, "id": "data:application/vc+jwt," + token})
    assert verdict["verdict"] == "altered" and not verdict["is_valid"]
    assert verdict["headline"].startswith("Not authentic")


def test_revoked_by_an_admin_is_revoked_and_not_reissued(app, client, auth, earned, ids):
    envelope = _download(client, auth, earned)
    index = jwt.decode(_token(envelope), options={"verify_signature": False})[
        "credentialStatus"]["statusListIndex"]
    resp = client.post(f"/api/credentials/{earned['id']}/revoke", json={"reason": "error"},
                       headers=auth.headers("admin"))
    assert resp.status_code == 200 and resp.get_json()["is_revoked"]
    verdict = _verify(client, envelope)
    assert verdict["verdict"] == "revoked"
    assert verdict["headline"] == "Revoked: Riverbend Community School withdrew this credential."
    status = client.get("/api/credentials/status/1").get_json()
    assert bit_at(status["credentialSubject"]["encodedList"], int(index)) is True
    assert bit_at(status["credentialSubject"]["encodedList"], int(index) + 1) is False
    listed = client.get(f"/api/credentials/learners/{ids['student']}",
                        headers=auth.headers("guardian")).get_json()["credentials"]
    assert [(c["id"], c["is_revoked"]) for c in listed] == [(earned["id"], True)]


def test_rotation_keeps_old_credentials_verifiable(app, client, auth, earned, ids):
    old = _download(client, auth, earned)
    resp = client.post("/api/credentials/issuer/rotate", headers=auth.headers("admin"))
    assert resp.status_code == 200
    kids = [k["kid"] for k in resp.get_json()["jwks"]["keys"]]
    assert len(kids) == 2 and resp.get_json()["kid"] == kids[-1]
    assert _verify(client, old)["verdict"] == "authentic"
    meet_topic(app, ids["student"], "Ecosystems")
    creds = client.get(f"/api/credentials/learners/{ids['student']}",
                       headers=auth.headers("student")).get_json()["credentials"]
    new = _download(client, auth, creds[-1], role="student")
    assert jwt.get_unverified_header(_token(new))["kid"] == kids[-1]
    assert _verify(client, new)["verdict"] == "authentic"


def test_private_keys_are_never_served(app, client, earned):
    profile = client.get("/api/credentials/issuers/1")
    jwks = client.get("/api/credentials/issuers/1/jwks")
    with app.app_context():
        pems = [k.private_pem for k in db.session.scalars(select(CredentialKey))]
    for resp in (profile, jwks):
        text = resp.get_data(as_text=True)
        assert resp.status_code == 200 and '"d"' not in text and "PRIVATE" not in text
        assert not any(pem.splitlines()[1] in text for pem in pems)
    body = profile.get_json()
    assert body["type"] == ["Profile"] and body["name"] == "Riverbend Community School"
    assert body["verificationMethod"][0]["publicKeyJwk"]["crv"] == "Ed25519"


def test_unknown_issuer_could_not_be_checked(client, earned, auth):
    payload = jwt.decode(_token(_download(client, auth, earned)),
                         options={"verify_signature": False})
    forged = jwt.encode(payload, Ed25519PrivateKey.generate(), algorithm="EdDSA",
                        headers={"kid": "someone-else"})
    verdict = _verify(client, forged)
    assert verdict["verdict"] == "unknown_issuer"
    assert verdict["headline"].startswith("Could not be checked")
    # our kid on a stranger's signature: the signature fails, it is not ours
    ours = jwt.get_unverified_header(_token(_download(client, auth, earned)))["kid"]
    forged = jwt.encode(payload, Ed25519PrivateKey.generate(), algorithm="EdDSA",
                        headers={"kid": ours})
    assert _verify(client, forged)["verdict"] == "altered"


@pytest.mark.parametrize("body, verdict", [
    ("not a credential", "unreadable"),
    ("{\"type\": [\"VerifiableCredential\"", "unreadable"),
    ({"hello": "world"}, "unreadable"),
    ({"type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "x"}, "unsigned"),
    ("a.b.c", "altered"),
])
def test_bad_input_gets_a_verdict(client, body, verdict):
    assert _verify(client, body)["verdict"] == verdict


def test_empty_and_oversized_requests_are_refused_in_the_error_shape(client, assert_error):
    assert_error(client.post(VERIFY, json={"credential": ""}), 422)
    assert_error(client.post(VERIFY, data=b"", content_type="text/plain"), 422)
    big = {"file": (__import__("io").BytesIO(b"x" * (600 * 1024)), "big.json")}
    assert_error(client.post(VERIFY, data=big, content_type="multipart/form-data"), 413)


def test_downloads_are_access_logged_and_kept_to_the_family(app, client, auth, earned, ids):
    _download(client, auth, earned)
    with app.app_context():
        kinds = set(db.session.scalars(select(AccessEntry.kind).where(
            AccessEntry.learner_id == ids["student"])))
    assert {"binder", "export"} <= kinds
    resp = client.get(earned["download"], headers=auth.headers("guardian2"))
    assert resp.status_code == 404


def test_evidence_is_a_link_behind_sign_in_and_follows_the_school_setting(
        app, client, auth, ids):
    topic_id = meet_topic(app, ids["student"])
    with app.app_context():
        topic = db.session.get(MeasurementTopic, topic_id)
        db.session.add(Evidence(id="ev-cred-1", student_id=ids["student"], kind="photo",
                                caption="my secret caption", target_ids=[topic.targets[0].id],
                                blob_sha256="a" * 64, review_status="approved"))
        db.session.commit()
    creds = client.get(f"/api/credentials/learners/{ids['student']}",
                       headers=auth.headers("student")).get_json()["credentials"]
    token = _token(_download(client, auth, creds[0], role="student"))
    payload = jwt.decode(token, options={"verify_signature": False})
    assert [e["id"].rsplit("/", 2)[-2:] for e in payload["evidence"]] == [["blobs", "a" * 64]]
    assert "my secret caption" not in json.dumps(payload)
    # the school turns evidence links off: a new credential carries none
    with app.app_context():
        school = db.session.get(School, 1)
        school.settings = {**(school.settings or {}), "credential_evidence": "none"}
        db.session.commit()
    meet_topic(app, ids["student"], "Ecosystems")
    creds = client.get(f"/api/credentials/learners/{ids['student']}",
                       headers=auth.headers("student")).get_json()["credentials"]
    payload = jwt.decode(_token(_download(client, auth, creds[-1], role="student")),
                         options={"verify_signature": False})
    assert "evidence" not in payload


def test_case_identifier_is_the_achievement_id_and_alignment(app, client, auth, ids):
    topic_id = meet_topic(app, ids["student"])
    case_id = "c0ffee00-0000-4000-8000-000000000017"
    with app.app_context():
        db.session.get(MeasurementTopic, topic_id).case_identifier = case_id
        db.session.commit()
    creds = client.get(f"/api/credentials/learners/{ids['student']}",
                       headers=auth.headers("student")).get_json()["credentials"]
    payload = jwt.decode(_token(_download(client, auth, creds[0], role="student")),
                         options={"verify_signature": False})
    achievement = payload["credentialSubject"]["achievement"]
    assert achievement["id"] == f"urn:uuid:{case_id}"
    assert achievement["alignment"][0]["targetCode"] == case_id
    assert achievement["alignment"][0]["targetType"] == "CFItem"


def test_clr_bundles_the_credentials_and_every_topic(client, auth, earned, ids):
    resp = client.get(f"/api/credentials/learners/{ids['student']}/clr",
                      headers=auth.headers("guardian"))
    assert resp.status_code == 200
    verdict = _verify(client, resp.get_json())
    assert verdict["verdict"] == "authentic"
    clr = jwt.decode(_token(resp.get_json()), options={"verify_signature": False})
    assert clr["type"] == ["VerifiableCredential", "ClrCredential"]
    subject = clr["credentialSubject"]
    assert [c["name"] for c in subject["verifiableCredential"]] == ["Fractions"]
    assert len(subject["achievement"]) >= 4


def test_a_teacher_imports_a_credential_with_its_verification_result(client, auth, earned):
    ours = _download(client, auth, earned)
    resp = client.post("/api/credentials/imports", json={"credential": ours},
                       headers=auth.headers("teacher"))
    assert resp.status_code == 201 and resp.get_json()["verdict"] == "authentic"
    payload = jwt.decode(_token(ours), options={"verify_signature": False})
    payload["issuer"] = {"id": "https://elsewhere.example/issuer", "type": ["Profile"],
                         "name": "Elsewhere Academy"}
    foreign = jwt.encode(payload, Ed25519PrivateKey.generate(), algorithm="EdDSA",
                         headers={"kid": "did:web:elsewhere.example#1"})
    resp = client.post("/api/credentials/imports", json={"credential": foreign},
                       headers=auth.headers("teacher"))
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["verdict"] == "unknown_issuer" and body["issuer"] == "Elsewhere Academy"
    assert body["headline"].startswith("Could not be checked")
    listed = client.get("/api/credentials/imports", headers=auth.headers("teacher")).get_json()
    assert [i["verdict"] for i in listed["imports"]] == ["unknown_issuer", "authentic"]
    other = client.get("/api/credentials/imports", headers=auth.headers("teacher2")).get_json()
    assert other["imports"] == []


def test_the_family_export_carries_the_signed_clr(app, client, auth, ids, tmp_path):
    """The whole-record export (record.pdf, the transcript-like binder, and the data) also
    carries the CLR, and what is in the zip verifies."""
    import io
    import zipfile

    from backend.blobstore import LocalFolderStore

    app.config["EXPORT_INLINE"] = True
    app.extensions["waypoint_blobs"] = LocalFolderStore(tmp_path / "store")
    meet_topic(app, ids["student"])
    guardian = auth.headers("guardian")
    job = client.post(f"/api/privacy/learners/{ids['student']}/exports", headers=guardian)
    assert job.status_code in (200, 201, 202), job.get_json()
    job = job.get_json()
    zf = zipfile.ZipFile(io.BytesIO(client.get(job["download_url"], headers=guardian).data))
    clr = json.loads(zf.read("credentials-clr.json"))
    assert "credentials-clr.json" in zf.read("README.txt").decode()
    verdict = _verify(client, clr)
    assert verdict["verdict"] == "authentic"
    payload = jwt.decode(_token(clr), options={"verify_signature": False})
    assert [c["name"] for c in payload["credentialSubject"]["verifiableCredential"]] == [
        "Fractions"]


def test_a_status_index_drawn_twice_is_drawn_again(app, ids, monkeypatch):
    """Two readers at once can draw the same index; the second draws again instead of
    failing (the race forced here by handing out a taken index first)."""
    from backend.credentials import issue, status
    from backend.models import User
    from backend.services.levels import learner_topics

    meet_topic(app, ids["student"])
    meet_topic(app, ids["student2"])
    with app.app_context():
        first = issue.issue_missing(db.session.get(User, ids["student"]))
        taken = first[0].status_index
        real, handed = status.next_index, []

        def racing(school_id):
            handed.append(taken if not handed else real(school_id))
            return handed[-1]

        monkeypatch.setattr(status, "next_index", racing)
        eli = db.session.get(User, ids["student2"])
        row = next(r for r in learner_topics(eli) if r["topic"].name == "Fractions")
        made = issue.issue_one(eli, row["topic"], row["credit"])
        assert made is not None and made.status_index != taken
        assert handed[0] == taken and len(handed) == 2
        # the same learner and topic again: not a second credential
        assert issue.issue_one(eli, row["topic"], row["credit"]) is None


def test_deleting_a_learner_deletes_their_credentials(app, client, auth, ids, tmp_path):
    from backend.blobstore import LocalFolderStore
    from backend.models import User

    app.extensions["waypoint_blobs"] = LocalFolderStore(tmp_path / "store")
    maya = ids["student"]
    meet_topic(app, maya)
    creds = client.get(f"/api/credentials/learners/{maya}",
                       headers=auth.headers("guardian")).get_json()["credentials"]
    assert len(creds) == 1
    admin = auth.headers("admin")
    assert client.patch(f"/api/privacy/learners/{maya}", json={"is_withdrawn": True},
                        headers=admin).status_code == 200
    with app.app_context():
        username = db.session.get(User, maya).username
    resp = client.delete(f"/api/privacy/learners/{maya}", json={"confirm": username},
                         headers=admin)
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["counts"]["credentials"] == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LearnerCredential).where(
            LearnerCredential.learner_id == maya)) == 0


def test_every_single_character_change_fails(app, client, auth, earned):
    """Not one changed character of the token passes, the last one of each part included
    (whose spare bits could decode to the same bytes)."""
    import random

    from backend.credentials.verify import verify

    token = _token(_download(client, auth, earned))
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    ends = {i for i, ch in enumerate(token) if ch == "."}
    edges = {i - 1 for i in ends} | {i + 1 for i in ends} | {0, len(token) - 1}
    sample = sorted(edges | set(random.Random(17).sample(range(len(token)), 300)) - ends)
    with app.app_context():
        assert verify(token)["verdict"] == "authentic"
        for i in sample:
            for other in (c for c in alphabet if c != token[i]):
                changed = token[:i] + other + token[i + 1:]
                assert verify(changed)["verdict"] != "authentic", (i, other)
                if i not in edges:
                    break  # one change per middle position; every change at the edges


def test_a_teacher_imports_into_their_learners_record_only(client, auth, earned, ids):
    ours = _download(client, auth, earned)
    resp = client.post("/api/credentials/imports",
                       json={"credential": ours, "owner_id": ids["student2"]},
                       headers=auth.headers("teacher"))
    assert resp.status_code == 201 and resp.get_json()["owner_id"] == ids["student2"]
    listed = client.get(f"/api/credentials/imports?owner_id={ids['student2']}",
                        headers=auth.headers("guardian2")).get_json()
    assert [i["verdict"] for i in listed["imports"]] == ["authentic"]
    # teacher2 does not teach Eli: refused, nothing kept
    resp = client.post("/api/credentials/imports",
                       json={"credential": ours, "owner_id": ids["student2"]},
                       headers=auth.headers("teacher2"))
    assert resp.status_code == 404


def test_key_rotation_is_in_the_audit_log(app, client, auth):
    from backend.models import AuditEntry

    assert client.post("/api/credentials/issuer/rotate",
                       headers=auth.headers("admin")).status_code == 200
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEntry.action)))
    assert "credential.key_rotate" in actions


def test_the_public_check_is_limited_per_address_with_plain_words(app, client):
    """Anyone may verify, but a script trying forgeries from one address is slowed: a 429 in
    the one error shape, and the limit is per address (another address still gets in)."""
    app.config["VERIFY_RATE_LIMIT"] = "3 per minute"
    body = {"credential": "not a credential"}
    for _ in range(3):
        assert client.post(VERIFY, json=body).status_code == 200
    refused = client.post(VERIFY, json=body)
    assert refused.status_code == 429
    answer = refused.get_json()
    assert answer["status"] == 429 and answer["message"] and "per 1 minute" not in answer["message"]
    other = client.post(VERIFY, json=body, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200


def test_a_deleted_learners_status_index_is_never_given_again(app, client, auth, ids, tmp_path):
    """Deleting a learner deletes their credentials, but not the indexes they held: the next
    credential gets a new index, so revoking it cannot revoke a badge the deleted learner
    kept."""
    from backend.blobstore import LocalFolderStore
    from backend.models import User

    app.extensions["waypoint_blobs"] = LocalFolderStore(tmp_path / "store")
    maya = ids["student"]
    meet_topic(app, maya)
    first = client.get(f"/api/credentials/learners/{maya}",
                       headers=auth.headers("guardian")).get_json()["credentials"]
    with app.app_context():
        held = db.session.scalar(select(LearnerCredential.status_index).where(
            LearnerCredential.learner_id == maya))
        username = db.session.get(User, maya).username
        other = db.session.scalar(select(User.id).where(
            User.role == "student", User.id != maya, User.school_id == db.session.get(
                User, maya).school_id))
    assert len(first) == 1
    admin = auth.headers("admin")
    assert client.patch(f"/api/privacy/learners/{maya}", json={"is_withdrawn": True},
                        headers=admin).status_code == 200
    assert client.delete(f"/api/privacy/learners/{maya}", json={"confirm": username},
                         headers=admin).status_code == 200
    meet_topic(app, other)
    listed = client.get(f"/api/credentials/learners/{other}", headers=auth.headers("admin"))
    assert listed.status_code == 200, listed.get_json()
    with app.app_context():
        given = db.session.scalar(select(LearnerCredential.status_index).where(
            LearnerCredential.learner_id == other))
    assert given is not None and given > held
