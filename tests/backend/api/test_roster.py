"""Roster: classes for teachers and admins; admin management of people and links."""

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import SchoolClass, User


def _class_id(app, name):
    with app.app_context():
        return db.session.scalar(select(SchoolClass.id).where(SchoolClass.name == name))


def test_teacher_sees_only_their_classes(client, auth):
    names = [c["name"] for c in client.get("/api/roster/classes",
                                            headers=auth.headers("teacher")).get_json()]
    assert names == ["Math Studio A", "Math Studio B"]
    names2 = [c["name"] for c in client.get("/api/roster/classes",
                                             headers=auth.headers("teacher2")).get_json()]
    assert names2 == ["Humanities Lab", "Writers' Workshop"]


def test_admin_sees_every_class(client, auth):
    classes = client.get("/api/roster/classes", headers=auth.headers("admin")).get_json()
    assert len(classes) == 4
    math_a = next(c for c in classes if c["name"] == "Math Studio A")
    assert math_a["teacher_name"] == "Ms. Rivera"
    assert {"student", "student2"} <= {s["username"] for s in math_a["learners"]}


def test_teacher_cannot_open_another_teachers_class(app, client, auth, assert_error):
    class_id = _class_id(app, "Humanities Lab")
    assert_error(client.get(f"/api/roster/classes/{class_id}",
                            headers=auth.headers("teacher")), 404)
    assert client.get(f"/api/roster/classes/{class_id}",
                      headers=auth.headers("teacher2")).status_code == 200


def test_learners_and_guardians_have_no_roster(client, auth, assert_error):
    for user in ("student", "guardian"):
        assert_error(client.get("/api/roster/classes", headers=auth.headers(user)), 403)


def test_admin_creates_a_user_who_can_sign_in(client, auth):
    resp = client.post("/api/roster/users", headers=auth.headers("admin"), json={
        "username": "student25", "display_name": "Kai Z.", "role": "student",
        "password": "a-long-password"})
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["username"] == "student25" and body["is_active"] is True
    assert "password" not in body and "password_hash" not in body
    login = client.post("/api/auth/login",
                        json={"username": "student25", "password": "a-long-password"})
    assert login.status_code == 200


def test_duplicate_username_is_409(client, auth, assert_error, db_counts):
    before = db_counts()
    resp = client.post("/api/roster/users", headers=auth.headers("admin"), json={
        "username": "teacher", "display_name": "Another", "role": "teacher",
        "password": "a-long-password"})
    assert_error(resp, 409, "That username is taken.")
    assert db_counts() == before


def test_short_password_is_refused(client, auth, assert_error):
    resp = client.post("/api/roster/users", headers=auth.headers("admin"), json={
        "username": "newbie", "display_name": "N", "role": "student", "password": "short"})
    assert "password" in assert_error(resp, 422)["message"]


def test_admin_creates_a_class_and_enrolls(client, auth, ids, assert_error):
    admin = auth.headers("admin")
    resp = client.post("/api/roster/classes", headers=admin,
                       json={"name": "Science Lab", "teacher_id": ids["teacher2"]})
    assert resp.status_code == 201
    class_id = resp.get_json()["id"]
    enrolled = client.post(f"/api/roster/classes/{class_id}/enrollments", headers=admin,
                           json={"student_id": ids["student2"]})
    assert enrolled.status_code == 201
    assert [s["username"] for s in enrolled.get_json()["learners"]] == ["student2"]
    assert_error(client.post(f"/api/roster/classes/{class_id}/enrollments", headers=admin,
                             json={"student_id": ids["student2"]}), 409)
    # the relationship is what authorizes: teacher2 now sees student2's binder
    assert client.get(f"/api/learners/{ids['student2']}/binder",
                      headers=auth.headers("teacher2")).status_code == 200
    assert client.delete(f"/api/roster/classes/{class_id}/enrollments/{ids['student2']}",
                         headers=admin).status_code == 204
    assert_error(client.get(f"/api/learners/{ids['student2']}/binder",
                            headers=auth.headers("teacher2")), 404)


def test_class_needs_a_teacher(client, auth, ids, assert_error):
    resp = client.post("/api/roster/classes", headers=auth.headers("admin"),
                       json={"name": "Nobody's", "teacher_id": ids["student"]})
    assert_error(resp, 422, "That user is not a teacher.")


def test_enrolling_a_non_learner(app, client, auth, ids, assert_error):
    class_id = _class_id(app, "Math Studio A")
    resp = client.post(f"/api/roster/classes/{class_id}/enrollments",
                       headers=auth.headers("admin"), json={"student_id": ids["guardian"]})
    assert_error(resp, 422)


def test_guardian_links(client, auth, ids, assert_error):
    admin = auth.headers("admin")
    assert_error(client.get(f"/api/learners/{ids['student2']}/binder",
                            headers=auth.headers("guardian")), 404)
    resp = client.post("/api/roster/guardian-links", headers=admin,
                       json={"guardian_id": ids["guardian"], "student_id": ids["student2"]})
    assert resp.status_code == 201
    link_id = resp.get_json()["id"]
    assert client.get(f"/api/learners/{ids['student2']}/binder",
                      headers=auth.headers("guardian")).status_code == 200
    assert_error(client.post("/api/roster/guardian-links", headers=admin, json={
        "guardian_id": ids["guardian"], "student_id": ids["student2"]}), 409)
    links = client.get("/api/roster/guardian-links", headers=admin).get_json()
    assert link_id in {row["id"] for row in links}
    assert client.delete(f"/api/roster/guardian-links/{link_id}",
                         headers=admin).status_code == 204
    assert_error(client.get(f"/api/learners/{ids['student2']}/binder",
                            headers=auth.headers("guardian")), 404)


def test_deactivating_an_account(app, client, auth, ids, assert_error):
    admin = auth.headers("admin")
    assert client.delete(f"/api/roster/users/{ids['student2']}", headers=admin).status_code == 204
    with app.app_context():
        user = db.session.get(User, ids["student2"])
        assert user.is_active is False, "deactivated, not deleted"
    resp = client.post("/api/auth/login", json={"username": "student2", "password": "waypoint"})
    assert_error(resp, 401)
    # the binder is kept for the school
    assert client.get(f"/api/learners/{ids['student2']}/binder", headers=admin).status_code == 200
    # and can be reactivated
    resp = client.patch(f"/api/roster/users/{ids['student2']}", headers=admin,
                        json={"is_active": True})
    assert resp.get_json()["is_active"] is True
    resp = client.post("/api/auth/login", json={"username": "student2", "password": "waypoint"})
    assert resp.status_code == 200


def test_admin_cannot_deactivate_themself(client, auth, ids, assert_error):
    assert_error(client.delete(f"/api/roster/users/{ids['admin']}",
                               headers=auth.headers("admin")), 409)


def test_password_reset(client, auth, ids):
    resp = client.patch(f"/api/roster/users/{ids['student3']}", headers=auth.headers("admin"),
                        json={"password": "brand-new-pass"})
    assert resp.status_code == 200
    assert client.post("/api/auth/login", json={
        "username": "student3", "password": "brand-new-pass"}).status_code == 200
    assert client.post("/api/auth/login", json={
        "username": "student3", "password": "waypoint"}).status_code == 401


def test_role_cannot_be_changed_by_patch(client, auth, ids, assert_error):
    resp = client.patch(f"/api/roster/users/{ids['student']}", headers=auth.headers("admin"),
                        json={"role": "admin"})
    assert_error(resp, 422)


def test_summary(client, auth):
    summary = client.get("/api/roster/summary", headers=auth.headers("admin")).get_json()
    # the demo's coach (teacher microcredentials' assessor) is the third teacher
    assert summary["learners"] == 24 and summary["teachers"] == 3
    assert summary["guardians"] == 3 and summary["classes"] == 4
    assert summary["assessment_events"] > 1000
    assert summary["learning_targets"] == 24


def test_users_list(client, auth):
    users = client.get("/api/roster/users", headers=auth.headers("admin")).get_json()
    assert len(users) == 31  # 24 learners, 3 guardians, 3 teachers (one a coach), 1 admin
    assert all("password_hash" not in u for u in users)


def test_a_class_with_playlists_is_kept(app, client, auth, assert_error, db_counts):
    class_id = _class_id(app, "Humanities Lab")
    before = db_counts()
    assert_error(client.delete(f"/api/roster/classes/{class_id}", headers=auth.headers("admin")),
                 409, "Move or delete this class's playlists and groups first.")
    assert db_counts() == before


def test_deleting_an_empty_class_takes_its_enrollments(client, auth, ids, db_counts):
    admin = auth.headers("admin")
    class_id = client.post("/api/roster/classes", headers=admin, json={
        "name": "Pop-up", "teacher_id": ids["teacher"]}).get_json()["id"]
    client.post(f"/api/roster/classes/{class_id}/enrollments", headers=admin,
                json={"student_id": ids["student"]})
    before = db_counts()
    assert client.delete(f"/api/roster/classes/{class_id}", headers=admin).status_code == 204
    after = db_counts()
    assert after["classes"] == before["classes"] - 1
    assert after["enrollments"] == before["enrollments"] - 1


def test_a_name_of_only_spaces_is_refused_and_nothing_is_written(app, client, auth, ids,
                                                                 assert_error, db_counts):
    """QA F17: "  " passed Length(min=1); the class then printed as "progress-  .pdf"."""
    admin = auth.headers("admin")
    class_id = _class_id(app, "Math Studio A")
    before = db_counts()
    refusals = [
        client.post("/api/roster/classes", headers=admin,
                    json={"name": "  ", "teacher_id": ids["teacher"]}),
        client.patch(f"/api/roster/classes/{class_id}", headers=admin, json={"name": "\t \n"}),
        client.post("/api/roster/users", headers=admin, json={
            "username": "blank-name", "display_name": "   ", "role": "student",
            "password": "a-long-password"}),
        client.patch(f"/api/roster/users/{ids['student2']}", headers=admin,
                     json={"display_name": " "}),
    ]
    for resp in refusals:
        body = assert_error(resp, 422)
        assert "cannot be only spaces" in body["message"], body
    assert db_counts() == before
    # a name with spaces around real letters is still a name
    resp = client.post("/api/roster/classes", headers=admin,
                       json={"name": " Art Room ", "teacher_id": ids["teacher"]})
    assert resp.status_code == 201


@pytest.mark.parametrize("name", ["Math\r\nX-Injected: 1", "Art\tRoom", "Line\nbreak",
                                  "Bell\x07"])
def test_a_name_with_a_line_break_or_tab_is_refused_and_nothing_is_written(
        app, client, auth, ids, assert_error, db_counts, name):
    """QA F17: CR/LF and tabs in class and person names were stored as sent."""
    admin = auth.headers("admin")
    class_id = _class_id(app, "Math Studio A")
    before = db_counts()
    refusals = [
        client.post("/api/roster/classes", headers=admin,
                    json={"name": name, "teacher_id": ids["teacher"]}),
        client.patch(f"/api/roster/classes/{class_id}", headers=admin, json={"name": name}),
        client.post("/api/roster/users", headers=admin, json={
            "username": "ctl-name", "display_name": name, "role": "student",
            "password": "a-long-password"}),
        client.patch(f"/api/roster/users/{ids['student2']}", headers=admin,
                     json={"display_name": name}),
    ]
    for resp in refusals:
        body = assert_error(resp, 422)
        assert "without tabs or line breaks" in body["message"], body
    assert db_counts() == before
