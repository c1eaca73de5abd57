"""Load a learner's binder: per measurement topic, each target's current level and evidence.

Each level comes from the school's calculation method (a topic may override it) over the
learner's assessment events, computed on read (services/levels.py); each topic carries its
credit rule's verdict and the targets that stand in the way.
"""

from collections import defaultdict

from sqlalchemy import select

from backend.extensions import db
from backend.i18n import N_
from backend.models import (
    AssessmentEvent,
    Conflict,
    ContentArea,
    Evidence,
    LearningTarget,
    MeasurementTopic,
    SelfAssessment,
    User,
)
from backend.services.levels import (
    effective_settings,
    events_by_target,
    learner_topics,
    level_of,
    school_settings,
)


def _open_conflict_targets(student_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(Conflict.target_id).where(
                Conflict.student_id == student_id, Conflict.status == "open"
            )
        )
    )


# Sync shows one teacher's rating as the winner of an open conflict (sync.shown_rating);
# the method counts every teacher's event, so the two can differ until it is resolved.
CONFLICT_STEP = N_("Two teachers gave different ratings that have not been settled yet; both "
                   "count here until a teacher resolves the disagreement.")


def load_binder(learner: User) -> dict:
    """The whole binder of one learner, grouped by content area and measurement topic."""
    by_topic = {row["topic"].id: row for row in learner_topics(learner)}
    in_conflict = _open_conflict_targets(learner.id)
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
        .where(ContentArea.school_id == learner.school_id, ContentArea.audience == "learner")
        .order_by(ContentArea.is_academic.desc(), ContentArea.position)
    )
    out = []
    for area in areas:
        topics = []
        for topic in area.topics:
            row = by_topic[topic.id]
            levels = row["levels"]
            targets = [
                {
                    "id": t.id,
                    "code": t.code,
                    "title": t.title,
                    "scale_level": t.scale_level,
                    "level": levels[t.id]["level"],
                    "level_words": levels[t.id]["level_words"],
                    "method_label": levels[t.id]["method_label"],
                    "self_level": self_levels.get(t.id),
                    "evidence_count": evidence_counts.get(t.id, 0),
                    "has_open_conflict": t.id in in_conflict,
                }
                for t in topic.targets
            ]
            credit = row["credit"]
            topics.append(
                {
                    "id": topic.id,
                    "name": topic.name,
                    "level": topic.level,
                    "targets": targets,
                    "proficient_count": credit["proficient_count"],
                    "target_count": len(targets),
                    "calculation_method": row["settings"]["calculation_method"],
                    "method_label": _method_label(levels),
                    "credit": _credit_view(credit),
                }
            )
        out.append(
            {"id": area.id, "name": area.name, "is_academic": area.is_academic, "topics": topics}
        )
    return {
        "learner": {"id": learner.id, "display_name": learner.display_name},
        "content_areas": out,
    }


def _method_label(levels: dict[int, dict]) -> str | None:
    return next((r["method_label"] for r in levels.values()), None)


def _credit_view(credit: dict) -> dict:
    """The credit result as the binder shows it (the rule's parameters stay in settings)."""
    keys = ("is_met", "rule_words", "proficient_count", "proficient_needed", "more_needed",
            "target_count", "blocking", "explanation")
    return {k: credit[k] for k in keys}


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
    topic = target.topic
    settings = effective_settings(school_settings(learner.school), topic)
    where = topic.name if topic.settings else None  # the topic named in a settings error
    result = level_of(events_by_target(learner.id, [target.id]).get(target.id, []), settings,
                      where)
    explanation = list(result["explanation"])
    step_data = list(result["steps"])  # the same steps as data, for the reader's language
    is_in_conflict = target.id in _open_conflict_targets(learner.id)
    if is_in_conflict:
        explanation.append(CONFLICT_STEP)
        step_data.append({"msgid": CONFLICT_STEP, "params": {}})
    return {
        "target": target,
        "topic": {"id": topic.id, "name": topic.name},
        "level": result["level"],
        "level_words": result["level_words"],
        "method_label": result["method_label"],
        "calculation_method": result["method"],
        "has_open_conflict": is_in_conflict,
        "explanation": {
            "method": result["method"],
            "method_label": result["method_label"],
            "params": result["params"],
            "steps": explanation,
            "step_data": step_data,
            "sentence": result["sentence"],
            "counted": result["counted"],
            "skipped": result["skipped"],
        },
        "events": events,
        "evidence": evidence,
    }


def topic_ids(school_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(MeasurementTopic.id)
            .join(ContentArea)
            .where(ContentArea.school_id == school_id, ContentArea.audience == "learner")
        )
    )
