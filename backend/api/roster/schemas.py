"""Roster bodies: users, classes, enrollments, guardian links."""

from marshmallow import Schema, ValidationError, fields, validate

from backend.i18n import N_
from backend.models.school import ROLES

BLANK_NAME = N_("Type a name: it cannot be only spaces.")


def _not_blank(value: str) -> None:
    """A name of spaces passes Length(min=1) but shows as nothing on every screen and file."""
    if value and not value.strip():  # "" is Length's to refuse: one message, not two
        raise ValidationError(BLANK_NAME)


CONTROL_IN_NAME = N_("Type the name on one line, without tabs or line breaks.")


def _no_control(value: str) -> None:
    """A CR/LF or tab in a name breaks a PDF's file name, a CSV row, a page's one line
    (QA F17). Older rows may still hold one (loaded straight into the database); the
    downloads stay safe for them, but no new one is written through the API."""
    if value.strip() and any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValidationError(CONTROL_IN_NAME)  # blank is _not_blank's: one message


def _name_field(**kwargs) -> fields.String:
    return fields.String(validate=[validate.Length(min=1, max=120), _not_blank, _no_control],
                         **kwargs)


class RosterUserSchema(Schema):
    id = fields.Integer(dump_only=True)
    username = fields.String(required=True, validate=validate.Regexp(
        r"^[a-z0-9._-]{2,80}$", error=N_("Use 2–80 lowercase letters, digits, dots, dashes.")))
    display_name = _name_field(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    # the rule (length in code points, common passwords, the username…) is
    # backend/services/passwords.py, applied in the view: it needs the username
    password = fields.String(load_only=True, required=True)
    is_active = fields.Boolean(load_default=True)
    # reviews other staff's microcredential evidence (a coach or an admin); set with PATCH
    is_assessor = fields.Boolean(dump_only=True)


class UserPatchSchema(Schema):
    display_name = _name_field()
    password = fields.String(load_only=True)  # checked by backend/services/passwords.py
    is_active = fields.Boolean()
    # teacher microcredentials: a coach (teacher) or an admin who reviews other staff's work
    is_assessor = fields.Boolean()


class ClassLearnerSchema(Schema):
    id = fields.Integer()
    display_name = fields.String()
    username = fields.String()


class RosterClassSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = _name_field(required=True)
    teacher_id = fields.Integer(required=True)
    teacher_name = fields.Function(lambda c: c.teacher.display_name, dump_only=True)
    learners = fields.Function(
        lambda c: ClassLearnerSchema(many=True).dump(
            sorted((e.student for e in c.enrollments), key=lambda s: s.display_name)
        ),
        dump_only=True,
    )


class EnrollmentSchema(Schema):
    student_id = fields.Integer(required=True)


class GuardianLinkSchema(Schema):
    id = fields.Integer(dump_only=True)
    guardian_id = fields.Integer(required=True)
    student_id = fields.Integer(required=True)


class SummarySchema(Schema):
    school = fields.String()
    learners = fields.Integer()
    teachers = fields.Integer()
    guardians = fields.Integer()
    classes = fields.Integer()
    learning_targets = fields.Integer()
    activities = fields.Integer()
    evidence = fields.Integer()
    assessment_events = fields.Integer()
