"""The family's consent (issue 17): a guardian chooses whether their child's credentials
may link to the child's approved work; credentials issued after a "no" carry no evidence.
Only that child's guardian chooses; bad input is a 422 in the one error shape."""

import jwt
from sqlalchemy import select

from backend.extensions import db
from backend.models import AuditEntry, Evidence, MeasurementTopic
from tests.backend.credentials.helpers import meet_topic

SHARING = "/api/privacy/learners/{}/sharing"


def _add_evidence(app, learner_id: int, topic_id: int, sha: str) -> None:
    with app.app_context():
        topic = db.session.get(MeasurementTopic, topic_id)
        db.session.add(Evidence(id=f"ev-share-{sha[:4]}", student_id=learner_id, kind="photo",
                                caption="", target_ids=[t.id for t in topic.targets],
                                blob_sha256=sha, review_status="approved"))
        db.session.commit()


def _newest_payload(client, auth, learner_id: int) -> dict:
    creds = client.get(f"/api/credentials/learners/{learner_id}",
                       headers=auth.headers("guardian")).get_json()["credentials"]
    envelope = client.get(creds[-1]["download"], headers=auth.headers("guardian")).get_json()
    token = envelope["id"].removeprefix("data:application/vc+jwt,")
    return jwt.decode(token, options={"verify_signature": False})


def test_the_family_says_no_and_new_credentials_carry_no_evidence(app, client, auth, ids):
    maya, url = ids["student"], SHARING.format(ids["student"])
    first = client.get(url, headers=auth.headers("guardian")).get_json()
    assert first["credential_evidence"] is True and first["chosen_by_family"] is False
    _add_evidence(app, maya, meet_topic(app, maya), "b" * 64)
    assert [e["id"][-64:] for e in _newest_payload(client, auth, maya)["evidence"]] == ["b" * 64]

    resp = client.put(url, json={"credential_evidence": False}, headers=auth.headers("guardian"))
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["credential_evidence"] is False
    assert resp.get_json()["chosen_by_family"] is True
    _add_evidence(app, maya, meet_topic(app, maya, "Ecosystems"), "c" * 64)
    assert "evidence" not in _newest_payload(client, auth, maya)
    # the teacher reads the family's choice; the choice is in the audit log
    seen = client.get(url, headers=auth.headers("teacher")).get_json()
    assert seen["credential_evidence"] is False
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.action).where(
            AuditEntry.action == "learner.sharing")) == "learner.sharing"


def test_only_the_childs_guardian_chooses(client, auth, ids, assert_error):
    url = SHARING.format(ids["student"])
    for who in ("teacher", "admin", "student"):
        resp = client.put(url, json={"credential_evidence": False}, headers=auth.headers(who))
        assert resp.status_code == 403, who
    # another family's guardian learns nothing: 404 as for any child not theirs
    resp = client.put(url, json={"credential_evidence": False},
                      headers=auth.headers("guardian2"))
    assert_error(resp, 404)
    assert client.get(url, headers=auth.headers("guardian")).get_json()[
        "chosen_by_family"] is False


def test_bad_input_is_a_clear_422_and_changes_nothing(client, auth, ids, assert_error):
    url = SHARING.format(ids["student"])
    for body in ({}, {"credential_evidence": "maybe"}, {"credential_evidence": True, "x": 1}):
        resp = client.put(url, json=body, headers=auth.headers("guardian"))
        assert_error(resp, 422)
    assert client.get(url, headers=auth.headers("guardian")).get_json()[
        "chosen_by_family"] is False
