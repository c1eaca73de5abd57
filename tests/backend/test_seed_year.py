"""The school-year generator: deterministic, year-shaped, and written through the merge path."""

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from backend.extensions import db
from backend.models import (
    AssessmentEvent,
    BlobUpload,
    Conflict,
    Enrollment,
    Evidence,
    FieldHistory,
    Goal,
    Pick,
    Rating,
    SchoolClass,
    SelfAssessment,
    SyncMutation,
    User,
)
from backend.seed_year import Size, seed_year, year_days, year_digest
from tests.conftest import _app_for, _dispose, build_schema

TINY = Size(learners=6, teachers=2, groups=1, heavy_goals=60, heavy_evidence=40)


def _seeded_digest(tmp_path, name: str, seed: int) -> tuple[str, dict]:
    app = _app_for(f"sqlite:///{tmp_path / name}.db",
                   BLOB_STORE_URL=f"file://{tmp_path / name}-blobs")
    try:
        build_schema(app, seeded=False)
        with app.app_context():
            result = seed_year(seed=seed, size=TINY, start=date(2026, 3, 2),
                               progress=lambda _m: None)
            return year_digest(), result
    finally:
        _dispose(app)


def test_same_seed_same_year_other_seed_other_year(tmp_path):
    one, result = _seeded_digest(tmp_path, "a", seed=7)
    two, again = _seeded_digest(tmp_path, "b", seed=7)
    other, _ = _seeded_digest(tmp_path, "c", seed=8)
    assert result["created"] and not result.get("rejected"), result
    assert one == two
    assert {k: v for k, v in result.items() if k != "seconds"} == {
        k: v for k, v in again.items() if k != "seconds"}
    assert other != one


def _per_learner(model, *where) -> Counter:
    rows = db.session.execute(select(User.username, func.count(model.id)).join(
        model, model.student_id == User.id).where(*where).group_by(User.username))
    return Counter(dict(rows.all()))


def _ordinary(usernames) -> list[str]:
    return [u for u in usernames if u not in ("year-goals", "year-evidence")]


def test_ci_year_is_year_shaped(year_app):
    with year_app.app_context():
        learners = db.session.scalars(select(User.username).where(
            User.role == "student", User.username.like("year-%"))).all()
        assert len(learners) == 56
        assert db.session.scalar(select(func.count()).select_from(User).where(
            User.role == "teacher")) == 3
        sizes = db.session.execute(select(SchoolClass.name, func.count(Enrollment.id)).join(
            Enrollment).group_by(SchoolClass.id)).all()
        assert len(sizes) == 4 and all(25 <= n <= 30 for _, n in sizes), sizes

        events = _per_learner(AssessmentEvent)
        goals = _per_learner(Goal)
        done = _per_learner(Goal, Goal.status == "done")
        evidence = _per_learner(Evidence)
        photos = _per_learner(Evidence, Evidence.blob_sha256.is_not(None))
        picks = _per_learner(Pick)
        for username in _ordinary(learners):
            assert 110 <= events[username] <= 210, (username, events[username])
            assert 40 <= goals[username] <= 80, (username, goals[username])
            assert done[username] > goals[username] / 2, username  # most goals are done
            assert 30 <= evidence[username] <= 60, (username, evidence[username])
            assert 0.15 <= photos[username] / evidence[username] <= 0.55, username
            assert 150 <= picks[username] <= 260, (username, picks[username])

        # stamps and dates spread over the school year, not the day it was seeded
        first, last = db.session.execute(select(func.min(AssessmentEvent.assessed_on),
                                                func.max(AssessmentEvent.assessed_on))).one()
        days = year_days(first)
        assert first.weekday() == 0 and last <= days[-1] < date.today()
        assert (last - first).days > 250
        months = {d.month for d in db.session.scalars(select(AssessmentEvent.assessed_on))}
        assert len(months) == 10, months
        created = db.session.scalar(select(func.max(Goal.created_at)))
        assert created.date() <= days[-1] < date.today()


def test_pathological_learners(year_app):
    with year_app.app_context():
        goals = _per_learner(Goal)
        evidence = _per_learner(Evidence)
        assert goals["year-goals"] == 1000
        assert evidence["year-evidence"] == 400
        active = _per_learner(Goal, Goal.status == "active")["year-goals"]
        assert 0 < active <= 100  # a flood, but a year's worth: mostly done


def test_year_went_through_the_merge_path(year_app):
    """Rows a push makes exist alongside the data: device answers, field history, rating
    registers, self-assessment registers, conflicts (some resolved), learners' uploads."""
    with year_app.app_context():
        count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
        assert count(SyncMutation) > 30_000
        assert count(FieldHistory) > 1_000  # goal status and caption changes lost values
        assert count(Rating) > 1_000 and count(SelfAssessment) > 500
        statuses = Counter(db.session.scalars(select(Conflict.status)))
        assert statuses["open"] > 0 and statuses["resolved"] > statuses["open"]
        # every photo cited is a finished upload of that learner's own
        cited = db.session.execute(select(Evidence.student_id, Evidence.blob_sha256).where(
            Evidence.blob_sha256.is_not(None))).all()
        uploads = set(db.session.execute(select(BlobUpload.user_id, BlobUpload.sha256).where(
            BlobUpload.is_complete.is_(True))).all())
        assert cited and set(cited) <= uploads
        ready = db.session.scalar(select(func.count()).select_from(AssessmentEvent).where(
            AssessmentEvent.note == "Ready to demonstrate"))
        assert ready > 20


@pytest.mark.parametrize("username", ["year-learner1", "year-goals"])
def test_levels_are_computed_for_a_year_learner(year_app, year_client, year_headers, username):
    with year_app.app_context():
        learner_id = db.session.scalar(select(User.id).where(User.username == username))
    resp = year_client.get(f"/api/learners/{learner_id}/binder",
                           headers=year_headers("year-teacher1"))
    assert resp.status_code == 200, resp.get_json()
    levels = list(_levels(resp.get_json()["content_areas"]))
    assert sum(level is not None for level in levels) >= 10, levels


def _levels(node):
    """Every "level" value anywhere in the binder (areas > topics > targets)."""
    if isinstance(node, dict):
        if "level" in node:
            yield node["level"]
        for value in node.values():
            yield from _levels(value)
    elif isinstance(node, list):
        for value in node:
            yield from _levels(value)
