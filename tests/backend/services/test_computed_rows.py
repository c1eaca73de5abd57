"""Computed pull rows: levels and topic progress ride along with the events that change them."""

from sqlalchemy import select

from backend.extensions import db
from backend.models import User
from backend.services.binder import load_binder
from backend.sync_pull import pull


def _pull_all(user, computed=True, limit=200):
    rows, cursor = [], None
    while True:
        page = pull(db.session, user, cursor, limit, computed=computed)
        rows += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return rows


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
        # each computed row carries the version of an event of its own learner and target
        events = {(r["data"]["student_id"], r["data"]["target_id"], r["version"])
                  for r in rows if r["type"] == "event"}
        for r in levels.values():
            key = (r["data"]["student_id"], r["data"]["target_id"], r["version"])
            assert key in events
