"""Curriculum tree (read by everyone signed in) and its administration (admins)."""

from sqlalchemy import func, select

from backend.extensions import db
from backend.models import AssessmentEvent, ContentArea, LearningTarget, MeasurementTopic

RUBRIC = [{"score": s, "text": f"Descriptor {s}"} for s in range(5)]


def _id(app, model, **where):
    with app.app_context():
        return db.session.scalar(select(model.id).filter_by(**where))


def test_tree(client, auth):
    tree = client.get("/api/curriculum/areas", headers=auth.headers("guardian")).get_json()
    assert [a["name"] for a in tree] == ["Math", "ELA", "Science", "Lifelong Learning Skills"]
    math = tree[0]
    assert [t["name"] for t in math["topics"]] == ["Fractions", "Ratios & Proportional Reasoning"]
    target = math["topics"][0]["targets"][0]
    assert target["code"] == "M5.F.1" and target["scale_level"] == 2.0
    assert sorted(d["score"] for d in target["rubric"]) == [0, 1, 2, 3, 4]


def test_topic_and_target_reads(app, client, auth):
    topic_id = _id(app, MeasurementTopic, name="Fractions")
    topic = client.get(f"/api/curriculum/topics/{topic_id}",
                       headers=auth.headers("student")).get_json()
    assert len(topic["targets"]) == 5
    target = client.get(f"/api/curriculum/targets/{topic['targets'][1]['id']}",
                        headers=auth.headers("student")).get_json()
    assert target["code"] == "M5.F.2"


def test_activities(client, auth):
    acts = client.get("/api/curriculum/activities", headers=auth.headers("student")).get_json()
    assert acts and all(a["target_ids"] for a in acts)
    titles = [a["title"] for a in acts]
    assert titles == sorted(titles)


def test_teacher_adds_an_activity(app, client, auth):
    target_id = _id(app, LearningTarget, code="M5.F.3")
    resp = client.post("/api/curriculum/activities", headers=auth.headers("teacher"), json={
        "title": "Area-model practice", "kind": "practice", "target_ids": [target_id],
        "url": "https://example.org/area"})
    assert resp.status_code == 201
    assert resp.get_json()["target_ids"] == [target_id]


def test_activity_with_an_unknown_target(client, auth, assert_error, db_counts):
    before = db_counts()
    resp = client.post("/api/curriculum/activities", headers=auth.headers("teacher"), json={
        "title": "Lost", "kind": "video", "target_ids": [999999]})
    assert_error(resp, 404)
    assert db_counts() == before


def test_admin_crud_area_topic_target(client, auth, assert_error):
    admin = auth.headers("admin")
    area = client.post("/api/curriculum/areas", headers=admin,
                       json={"name": "Arts", "is_academic": True, "position": 4})
    assert area.status_code == 201
    area_id = area.get_json()["id"]
    patched = client.patch(f"/api/curriculum/areas/{area_id}", headers=admin,
                           json={"name": "Visual Arts"})
    assert patched.get_json()["name"] == "Visual Arts"

    topic = client.post("/api/curriculum/topics", headers=admin, json={
        "content_area_id": area_id, "name": "Drawing", "level": 3, "description": "Lines."})
    assert topic.status_code == 201
    topic_id = topic.get_json()["id"]
    assert client.patch(f"/api/curriculum/topics/{topic_id}", headers=admin,
                        json={"level": 4}).get_json()["level"] == 4

    target = client.post("/api/curriculum/targets", headers=admin, json={
        "topic_id": topic_id, "code": "A.D.1", "title": "Draw in perspective",
        "scale_level": 3.0, "rubric": RUBRIC})
    assert target.status_code == 201, target.get_json()
    body = target.get_json()
    assert sorted(d["score"] for d in body["rubric"]) == [0, 1, 2, 3, 4]
    target_id = body["id"]

    new_rubric = [{"score": 3, "text": "Uses two-point perspective."}]
    patched = client.patch(f"/api/curriculum/targets/{target_id}", headers=admin,
                           json={"title": "Draw in two-point perspective", "rubric": new_rubric})
    assert patched.status_code == 200
    assert patched.get_json()["rubric"] == new_rubric

    tree = client.get("/api/curriculum/areas", headers=admin).get_json()
    arts = next(a for a in tree if a["id"] == area_id)
    assert arts["topics"][0]["targets"][0]["title"] == "Draw in two-point perspective"

    # a non-empty topic or area cannot be deleted
    assert_error(client.delete(f"/api/curriculum/topics/{topic_id}", headers=admin), 409)
    assert_error(client.delete(f"/api/curriculum/areas/{area_id}", headers=admin), 409)
    assert client.delete(f"/api/curriculum/targets/{target_id}", headers=admin).status_code == 204
    # the archived target still belongs to its topic: the topic is kept
    assert_error(client.delete(f"/api/curriculum/topics/{topic_id}", headers=admin), 409)

    empty = client.post("/api/curriculum/topics", headers=admin, json={
        "content_area_id": area_id, "name": "Empty"}).get_json()["id"]
    assert client.delete(f"/api/curriculum/topics/{empty}", headers=admin).status_code == 204
    bare = client.post("/api/curriculum/areas", headers=admin, json={"name": "Bare"})
    bare_id = bare.get_json()["id"]
    assert client.delete(f"/api/curriculum/areas/{bare_id}", headers=admin).status_code == 204
    assert bare_id not in {a["id"] for a in client.get("/api/curriculum/areas",
                                                        headers=admin).get_json()}


def test_archiving_a_target_keeps_its_events(app, client, auth, ids, assert_error):
    admin = auth.headers("admin")
    target_id = _id(app, LearningTarget, code="M5.F.1")

    def events():
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(AssessmentEvent).where(
                AssessmentEvent.target_id == target_id))

    n_events = events()
    assert n_events > 0
    usage = client.get(f"/api/curriculum/targets/{target_id}/usage", headers=admin).get_json()
    assert usage["events"] == n_events

    assert client.delete(f"/api/curriculum/targets/{target_id}", headers=admin).status_code == 204
    assert events() == n_events, "archiving is a soft delete"
    with app.app_context():
        assert db.session.get(LearningTarget, target_id).deleted_at is not None

    assert_error(client.get(f"/api/curriculum/targets/{target_id}", headers=admin), 404)
    tree = client.get("/api/curriculum/areas", headers=admin).get_json()
    assert target_id not in {t["id"] for a in tree for tp in a["topics"] for t in tp["targets"]}
    binder = client.get(f"/api/learners/{ids['student']}/binder", headers=admin).get_json()
    assert target_id not in {t["id"] for a in binder["content_areas"] for tp in a["topics"]
                             for t in tp["targets"]}
    # archiving twice is a 404, not a second write
    assert_error(client.delete(f"/api/curriculum/targets/{target_id}", headers=admin), 404)


def test_validation_errors(app, client, auth, assert_error, db_counts):
    admin = auth.headers("admin")
    topic_id = _id(app, MeasurementTopic, name="Fractions")
    before = db_counts()
    cases = [
        ("/api/curriculum/areas", {"name": ""}, "name"),
        ("/api/curriculum/topics", {"content_area_id": 1, "name": "T", "level": 0}, "level"),
        ("/api/curriculum/targets", {"topic_id": topic_id, "code": "X", "title": "T",
                                     "scale_level": 2.5}, "scale_level"),
        ("/api/curriculum/targets", {"topic_id": topic_id, "code": "X", "title": "T",
                                     "scale_level": 3.0,
                                     "rubric": [{"score": 3, "text": "a"},
                                                {"score": 3, "text": "b"}]}, "rubric"),
        ("/api/curriculum/targets", {"topic_id": topic_id, "code": "X", "title": "T",
                                     "scale_level": 3.0, "rubric": [{"score": 5, "text": "a"}]},
         "rubric"),
        ("/api/curriculum/activities", {"title": "T", "kind": "video", "minutes": 0}, "minutes"),
        ("/api/curriculum/activities", {"title": "T", "kind": "video", "url": "ftp://x"}, "url"),
    ]
    for url, body, field in cases:
        err = assert_error(client.post(url, json=body, headers=admin), 422)
        # the field is named where a form looks (errors); the message is plain words
        assert field in err["errors"]["json"], (url, body, err)
        assert f"{field}:" not in err["message"], err
    assert db_counts() == before


def test_unknown_parent_is_404(client, auth, assert_error, db_counts):
    admin = auth.headers("admin")
    before = db_counts()
    assert_error(client.post("/api/curriculum/topics", headers=admin,
                             json={"content_area_id": 999999, "name": "T"}), 404)
    assert_error(client.post("/api/curriculum/targets", headers=admin, json={
        "topic_id": 999999, "code": "X", "title": "T", "scale_level": 3.0}), 404)
    assert_error(client.patch("/api/curriculum/areas/999999", headers=admin,
                              json={"name": "X"}), 404)
    assert db_counts() == before


def test_only_admins_change_the_curriculum(app, client, auth, assert_error, db_counts):
    area_id = _id(app, ContentArea, name="Math")
    before = db_counts()
    for user in ("teacher", "student", "guardian"):
        assert_error(client.post("/api/curriculum/areas", headers=auth.headers(user),
                                 json={"name": "Art"}), 403)
        assert_error(client.patch(f"/api/curriculum/areas/{area_id}",
                                  headers=auth.headers(user), json={"name": "Maths"}), 403)
    assert db_counts() == before
