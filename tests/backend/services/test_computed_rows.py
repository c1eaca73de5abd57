"""Computed pull rows: levels and topic progress ride along with the events that change them."""

from sqlalchemy import select

from backend.extensions import db
from backend.models import User
from backend.services.binder import load_binder
from backend.sync_server.pull import pull
from tests.backend.pulls import pull_all as _pull_all


def test_off_by_default_so_existing_pulls_are_unchanged(app):
    with app.app_context():
        guardian = db.session.scalar(select(User).where(User.username == "guardian"))
        plain = _pull_all(guardian, computed=False)
        assert not {r["type"] for r in plain} & {"level", "topic_progress"}


def test_a_guardians_pull_carries_the_binders_levels(app, ids):
    with app.app_context():
        guardian = db.session.scalar(select(User).where(User.username == "guardian"))
        rows = _pull_all(guardian)
        versions = [r["version"] for r in rows]
        assert versions == sorted(versions)
        levels = {}
        for r in rows:  # later rows replace earlier ones, as on a device
            if r["type"] == "level":
                levels[r["id"]] = r
        student = db.session.get(User, ids["student"])
        binder = load_binder(student)
        expected = {f"{student.id}:{t['id']}": t["level"] for a in binder["content_areas"]
                    for tp in a["topics"] for t in tp["targets"]
                    if t["level"] is not None}
        assert {k: levels[k]["data"]["level"] for k in expected} == expected
        assert {r["data"]["student_id"] for r in rows
                if r["type"] in ("level", "topic_progress")} == {student.id}
        assert all(r["data"]["explanation"][0].startswith("Method: ") for r in levels.values())
        progress = [r for r in rows if r["type"] == "topic_progress"]
        assert progress and all("blocking" in r["data"]["credit"] for r in progress)
        # each computed row carries the version of an event, rating or conflict of its own
        # learner and target (the demo's teacher scores are rating registers and events)
        triggers = {(r["data"]["student_id"], r["data"]["target_id"], r["version"])
                    for r in rows if r["type"] in ("event", "rating", "conflict")}
        for r in levels.values():
            key = (r["data"]["student_id"], r["data"]["target_id"], r["version"])
            assert key in triggers


def _by_username(name):
    return db.session.scalar(select(User).where(User.username == name))


def test_a_learners_own_pull_carries_their_recommendations_with_reasons(app, ids):
    from backend.services.recommendations import load_recommendations

    with app.app_context():
        student = db.session.get(User, ids["student"])
        first = pull(db.session, student, None, 5, computed=True)
        # a fresh device has them on its very first page, whatever that page holds
        assert any(r["type"] == "recommendation" for r in first["changes"])
        rows = _pull_all(student)
        recs = {}
        for r in rows:
            if r["type"] == "recommendation":
                recs[r["id"]] = r
        expected = load_recommendations(student)
        assert set(recs) == {f"{student.id}:{t['topic_id']}" for t in expected["topics"]}
        for topic in expected["topics"]:
            data = recs[f"{student.id}:{topic['topic_id']}"]["data"]
            assert data["student_id"] == student.id
            assert data["summary"] == topic["summary"]
            assert data["basis"] == expected["basis"]
            if topic["next_target"]:
                assert data["next_target"] == {k: topic["next_target"][k]
                                               for k in ("id", "code", "title")}
            assert [a["why"] for a in data["activities"]] == [
                a["why"] for a in topic["activities"]]
        whys = [a["why"] for r in recs.values() for a in r["data"]["activities"]]
        assert whys and all(w and w.endswith(".") for w in whys)
        assert all(set(a) == {"id", "title", "kind", "modality", "minutes", "why", "reasons",
                                  "show_as"}
                   for r in recs.values() for a in r["data"]["activities"])
        # stamped with a version of one of the learner's own triggering rows (or the first page)
        own = {r["version"] for r in rows if r["type"] in ("event", "pick", "rating",
                                                             "self_assessment")}
        first_versions = {r["version"] for r in first["changes"]}
        assert all(r["version"] in own | first_versions for r in recs.values())
        # deterministic: the same data gives the same rows
        again = [r for r in _pull_all(student) if r["type"] == "recommendation"]
        assert again == [r for r in rows if r["type"] == "recommendation"]
        # a later pull with nothing of theirs in it carries none
        quiet = pull(db.session, student, _pull_end(student), 50, computed=True)
        assert not [r for r in quiet["changes"] if r["type"] == "recommendation"]


def _pull_end(user):
    cursor = None
    while True:
        page = pull(db.session, user, cursor, 1000)
        cursor = page["cursor"]
        if not page["has_more"]:
            return cursor


def test_teachers_and_guardians_get_no_recommendation_rows(app):
    with app.app_context():
        for name in ("teacher", "guardian"):
            assert not [r for r in _pull_all(_by_username(name)) if r["type"] == "recommendation"]
