"""Curriculum: content areas, topics, learning targets, rubrics, activities, playlists."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.extensions import db
from backend.models._base import Timestamped, Versioned

SCALE_LEVELS = (2.0, 3.0, 4.0)
AUDIENCES = ("learner", "educator")
ACTIVITY_KINDS = ("video", "reading", "practice", "project", "seminar", "lab", "peer")
MODALITIES = ("independent", "small_group", "whole_group", "one_on_one", "online")


class ContentArea(Timestamped, Versioned, db.Model):
    __tablename__ = "content_areas"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # Lifelong Learning Skills are reported apart and never averaged with academics.
    is_academic: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    case_identifier: Mapped[str | None] = mapped_column(String(64), unique=True)
    # "learner" (the school's curriculum) or "educator" (the district's catalog of teacher
    # microcredentials: its topics are microcredentials, their targets the competencies)
    audience: Mapped[str] = mapped_column(String(16), default="learner",
                                          server_default="learner")

    topics: Mapped[list["MeasurementTopic"]] = relationship(
        back_populates="content_area", order_by="MeasurementTopic.position"
    )


class MeasurementTopic(Timestamped, Versioned, db.Model):
    __tablename__ = "measurement_topics"
    id: Mapped[int] = mapped_column(primary_key=True)
    content_area_id: Mapped[int] = mapped_column(ForeignKey("content_areas.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    # levels replace grade levels: Math level 5 can sit beside ELA level 3
    level: Mapped[int] = mapped_column(Integer, default=1)
    position: Mapped[int] = mapped_column(Integer, default=0)
    settings: Mapped[dict | None] = mapped_column(db.JSON, default=None)
    case_identifier: Mapped[str | None] = mapped_column(String(64), unique=True)

    content_area: Mapped[ContentArea] = relationship(back_populates="topics")
    # an educator topic's terms (teacher microcredentials); None for a learner topic
    terms: Mapped["MicrocredentialTerms | None"] = relationship(uselist=False, viewonly=True)
    targets: Mapped[list["LearningTarget"]] = relationship(
        back_populates="topic",
        order_by="LearningTarget.position",
        primaryjoin="and_(LearningTarget.topic_id == MeasurementTopic.id, "
        "LearningTarget.deleted_at.is_(None))",
        viewonly=True,
    )


class LearningTarget(Timestamped, Versioned, db.Model):
    __tablename__ = "learning_targets"
    __table_args__ = (
        CheckConstraint("scale_level IN (2.0, 3.0, 4.0)", name="scale_level"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("measurement_topics.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    scale_level: Mapped[float] = mapped_column(Float)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # soft delete: a target with evidence or events is never hard-deleted
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    case_identifier: Mapped[str | None] = mapped_column(String(64), unique=True)

    topic: Mapped[MeasurementTopic] = relationship(foreign_keys=[topic_id])
    rubric: Mapped[list["RubricDescriptor"]] = relationship(
        order_by="RubricDescriptor.score", cascade="all, delete-orphan"
    )


class RubricDescriptor(db.Model):
    __tablename__ = "rubric_descriptors"
    __table_args__ = (
        UniqueConstraint("target_id", "score"),
        CheckConstraint("score >= 0 AND score <= 4", name="score_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("learning_targets.id"), index=True)
    score: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class Activity(Timestamped, Versioned, db.Model):
    __tablename__ = "activities"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    modality: Mapped[str] = mapped_column(String(20), default="independent")
    minutes: Mapped[int] = mapped_column(Integer, default=20)
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(2000))
    # the ways it lets a learner show mastery (issue 18; the profile's show_by choices:
    # write, make, present, record): with more than one, a suggestion names the one that
    # fits what the learner said
    show_ways: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")

    targets: Mapped[list["ActivityTarget"]] = relationship(cascade="all, delete-orphan")


class ActivityTarget(db.Model):
    __tablename__ = "activity_targets"
    __table_args__ = (UniqueConstraint("activity_id", "target_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("learning_targets.id"), index=True)


class Playlist(Timestamped, Versioned, db.Model):
    """Ordered activities for a topic or target, assigned to a class, a group or one learner."""

    __tablename__ = "playlists"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN class_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN group_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN student_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_assignee",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("measurement_topics.id"))
    target_id: Mapped[int | None] = mapped_column(ForeignKey("learning_targets.id"))
    class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("learner_groups.id"), index=True)
    student_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    items: Mapped[list["PlaylistItem"]] = relationship(
        order_by="PlaylistItem.position", cascade="all, delete-orphan"
    )


class PlaylistItem(db.Model):
    __tablename__ = "playlist_items"
    __table_args__ = (UniqueConstraint("playlist_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    playlist_id: Mapped[int] = mapped_column(ForeignKey("playlists.id"), index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"))
    position: Mapped[int] = mapped_column(Integer)

    activity: Mapped[Activity] = relationship()


class MicrocredentialTerms(db.Model):
    """What a district asks for, and what earning it is worth, for one microcredential (a
    topic of an educator content area): shown to teachers before they start."""

    __tablename__ = "microcredential_terms"
    topic_id: Mapped[int] = mapped_column(ForeignKey("measurement_topics.id"), primary_key=True)
    requirements: Mapped[str] = mapped_column(Text, default="")
    stipend_cents: Mapped[int | None] = mapped_column(Integer)
    recert_hours: Mapped[float | None] = mapped_column(Float)
