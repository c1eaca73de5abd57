"""What worked for others, kept per school between pulls (backend/sync_server/gains.py).

Property: after any sequence of finished, unfinished and deleted picks, teacher and self
scores and new alignments, each learner's counts from the kept index equal the counts
worked out from the rows (services/gains.py gains_of_others, the rule's one home)."""

import itertools
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from backend.extensions import db
from backend.models import (
    Activity,
    ActivityTarget,
    AssessmentEvent,
    LearningTarget,
    Pick,
    User,
)
from backend.services.deletion import delete_learner, set_withdrawn
from backend.services.gains import gains_of_others
from backend.services.versions import current_version
from backend.sync_server.gains import SchoolGains, gains_for
from tests.backend.services.builders import done_pick, event, gains_topic, new_learner

D0 = date.today() - timedelta(days=60)
_ids = itertools.count()
LEARNERS, ACTIVITIES, TARGETS = 5, 4, 3

day = st.integers(0, 40)
op = st.one_of(
    st.tuples(st.just("done"), st.integers(0, LEARNERS - 1), st.integers(0, ACTIVITIES - 1),
              day),
    st.tuples(st.just("unfinish"), st.integers(0, LEARNERS - 1), st.integers(0, 1)),
    st.tuples(st.just("score"), st.integers(0, LEARNERS - 1), st.integers(0, TARGETS - 1),
              day, st.sampled_from([1.0, 2.0, 2.5, 3.0, 4.0, None]),
              st.sampled_from(["teacher", "teacher", "self"])),
    st.tuples(st.just("align"), st.integers(0, ACTIVITIES - 1), st.integers(0, TARGETS - 1)),
)


def _cast():
    school_id = db.session.scalar(select(User.school_id).where(User.username == "student"))
    learners = list(db.session.scalars(select(User).where(
        User.school_id == school_id, User.role == "student").order_by(User.id).limit(LEARNERS)))
    activities = list(db.session.scalars(select(Activity).where(
        Activity.school_id == school_id).order_by(Activity.id).limit(ACTIVITIES)))
    targets = sorted({t for a in activities for t in db.session.scalars(
        select(ActivityTarget.target_id).where(ActivityTarget.activity_id == a.id))})
    return school_id, learners, activities, targets[:TARGETS]


def _apply(step, learners, activities, targets) -> None:
    kind, *args = step
    if kind == "done":
        learner, activity, days = learners[args[0]], activities[args[1]], args[2]
        at = datetime.combine(D0 + timedelta(days=days), time(15), tzinfo=UTC)
        db.session.add(Pick(id=f"gains-pick-{next(_ids)}", student_id=learner.id,
                            activity_id=activity.id, status="done", merge_meta={},
                            created_at=at, updated_at=at))
    elif kind == "unfinish":  # the learner's newest done pick: back to picked, or deleted
        pick = db.session.scalar(select(Pick).where(
            Pick.student_id == learners[args[0]].id, Pick.status == "done",
            Pick.is_deleted.is_(False)).order_by(Pick.id.desc()))
        if pick is not None:
            if args[1]:
                pick.is_deleted = True
            else:
                pick.status = "picked"
    elif kind == "score":
        learner, target, days, score, source = (learners[args[0]], targets[args[1]],
                                                args[2], args[3], args[4])
        on = D0 + timedelta(days=days)
        db.session.add(AssessmentEvent(
            id=f"gains-event-{next(_ids)}", student_id=learner.id, target_id=target,
            score=score, assessed_on=on, source=source, origin="import",
            created_at=datetime.combine(on, time(12), tzinfo=UTC)))
    else:
        activity, target = activities[args[0]], targets[args[1]]
        if db.session.scalar(select(ActivityTarget).where(
                ActivityTarget.activity_id == activity.id,
                ActivityTarget.target_id == target)) is None:
            db.session.add(ActivityTarget(activity_id=activity.id, target_id=target))
    db.session.commit()


def _pairs(targets) -> dict[int, list]:
    aligned: dict[int, list] = {t: [] for t in targets}
    for activity_id, target_id in db.session.execute(
            select(ActivityTarget.activity_id, ActivityTarget.target_id).where(
                ActivityTarget.target_id.in_(targets))):
        aligned[target_id].append(SimpleNamespace(id=activity_id))
    return aligned


def _assert_kept_equals_rows(school_id, learners, targets) -> None:
    aligned = _pairs(targets)
    pairs = [(t, a.id) for t, acts in aligned.items() for a in acts]
    for learner in learners:
        kept = gains_for(db.session, school_id, learner.id, pairs, current_version(db.session))
        assert kept is not None  # committed: the index stands for what the request sees
        rows = {pair: list(count) for pair, count in gains_of_others(learner.id,
                                                                     aligned).items()}
        assert kept == rows, (learner.id, kept, rows)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(op, min_size=1, max_size=10))
def test_the_kept_counts_equal_the_counts_from_the_rows(app, steps):
    with app.app_context():
        school_id, learners, activities, targets = _cast()
        for step in steps:
            _apply(step, learners, activities, targets)
            _assert_kept_equals_rows(school_id, learners, targets)
        db.session.remove()


def test_a_learner_counts_only_others_and_the_counts_move_with_a_score(app):
    with app.app_context():
        built = gains_topic()
        ava, noah, third = (new_learner(name) for name in ("ava", "noah", "third"))
        db.session.commit()
        school_id, goal, reading = ava.school_id, built["target"].id, built["second"].id
        pair = (goal, reading)

        def counts(learner):
            return gains_for(db.session, school_id, learner.id, [pair],
                             current_version(db.session)).get(pair)

        event(ava, goal, 2.0, D0, 1)
        done_pick(ava, reading, D0 + timedelta(days=1), 1)
        event(ava, goal, 3.0, D0 + timedelta(days=5), 2)
        db.session.commit()
        assert counts(noah) == [1, 1]  # Ava finished it and rose
        assert counts(ava) is None  # her own finish is not "others"
        event(noah, goal, 1.0, D0, 1)
        done_pick(noah, reading, D0 + timedelta(days=1), 1)
        db.session.commit()
        assert counts(third) == [1, 2]  # Noah tried it too, with no later score yet
        event(noah, goal, 2.0, D0 + timedelta(days=30), 2)  # beyond the three weeks
        db.session.commit()
        assert counts(third) == [1, 2]
        event(noah, goal, 1.5, D0 + timedelta(days=10), 3)  # within them: a gain
        db.session.commit()
        assert counts(third) == [2, 2] and counts(ava) == [1, 1]
        db.session.remove()


def test_a_request_holding_writes_of_its_own_is_not_answered_from_the_kept_counts(app):
    with app.app_context():
        school_id, learners, _activities, targets = _cast()
        _apply(("score", 0, 0, 0, 2.0, "teacher"), learners, _activities, targets)
        db.session.add(AssessmentEvent(
            id=f"gains-event-{next(_ids)}", student_id=learners[0].id, target_id=targets[0],
            score=3.0, assessed_on=D0, source="teacher", origin="import"))
        db.session.flush()  # takes a version no other connection can see yet
        assert gains_for(db.session, school_id, learners[1].id, [],
                         current_version(db.session)) is None
        db.session.rollback()
        db.session.remove()


def test_a_changed_alignment_or_a_deleted_record_starts_the_counts_again(app):
    with app.app_context():
        school_id, learners, activities, targets = _cast()
        for step in (("score", 0, 0, 0, 2.0, "teacher"), ("done", 0, 0, 1),
                     ("score", 0, 0, 5, 3.0, "teacher"), ("align", 0, 0)):
            _apply(step, learners, activities, targets)
        index = SchoolGains(school_id)
        with db.engine.connect() as own:
            index.refresh(own)
        assert learners[0].id in index.by_learner
        # an alignment carries no version of its own: a new one is still counted
        target = next(t for t in db.session.scalars(select(LearningTarget.id))
                      if db.session.scalar(select(ActivityTarget.id).where(
                          ActivityTarget.activity_id == activities[0].id,
                          ActivityTarget.target_id == t)) is None)
        db.session.add(ActivityTarget(activity_id=activities[0].id, target_id=target))
        db.session.commit()
        with db.engine.connect() as own:
            index.refresh(own)
        assert target in index.targets_of[activities[0].id]
        # a deleted record leaves no row with a version behind: its share goes all the same
        set_withdrawn(learners[0], True)
        db.session.commit()
        delete_learner(learners[0], actor=None)
        with db.engine.connect() as own:
            index.refresh(own)
        assert learners[0].id not in index.by_learner
        _assert_kept_equals_rows(school_id, learners[1:], targets)
        db.session.remove()
