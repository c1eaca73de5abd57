"""A learner's binder, target detail, goals and playlists."""

from sqlalchemy import select

from backend.extensions import db
from backend.models import AssessmentEvent, LearningTarget


def _target_id(app, code):
    with app.app_context():
        return db.session.scalar(select(LearningTarget.id).where(LearningTarget.code == code))


def test_learners_a_teacher_can_see(client, auth):
    learners = client.get("/api/learners", headers=auth.headers("teacher")).get_json()
    names = {row["username"] for row in learners}
    assert {"student", "student2", "student24"} <= names
    student = next(row for row in learners if row["username"] == "student")
    assert student["classes"] == ["Math Studio A", "Writers' Workshop"]


def test_learners_of_teacher2_guardian_and_student(client, auth):
    def usernames(user):
        return {r["username"] for r in client.get("/api/learners",
                                                  headers=auth.headers(user)).get_json()}

    assert "student" in usernames("teacher2") and "student2" not in usernames("teacher2")
    assert usernames("guardian") == {"student"}
    assert usernames("student2") == {"student2"}
    assert len(usernames("admin")) == 24


def test_binder_content(client, auth, ids):
    resp = client.get(f"/api/learners/{ids['student']}/binder", headers=auth.headers("student"))
    assert resp.status_code == 200
    binder = resp.get_json()
    assert binder["learner"] == {"id": ids["student"], "display_name": "Maya R."}
    areas = [a["name"] for a in binder["content_areas"]]
    # academic areas first; Lifelong Learning Skills reported apart, last
    assert areas == ["Math", "ELA", "Science", "Lifelong Learning Skills"]
    assert [a["is_academic"] for a in binder["content_areas"]] == [True, True, True, False]
    fractions = binder["content_areas"][0]["topics"][0]
    assert fractions["name"] == "Fractions" and fractions["target_count"] == 5
    target = fractions["targets"][0]
    assert set(target) >= {"id", "code", "title", "scale_level", "level", "level_words",
                           "self_level", "evidence_count"}
    levels = [t["level"] for t in fractions["targets"] if t["level"] is not None]
    assert levels, "the seed gives Maya teacher ratings in Fractions"
    assert fractions["proficient_count"] == sum(1 for v in levels if v >= 3.0)
    for t in fractions["targets"]:
        if t["level"] is None:
            assert t["level_words"] == "not yet assessed"


def test_binder_level_follows_the_schools_calculation_method(app, client, auth, ids):
    """The binder's level is the school's method (decaying average 65) over teacher events
    in date order, recomputed here independently of the service."""
    target_id = _target_id(app, "M5.F.1")
    with app.app_context():
        scores = db.session.scalars(
            select(AssessmentEvent.score).where(AssessmentEvent.student_id == ids["student"],
                                                AssessmentEvent.target_id == target_id,
                                                AssessmentEvent.source == "teacher")
            .order_by(AssessmentEvent.assessed_on, AssessmentEvent.created_at)).all()
    assert len(scores) >= 2, "the demo history gives Maya several scores on M5.F.1"
    level = scores[0]
    for score in scores[1:]:
        level = 0.65 * score + 0.35 * level
    binder = client.get(f"/api/learners/{ids['student']}/binder",
                        headers=auth.headers("teacher")).get_json()
    row = next(t for a in binder["content_areas"] for tp in a["topics"] for t in tp["targets"]
               if t["id"] == target_id)
    assert row["level"] == round(level + 1e-9, 2)


def test_target_detail(app, client, auth, ids):
    target_id = _target_id(app, "M5.F.1")
    resp = client.get(f"/api/learners/{ids['student']}/targets/{target_id}",
                      headers=auth.headers("guardian"))
    assert resp.status_code == 200
    detail = resp.get_json()
    assert detail["target"]["code"] == "M5.F.1"
    assert sorted(d["score"] for d in detail["target"]["rubric"]) == [0, 1, 2, 3, 4]
    assert detail["topic"]["name"] == "Fractions"
    dates = [e["assessed_on"] for e in detail["events"]]
    assert dates == sorted(dates, reverse=True), "newest first"
    assert all(e["target_id"] == target_id for e in detail["events"])
    for ev in detail["evidence"]:
        assert target_id in ev["target_ids"]


def test_target_detail_unknown_target(client, auth, ids, assert_error):
    assert_error(client.get(f"/api/learners/{ids['student']}/targets/999999",
                            headers=auth.headers("teacher")), 404)


def test_binder_of_someone_who_is_not_a_learner(client, auth, ids, assert_error):
    for who in ("teacher", "guardian", "admin"):
        assert_error(client.get(f"/api/learners/{ids[who]}/binder",
                                headers=auth.headers("admin")), 404)
    assert_error(client.get("/api/learners/999999/binder", headers=auth.headers("admin")), 404)


def test_goals(client, auth, ids):
    page = client.get(f"/api/learners/{ids['student']}/goals",
                      headers=auth.headers("student")).get_json()
    goals = page["items"]
    assert goals, "the seed gives every learner at least one goal"
    assert page["total"] == len(goals) == page["counts"]["active"]
    for goal in goals:
        assert goal["student_id"] == ids["student"]
        assert goal["status"] == "active" and goal["title"]
        assert goal["target_ids"]
    updated = [g["updated_at"] for g in goals]
    assert updated == sorted(updated, reverse=True)


def test_playlists_for_student_include_class_and_group_lists(client, auth, ids):
    lists = client.get(f"/api/learners/{ids['student']}/playlists",
                       headers=auth.headers("student")).get_json()
    kinds = {p["assigned_to"] for p in lists}
    assert kinds == {"class", "group"}
    group = next(p for p in lists if p["assigned_to"] == "group")
    assert group["title"] == "Unlike denominators: small group"
    assert [i["position"] for i in group["items"]] == [0, 1, 2]
    assert group["target_id"] is not None
    for item in group["items"]:
        assert item["activity"]["title"] and item["activity"]["target_ids"]
    assert "Eli's ratio catch-up" not in {p["title"] for p in lists}


def test_one_learner_playlist(client, auth, ids):
    lists = client.get(f"/api/learners/{ids['student2']}/playlists",
                       headers=auth.headers("teacher")).get_json()
    mine = [p for p in lists if p["assigned_to"] == "learner"]
    assert [p["title"] for p in mine] == ["Eli's ratio catch-up"]
    assert len(mine[0]["items"]) == 2
    # student2 is not in the small group
    assert "group" not in {p["assigned_to"] for p in lists}


def test_archived_target_leaves_the_binder(client, auth, ids, app):
    target_id = _target_id(app, "M5.F.2")
    assert client.delete(f"/api/curriculum/targets/{target_id}",
                         headers=auth.headers("admin")).status_code == 204
    binder = client.get(f"/api/learners/{ids['student']}/binder",
                        headers=auth.headers("teacher")).get_json()
    target_ids = {t["id"] for a in binder["content_areas"] for tp in a["topics"]
                  for t in tp["targets"]}
    assert target_id not in target_ids
