"""Signing in with a card: the QR's text or the typed short code, on a shared device only.

The session starts exactly as a password sign-in's (backend/api/auth/resources.py): the
same tokens, as httpOnly cookies with their CSRF companions for the browser. Only learners
have cards. Wrong cards and codes are throttled per device (and per address) by the
sign-in throttle, so a short code cannot be guessed; nothing secret is ever logged.
"""

from flask import jsonify, request
from flask.views import MethodView
from flask_jwt_extended import create_access_token, create_refresh_token

from backend.api.auth.cookies import set_access_cookie, set_refresh_cookie
from backend.api.auth.schemas import SignedInUserSchema, TokensSchema
from backend.api.auth.throttled import refuse_while_throttled
from backend.api.cards.devices import this_device
from backend.api.cards.resources import blp
from backend.api.cards.schemas import CardSignInSchema
from backend.errors import AppError
from backend.extensions import db
from backend.i18n import gettext
from backend.models import User
from backend.services import sign_in_cards as cards
from backend.services import sign_in_throttle as throttle

NOT_SHARED = ("This device is not set up for sign-in cards. Ask your teacher to mark it as "
              "a shared class device.")
BAD_CARD = "That card did not work. Try again, or ask your teacher for help."
BAD_CODE = "That code did not work. Check the letters and try again, or ask your teacher."
NOTHING = "Show your card to the camera or type your code."


@blp.route("/auth/card")
class CardSignIn(MethodView):
    @blp.arguments(CardSignInSchema)
    @blp.response(200, TokensSchema)
    @blp.alt_response(403, description="Not a shared class device")
    @blp.alt_response(429, description="Too many wrong cards or codes on this device: wait")
    def post(self, body):
        """Sign a learner in with their card's QR text (`qr`) or short code (`code`).

        Refused (403) unless the request carries a live shared-device cookie.
        """
        device = this_device()
        if device is None:
            raise AppError(gettext(NOT_SHARED), status=403, code="not_shared_device")
        qr, code = body["qr"].strip(), body["code"].strip()
        if not qr and not code:
            raise AppError(gettext(NOTHING), status=422,
                           errors={"json": {"code": [gettext(NOTHING)]}})
        key, address = f"card-device-{device.id}", request.remote_addr or ""
        refuse_while_throttled(throttle.wait_before_sign_in(key, address))
        card = cards.find_card(secret=cards.secret_from_qr(qr)) if qr else \
            cards.find_card(code=code)
        learner = db.session.get(User, card.student_id) if card else None
        if (learner is None or learner.role != "student" or not learner.is_active
                or learner.school_id != device.school_id):
            refuse_while_throttled(throttle.record_failure(key, address))
            words = gettext(BAD_CARD if qr else BAD_CODE)
            raise AppError(words, status=401, code="bad_card",
                           errors={} if qr else {"json": {"code": [words]}})
        throttle.forget_failures(key)
        cards.card_signed_in(card, learner, device)
        claims = {"role": learner.role, "school_id": learner.school_id}
        access = create_access_token(learner, additional_claims=claims)
        refresh = create_refresh_token(learner, additional_claims=claims)
        if body.get("cookies"):
            response = jsonify({"user": SignedInUserSchema().dump(learner)})
            set_access_cookie(response, access)
            set_refresh_cookie(response, refresh)
            return response
        return {"access_token": access, "refresh_token": refresh, "user": learner}
