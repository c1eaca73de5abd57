"""Helpers of the credentials tests: make a learner meet a topic's credit rule for real
(teacher assessments at 4 on every target, through the same levels the binder shows)."""

import uuid
from datetime import date, timedelta

from sqlalchemy import select

from backend.extensions import db
from backend.models import AssessmentEvent, MeasurementTopic, User


def meet_topic(app, learner_id: int, topic_name: str = "Fractions") -> int:
    with app.app_context():
        topic = db.session.scalar(select(MeasurementTopic).where(
            MeasurementTopic.name == topic_name))
        teacher = db.session.scalar(select(User.id).where(User.username == "teacher"))
        for target in topic.targets:
            for days in (3, 2, 1):
                db.session.add(AssessmentEvent(
                    id=f"cred-{uuid.uuid4()}", student_id=learner_id, target_id=target.id,
                    score=4.0, assessed_on=date.today() - timedelta(days=days),
                    source="teacher", author_id=teacher, origin="test"))
        db.session.commit()
        return topic.id


def change_one_byte(token: str, part: int = 1) -> str:
    """The token with one character of part `part` (0 header, 1 payload, 2 signature)
    swapped for another base64url character."""
    parts = token.split(".")
    text = parts[part]
    i = len(text) // 2
    parts[part] = text[:i] + ("B" if text[i] != "B" else "C") + text[i + 1:]
    return ".".join(parts)
