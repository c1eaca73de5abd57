"""Who is calling, and may they see or change this learner's records.

Authorization is by role *and* relationship: a learner sees only themself, a teacher the
learners enrolled in their classes, a guardian their linked children, an admin their school.
"""

from datetime import UTC, datetime
from functools import wraps

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_jwt_extended import current_user, verify_jwt_in_request
from sqlalchemy import select

from backend.errors import AppError, error_response
from backend.extensions import db, jwt
from backend.models import Enrollment, GuardianLink, RevokedToken, SchoolClass, User

_hasher = PasswordHasher()
# Verifying against a dummy hash keeps "no such user" as slow as "wrong password".
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user: User | None, password: str) -> bool:
    """Constant-ish time whether or not the user exists."""
    try:
        return _hasher.verify(user.password_hash if user else _DUMMY_HASH, password) and bool(
            user and user.is_active
        )
    except (VerificationError, InvalidHashError):
        return False


@jwt.user_identity_loader
def _identity(user: User) -> str:
    return str(user.id)


@jwt.user_lookup_loader
def _lookup(_header, payload) -> User | None:
    return db.session.get(User, int(payload["sub"]))


@jwt.token_in_blocklist_loader
def _is_revoked(_header, payload) -> bool:
    return db.session.get(RevokedToken, payload["jti"]) is not None


@jwt.user_lookup_error_loader
def _unknown_user(_header, _payload):
    return error_response(401, "Your account was not found. Please sign in again.")


@jwt.unauthorized_loader
def _missing(_reason):
    return error_response(401, "Please sign in.")


@jwt.invalid_token_loader
def _invalid(_reason):
    return error_response(401, "Your sign-in is not valid. Please sign in again.")


@jwt.expired_token_loader
def _expired(_header, _payload):
    return error_response(401, "Your sign-in has expired. Please sign in again.", code="expired")


@jwt.revoked_token_loader
def _revoked(_header, _payload):
    return error_response(401, "You have signed out. Please sign in again.", code="revoked")


@jwt.needs_fresh_token_loader
def _not_fresh(_header, _payload):
    return error_response(401, "Please sign in again to do that.")


def revoke(payload: dict) -> None:
    expires = datetime.fromtimestamp(payload["exp"], UTC)
    if db.session.get(RevokedToken, payload["jti"]) is None:
        db.session.add(RevokedToken(jti=payload["jti"], expires_at=expires))


def login_required(*roles: str):
    """Require a valid access token, and one of `roles` when given."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            verify_jwt_in_request()
            if roles and current_user.role not in roles:
                raise AppError("Your role cannot do that.", status=403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def learner_ids_for(user: User) -> set[int]:
    """The learners whose binders `user` may read."""
    if user.role == "student":
        return {user.id}
    if user.role == "teacher":
        rows = db.session.scalars(
            select(Enrollment.student_id)
            .join(SchoolClass, SchoolClass.id == Enrollment.class_id)
            .where(SchoolClass.teacher_id == user.id)
        )
        return set(rows)
    if user.role == "guardian":
        return set(
            db.session.scalars(
                select(GuardianLink.student_id).where(GuardianLink.guardian_id == user.id)
            )
        )
    if user.role == "admin":
        return set(
            db.session.scalars(
                select(User.id).where(User.school_id == user.school_id, User.role == "student")
            )
        )
    return set()


def require_learner(user: User, student_id: int) -> User:
    """Return the learner if `user` may read their binder, else a 404 that leaks nothing."""
    learner = db.session.get(User, student_id)
    if learner is None or learner.role != "student" or student_id not in learner_ids_for(user):
        # 404, not 403: a guardian probing ids learns nothing about other children
        raise AppError("That learner was not found among the learners you can see.", status=404)
    return learner
