"""Teacher microcredentials end to end through the API (issue 17 part 3): a teacher's own
evidence with the transfer reflection, reviewed by the coach through sync; the credit rule
met issues an OpenBadgeCredential with achievementType MicroCredential that verifies; who
pulls what (staff the catalog and their own binder, assessors colleagues' work, learners
none of it); the educator endpoint and its refusals. Admin views: test_microcredentials_admin.py."""

from sqlalchemy import select

from backend.extensions import db
from backend.models import MeasurementTopic, MicrocredentialTerms, User
from backend.sync_server.visibility import actor_for, binder_owners
from tests.backend.credentials.microcredentials_world import (
    MC,
    PULL,
    REFLECTION,
    earn,
    evidence_id,
    hlc,
    pull_all,
    push,
    topic_of,
)


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
        rows = pull_all(client, auth, who)
        areas = [r for r in rows if r["type"] == "content_area"]
        assert areas and all(r["data"]["audience"] == "learner" for r in areas)
        assert not any(r["type"] == "topic" and r["data"]["name"] == MC for r in rows)
        names = [a["name"] for a in client.get("/api/curriculum/areas",
                                               headers=auth.headers(who)).get_json()]
        assert "Educator Microcredentials" not in names


def test_staff_pull_carries_the_catalog_with_terms_and_staff_roles(client, auth, ids):
    rows = pull_all(client, auth, "teacher")
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
    topic_id, targets = topic_of(app)
    me = ids["teacher"]
    results = push(client, auth, "teacher", "teacher-phone", [
        {"seq": 1, "name": "goal.put", "hlc": hlc(0, "tp"), "args": {
            "id": "0190a0a1-0000-7000-8000-000000000001", "student_id": me,
            "title": f"Earn {MC}", "target_ids": targets}},
        {"seq": 2, "name": "evidence.put", "hlc": hlc(1, "tp"), "args": {
            "id": evidence_id(1), "student_id": me, "kind": "text", "text": "Log",
            "target_ids": targets[:1], "submitted": True}},
        {"seq": 3, "name": "evidence.put", "hlc": hlc(2, "tp"), "args": {
            "id": evidence_id(1), "student_id": me, "kind": "text", "text": "Log",
            "target_ids": targets[:1], "submitted": True, "reflection": REFLECTION}},
        {"seq": 4, "name": "evidence.put", "hlc": hlc(3, "tp"), "args": {
            "id": evidence_id(2), "student_id": ids["student"], "kind": "text",
            "text": "For Maya"}},
        {"seq": 5, "name": "evidence.review", "hlc": hlc(4, "tp"), "args": {
            "evidence_id": evidence_id(1), "decision": "approved"}},
    ])
    assert [(r["status"], r.get("code")) for r in results] == [
        ("applied", None), ("rejected", "microcredential.reflection_required"),
        ("applied", None), ("rejected", "auth.teacher_cannot"), ("rejected", "auth.own_work")]
    assert results[1]["reason"].startswith("Add a reflection")

    def evidence_of(who):
        rows = pull_all(client, auth, who)
        return {r["id"]: r["data"] for r in rows if r["type"] == "evidence"}

    mine = evidence_of("teacher")[evidence_id(1)]
    assert mine["reflection"] == REFLECTION and mine["student_id"] == me
    assert evidence_id(1) in evidence_of("coach")  # the assessor's review queue
    assert evidence_id(1) in evidence_of("admin")  # an admin who assesses
    assert evidence_id(1) not in evidence_of("teacher2")  # a colleague who does not
    for who in ("student", "guardian"):
        assert evidence_id(1) not in evidence_of(who)


def test_an_approved_microcredential_becomes_a_verifiable_badge(app, client, auth, ids):
    topic_id, targets = earn(app, client, auth, ids)
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
    results = push(client, auth, "teacher", "teacher-phone", [
        {"seq": 1, "name": "evidence.put", "hlc": hlc(0, "tp"), "args": {
            "id": evidence_id(7), "student_id": ids["teacher"], "kind": "photo",
            "blob_sha256": sha, "reflection": REFLECTION, "submitted": True}}])
    assert results[0]["status"] == "applied", results
    reads = {who: client.get(f"/api/blobs/{sha}", headers=auth.headers(who)).status_code
             for who in ("teacher", "coach", "admin", "teacher2", "student", "guardian")}
    assert reads == {"teacher": 200, "coach": 200, "admin": 200, "teacher2": 404,
                     "student": 404, "guardian": 404}


def test_the_teachers_pull_computes_their_own_levels_and_progress(app, client, auth, ids):
    topic_id, targets = earn(app, client, auth, ids)
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
    _topic_id, targets = topic_of(app)
    rows = pull_all(client, auth, "teacher")
    mine = [r for r in rows if r["type"] == "activity" and set(r["data"]["target_ids"]) & set(
        targets)]
    assert len(mine) == 3 and any(r["data"]["kind"] == "peer" for r in mine)
    for who in ("student", "guardian"):
        theirs = {r["id"] for r in pull_all(client, auth, who) if r["type"] == "activity"}
        assert theirs and not theirs & {r["id"] for r in mine}
        listed = {a["id"] for a in client.get("/api/curriculum/activities",
                                              headers=auth.headers(who)).get_json()}
        assert listed and not listed & {r["id"] for r in mine}
    pick = "0190b0b1-0000-7000-8000-000000000042"
    results = push(client, auth, "teacher", "teacher-phone", [
        {"seq": 1, "name": "pick.put", "hlc": hlc(0, "tp"), "args": {
            "id": pick, "student_id": ids["teacher"], "activity_id": mine[0]["id"],
            "status": "picked"}},
        {"seq": 2, "name": "pick.put", "hlc": hlc(1, "tp"), "args": {
            "id": pick, "status": "done"}},
        {"seq": 3, "name": "pick.put", "hlc": hlc(2, "tp"), "args": {
            "id": "0190b0b1-0000-7000-8000-000000000043", "student_id": ids["student"],
            "activity_id": mine[0]["id"], "status": "picked"}},
    ])
    assert [(r["status"], r.get("code")) for r in results] == [
        ("applied", None), ("rejected", "mutation.missing_args"),
        ("rejected", "auth.teacher_cannot")]
    results = push(client, auth, "teacher", "teacher-phone", [
        {"seq": 4, "name": "pick.put", "hlc": hlc(3, "tp"), "args": {
            "id": pick, "student_id": ids["teacher"], "activity_id": mine[0]["id"],
            "status": "done"}}])
    assert results[0]["status"] == "applied"
    picks = {r["id"]: r["data"] for r in pull_all(client, auth, "teacher") if r["type"] == "pick"}
    assert picks[pick]["status"] == "done" and picks[pick]["student_id"] == ids["teacher"]
