"""Pace and the graduation plan on exact, hand-checked numbers (a fixed `today`)."""

from datetime import date

from sqlalchemy import select

from backend.extensions import db
from backend.models import MeasurementTopic, School
from backend.services.pace import load_pace
from tests.backend.services.builders import event, new_learner, target

TODAY = date(2026, 1, 19)


def _plan(app, goal="2026-01-31", method="most_recent"):
    with app.app_context():
        school = db.session.scalar(select(School))
        fractions = db.session.scalar(
            select(MeasurementTopic).where(MeasurementTopic.name == "Fractions"))
        school.settings = {**school.settings, "calculation_method": method,
                           "method_params": {}, "graduation_topics": [fractions.id],
                           "graduation_target_on": goal}
        learner = new_learner()
        f1, f2, f3 = (target(f"M5.F.{i}").id for i in (1, 2, 3))
        event(learner, f1, 3.0, date(2026, 1, 5), 1)
        event(learner, f2, 2.0, date(2026, 1, 5), 1)
        event(learner, f2, 3.0, date(2026, 1, 12), 2)
        event(learner, f3, 2.0, date(2026, 1, 12), 1)
        event(learner, f3, 4.0, date(2026, 3, 1), 2)  # after `today`: not yet known
        event(learner, f3, 3.5, date(2026, 1, 13), 3, source="self")  # shown, not counted
        db.session.commit()
        plan = load_pace(learner, today=TODAY)
        db.session.remove()
    return plan


def test_projection_by_hand(app):
    """Most recent: F1 3 (reached 5 Jan), F2 3 (reached 12 Jan), F3 2, F4 and F5 none.

    Credit 80% of 5 = 4 targets at 3, and all at 2: 2 more at 3 needed, and F4, F5 must
    first reach 2 — 2 remaining. Started 5 Jan, 2 weeks to 19 Jan: 2 targets in 2 weeks
    = 1 a week. 2 remaining at 1 a week = 14 days: 2 Feb, 2 days after the 31 Jan goal.
    """
    plan = _plan(app)
    (fractions,) = plan["topics"]
    assert fractions["name"] == "Fractions"
    assert fractions["proficient_count"] == 2 and fractions["proficient_needed"] == 4
    assert fractions["remaining"] == 2
    assert [r["reached_on"] for r in fractions["reached"]] == [date(2026, 1, 5),
                                                               date(2026, 1, 12)]
    assert fractions["started_on"] == date(2026, 1, 5)
    assert fractions["pace_per_week"] == 1.0
    assert fractions["projected_on"] == date(2026, 2, 2)
    assert fractions["status"] == "behind" and fractions["is_behind"]
    assert fractions["summary"] == (
        "At this pace, Fractions will be complete around 2 February — 2 days after the goal "
        "date (31 January).")
    assert plan["is_behind"] and plan["goal_on"] == date(2026, 1, 31)
    assert plan["summary"] == "0 of 1 required topics complete; behind in Fractions."
    assert plan["projected_on"] == date(2026, 2, 2)


def test_on_track_when_the_goal_is_later(app):
    plan = _plan(app, goal="2026-03-02")
    (fractions,) = plan["topics"]
    assert fractions["status"] == "on_track" and not plan["is_behind"]
    assert fractions["summary"].endswith("— 4 weeks before the goal date (2 March).")


def test_reached_uses_the_schools_method(app):
    """Decaying average 65%: F2 is 0.65·3 + 0.35·2 = 2.65 — not proficient, not reached."""
    plan = _plan(app, method="decaying_average")
    (fractions,) = plan["topics"]
    assert [r["code"] for r in fractions["reached"]] == ["M5.F.1"]
    # 1 target in 2 weeks = 0.5 a week; 3 more at 3 (F3 ≥ 2 already): 42 days → 2 March
    assert fractions["pace_per_week"] == 0.5 and fractions["remaining"] == 3
    assert fractions["projected_on"] == date(2026, 3, 2)


def test_the_demo_plan_is_deterministic(app):
    with app.app_context():
        from backend.models import User

        learners = db.session.scalars(select(User).where(User.role == "student")).all()
        first = [load_pace(u, today=date.today()) for u in learners]
        second = [load_pace(u, today=date.today()) for u in learners]
        db.session.remove()
    assert first == second
    assert all(len(p["topics"]) == 4 for p in first)  # the four academic topics
    statuses = {t["status"] for p in first for t in p["topics"]}
    assert statuses >= {"on_track", "no_pace_yet"}, statuses
