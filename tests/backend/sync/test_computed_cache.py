"""The computed rows' cache (issue 16): a learner's levels, topic progress and suggestions
are worked out once per set of inputs and served from the cache until an input changes."""

from datetime import date
from uuid import uuid4

from sqlalchemy import select

from backend.extensions import db
from backend.models import AssessmentEvent, LearningTarget, School, User
from backend.services.levels import learner_topics
from backend.sync_server.computed_cache import ComputedCache, cache
from backend.sync_server.pull import pull
from tests.backend.pulls import pull_all as _pull_all

COMPUTED = ("level", "topic_progress", "recommendation")



def _computed(rows):
    """The device's view: later rows replace earlier ones."""
    out = {}
    for r in rows:
        if r["type"] in COMPUTED:
            out[(r["type"], r["id"])] = r
    return out


def _user(name):
    return db.session.scalar(select(User).where(User.username == name))


def _uncached(user):
    """The same pull with the cache off: what the rows must equal."""
    from flask import current_app

    kept = current_app.extensions["computed_rows_cache"]
    current_app.extensions["computed_rows_cache"] = ComputedCache(0)
    try:
        return _computed(_pull_all(user))
    finally:
        current_app.extensions["computed_rows_cache"] = kept


def _fresh_level(student_id, target_id):
    """The level worked out now, with no cache anywhere (services/levels.py)."""
    for row in learner_topics(db.session.get(User, student_id)):
        if target_id in row["levels"]:
            return row["levels"][target_id]["level"]
    raise AssertionError(target_id)


def test_a_repeat_pull_is_served_from_the_cache_and_equals_a_fresh_one(app):
    with app.app_context():
        teacher = _user("teacher")
        first = _computed(_pull_all(teacher))
        store = cache()
        computed = store.computed
        assert computed > 0 and len(store) > 0
        again = _computed(_pull_all(teacher))
        assert store.computed == computed  # nothing worked out twice
        assert store.served > 0
        assert again == first == _uncached(teacher)


def test_a_new_event_recomputes_that_learner_and_serves_the_new_level(app, ids):
    with app.app_context():
        teacher, student = _user("teacher"), db.session.get(User, ids["student"])
        before = _computed(_pull_all(teacher))
        level_rows = [r for r in before.values() if r["type"] == "level"
                      and r["data"]["student_id"] == student.id]
        target_id = level_rows[0]["data"]["target_id"]
        old = level_rows[0]["data"]["level"]
        new_score = 1.0 if old is not None and old >= 2.5 else 4.0
        store = cache()
        computed = store.computed
        db.session.add(AssessmentEvent(
            id=str(uuid4()), student_id=student.id, target_id=target_id, score=new_score,
            assessed_on=date.today(), source="teacher", author_id=teacher.id))
        db.session.commit()
        after = _computed(_pull_all(teacher))
        assert store.computed > computed  # that learner's topics were worked out again
        row = after[("level", f"{student.id}:{target_id}")]
        assert row["data"]["level"] == _fresh_level(student.id, target_id) != old
        # the other learners' rows did not need working out again, and are unchanged
        others = {k: v for k, v in after.items()
                  if v["data"]["student_id"] != student.id}
        assert others == {k: v for k, v in before.items()
                          if v["data"]["student_id"] != student.id}
        assert after == _uncached(teacher)


def test_a_method_change_recomputes_every_level(app):
    with app.app_context():
        teacher = _user("teacher")
        before = _computed(_pull_all(teacher))
        school = db.session.get(School, teacher.school_id)
        settings = dict(school.settings or {})
        settings.update(calculation_method="highest", method_params={})
        school.settings = settings
        db.session.commit()
        after = _computed(_pull_all(teacher))
        assert after == _uncached(teacher)
        changed = [k for k in after if k[0] == "level"
                   and after[k]["data"]["level"] != before[k]["data"]["level"]]
        assert changed  # the demo has histories where the highest is not the latest
        for _kind, row_id in changed:
            student_id, target_id = map(int, row_id.split(":"))
            assert after[("level", row_id)]["data"]["level"] == _fresh_level(
                student_id, target_id)
            assert after[("level", row_id)]["data"]["method_label"] == "Highest score"


def test_a_target_deleted_leaves_the_topic_progress_it_no_longer_counts_in(app):
    with app.app_context():
        teacher = _user("teacher")
        _pull_all(teacher)
        target = db.session.scalar(select(LearningTarget).where(
            LearningTarget.deleted_at.is_(None)).order_by(LearningTarget.id))
        from datetime import UTC, datetime

        target.deleted_at = datetime.now(UTC)
        db.session.commit()
        after = _computed(_pull_all(teacher))
        assert after == _uncached(teacher)


def test_the_cache_never_serves_another_learners_rows(app, ids):
    with app.app_context():
        _pull_all(_user("teacher"))  # every learner of the teacher is cached now
        assert len(cache()) > 1
        for name in ("student", "guardian"):
            user = _user(name)
            rows = _computed(_pull_all(user))
            mine = {ids["student"]} if name == "student" else {
                r["data"]["student_id"] for r in rows.values()}
            assert rows and {r["data"]["student_id"] for r in rows.values()} == mine
            for (kind, row_id), row in rows.items():
                assert row_id.split(":")[0] == str(row["data"]["student_id"])
                if kind == "level":
                    assert row["data"]["level"] == _fresh_level(
                        row["data"]["student_id"], row["data"]["target_id"])
            assert rows == _uncached(user)


def test_two_apps_two_databases_never_share_a_cache(make_app):
    one, two = make_app(), make_app()
    with one.app_context():
        first = cache()
    with two.app_context():
        assert cache() is not first


def test_a_learners_suggestions_are_served_until_something_they_read_changes(app, ids):
    with app.app_context():
        student = db.session.get(User, ids["student"])
        store = cache()
        first = pull(db.session, student, None, 5, computed=True)["changes"]
        recs = [r for r in first if r["type"] == "recommendation"]
        assert recs
        computed = store.computed
        again = pull(db.session, student, None, 5, computed=True)["changes"]
        assert store.computed == computed
        assert [r for r in again if r["type"] == "recommendation"] == recs
        # a teacher's score of theirs moves a level: their plan is worked out again
        target = db.session.scalar(select(LearningTarget).order_by(LearningTarget.id))
        db.session.add(AssessmentEvent(
            id=str(uuid4()), student_id=student.id, target_id=target.id, score=4.0,
            assessed_on=date.today(), source="teacher"))
        db.session.commit()
        pull(db.session, student, None, 5, computed=True)
        assert store.computed > computed


def test_the_cache_is_bounded_and_stays_right_when_full(app):
    app.config["COMPUTED_CACHE_LEARNERS"] = 2
    with app.app_context():
        teacher = _user("teacher")
        rows = _computed(_pull_all(teacher))
        assert len({r["data"]["student_id"] for r in rows.values()}) > 2
        assert len(cache()) <= 2
        assert _computed(_pull_all(teacher)) == rows == _uncached(teacher)


def test_the_least_recently_used_entry_goes_first():
    lru = ComputedCache(2)
    lru.put(1, "in", "a")
    lru.put(2, "in", "b")
    assert lru.get(1, "in") == "a"  # 1 is now the most recent
    lru.put(3, "in", "c")
    assert lru.get(2, "in") is None and lru.get(1, "in") == "a" and lru.get(3, "in") == "c"
    assert lru.get(1, "other inputs") is None  # served only for the inputs it was made from
    assert len(lru) == 2


def test_a_curriculum_edit_reaches_the_next_pull(app, ids):
    """The school's topics are kept per version of its curriculum, detached from every
    request: a target renamed is in the very next pull's suggestions."""
    from sqlalchemy import inspect

    from backend.sync_server.computed import _curriculum, _school_inputs

    with app.app_context():
        student = db.session.get(User, ids["student"])
        first = pull(db.session, student, None, 500, computed=True)["changes"]
        nexts = [r["data"]["next_target"] for r in first
                 if r["type"] == "recommendation" and r["data"]["next_target"]]
        assert nexts
        held = _curriculum(db.session, _school_inputs(db.session, student.school, date.today(),
                                                      {}))
        assert held and all(inspect(topic).detached for topic in held)
        target = db.session.get(LearningTarget, nexts[0]["id"])
        target.title = "Says what the target asks, renamed"
        db.session.commit()
        again = pull(db.session, student, None, 500, computed=True)["changes"]
        titles = {r["data"]["next_target"]["id"]: r["data"]["next_target"]["title"]
                  for r in again if r["type"] == "recommendation" and r["data"]["next_target"]}
        assert titles[target.id] == "Says what the target asks, renamed"
        assert _computed(again) == _computed(_uncached_first_page(student))


def _uncached_first_page(user):
    from flask import current_app

    kept = current_app.extensions["computed_rows_cache"]
    current_app.extensions["computed_rows_cache"] = ComputedCache(0)
    try:
        return pull(db.session, user, None, 500, computed=True)["changes"]
    finally:
        current_app.extensions["computed_rows_cache"] = kept


def test_a_pull_inside_an_uncommitted_curriculum_edit_sees_the_edit_and_keeps_nothing(app, ids):
    """The kept curriculum is read on a connection of its own: a request that sees an edit
    of its own that is not committed works from what it sees, and keeps none of it."""
    with app.app_context():
        student = db.session.get(User, ids["student"])
        first = pull(db.session, student, None, 500, computed=True)["changes"]
        target_id = next(r["data"]["next_target"]["id"] for r in first
                         if r["type"] == "recommendation" and r["data"]["next_target"])
        old_title = db.session.get(LearningTarget, target_id).title
        db.session.get(LearningTarget, target_id).title = "Not committed yet"
        db.session.flush()
        inside = pull(db.session, student, None, 500, computed=True)["changes"]
        assert "Not committed yet" in {r["data"]["next_target"]["title"] for r in inside
                                       if r["type"] == "recommendation"
                                       and r["data"]["next_target"]}
        db.session.rollback()
        after = pull(db.session, student, None, 500, computed=True)["changes"]
        titles = {r["data"]["next_target"]["id"]: r["data"]["next_target"]["title"]
                  for r in after if r["type"] == "recommendation" and r["data"]["next_target"]}
        assert titles[target_id] == old_title


def test_a_self_assessment_or_a_pick_not_finished_keeps_the_plan_and_others_gains_still_show(
        app, ids, monkeypatch):
    """A learner's plan (next targets, aligned activities, habits) is kept while what it
    reads is unchanged: a self-assessment that moves no level and a pick not yet finished
    leave it. What worked for others is read on every pull: another learner finishing a
    suggested activity and rising shows at once, and every row equals a fresh one."""
    from datetime import UTC, datetime, timedelta

    from backend.models import Pick
    from backend.sync_server import computed as computed_rows

    plans = []
    real = computed_rows.plan_recommendations
    monkeypatch.setattr(computed_rows, "plan_recommendations",
                        lambda *a, **k: plans.append(1) or real(*a, **k))
    with app.app_context():
        student = db.session.get(User, ids["student"])
        first = _computed(pull(db.session, student, None, 500, computed=True)["changes"])
        assert plans == [1]
        suggested = next(r["data"] for r in first.values() if r["type"] == "recommendation"
                         and r["data"]["activities"])
        target_id, activity_id = (suggested["next_target"]["id"],
                                  suggested["activities"][0]["id"])
        db.session.add(AssessmentEvent(
            id=str(uuid4()), student_id=student.id, target_id=target_id, score=None,
            assessed_on=date.today(), source="self"))
        db.session.add(Pick(id=str(uuid4()), student_id=student.id, activity_id=activity_id,
                            status="picked", merge_meta={}))
        db.session.commit()
        again = _computed(pull(db.session, student, None, 500, computed=True)["changes"])
        assert plans == [1]  # kept
        assert again == _computed(_uncached_first_page(student))  # (works one out: 2)
        other = db.session.scalar(select(User).where(
            User.role == "student", User.school_id == student.school_id,
            User.id != student.id).order_by(User.id))
        start = date.today() - timedelta(days=10)
        for day, score in ((0, 1.0), (5, 3.5)):
            db.session.add(AssessmentEvent(
                id=str(uuid4()), student_id=other.id, target_id=target_id, score=score,
                assessed_on=start + timedelta(days=day), source="teacher"))
        at = datetime.combine(start + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
        db.session.add(Pick(id=str(uuid4()), student_id=other.id, activity_id=activity_id,
                            status="done", merge_meta={}, created_at=at, updated_at=at))
        db.session.commit()
        after = _computed(pull(db.session, student, None, 500, computed=True)["changes"])
        assert plans == [1, 1]  # still kept: none of it was the learner's own
        assert after != again and after == _computed(_uncached_first_page(student))
