"""Teacher microcredentials for admins (issue 17 part 3): the talent view, awards and
terms, CASE import and area creation into the educator catalog, naming assessors; refusals
in the one error shape, never a 500."""

import json

import pytest
from sqlalchemy import select

from backend.credentials.models import LearnerCredential, MicrocredentialAward
from backend.extensions import db
from backend.models import AuditEntry, User
from backend.services.versions import current_version
from backend.sync_server.visibility import actor_for
from tests.backend.credentials.helpers import meet_topic
from tests.backend.credentials.microcredentials_world import (
    MC,
    earn,
    hlc,
    pull_all,
    push,
    topic_of,
)


def test_talent_view_award_record_and_terms(app, client, auth, ids, assert_error):
    topic_id, _ = earn(app, client, auth, ids)
    # teacher2 only sets a goal on another microcredential
    other_id, other_targets = topic_of(app, "Learner Goal Conferencing")
    push(client, auth, "teacher2", "teacher2-phone", [
        {"seq": 1, "name": "goal.put", "hlc": hlc(0, "t2"), "args": {
            "id": "0190a0a1-0000-7000-8000-000000000009", "student_id": ids["teacher2"],
            "title": "Conferencing", "target_ids": other_targets[:1]}}])
    client.get(f"/api/credentials/educators/{ids['teacher']}", headers=auth.headers("admin"))
    page = client.get("/api/admin/growth", headers=auth.headers("admin")).get_json()
    rows = {(r["educator_id"], r["topic_id"]): r for r in page["items"]}
    assert page["total"] == 2 and page["limit"] == 20
    done = rows[(ids["teacher"], topic_id)]
    assert done["status"] == "awarded" and done["approved_count"] == done["competencies"]
    assert done["competencies_approved"] == done["competencies"] and done["last_activity"]
    working = rows[(ids["teacher2"], other_id)]
    assert working["status"] == "working" and working["evidence_count"] == 0
    assert working["has_goal"] and working["credential_id"] is None
    one = client.get("/api/admin/growth", query_string={"limit": 1, "offset": 1},
                     headers=auth.headers("admin")).get_json()
    assert one["total"] == 2 and len(one["items"]) == 1

    put = client.put(f"/api/admin/growth/awards/{done['credential_id']}",
                     json={"stipend_cents": 15000, "recert_hours": 10, "note": "Paid in May"},
                     headers=auth.headers("admin"))
    assert put.status_code == 200, put.get_json()
    assert put.get_json()["stipend_cents"] == 15000
    with app.app_context():
        award = db.session.get(MicrocredentialAward, done["credential_id"])
        assert award.recert_hours == 10 and award.recorded_by == ids["admin"]
        assert db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "microcredential.award")) is not None
    listed = client.get(f"/api/credentials/educators/{ids['teacher']}",
                        headers=auth.headers("teacher")).get_json()["credentials"]
    assert listed[0]["award"]["note"] == "Paid in May"

    with app.app_context():
        before = f"v1.{current_version(db.session)}"  # the teacher's device is up to date
    terms = client.put(f"/api/admin/microcredentials/{topic_id}",
                       json={"requirements": "Two work samples.", "stipend_cents": 20000},
                       headers=auth.headers("admin"))
    assert terms.status_code == 200 and terms.get_json()["stipend_cents"] == 20000
    assert terms.get_json()["recert_hours"] == 10.0  # left out: kept
    changed = pull_all(client, auth, "teacher", before)
    topic_row = next(r for r in changed if r["type"] == "topic" and r["id"] == topic_id)
    assert topic_row["data"]["microcredential"]["requirements"] == "Two work samples."
    catalog = client.get("/api/admin/microcredentials", headers=auth.headers("admin"))
    assert len(catalog.get_json()["items"]) == 3


@pytest.mark.parametrize("body", [
    {"stipend_cents": -1}, {"recert_hours": "many"}, {"stipend_cents": 10**12},
    {"note": "x" * 3000}, {"stipend_cents": True, "extra": 1}, [1, 2], "text",
])
def test_bad_award_and_terms_input_is_4xx_in_the_one_shape(app, client, auth, ids, body,
                                                           assert_error):
    topic_id, _ = topic_of(app)
    for path in ("/api/admin/growth/awards/no-such", f"/api/admin/microcredentials/{topic_id}"):
        resp = client.put(path, data=json.dumps(body), content_type="application/json",
                          headers=auth.headers("admin"))
        assert 400 <= resp.status_code < 500, (path, body, resp.status_code)
        assert_error(resp, resp.status_code)


def test_terms_of_a_learner_topic_or_another_school_are_not_found(app, client, auth,
                                                                  assert_error):
    fractions, _ = topic_of(app, "Fractions")
    assert_error(client.put(f"/api/admin/microcredentials/{fractions}",
                            json={"stipend_cents": 1}, headers=auth.headers("admin")), 404)
    assert_error(client.put("/api/admin/microcredentials/999999",
                            json={"stipend_cents": 1}, headers=auth.headers("admin")), 404)
    for who in ("teacher", "coach", "student", "guardian"):
        assert_error(client.get("/api/admin/growth", headers=auth.headers(who)), 403)


def test_a_learner_credential_award_cannot_be_recorded(app, client, auth, ids, assert_error):
    meet_topic(app, ids["student"])
    cred = client.get(f"/api/credentials/learners/{ids['student']}",
                      headers=auth.headers("admin")).get_json()["credentials"][0]
    assert_error(client.put(f"/api/admin/growth/awards/{cred['id']}",
                            json={"stipend_cents": 1}, headers=auth.headers("admin")), 404)
    with app.app_context():
        assert db.session.get(LearnerCredential, cred["id"]) is not None
        assert db.session.get(MicrocredentialAward, cred["id"]) is None


def test_case_import_and_area_creation_can_target_the_educator_catalog(app, client, auth, ids,
                                                                       assert_error):
    from tests.backend.interop.conftest import CASE, upload

    resp = upload(client, "/api/interop/case", (CASE / "ela.json").read_bytes(),
                  auth.headers("admin"), wait=1, audience="educator")
    assert resp.status_code == 200, resp.get_json()
    with app.app_context():
        from backend.models import ContentArea

        area = db.session.scalar(select(ContentArea).where(
            ContentArea.case_identifier.is_not(None)))
        assert area.audience == "educator" and area.is_academic is False
        imported = {t.name for t in area.topics}
    catalog = client.get("/api/admin/microcredentials", headers=auth.headers("admin"))
    assert imported <= {i["name"] for i in catalog.get_json()["items"]}
    # a learner's binder never lists it
    binder = client.get(f"/api/learners/{ids['student']}/binder",
                        headers=auth.headers("student"))
    assert binder.status_code == 200
    names = {t["name"] for a in binder.get_json()["content_areas"] for t in a["topics"]}
    assert "Fractions" in names and not imported & names and MC not in names
    bad = upload(client, "/api/interop/case", (CASE / "ela.json").read_bytes(),
                 auth.headers("admin"), wait=1, audience="teachers")
    assert_error(bad, 422)
    made = client.post("/api/curriculum/areas", json={"name": "Coaching", "audience": "educator"},
                       headers=auth.headers("admin"))
    assert made.status_code == 201 and made.get_json()["audience"] == "educator"
    assert_error(client.post("/api/curriculum/areas", json={"name": "X", "audience": "both"},
                             headers=auth.headers("admin")), 422)



def test_an_admin_names_an_assessor_and_their_actor_follows(app, client, auth, ids, assert_error):
    path = f"/api/roster/users/{ids['teacher2']}"
    resp = client.patch(path, json={"is_assessor": True}, headers=auth.headers("admin"))
    assert resp.status_code == 200 and resp.get_json()["is_assessor"] is True
    with app.app_context():
        assert str(ids["teacher"]) in actor_for(db.session.get(User, ids["teacher2"])).assesses
    assert_error(client.patch(f"/api/roster/users/{ids['student']}", json={"is_assessor": True},
                              headers=auth.headers("admin")), 422)
    assert_error(client.patch(path, json={"is_assessor": False},
                              headers=auth.headers("teacher")), 403)
    off = client.patch(path, json={"is_assessor": False}, headers=auth.headers("admin"))
    assert off.status_code == 200 and off.get_json()["is_assessor"] is False
