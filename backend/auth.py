"""Who is calling, and may they see or change this learner's records.

Authorization is by role *and* relationship: a learner sees only themself, a teacher the
learners enrolled in their classes, a guardian their linked children, an admin their school.
"""

from datetime import UTC, datetime
from functools import wraps

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_jwt_extended import current_user, verify_jwt_in_request
from sqlalchemy import select

from backend.errors import AppError, error_response
from backend.extensions import db, jwt
from backend.i18n import gettext
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


@jwt.additional_claims_loader
def _claims(user) -> dict:
    """Every token says which token version of the account it belongs to ("tv")."""
    if isinstance(user, User):
        return {"tv": user.token_version or 0}
    return {}


@jwt.user_lookup_loader
def _lookup(_header, payload) -> User | None:
    """The caller, or None (a 401) when the account is gone, deactivated, or its sessions
    were ended since this token was minted. The same one query as before: no extra cost."""
    user = db.session.get(User, int(payload["sub"]))
    if user is None or not user.is_active:
        return None
    if payload.get("tv", 0) != (user.token_version or 0):
        return None
    if _minted_before(payload, user):
        return None
    return user


def _minted_before(payload: dict, user: User) -> bool:
    """Was this token minted before the account existed? SQLite hands a deleted learner's
    id to the next new account, so an old token of the deleted learner would otherwise
    sign in as someone else. `iat` is whole seconds: one second of slack keeps a sign-in
    made in the account's first second valid (a withdrawn learner cannot sign in then)."""
    created = user.created_at
    if created is None or "iat" not in payload:
        return False
    if created.tzinfo is None:  # SQLite gives back naive UTC
        created = created.replace(tzinfo=UTC)
    return payload["iat"] < int(created.timestamp()) - 1


def _redis_blocklist():
    """The shared Redis client when TOKEN_BLOCKLIST is "redis" (REDIS_URL set), else None.

    Every worker asks about every request's token, so at district scale the answer comes
    from Redis (one GET) instead of the database; the table stays the embedded default.
    """
    if current_app.config.get("TOKEN_BLOCKLIST") != "redis":
        return None
    return shared_redis()


def shared_redis():
    """This app's one client of REDIS_URL (the blocklist and the sign-in throttle)."""
    client = current_app.extensions.get("waypoint_redis")
    if client is None:
        import redis

        client = redis.Redis.from_url(current_app.config["REDIS_URL"],
                                      socket_connect_timeout=2, socket_timeout=2)
        current_app.extensions["waypoint_redis"] = client
    return client


def _revoked_key(jti: str) -> str:
    return f"waypoint:revoked:{jti}"


@jwt.token_in_blocklist_loader
def _is_revoked(_header, payload) -> bool:
    blocklist = _redis_blocklist()
    if blocklist is not None:
        return bool(blocklist.exists(_revoked_key(payload["jti"])))
    return db.session.get(RevokedToken, payload["jti"]) is not None


@jwt.user_lookup_error_loader
def _unknown_user(_header, _payload):
    # deleted, deactivated, or a password changed: one answer, it tells nothing more
    return error_response(401, gettext("Your sign-in has ended. Please sign in again."),
                          code="session_ended")


@jwt.unauthorized_loader
def _missing(_reason):
    return error_response(401, gettext("Please sign in."))


@jwt.invalid_token_loader
def _invalid(_reason):
    return error_response(401, gettext("Your sign-in is not valid. Please sign in again."))


@jwt.expired_token_loader
def _expired(_header, _payload):
    return error_response(401, gettext("Your sign-in has expired. Please sign in again."),
                          code="expired")


@jwt.revoked_token_loader
def _revoked(_header, _payload):
    return error_response(401, gettext("You have signed out. Please sign in again."),
                          code="revoked")


@jwt.needs_fresh_token_loader
def _not_fresh(_header, _payload):
    return error_response(401, gettext("Please sign in again to do that."))


def revoke(payload: dict) -> None:
    """Block this token until it expires (Redis keeps the key exactly that long)."""
    expires = datetime.fromtimestamp(payload["exp"], UTC)
    blocklist = _redis_blocklist()
    if blocklist is not None:
        seconds = int((expires - datetime.now(UTC)).total_seconds()) + 1
        blocklist.set(_revoked_key(payload["jti"]), "1", ex=max(seconds, 1))
        return
    if db.session.get(RevokedToken, payload["jti"]) is None:
        db.session.add(RevokedToken(jti=payload["jti"], expires_at=expires))


def login_required(*roles: str):
    """Require a valid access token, and one of `roles` when given."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            verify_jwt_in_request()
            if roles and current_user.role not in roles:
                raise AppError(gettext("Your role cannot do that."), status=403)
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
        raise AppError(gettext("That learner was not found among the learners you can see."),
                       status=404)
    return learner
