"""POST /api/sync/push and GET /api/sync/pull (DESIGN §3).

Conflicts have no list of their own: a teacher's device pulls its learners' conflict rows
and the Conflicts screen and badge read them from its store (assets/ui/teacher_screens.js)."""

from flask import request
from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint

from backend.api.sync.schemas import (
    PullArgsSchema,
    PullSchema,
    PushResultSchema,
    PushSchema,
)
from backend.auth import login_required
from backend.errors import AppError
from backend.extensions import db
from backend.i18n import gettext
from backend.sync_server.clients import pull_page
from backend.sync_server.push import push

blp = Blueprint("sync", __name__, url_prefix="/api/sync", description="Offline sync protocol v1")


@blp.route("/push")
class Push(MethodView):
    @login_required("student", "teacher", "admin")
    @blp.arguments(PushSchema)
    @blp.response(200, PushResultSchema)
    def post(self, body):
        """Apply a device's mutations in seq order; each is answered on its own. Admins push
        only as assessors of teacher microcredentials (reviews and ratings of staff)."""
        if current_user.role == "admin" and not current_user.is_assessor:
            raise AppError(gettext("Your role cannot do that."), status=403)
        return push(db.session, current_user, body["client_id"], body["mutations"],
                    request.headers.get("User-Agent", ""))


@blp.route("/pull")
class Pull(MethodView):
    @login_required()
    @blp.arguments(PullArgsSchema, location="query")
    @blp.response(200, PullSchema)
    def get(self, args):
        """Rows the caller may read that changed after the cursor (or a first sync's phase)."""
        return pull_page(db.session, current_user, args, request.headers.get("X-Client-Id"))
