"""Load a learner's binder: per measurement topic, each target's current level and evidence.

The level here is the latest teacher-sourced event by date assessed; the mastery issue
replaces this with the school's calculation method.
"""

from collections import defaultdict

from sqlalchemy import select

from backend.extensions import db
from backend.models import (
    AssessmentEvent,
    ContentArea,
    Evidence,
    LearningTarget,
    MeasurementTopic,
    SelfAssessment,
    User,
)

LEVEL_WORDS = ((4.0, "advanced"), (3.0, "proficient"), (2.0, "developing"), (0.0, "emerging"))


def level_words(level: float | None) -> str:
    """Plain words for a level, as learners and families say them."""
    if level is None:
        return "not yet assessed"
    return next(word for floor, word in LEVEL_WORDS if level >= floor)


def _current_levels(student_id: int) -> dict[int, float]:
    events = db.session.scalars(
        select(AssessmentEvent)
        .where(AssessmentEvent.student_id == student_id, AssessmentEvent.source == "teacher")
        .order_by(AssessmentEvent.assessed_on, AssessmentEvent.created_at)
    )
    levels: dict[int, float] = {}
    for event in events:
        if event.score is not None:  # missing work is skipped, never a zero
            levels[event.target_id] = event.score
    return levels


def load_binder(learner: User) -> dict:
    """The whole binder of one learner, grouped by content area and measurement topic."""
    levels = _current_levels(learner.id)
    evidence_counts: dict[int, int] = defaultdict(int)
    for ev in db.session.scalars(
        select(Evidence).where(Evidence.student_id == learner.id, Evidence.is_deleted.is_(False))
    ):
        for tid in ev.target_ids or []:
            evidence_counts[int(tid)] += 1
    self_levels = {
        sa.target_id: sa.level
        for sa in db.session.scalars(
            select(SelfAssessment).where(SelfAssessment.student_id == learner.id)
        )
    }
    areas = db.session.scalars(
        select(ContentArea)
        .where(ContentArea.school_id == learner.school_id)
        .order_by(ContentArea.is_academic.desc(), ContentArea.position)
    )
    out = []
    for area in areas:
        topics = []
        for topic in area.topics:
            targets = [
                {
                    "id": t.id,
                    "code": t.code,
                    "title": t.title,
                    "scale_level": t.scale_level,
                    "level": levels.get(t.id),
                    "level_words": level_words(levels.get(t.id)),
                    "self_level": self_levels.get(t.id),
                    "evidence_count": evidence_counts.get(t.id, 0),
                }
                for t in topic.targets
            ]
            proficient = sum(1 for t in targets if (t["level"] or 0) >= 3.0)
            topics.append(
                {
                    "id": topic.id,
                    "name": topic.name,
                    "level": topic.level,
                    "targets": targets,
                    "proficient_count": proficient,
                    "target_count": len(targets),
                }
            )
        out.append(
            {"id": area.id, "name": area.name, "is_academic": area.is_academic, "topics": topics}
        )
    return {
        "learner": {"id": learner.id, "display_name": learner.display_name},
        "content_areas": out,
    }


def load_target_detail(learner: User, target: LearningTarget) -> dict:
    """One target in a learner's binder: rubric, every event, the evidence tagged with it."""
    events = db.session.scalars(
        select(AssessmentEvent)
        .where(AssessmentEvent.student_id == learner.id, AssessmentEvent.target_id == target.id)
        .order_by(AssessmentEvent.assessed_on.desc(), AssessmentEvent.created_at.desc())
    ).all()
    evidence = [
        ev
        for ev in db.session.scalars(
            select(Evidence)
            .where(Evidence.student_id == learner.id, Evidence.is_deleted.is_(False))
            .order_by(Evidence.created_at.desc())
        )
        if target.id in {int(t) for t in ev.target_ids or []}
    ]
    level = _current_levels(learner.id).get(target.id)
    return {
        "target": target,
        "topic": {"id": target.topic.id, "name": target.topic.name},
        "level": level,
        "level_words": level_words(level),
        "events": events,
        "evidence": evidence,
    }


def topic_ids(school_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(MeasurementTopic.id)
            .join(ContentArea)
            .where(ContentArea.school_id == school_id)
        )
    )
