"""Teacher microcredentials end to end through the API (issue 17 part 3): a teacher's own
evidence with the transfer reflection, reviewed by the coach through sync; the credit rule
met issues an OpenBadgeCredential with achievementType MicroCredential that verifies; the
educator endpoint, the admin talent view, awards and terms; refusals in the one error
shape, never a 500."""

import json

import pytest
from sqlalchemy import select

from backend.credentials.models import LearnerCredential, MicrocredentialAward
from backend.extensions import db
from backend.models import AuditEntry, MeasurementTopic, MicrocredentialTerms, User
from backend.services.versions import current_version
from backend.sync_server.visibility import actor_for, binder_owners

PUSH, PULL = "/api/sync/push", "/api/sync/pull"
MC = "Student-Centered Feedback"
REFLECTION = "My exit tickets now name the target; I regroup the next day from them."


def _topic(app, name=MC) -> tuple[int, list[int]]:
    with app.app_context():
        topic = db.session.scalar(select(MeasurementTopic).where(MeasurementTopic.name == name))
        return topic.id, [t.id for t in topic.targets]


def _push(client, auth, user, client_id, mutations):
    resp = client.post(PUSH, json={"client_id": client_id, "mutations": mutations},
                       headers=auth.headers(user))
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["results"]


def _hlc(n: int, node: str) -> str:
    from backend.sync_server.push import now_ms
    from sync import HLC
    return str(HLC(now_ms() - 60_000 + n, 0, node))


def _pull(client, auth, who, cursor=None) -> list[dict]:
    """Every page of a pull from `cursor` (None: from the start)."""
    rows = []
    while True:
        query = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
        page = client.get(PULL, query_string=query, headers=auth.headers(who)).get_json()
        rows += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return rows


def _evidence_id(n: int) -> str:
    return f"0190e0e1-0000-7000-8000-{n:012d}"


def _earn(app, client, auth, ids, teacher="teacher", level=4):
    """The teacher submits evidence with a reflection on each competency of the
    microcredential offline-style (through push); the coach approves each with a level."""
    topic_id, targets = _topic(app)
    me = ids[teacher]
    mutations = [{"seq": n + 1, "name": "evidence.put", "hlc": _hlc(n, "tp"), "args": {
        "id": _evidence_id(n + 1), "student_id": me, "kind": "text",
        "text": f"Feedback log {n}", "target_ids": [target], "reflection": REFLECTION,
        "submitted": True}} for n, target in enumerate(targets)]
    assert [r["status"] for r in _push(client, auth, teacher, f"{teacher}-phone",
                                      mutations)] == ["applied"] * len(targets)
    reviews = [{"seq": n + 1, "name": "evidence.review", "hlc": _hlc(100 + n, "cp"),
                "args": {"evidence_id": _evidence_id(n + 1), "decision": "approved",
                         "level": level, "target_id": target, "comment": "Clear transfer."}}
               for n, target in enumerate(targets)]
    assert [r["status"] for r in _push(client, auth, "coach", "coach-phone", reviews)] == \
        ["applied"] * len(targets)
    return topic_id, targets


def test_the_demo_has_an_educator_catalog_a_coach_and_an_admin_who_assess(app, ids):
    with app.app_context():
        topics = db.session.scalars(select(MeasurementTopic).join(
            MeasurementTopic.content_area).where(
            MeasurementTopic.content_area.property.mapper.class_.audience == "educator")).all()
        assert {t.name for t in topics} == {MC, "Learner Goal Conferencing",
                                            "Formative Assessment in Practice"}
        for topic in topics:
            assert 2 <= len(topic.targets) <= 3
            assert all([d.score for d in t.rubric] == [1, 2, 3, 4] for t in topic.targets)
            terms = db.session.get(MicrocredentialTerms, topic.id)
            assert terms.requirements and terms.stipend_cents > 0 and terms.recert_hours > 0
        coach, admin, teacher = (db.session.get(User, ids[k])
                                 for k in ("coach", "admin", "teacher"))
        assert coach.is_assessor and admin.is_assessor and not teacher.is_assessor
        assert actor_for(teacher).assesses == frozenset()
        assert str(ids["teacher"]) in actor_for(coach).assesses
        assert str(ids["coach"]) not in actor_for(coach).assesses  # never their own
        assert str(ids["student"]) not in actor_for(admin).assesses  # staff only
        # a teacher's pull carries their own binder; an assessor's the other staff's too
        assert ids["teacher"] in binder_owners(teacher)
        assert ids["teacher2"] not in binder_owners(teacher)
        assert {ids["teacher"], ids["teacher2"], ids["admin"]} <= binder_owners(coach)


def test_learners_and_families_never_see_the_educator_catalog(client, auth):
    for who in ("student", "guardian"):
        rows = _pull(client, auth, who)
        areas = [r for r in rows if r["type"] == "content_area"]
        assert areas and all(r["data"]["audience"] == "learner" for r in areas)
        assert not any(r["type"] == "topic" and r["data"]["name"] == MC for r in rows)
        names = [a["name"] for a in client.get("/api/curriculum/areas",
                                               headers=auth.headers(who)).get_json()]
        assert "Educator Microcredentials" not in names


def test_staff_pull_carries_the_catalog_with_terms_and_staff_roles(client, auth, ids):
    rows = _pull(client, auth, "teacher")
    topic = next(r for r in rows if r["type"] == "topic" and r["data"]["name"] == MC)
    assert topic["data"]["microcredential"]["stipend_cents"] == 15000
    assert "reflection" in topic["data"]["microcredential"]["requirements"]
    learner_topic = next(r for r in rows if r["type"] == "topic"
                         and r["data"]["name"] == "Fractions")
    assert learner_topic["data"]["microcredential"] is None
    staff = {r["id"]: r["data"] for r in rows if r["type"] == "staff"}
    assert staff[ids["coach"]]["is_assessor"] is True
    assert staff[ids["teacher"]]["is_assessor"] is False


def test_own_binder_through_push_and_who_pulls_it(app, client, auth, ids):
    topic_id, targets = _topic(app)
    me = ids["teacher"]
    results = _push(client, auth, "teacher", "teacher-phone", [
        {"seq": 1, "name": "goal.put", "hlc": _hlc(0, "tp"), "args": {
            "id": "0190a0a1-0000-7000-8000-000000000001", "student_id": me,
            "title": f"Earn {MC}", "target_ids": targets}},
        {"seq": 2, "name": "evidence.put", "hlc": _hlc(1, "tp"), "args": {
            "id": _evidence_id(1), "student_id": me, "kind": "text", "text": "Log",
            "target_ids": targets[:1], "submitted": True}},
        {"seq": 3, "name": "evidence.put", "hlc": _hlc(2, "tp"), "args": {
            "id": _evidence_id(1), "student_id": me, "kind": "text", "text": "Log",
            "target_ids": targets[:1], "submitted": True, "reflection": REFLECTION}},
        {"seq": 4, "name": "evidence.put", "hlc": _hlc(3, "tp"), "args": {
            "id": _evidence_id(2), "student_id": ids["student"], "kind": "text",
            "text": "For Maya"}},
        {"seq": 5, "name": "evidence.review", "hlc": _hlc(4, "tp"), "args": {
            "evidence_id": _evidence_id(1), "decision": "approved"}},
    ])
    assert [(r["status"], r.get("code")) for r in results] == [
        ("applied", None), ("rejected", "microcredential.reflection_required"),
        ("applied", None), ("rejected", "auth.teacher_cannot"), ("rejected", "auth.own_work")]
    assert results[1]["reason"].startswith("Add a reflection")

    def evidence_of(who):
        rows = _pull(client, auth, who)
        return {r["id"]: r["data"] for r in rows if r["type"] == "evidence"}

    mine = evidence_of("teacher")[_evidence_id(1)]
    assert mine["reflection"] == REFLECTION and mine["student_id"] == me
    assert _evidence_id(1) in evidence_of("coach")  # the assessor's review queue
    assert _evidence_id(1) in evidence_of("admin")  # an admin who assesses
    assert _evidence_id(1) not in evidence_of("teacher2")  # a colleague who does not
    for who in ("student", "guardian"):
        assert _evidence_id(1) not in evidence_of(who)


def test_an_approved_microcredential_becomes_a_verifiable_badge(app, client, auth, ids):
    topic_id, targets = _earn(app, client, auth, ids)
    resp = client.get(f"/api/credentials/educators/{ids['teacher']}",
                      headers=auth.headers("teacher"))
    assert resp.status_code == 200, resp.get_json()
    creds = resp.get_json()["credentials"]
    assert [c["topic_id"] for c in creds] == [topic_id]
    assert creds[0]["award"] is None
    download = client.get(creds[0]["download"], headers=auth.headers("teacher"))
    assert download.status_code == 200
    verdict = client.post("/api/credentials/verify", json={"credential": download.get_json()})
    assert verdict.get_json()["verdict"] == "authentic"
    detail = client.get(f"/api/credentials/{creds[0]['id']}",
                        headers=auth.headers("teacher")).get_json()["credential"]
    achievement = detail["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "MicroCredential"
    assert "transfer to practice" in achievement["criteria"]["narrative"]
    assert "Submit two pieces of evidence" in achievement["criteria"]["narrative"]
    assert len(detail["evidence"]) == len(targets)
    assert all(REFLECTION in e["narrative"] for e in detail["evidence"])
    # listing again issues nothing new; the learner's listing never shows it
    again = client.get(f"/api/credentials/educators/{ids['teacher']}",
                       headers=auth.headers("admin")).get_json()["credentials"]
    assert [c["id"] for c in again] == [creds[0]["id"]]


def test_who_may_read_an_educators_credentials(client, auth, ids, assert_error):
    path = f"/api/credentials/educators/{ids['teacher']}"
    for who in ("teacher", "admin", "coach"):
        assert client.get(path, headers=auth.headers(who)).status_code == 200, who
    assert_error(client.get(path, headers=auth.headers("teacher2")), 404)
    for who in ("student", "guardian"):
        assert_error(client.get(path, headers=auth.headers(who)), 403)
    # a learner is no educator; an unknown id is not found
    for user_id in (ids["student"], 999_999):
        assert_error(client.get(f"/api/credentials/educators/{user_id}",
                                headers=auth.headers("admin")), 404)


def test_talent_view_award_record_and_terms(app, client, auth, ids, assert_error):
    topic_id, _ = _earn(app, client, auth, ids)
    # teacher2 only sets a goal on another microcredential
    other_id, other_targets = _topic(app, "Learner Goal Conferencing")
    _push(client, auth, "teacher2", "teacher2-phone", [
        {"seq": 1, "name": "goal.put", "hlc": _hlc(0, "t2"), "args": {
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
    changed = _pull(client, auth, "teacher", before)
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
    topic_id, _ = _topic(app)
    for path in ("/api/admin/growth/awards/no-such", f"/api/admin/microcredentials/{topic_id}"):
        resp = client.put(path, data=json.dumps(body), content_type="application/json",
                          headers=auth.headers("admin"))
        assert 400 <= resp.status_code < 500, (path, body, resp.status_code)
        assert_error(resp, resp.status_code)


def test_terms_of_a_learner_topic_or_another_school_are_not_found(app, client, auth,
                                                                  assert_error):
    fractions, _ = _topic(app, "Fractions")
    assert_error(client.put(f"/api/admin/microcredentials/{fractions}",
                            json={"stipend_cents": 1}, headers=auth.headers("admin")), 404)
    assert_error(client.put("/api/admin/microcredentials/999999",
                            json={"stipend_cents": 1}, headers=auth.headers("admin")), 404)
    for who in ("teacher", "coach", "student", "guardian"):
        assert_error(client.get("/api/admin/growth", headers=auth.headers(who)), 403)


def test_a_learner_credential_award_cannot_be_recorded(app, client, auth, ids, assert_error):
    from tests.backend.credentials.helpers import meet_topic

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



def test_a_teachers_evidence_photo_reaches_their_assessors_and_no_one_else(client, auth, ids):
    import hashlib
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 120, 30)).save(buf, "JPEG", quality=90)
    data = buf.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    sent = client.patch(f"/api/blobs/{sha}", data=data, headers={
        **auth.headers("teacher"), "Content-Type": "application/offset+octet-stream",
        "Upload-Offset": "0", "Upload-Length": str(len(data))})
    assert sent.status_code == 204, sent.get_data(as_text=True)
    results = _push(client, auth, "teacher", "teacher-phone", [
        {"seq": 1, "name": "evidence.put", "hlc": _hlc(0, "tp"), "args": {
            "id": _evidence_id(7), "student_id": ids["teacher"], "kind": "photo",
            "blob_sha256": sha, "reflection": REFLECTION, "submitted": True}}])
    assert results[0]["status"] == "applied", results
    reads = {who: client.get(f"/api/blobs/{sha}", headers=auth.headers(who)).status_code
             for who in ("teacher", "coach", "admin", "teacher2", "student", "guardian")}
    assert reads == {"teacher": 200, "coach": 200, "admin": 200, "teacher2": 404,
                     "student": 404, "guardian": 404}


def test_the_teachers_pull_computes_their_own_levels_and_progress(app, client, auth, ids):
    topic_id, targets = _earn(app, client, auth, ids)
    rows, cursor = [], None
    while True:
        query = {"limit": 1000, "computed": 1, **({"cursor": cursor} if cursor else {})}
        page = client.get(PULL, query_string=query, headers=auth.headers("teacher")).get_json()
        rows += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    me = ids["teacher"]
    levels = {r["data"]["target_id"]: r["data"]["level"] for r in rows
              if r["type"] == "level" and r["data"]["student_id"] == me}
    assert levels == {t: 4.0 for t in targets}
    progress = [r for r in rows if r["type"] == "topic_progress"
                and r["data"]["student_id"] == me]
    assert [p["data"]["topic_id"] for p in progress] == [topic_id]
    assert progress[0]["data"]["credit"]["is_met"] is True


def test_teachers_work_through_activities_of_a_microcredential(app, client, auth, ids):
    """Activities aligned to the competencies come to staff devices (not to learners'), and
    a teacher picks one and marks it done in their own binder."""
    _topic_id, targets = _topic(app)
    rows = _pull(client, auth, "teacher")
    mine = [r for r in rows if r["type"] == "activity" and set(r["data"]["target_ids"]) & set(
        targets)]
    assert len(mine) == 3 and any(r["data"]["kind"] == "peer" for r in mine)
    for who in ("student", "guardian"):
        theirs = {r["id"] for r in _pull(client, auth, who) if r["type"] == "activity"}
        assert theirs and not theirs & {r["id"] for r in mine}
        listed = {a["id"] for a in client.get("/api/curriculum/activities",
                                              headers=auth.headers(who)).get_json()}
        assert listed and not listed & {r["id"] for r in mine}
    pick = "0190b0b1-0000-7000-8000-000000000042"
    results = _push(client, auth, "teacher", "teacher-phone", [
        {"seq": 1, "name": "pick.put", "hlc": _hlc(0, "tp"), "args": {
            "id": pick, "student_id": ids["teacher"], "activity_id": mine[0]["id"],
            "status": "picked"}},
        {"seq": 2, "name": "pick.put", "hlc": _hlc(1, "tp"), "args": {
            "id": pick, "status": "done"}},
        {"seq": 3, "name": "pick.put", "hlc": _hlc(2, "tp"), "args": {
            "id": "0190b0b1-0000-7000-8000-000000000043", "student_id": ids["student"],
            "activity_id": mine[0]["id"], "status": "picked"}},
    ])
    assert [(r["status"], r.get("code")) for r in results] == [
        ("applied", None), ("rejected", "mutation.missing_args"),
        ("rejected", "auth.teacher_cannot")]
    results = _push(client, auth, "teacher", "teacher-phone", [
        {"seq": 4, "name": "pick.put", "hlc": _hlc(3, "tp"), "args": {
            "id": pick, "student_id": ids["teacher"], "activity_id": mine[0]["id"],
            "status": "done"}}])
    assert results[0]["status"] == "applied"
    picks = {r["id"]: r["data"] for r in _pull(client, auth, "teacher") if r["type"] == "pick"}
    assert picks[pick]["status"] == "done" and picks[pick]["student_id"] == ids["teacher"]


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
