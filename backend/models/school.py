"""Schools, people, classes and who may see whom."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    event,
)
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
    # every token carries the value it was minted at ("tv"); deactivating the account or
    # changing its password bumps it, which ends every session of the account at once
    # (checked in backend/auth.py on the user lookup each request already makes)
    token_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # the language this person chose (BCP 47: en, es, ar, vi, zh-Hans; None = not chosen,
    # the browser's language is used): API messages, pages, and a guardian's child's reports
    locale: Mapped[str | None] = mapped_column(String(16))
    # a coach (a teacher) or an admin who reviews educators' microcredential evidence
    is_assessor: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    school: Mapped[School] = relationship()

    def end_sessions(self) -> None:
        """Make every token issued so far useless: access, refresh, cookies, sync."""
        self.token_version = (self.token_version or 0) + 1


class SchoolClass(Timestamped, Versioned, db.Model):
    """A class; its teacher's devices pull it (name, learner ids) as a `class` row, so the
    version moves when an enrollment is added or removed (Enrollment.version_owner)."""

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

    def version_owner(self, session):
        """The class whose pulled row lists this enrollment (re-versioned with it)."""
        if self.class_id is None:  # added through the class's relationship: not flushed yet
            return self.school_class
        return session.get(SchoolClass, self.class_id)


class GuardianLink(db.Model):
    __tablename__ = "guardian_links"
    __table_args__ = (UniqueConstraint("guardian_id", "student_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    guardian_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)


class LearnerGroup(Timestamped, Versioned, db.Model):
    """A flexible group inside a class, regrouped around a learning target (pulled by the
    class's teacher as a `group` row; a member added or removed moves its version)."""

    __tablename__ = "learner_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # read-only: what the pulled `group` row lists (members are written on their own)
    members: Mapped[list["LearnerGroupMember"]] = relationship(viewonly=True)


class LearnerGroupMember(db.Model):
    __tablename__ = "learner_group_members"
    __table_args__ = (UniqueConstraint("group_id", "student_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("learner_groups.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    def version_owner(self, session):
        """The group whose pulled row lists this member (re-versioned with it)."""
        return None if self.group_id is None else session.get(LearnerGroup, self.group_id)


class RevokedToken(db.Model):
    """Logged-out token ids, kept until they would have expired anyway."""

    __tablename__ = "revoked_tokens"
    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@event.listens_for(User.password_hash, "set", active_history=True)
def _password_changed(user: User, value, old, _initiator) -> None:
    """Any new password (an admin's reset, the person's own change, an import) ends the
    account's sessions; setting the first password of a new account does not."""
    if isinstance(old, str) and value != old:
        user.end_sessions()


@event.listens_for(User.is_active, "set", active_history=True)
def _deactivated(user: User, value, old, _initiator) -> None:
    """Deactivation signs the account out everywhere, the same moment."""
    if old is True and not value:
        user.end_sessions()


class SignInThrottle(db.Model):
    """Failed sign-ins counted per account name or per address (when Redis is not set).

    key: "account:<username>" or "address:<ip>". `failures` counts within the current
    window, which ends at `expires_at`; `locked_until` is when the next attempt may be made.
    Successful sign-ins never touch it (backend/services/sign_in_throttle.py).
    """

    __tablename__ = "sign_in_throttles"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
