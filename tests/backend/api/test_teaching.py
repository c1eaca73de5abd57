"""Teaching reads: review queue, ready requests, class grid, groups, progress, sync health."""

import uuid

from sqlalchemy import select

from backend.extensions import db
from backend.models import (
    Evidence,
    LearnerGroup,
    LearningTarget,
    Playlist,
    SchoolClass,
)

HLC = "1700000000000-0000-{node}"


def _push(client, auth, user, mutations, client_id=None):
    body = {"client_id": client_id or str(uuid.uuid4()),
            "mutations": [{"seq": n, "hlc": HLC.format(node=f"n{n}"), **m}
                          for n, m in enumerate(mutations, start=1)]}
    resp = client.post("/api/sync/push", json=body, headers=auth.headers(user))
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["results"]


def _ref(app, model, **where):
    with app.app_context():
        return db.session.scalar(select(model.id).filter_by(**where))


def _submit(client, auth, ids, target_id, caption="My fraction strips"):
    evidence_id = str(uuid.uuid4())
    results = _push(client, auth, "student", [{"name": "evidence.put", "args": {
        "id": evidence_id, "student_id": ids["student"], "kind": "text", "text": "3/4 > 2/3",
        "caption": caption, "target_ids": [target_id], "submitted": True}}])
    assert results[0]["status"] == "applied", results
    return evidence_id


def test_approved_evidence_leaves_the_queue_and_a_second_review_is_refused(
        app, client, auth, ids):
    target = _ref(app, LearningTarget, code="M5.F.1")
    evidence_id = _submit(client, auth, ids, target)
    review = {"name": "evidence.review", "args": {
        "evidence_id": evidence_id, "decision": "approved", "level": 3.0,
        "target_id": target}}
    assert _push(client, auth, "teacher", [review])[0]["status"] == "applied"

    with app.app_context():
        assert db.session.get(Evidence, evidence_id).review_status == "approved"
    again = _push(client, auth, "teacher2", [review])[0]
    assert again["status"] == "rejected" and again["code"] == "review.taken"
    assert again["reason"].startswith("Already reviewed by ")
    detail = client.get(f"/api/learners/{ids['student']}/targets/{target}",
                        headers=auth.headers("guardian")).get_json()
    assert any(e["evidence_id"] == evidence_id and e["score"] == 3.0 for e in detail["events"])


def test_group_with_a_playlist_in_one_step(app, client, auth, ids):
    class_id = _ref(app, SchoolClass, name="Math Studio A")
    playlist_id = _ref(app, Playlist, title="Fractions playlist")
    body = {"class_id": class_id, "name": "Next: M5.F.2", "playlist_id": playlist_id,
            "student_ids": [ids["student"], ids["student2"]]}
    resp = client.post("/api/groups", json=body, headers=auth.headers("teacher"))
    assert resp.status_code == 201, resp.get_json()
    made = resp.get_json()
    assert made["assigned_playlist_title"] == "Fractions playlist: Next: M5.F.2"
    lists = client.get(f"/api/learners/{ids['student2']}/playlists",
                       headers=auth.headers("student2")).get_json()
    mine = next(p for p in lists if p["id"] == made["assigned_playlist_id"])
    assert mine["assigned_to"] == "group" and mine["items"]
    with app.app_context():
        assert db.session.get(LearnerGroup, made["id"]).name == "Next: M5.F.2"


def test_group_refuses_learners_outside_the_class(app, client, auth, ids, assert_error,
                                                  db_counts):
    class_id = _ref(app, SchoolClass, name="Writers' Workshop")
    playlist_id = _ref(app, Playlist, title="Fractions playlist")
    before = db_counts()
    body = {"class_id": class_id, "name": "Mixed", "playlist_id": playlist_id,
            "student_ids": [ids["student"], ids["student2"]]}
    assert_error(client.post("/api/groups", json=body, headers=auth.headers("teacher2")), 422)
    assert_error(client.post("/api/groups", json=body, headers=auth.headers("teacher")), 404)
    assert db_counts() == before


def test_progress_for_a_guardian_and_not_for_another_child(client, auth, ids, assert_error):
    progress = client.get(f"/api/learners/{ids['student']}/progress",
                          headers=auth.headers("guardian")).get_json()
    assert len(progress["weeks"]) == 10
    assert progress["weeks"][-1]["proficient"] >= progress["weeks"][0]["proficient"]
    assert all(ev["targets"] for ev in progress["recent_evidence"])
    assert_error(client.get(f"/api/learners/{ids['student2']}/progress",
                            headers=auth.headers("guardian")), 404)


def test_sync_health_shows_devices_and_open_conflicts(app, client, auth, ids):
    target = _ref(app, LearningTarget, code="M5.F.2")
    rating = {"name": "rating.put", "args": {"student_id": ids["student"],
                                             "target_id": target, "level": 2.0,
                                             "base_version": 0}}
    _push(client, auth, "teacher", [rating], client_id="rivera-laptop-new")
    results = _push(client, auth, "teacher2", [{**rating, "args": {**rating["args"],
                                                                   "level": 3.0}}],
                    client_id="okafor-laptop-new")
    assert results[0]["status"] == "conflict"
    health = client.get("/api/sync/health", headers=auth.headers("admin")).get_json()
    # the demo seed's own devices (it pushes its history) are listed too
    roles = {d["client_id"]: d["user"]["role"] for d in health["devices"]}
    assert roles["rivera-laptop-new"] == roles["okafor-laptop-new"] == "teacher"
    assert all(d["last_push_at"] for d in health["devices"])
    assert health["open_conflict_count"] == 1
    assert health["open_conflicts"][0]["target"]["code"] == "M5.F.2"
