"""Letting a locked-out person in: a teacher for their own learners, an admin for anyone.

A learner whose name someone else guessed at ten times must wait before signing in
(backend/services/sign_in_throttle.py). Their teacher sees who is waiting and clears it.
Online only: it changes no learner record, only the sign-in counter.
"""

from flask.views import MethodView
from flask_jwt_extended import current_user
from marshmallow import Schema, fields
from sqlalchemy import select

from backend.api.auth.resources import blp
from backend.auth import learner_ids_for, login_required
from backend.errors import AppError
from backend.extensions import db
from backend.i18n import N_
from backend.models import User
from backend.services import sign_in_throttle as throttle
from backend.services.access_log import record_admin_write

NOT_YOURS = N_("That person was not found among the people you can let in.")


class LockoutSchema(Schema):
    user_id = fields.Integer()
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    wait_seconds = fields.Integer(metadata={"description": "seconds until they may try again"})


def _people_in_reach() -> list[User]:
    """Whose sign-in the caller may clear: a teacher's learners, an admin's whole school."""
    if current_user.role == "admin":
        query = select(User).where(User.school_id == current_user.school_id)
    else:
        query = select(User).where(User.id.in_(learner_ids_for(current_user)))
    return list(db.session.scalars(query.where(User.is_active.is_(True))))


@blp.route("/lockouts")
class Lockouts(MethodView):
    @login_required("teacher", "admin")
    @blp.response(200, LockoutSchema(many=True))
    def get(self):
        """Who must wait before signing in: a teacher's learners, or anyone for an admin."""
        people = _people_in_reach()
        waits = throttle.waits_for([p.username for p in people])
        locked = [p for p in people if p.username in waits]
        return [{"user_id": p.id, "username": p.username, "display_name": p.display_name,
                 "role": p.role, "wait_seconds": waits[p.username]}
                for p in sorted(locked, key=lambda p: p.display_name)]


@blp.route("/lockouts/<int:user_id>")
class LockoutsById(MethodView):
    @login_required("teacher", "admin")
    @blp.response(204)
    def delete(self, user_id):
        """Let this person try again now (clears their wrong-password count)."""
        person = db.session.get(User, user_id)
        if person is None or person.school_id != current_user.school_id:
            raise AppError(NOT_YOURS, status=404)
        if current_user.role == "teacher" and (
                person.role != "student" or person.id not in learner_ids_for(current_user)):
            raise AppError(NOT_YOURS, status=404)
        let_in(person)


def let_in(person: User) -> None:
    """The one place an account's sign-in wait is cleared (an audit record belongs here)."""
    throttle.let_in(person.username)
    record_admin_write(current_user, "user.let_in", person, commit=True)
