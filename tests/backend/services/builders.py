"""Small, explicit additions to the demo school for tests that need exact numbers."""

from datetime import UTC, date, datetime, time

from sqlalchemy import select

from backend.extensions import db
from backend.models import (
    Activity,
    ActivityTarget,
    AssessmentEvent,
    ContentArea,
    Enrollment,
    LearningTarget,
    MeasurementTopic,
    Pick,
    Playlist,
    PlaylistItem,
    School,
    SchoolClass,
    User,
)


def new_learner(username="newbie", classes=("Math Studio A",)) -> User:
    """A learner with no history at all, enrolled in the given demo classes."""
    school = db.session.scalar(select(School))
    user = User(school_id=school.id, username=username, display_name="New L.", role="student",
                password_hash="x")
    db.session.add(user)
    db.session.flush()
    for name in classes:
        cls = db.session.scalar(select(SchoolClass).where(SchoolClass.name == name))
        db.session.add(Enrollment(class_id=cls.id, student_id=user.id))
    db.session.flush()
    return user


def target(code) -> LearningTarget:
    return db.session.scalar(select(LearningTarget).where(LearningTarget.code == code))


def user(username) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def event(student, target_id, score, on: date, n: int, source="teacher") -> None:
    db.session.add(AssessmentEvent(
        id=f"test-{student.id}-{target_id}-{n}", student_id=student.id, target_id=target_id,
        score=score, assessed_on=on, source=source, origin="import",
        created_at=datetime.combine(on, time(12), tzinfo=UTC)))


def done_pick(student, activity_id, on: date, n: int) -> None:
    at = datetime.combine(on, time(15), tzinfo=UTC)
    db.session.add(Pick(id=f"test-pick-{student.id}-{activity_id}-{n}", student_id=student.id,
                        activity_id=activity_id, status="done", merge_meta={},
                        created_at=at, updated_at=at))


def gains_topic() -> dict:
    """A Math topic 'Decimals' with one 2.0 target and two alike activities in one playlist."""
    school = db.session.scalar(select(School))
    math = db.session.scalar(select(ContentArea).where(ContentArea.name == "Math"))
    topic = MeasurementTopic(content_area_id=math.id, name="Decimals", position=9)
    db.session.add(topic)
    db.session.flush()
    goal = LearningTarget(topic_id=topic.id, code="M5.D.1", title="Read decimals to tenths",
                          scale_level=2.0, position=0)
    db.session.add(goal)
    db.session.flush()
    first, second = (
        Activity(school_id=school.id, title=title, kind="reading", modality="independent",
                 targets=[ActivityTarget(target_id=goal.id)])
        for title in ("Decimal place-value reading", "Decimals in sports reading")
    )
    db.session.add_all([first, second])
    db.session.flush()
    cls = db.session.scalar(select(SchoolClass).where(SchoolClass.name == "Math Studio A"))
    playlist = Playlist(school_id=school.id, title="Decimals playlist", topic_id=topic.id,
                        class_id=cls.id)
    playlist.items = [PlaylistItem(activity_id=first.id, position=0),
                      PlaylistItem(activity_id=second.id, position=1)]
    db.session.add(playlist)
    db.session.flush()
    return {"topic": topic, "target": goal, "first": first, "second": second,
            "playlist": playlist}
