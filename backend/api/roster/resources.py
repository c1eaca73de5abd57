"""Roster: the teacher's classes, and admin management of users, classes and links."""

from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from backend.api.roster.schemas import (
    EnrollmentSchema,
    GuardianLinkSchema,
    RosterClassSchema,
    RosterUserSchema,
    SummarySchema,
    UserPatchSchema,
)
from backend.auth import hash_password, login_required
from backend.errors import AppError
from backend.extensions import db
from backend.i18n import gettext
from backend.models import (
    Activity,
    AssessmentEvent,
    ContentArea,
    Enrollment,
    Evidence,
    GuardianLink,
    LearnerGroup,
    LearningTarget,
    MeasurementTopic,
    Playlist,
    SchoolClass,
    User,
)
from backend.services.access_log import account_action, record_admin_write
from backend.services.passwords import check_new_password

blp = Blueprint("roster", __name__, url_prefix="/api/roster",
                description="Users, classes, enrollments and guardian links")


def _user(user_id: int, role: str | None = None) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.school_id != current_user.school_id:
        raise AppError(gettext("That user was not found in your school."), status=404)
    if role and user.role != role:
        raise AppError(gettext("That user is not a {role}.", role=role), status=422)
    return user


def _class(class_id: int) -> SchoolClass:
    cls = db.session.get(SchoolClass, class_id)
    if cls is None or cls.school_id != current_user.school_id:
        raise AppError(gettext("That class was not found."), status=404)
    if current_user.role == "teacher" and cls.teacher_id != current_user.id:
        raise AppError(gettext("That class was not found."), status=404)
    return cls


@blp.route("/classes")
class Classes(MethodView):
    @login_required("teacher", "admin")
    @blp.response(200, RosterClassSchema(many=True))
    def get(self):
        """Classes with their learners: a teacher's own, or all of the school's for an admin."""
        query = select(SchoolClass).where(SchoolClass.school_id == current_user.school_id)
        if current_user.role == "teacher":
            query = query.where(SchoolClass.teacher_id == current_user.id)
        return db.session.scalars(query.order_by(SchoolClass.name)).all()

    @login_required("admin")
    @blp.arguments(RosterClassSchema)
    @blp.response(201, RosterClassSchema)
    def post(self, body):
        """Create a class taught by a teacher."""
        _user(body["teacher_id"], "teacher")
        cls = SchoolClass(school_id=current_user.school_id, **body)
        db.session.add(cls)
        db.session.commit()
        record_admin_write(current_user, "class.create", cls, body, commit=True)
        return cls


@blp.route("/classes/<int:class_id>")
class ClassesById(MethodView):
    @login_required("teacher", "admin")
    @blp.response(200, RosterClassSchema)
    def get(self, class_id):
        """One class with its learners."""
        return _class(class_id)

    @login_required("admin")
    @blp.arguments(RosterClassSchema(partial=True))
    @blp.response(200, RosterClassSchema)
    def patch(self, body, class_id):
        """Rename a class or change its teacher."""
        cls = _class(class_id)
        if "teacher_id" in body:
            _user(body["teacher_id"], "teacher")
        for key, value in body.items():
            setattr(cls, key, value)
        record_admin_write(current_user, "class.update", cls, body)
        db.session.commit()
        return cls

    @login_required("admin")
    @blp.response(204)
    def delete(self, class_id):
        """Delete a class (its enrollments go with it; learners' binders stay)."""
        cls = _class(class_id)
        # playlists and groups point at the class: refuse rather than fail the foreign key
        for model in (Playlist, LearnerGroup):
            if db.session.scalar(select(model.id).where(model.class_id == cls.id).limit(1)):
                raise AppError(gettext(
                    "Move or delete this class's playlists and groups first."),
                               status=409)
        record_admin_write(current_user, "class.delete", cls, {"name": cls.name})
        db.session.delete(cls)
        db.session.commit()


@blp.route("/classes/<int:class_id>/enrollments")
class Enrollments(MethodView):
    @login_required("admin")
    @blp.arguments(EnrollmentSchema)
    @blp.response(201, RosterClassSchema)
    def post(self, body, class_id):
        """Enroll a learner in a class."""
        cls = _class(class_id)
        _user(body["student_id"], "student")
        if any(e.student_id == body["student_id"] for e in cls.enrollments):
            raise AppError(gettext("That learner is already in this class."), status=409)
        cls.enrollments.append(Enrollment(student_id=body["student_id"]))
        record_admin_write(current_user, "enrollment.create", ("learner", body["student_id"]),
                           {"class_id": cls.id, "class": cls.name})
        db.session.commit()
        return cls


@blp.route("/classes/<int:class_id>/enrollments/<int:student_id>")
class EnrollmentsById(MethodView):
    @login_required("admin")
    @blp.response(204)
    def delete(self, class_id, student_id):
        """Remove a learner from a class."""
        cls = _class(class_id)
        enrollment = next((e for e in cls.enrollments if e.student_id == student_id), None)
        if enrollment is None:
            raise AppError(gettext("That learner is not in this class."), status=404)
        cls.enrollments.remove(enrollment)
        record_admin_write(current_user, "enrollment.delete", ("learner", student_id),
                           {"class_id": cls.id, "class": cls.name})
        db.session.commit()


@blp.route("/users")
class Users(MethodView):
    @login_required("admin")
    @blp.response(200, RosterUserSchema(many=True))
    def get(self):
        """Everyone in the school."""
        return db.session.scalars(
            select(User).where(User.school_id == current_user.school_id).order_by(
                User.role, User.display_name)
        ).all()

    @login_required("admin")
    @blp.arguments(RosterUserSchema)
    @blp.response(201, RosterUserSchema)
    def post(self, body):
        """Create an account."""
        password = body.pop("password")
        check_new_password(password, body["username"])
        user = User(school_id=current_user.school_id, password_hash=hash_password(password),
                    **body)
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            raise AppError(gettext("That username is taken."), status=409) from None
        record_admin_write(current_user, "user.create", user, body, commit=True)
        return user


@blp.route("/users/<int:user_id>")
class UsersById(MethodView):
    @login_required("admin")
    @blp.arguments(UserPatchSchema)
    @blp.response(200, RosterUserSchema)
    def patch(self, body, user_id):
        """Rename, reset a password, deactivate an account, or name an assessor of teacher
        microcredentials (`is_assessor`, teachers and admins only)."""
        user = _user(user_id)
        if body.get("is_assessor") and user.role not in ("teacher", "admin"):
            raise AppError(gettext("Only teachers and admins can assess microcredentials."),
                           status=422, errors={"is_assessor": [gettext(
                               "Only teachers and admins can assess microcredentials.")]})
        record_admin_write(current_user, account_action(body), user, body)
        if "password" in body:
            check_new_password(body["password"], user.username)
            # a new password ends every session of the account (User.end_sessions)
            user.password_hash = hash_password(body.pop("password"))
        for key, value in body.items():
            setattr(user, key, value)
        db.session.commit()
        return user

    @login_required("admin")
    @blp.response(204)
    def delete(self, user_id):
        """Deactivate an account. A learner's binder is kept; nothing is erased by accident."""
        user = _user(user_id)
        if user.id == current_user.id:
            raise AppError(gettext("You cannot deactivate your own account."), status=409)
        record_admin_write(current_user, "user.deactivate", user, {"is_active": False})
        user.is_active = False  # ends every session of the account (User.end_sessions)
        db.session.commit()


@blp.route("/guardian-links")
class GuardianLinks(MethodView):
    @login_required("admin")
    @blp.response(200, GuardianLinkSchema(many=True))
    def get(self):
        """Every guardian ↔ learner link in the school."""
        return db.session.scalars(
            select(GuardianLink).join(User, User.id == GuardianLink.student_id).where(
                User.school_id == current_user.school_id)
        ).all()

    @login_required("admin")
    @blp.arguments(GuardianLinkSchema)
    @blp.response(201, GuardianLinkSchema)
    def post(self, body):
        """Link a guardian to a learner."""
        _user(body["guardian_id"], "guardian")
        _user(body["student_id"], "student")
        link = GuardianLink(**body)
        db.session.add(link)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            raise AppError(gettext("That guardian is already linked to that learner."),
                           status=409) from None
        record_admin_write(current_user, "guardian_link.create", ("learner", link.student_id),
                           {"guardian_id": link.guardian_id, "link_id": link.id}, commit=True)
        return link


@blp.route("/guardian-links/<int:link_id>")
class GuardianLinksById(MethodView):
    @login_required("admin")
    @blp.response(204)
    def delete(self, link_id):
        """Unlink a guardian from a learner."""
        link = db.session.get(GuardianLink, link_id)
        if link is None or _user(link.student_id).school_id != current_user.school_id:
            raise AppError(gettext("That link was not found."), status=404)
        record_admin_write(current_user, "guardian_link.delete", ("learner", link.student_id),
                           {"guardian_id": link.guardian_id, "link_id": link.id})
        db.session.delete(link)
        db.session.commit()


@blp.route("/summary")
class Summary(MethodView):
    @login_required("admin")
    @blp.response(200, SummarySchema)
    def get(self):
        """Counts for the admin's home page."""
        sid = current_user.school_id

        def count_users(role):
            return db.session.scalar(
                select(func.count()).select_from(User).where(User.school_id == sid,
                                                             User.role == role))

        students = select(User.id).where(User.school_id == sid, User.role == "student")
        return {
            "school": current_user.school.name,
            "learners": count_users("student"),
            "teachers": count_users("teacher"),
            "guardians": count_users("guardian"),
            "classes": db.session.scalar(select(func.count()).select_from(SchoolClass).where(
                SchoolClass.school_id == sid)),
            "learning_targets": db.session.scalar(
                select(func.count()).select_from(LearningTarget).join(MeasurementTopic).join(
                    ContentArea).where(ContentArea.school_id == sid,
                                       ContentArea.audience == "learner",
                                       LearningTarget.deleted_at.is_(None))),
            "activities": db.session.scalar(select(func.count()).select_from(Activity).where(
                Activity.school_id == sid)),
            "evidence": db.session.scalar(select(func.count()).select_from(Evidence).where(
                Evidence.student_id.in_(students))),
            "assessment_events": db.session.scalar(
                select(func.count()).select_from(AssessmentEvent).where(
                    AssessmentEvent.student_id.in_(students))),
        }
