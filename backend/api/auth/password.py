"""Changing one's own password: every other session of the account ends, this one goes on.

The current password is asked again (someone at an unlocked Chromebook must not be able to
take the account), and a wrong one counts like a wrong sign-in. The new tokens come back
the way the old ones came: cookies for the browser, JSON for API clients.
"""

from flask import jsonify, request
from flask.views import MethodView
from flask_jwt_extended import (
    create_access_token,
    create_refresh_token,
    current_user,
    get_jwt_request_location,
)
from marshmallow import Schema, fields

from backend.api.auth.cookies import set_access_cookie, set_refresh_cookie
from backend.api.auth.resources import blp
from backend.api.auth.schemas import SignedInUserSchema, TokensSchema
from backend.api.auth.throttled import refuse_while_throttled
from backend.auth import check_password, hash_password, login_required
from backend.errors import AppError
from backend.extensions import db
from backend.i18n import N_
from backend.services import sign_in_throttle as throttle
from backend.services.passwords import check_new_password

WRONG_CURRENT = N_("Your current password is not right. Type it again.")


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, load_only=True)
    new_password = fields.String(required=True, load_only=True)


@blp.route("/password")
class OwnPassword(MethodView):
    @login_required()
    @blp.arguments(PasswordChangeSchema)
    @blp.response(200, TokensSchema)
    def post(self, body):
        """Change your own password; your other sessions end, this one gets new tokens."""
        user, address = current_user, request.remote_addr or ""
        refuse_while_throttled(throttle.wait_before_sign_in(user.username, address))
        if not check_password(user, body["current_password"]):
            refuse_while_throttled(throttle.record_failure(user.username, address))
            raise AppError(WRONG_CURRENT, status=422, code="password_refused",
                           errors={"json": {"current_password": [WRONG_CURRENT]}})
        check_new_password(body["new_password"], user.username, field="new_password")
        user.password_hash = hash_password(body["new_password"])  # ends every session
        db.session.commit()
        claims = {"role": user.role, "school_id": user.school_id}
        access = create_access_token(user, additional_claims=claims)
        refresh = create_refresh_token(user, additional_claims=claims)
        if get_jwt_request_location() == "cookies":
            response = jsonify({"user": SignedInUserSchema().dump(user)})
            set_access_cookie(response, access)
            set_refresh_cookie(response, refresh)
            return response
        return {"access_token": access, "refresh_token": refresh, "user": user}
