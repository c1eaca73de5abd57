"""Sign-in, token refresh, sign-out (revocation) and the current user.

Two kinds of caller share these routes. API clients (scripts, the load test, other
servers) send and receive tokens as JSON and `Authorization: Bearer`. The browser app signs
in with `"cookies": true` and never holds a token: it gets httpOnly cookies, proves each
unsafe request with the CSRF header, refreshes and signs out through the same cookies
(backend/api/auth/cookies.py).
"""

from flask import jsonify, make_response, request
from flask.views import MethodView
from flask_jwt_extended import (
    create_access_token,
    create_refresh_token,
    current_user,
    get_jwt,
    get_jwt_request_location,
    jwt_required,
    verify_jwt_in_request,
)
from flask_smorest import Blueprint
from sqlalchemy import select

from backend.api.auth.cookies import (
    check_csrf,
    cookie_tokens,
    set_access_cookie,
    set_refresh_cookie,
    unset_cookies,
    uses_cookies,
)
from backend.api.auth.schemas import (
    AccessTokenSchema,
    LoginSchema,
    MeSchema,
    SignedInUserSchema,
    TokensSchema,
)
from backend.api.auth.throttled import refuse_while_throttled
from backend.auth import check_password, login_required, revoke
from backend.errors import AppError, error_response
from backend.extensions import db
from backend.i18n import gettext
from backend.models import User
from backend.services import sign_in_throttle as throttle

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Sign-in and tokens")


@blp.route("/login")
class Login(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(200, TokensSchema)
    @blp.alt_response(429, description="Too many wrong passwords: wait (retry_after seconds)")
    def post(self, body):
        """Exchange a username and password for tokens.

        A successful sign-in never counts against anyone; wrong passwords are throttled per
        account name and per address (docs/deploy.md, "Sign-in policy").
        With `"cookies": true` (the browser app) the tokens are set as httpOnly cookies
        with their CSRF companions, and the body holds only the user.
        """
        username, address = body["username"].strip(), request.remote_addr or ""
        refuse_while_throttled(throttle.wait_before_sign_in(username, address))
        user = db.session.scalar(select(User).where(User.username == username))
        if not check_password(user, body["password"]):
            refuse_while_throttled(throttle.record_failure(username, address))
            # the same words whether or not the account exists
            raise AppError(gettext("That username and password do not match."), status=401,
                           code="bad_credentials")
        throttle.forget_failures(username)
        claims = {"role": user.role, "school_id": user.school_id}
        access = create_access_token(user, additional_claims=claims)
        refresh = create_refresh_token(user, additional_claims=claims)
        if body.get("cookies"):
            response = jsonify({"user": SignedInUserSchema().dump(user)})
            set_access_cookie(response, access)
            set_refresh_cookie(response, refresh)
            return response
        return {"access_token": access, "refresh_token": refresh, "user": user}


@blp.route("/refresh")
class Refresh(MethodView):
    @jwt_required(refresh=True)
    @blp.response(200, AccessTokenSchema)
    def post(self):
        """Get a new access token with a refresh token.

        A browser sends its refresh cookie (and the refresh csrf value in X-CSRF-TOKEN):
        the new access token is set as a cookie and the body is empty.
        """
        claims = {"role": current_user.role, "school_id": current_user.school_id}
        access = create_access_token(current_user, additional_claims=claims)
        if get_jwt_request_location() == "cookies":
            response = jsonify({})
            set_access_cookie(response, access)
            return response
        return {"access_token": access}


@blp.route("/logout")
class Logout(MethodView):
    @blp.response(204)
    def post(self):
        """Sign out: revoke the token sent (API clients: the access token, then the refresh
        token). A browser's cookies: both of its tokens are revoked and the cookies cleared.
        """
        if uses_cookies():
            return _end_cookie_session()
        verify_jwt_in_request(verify_type=False)
        revoke(get_jwt())
        db.session.commit()
        return None


def _end_cookie_session():
    """Revoke every unexpired token among the cookies, then clear all four cookies.

    The CSRF proof may match either token, so a browser whose access token expired can
    still sign out; with no usable token left there is nothing to revoke (401), and the
    stale cookies are cleared all the same.
    """
    tokens = cookie_tokens()
    if not tokens:
        body, status = error_response(401, "Please sign in.")
        response = make_response(body, status)
        unset_cookies(response)
        return response
    check_csrf(tokens)
    for payload in tokens:
        revoke(payload)
    db.session.commit()
    response = make_response("", 204)
    unset_cookies(response)
    return response


@blp.route("/me")
class Me(MethodView):
    @login_required()
    @blp.response(200, MeSchema)
    def get(self):
        """The signed-in user."""
        return current_user


# more routes on this blueprint: changing one's own password, and letting a locked-out
# learner in (imported last: they add routes to `blp`)
from backend.api.auth import locale, lockouts, password  # noqa: E402, F401
