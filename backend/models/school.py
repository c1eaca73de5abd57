"""Schools, people, classes and who may see whom."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.extensions import db
from backend.models._base import Timestamped, Versioned

ROLES = ("admin", "teacher", "student", "guardian")


class School(Timestamped, db.Model):
    __tablename__ = "schools"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # calculation method, credit rule, time zone: owned by the mastery issue
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    sourced_id: Mapped[str | None] = mapped_column(String(255), unique=True)


class User(Timestamped, Versioned, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(String(120))
    # children's data: the minimum. No birth date, no address, no photo of the person.
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # a learner who left the school: the retention clock starts here, and only a
    # withdrawn learner can be deleted (backend/services/deletion.py)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # the one age fact kept (no birth date): set by an admin or the roster import; a learner
    # who is 13 or older may download their own record. A child only gets older, so a flag
    # once true never goes stale; unknown counts as under 13.
    is_13_or_older: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    sourced_id: Mapped[str | None] = mapped_column(String(255), unique=True)

    school: Mapped[School] = relationship()


class SchoolClass(Timestamped, db.Model):
    __tablename__ = "classes"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    sourced_id: Mapped[str | None] = mapped_column(String(255), unique=True)

    teacher: Mapped[User] = relationship()
    enrollments: Mapped[list["Enrollment"]] = relationship(
        back_populates="school_class", cascade="all, delete-orphan"
    )


class Enrollment(db.Model):
    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("class_id", "student_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    sourced_id: Mapped[str | None] = mapped_column(String(255), unique=True)

    school_class: Mapped[SchoolClass] = relationship(back_populates="enrollments")
    student: Mapped[User] = relationship()


class GuardianLink(db.Model):
    __tablename__ = "guardian_links"
    __table_args__ = (UniqueConstraint("guardian_id", "student_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    guardian_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)


class LearnerGroup(Timestamped, db.Model):
    """A flexible group inside a class, regrouped around a learning target."""

    __tablename__ = "learner_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))


class LearnerGroupMember(db.Model):
    __tablename__ = "learner_group_members"
    __table_args__ = (UniqueConstraint("group_id", "student_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("learner_groups.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)


class RevokedToken(db.Model):
    """Logged-out token ids, kept until they would have expired anyway."""

    __tablename__ = "revoked_tokens"
    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
