"""The demo seed writes learners' and teachers' work through the merge path, as devices do.

The roster and curriculum are created directly; goals, picks, self-assessments, evidence,
reviews and teacher scores are pushed through the sync adapter (backend/seed_demo_push.py).
These tests read the seeded demo database every backend test starts from.
"""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from backend.extensions import db
from backend.models import (
    AssessmentEvent,
    Evidence,
    EvidenceReview,
    FieldHistory,
    Goal,
    Pick,
    Rating,
    SelfAssessment,
    SyncClient,
    SyncMutation,
    User,
)
from sync.clock import MAX_BEHIND_MS

LEARNER_ROWS = (Goal, Pick, Evidence)
EIGHT_WEEKS_AND_A_BIT = timedelta(days=61)


def _wall(hlc: str) -> datetime:
    return datetime.fromtimestamp(int(hlc[:13]) / 1000, UTC)


def test_every_learner_row_came_through_the_adapter(app):
    with app.app_context():
        applied = db.session.execute(select(SyncMutation.name, func.count()).group_by(
            SyncMutation.name)).all()
        names = dict(applied)
        for name in ("goal.put", "pick.put", "self_assessment.put", "evidence.put",
                     "evidence.review", "rating.put"):
            assert names.get(name), f"no {name} was pushed"
        statuses = {m.result["status"] for m in db.session.scalars(select(SyncMutation))}
        assert statuses == {"applied"}
        # one device per person who wrote something, named after them
        devices = dict(db.session.execute(select(SyncClient.client_id, User.username).join(
            User, User.id == SyncClient.user_id)).all())
        for client_id, username in devices.items():
            device = "phone" if username.startswith("student") else "laptop"
            assert client_id == f"demo-{username}-{device}"
        assert {"demo-teacher-laptop", "demo-teacher2-laptop", "demo-student-phone"} <= set(
            devices)
        mutations = db.session.scalar(select(func.count()).select_from(SyncMutation))
        rows = sum(db.session.scalar(select(func.count()).select_from(model))
                   for model in (*LEARNER_ROWS, SelfAssessment, EvidenceReview))
        teacher_events = db.session.scalar(select(func.count()).where(
            AssessmentEvent.source == "teacher"))
        # every row is one put (goals, picks and evidence are put once each in the demo),
        # and every teacher score is one rating.put
        assert mutations == rows + teacher_events


def test_rows_carry_real_stamps_from_the_demo_weeks(app):
    now = datetime.now(UTC)
    with app.app_context():
        for model in LEARNER_ROWS:
            for row in db.session.scalars(select(model)):
                stamps = row.merge_meta.get("_hlc")
                assert stamps, row.id
                for stamp in stamps.values():
                    at = _wall(stamp)
                    # a real day of the demo, at least a day old, far from the 400-day clamp
                    assert now - EIGHT_WEEKS_AND_A_BIT < at <= now - timedelta(hours=24), stamp
                    assert (now - at).total_seconds() * 1000 < MAX_BEHIND_MS
                assert row.created_at.date() == min(_wall(s) for s in stamps.values()).date()
        for model in (AssessmentEvent, SelfAssessment, EvidenceReview, Rating):
            for row in db.session.scalars(select(model)):
                assert row.hlc and not row.hlc.startswith("0000000000000"), row.id
        for event in db.session.scalars(select(AssessmentEvent)):
            assert event.assessed_on == _wall(event.hlc).date()
            assert event.origin == {"teacher": "rating.put", "self": "self_assessment.put"}[
                event.source]


def test_teacher_scores_are_rating_registers_holding_the_latest_score(app):
    with app.app_context():
        latest: dict[tuple, AssessmentEvent] = {}
        for event in db.session.scalars(select(AssessmentEvent).where(
                AssessmentEvent.source == "teacher").order_by(AssessmentEvent.hlc)):
            latest[(event.student_id, event.target_id, event.author_id)] = event
        registers = {(r.student_id, r.target_id, r.teacher_id): r
                     for r in db.session.scalars(select(Rating))}
        assert set(registers) == set(latest)
        for key, rating in registers.items():
            assert (rating.level, rating.hlc) == (latest[key].score, latest[key].hlc)


def test_a_device_edit_today_wins_over_the_seed_and_keeps_the_old_value(app, client, auth,
                                                                        ids):
    with app.app_context():
        goal = db.session.scalar(select(Goal).where(Goal.student_id == ids["student"]))
        goal_id, old_title = goal.id, goal.title
    stamp = f"{int(datetime.now(UTC).timestamp() * 1000):013d}-0000-maya-phone-2"
    put = {"id": goal_id, "student_id": ids["student"], "title": "Renamed"}
    resp = client.post("/api/sync/push", headers=auth.headers("student"), json={
        "client_id": "maya-phone-2",
        "mutations": [{"seq": 1, "name": "goal.put", "hlc": stamp, "args": put}]})
    assert resp.status_code == 200 and resp.get_json()["results"][0]["status"] == "applied", (
        resp.get_json())
    with app.app_context():
        assert db.session.get(Goal, goal_id).title == "Renamed"
        lost = db.session.scalar(select(FieldHistory).where(FieldHistory.row_id == goal_id,
                                                            FieldHistory.field == "title"))
        assert lost is not None and lost.value == old_title


def test_the_rating_teacher_rates_again_without_a_conflict(app, client, auth, ids):
    """The teacher who scored a target rates it again having seen the register's version."""
    with app.app_context():
        rating = db.session.scalar(select(Rating).where(
            Rating.student_id == ids["student"]).order_by(Rating.target_id))
        teacher = db.session.get(User, rating.teacher_id).username
        target_id, version = rating.target_id, rating.version
    stamp = f"{int(datetime.now(UTC).timestamp() * 1000):013d}-0000-rivera-laptop-2"
    put = {"student_id": ids["student"], "target_id": target_id, "level": 4.0,
           "base_version": version}
    resp = client.post("/api/sync/push", headers=auth.headers(teacher), json={
        "client_id": "rivera-laptop-2",
        "mutations": [{"seq": 1, "name": "rating.put", "hlc": stamp, "args": put}]})
    assert resp.status_code == 200 and resp.get_json()["results"][0]["status"] == "applied", (
        resp.get_json())


def test_a_device_pulling_the_demo_sees_the_binder_apis_levels(app, client, auth, ids):
    headers = auth.headers("student")
    binder = client.get(f"/api/learners/{ids['student']}/binder", headers=headers).get_json()
    expected = {t["id"]: t["level"] for area in binder["content_areas"]
                for topic in area["topics"] for t in topic["targets"]}
    assert any(level is not None for level in expected.values())
    pulled, cursor = {}, None
    for _page in range(100):
        query = "/api/sync/pull?computed=true&limit=1000" + (f"&cursor={cursor}" if cursor
                                                            else "")
        page = client.get(query, headers=headers).get_json()
        for row in page["changes"]:
            if row["type"] == "level" and row["data"]["student_id"] == ids["student"]:
                pulled[row["data"]["target_id"]] = row["data"]["level"]
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    assert pulled
    assert pulled == {t: level for t, level in expected.items() if t in pulled}
    scored = defaultdict(int)
    with app.app_context():
        for target_id in db.session.scalars(select(AssessmentEvent.target_id).where(
                AssessmentEvent.student_id == ids["student"])):
            scored[target_id] += 1
    assert set(pulled) == set(scored)


def test_nothing_the_seed_wrote_is_dated_in_the_future(app):
    today = date.today()
    with app.app_context():
        assert db.session.scalar(select(func.max(AssessmentEvent.assessed_on))) < today
        assert all(g.due_on > today for g in db.session.scalars(select(Goal)))
