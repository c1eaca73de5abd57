"""Sign-in, token refresh, sign-out (revocation) and the current user."""

from flask import current_app
from flask.views import MethodView
from flask_jwt_extended import (
    create_access_token,
    create_refresh_token,
    current_user,
    get_jwt,
    jwt_required,
)
from flask_smorest import Blueprint
from sqlalchemy import select

from backend.api.auth.schemas import AccessTokenSchema, LoginSchema, MeSchema, TokensSchema
from backend.auth import check_password, login_required, revoke
from backend.errors import AppError
from backend.extensions import db, limiter
from backend.models import User

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Sign-in and tokens")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@blp.route("/login")
class Login(MethodView):
    decorators = [limiter.limit(_login_limit, methods=["POST"])]

    @blp.arguments(LoginSchema)
    @blp.response(200, TokensSchema)
    def post(self, body):
        """Exchange a username and password for tokens."""
        user = db.session.scalar(select(User).where(User.username == body["username"].strip()))
        if not check_password(user, body["password"]):
            # the same words whether or not the account exists
            raise AppError("That username and password do not match.", status=401,
                           code="bad_credentials")
        claims = {"role": user.role, "school_id": user.school_id}
        return {
            "access_token": create_access_token(user, additional_claims=claims),
            "refresh_token": create_refresh_token(user, additional_claims=claims),
            "user": user,
        }


@blp.route("/refresh")
class Refresh(MethodView):
    @jwt_required(refresh=True)
    @blp.response(200, AccessTokenSchema)
    def post(self):
        """Get a new access token with a refresh token."""
        claims = {"role": current_user.role, "school_id": current_user.school_id}
        return {"access_token": create_access_token(current_user, additional_claims=claims)}


@blp.route("/logout")
class Logout(MethodView):
    @jwt_required(verify_type=False)
    @blp.response(204)
    def post(self):
        """Revoke the token sent (send the access token, then the refresh token)."""
        revoke(get_jwt())
        db.session.commit()


@blp.route("/me")
class Me(MethodView):
    @login_required()
    @blp.response(200, MeSchema)
    def get(self):
        """The signed-in user."""
        return current_user
