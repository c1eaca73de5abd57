"""Bodies of sign-in, refresh and the current user."""

from marshmallow import Schema, fields, validate


class LoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200),
                             load_only=True)
    cookies = fields.Boolean(
        load_default=False, load_only=True,
        metadata={"description": "Browsers: set the tokens as httpOnly cookies (with CSRF "
                                 "cookies for X-CSRF-TOKEN) and return only the user."})


class SignedInUserSchema(Schema):
    id = fields.Integer(dump_only=True)
    username = fields.String()
    role = fields.String()
    display_name = fields.String()
    locale = fields.String(allow_none=True, metadata={
        "description": "The person's chosen language (en, es, ar, vi, zh-Hans); null: none"})
    is_assessor = fields.Boolean(dump_only=True, metadata={
        "description": "Reviews other staff's microcredential evidence (a coach or an admin)"})


class TokensSchema(Schema):
    access_token = fields.String()
    refresh_token = fields.String()
    user = fields.Nested(SignedInUserSchema)


class AccessTokenSchema(Schema):
    access_token = fields.String()


class MeSchema(SignedInUserSchema):
    school = fields.Function(lambda u: {"id": u.school.id, "name": u.school.name})
