"""Each person's language, chosen once (at sign-in or in settings) and kept on the server
so every device and the reports sent home use it (issue 15). PATCH /api/auth/locale.

Online only: the device keeps its own choice in localStorage at once (assets/ui/i18n.js);
this route is what makes it the account's. `null` forgets the choice: each device then uses
its browser's language until the person picks one again.
"""

from flask.views import MethodView
from flask_jwt_extended import current_user
from marshmallow import Schema, fields, validate

from backend.api.auth.resources import blp
from backend.api.auth.schemas import MeSchema
from backend.auth import login_required
from backend.extensions import db
from backend.i18n import LOCALES


class LocaleSchema(Schema):
    locale = fields.String(required=True, allow_none=True, validate=validate.OneOf(LOCALES),
                           metadata={"description": "one of the languages, or null: none chosen"})


@blp.route("/locale")
class OwnLocale(MethodView):
    @login_required()
    @blp.arguments(LocaleSchema)
    @blp.response(200, MeSchema)
    def patch(self, body):
        """Set (or with null forget) your own language; answers with the signed-in user (as
        /api/auth/me)."""
        current_user.locale = body["locale"]
        db.session.commit()
        return current_user
