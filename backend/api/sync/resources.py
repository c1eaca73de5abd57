"""POST /api/sync/push, GET /api/sync/pull and GET /api/conflicts (DESIGN §3)."""

from datetime import UTC, datetime

from flask import request
from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint
from sqlalchemy import func, select

from backend.api.paging import page_of
from backend.api.sync.schemas import (
    ConflictArgsSchema,
    ConflictListSchema,
    PullArgsSchema,
    PullSchema,
    PushResultSchema,
    PushSchema,
)
from backend.auth import learner_ids_for, login_required
from backend.extensions import db
from backend.models import Conflict, LearningTarget, SyncClient, User
from backend.services.access_log import learners_in_changes, record_read
from backend.sync_adapter import push, server_hlc
from backend.sync_phases import pull_current, pull_history
from backend.sync_pull import pull

blp = Blueprint("sync", __name__, url_prefix="/api/sync", description="Offline sync protocol v1")
conflicts_blp = Blueprint("conflicts", __name__, url_prefix="/api/conflicts",
                          description="Conflicting teacher ratings to review")


@blp.route("/push")
class Push(MethodView):
    @login_required("student", "teacher")
    @blp.arguments(PushSchema)
    @blp.response(200, PushResultSchema)
    def post(self, body):
        """Apply a device's mutations in seq order; each is answered on its own."""
        return push(db.session, current_user, body["client_id"], body["mutations"],
                    request.headers.get("User-Agent", ""))


@blp.route("/pull")
class Pull(MethodView):
    @login_required()
    @blp.arguments(PullArgsSchema, location="query")
    @blp.response(200, PullSchema)
    def get(self, args):
        """Rows the caller may read that changed after the cursor (or a first sync's phase)."""
        if args["phase"] == "current":
            page = pull_current(db.session, current_user, args["cursor"], args["limit"],
                                computed=args["computed"])
        elif args["phase"] == "history":
            page = pull_history(db.session, current_user, args["cursor"], args["limit"])
        else:
            page = pull(db.session, current_user, args["cursor"], args["limit"],
                        computed=args["computed"])
        page["last_seq"] = None
        page["server_hlc"] = server_hlc()
        client_id = request.headers.get("X-Client-Id")
        if client_id:
            client = db.session.get(SyncClient, client_id)
            if client is not None and client.user_id == current_user.id:
                page["last_seq"] = client.last_seq
                client.last_pull_at = datetime.now(UTC)
                db.session.commit()
        record_read(current_user, learners_in_changes(page["changes"]), "sync")
        return page


def _names(ids: set) -> dict:
    ids = {int(i) for i in ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(
        select(User.id, User.display_name).where(User.id.in_(ids))).all())


@conflicts_blp.route("")
class Conflicts(MethodView):
    @login_required("teacher", "admin")
    @conflicts_blp.arguments(ConflictArgsSchema, location="query")
    @conflicts_blp.response(200, ConflictListSchema)
    def get(self, args):
        """A page of conflicting ratings of the caller's learners, oldest first, and the total."""
        learners = learner_ids_for(current_user)
        query = select(Conflict).where(Conflict.student_id.in_(learners))
        if args["status"] != "all":
            query = query.where(Conflict.status == args["status"])
        conflicts, total = page_of(query.order_by(Conflict.created_at, Conflict.id),
                                   args["limit"], args["offset"])
        people = _names({c.student_id for c in conflicts}
                        | {m["teacher_id"] for c in conflicts for m in c.members}
                        | {c.resolved_by for c in conflicts})
        targets = {t.id: t for t in db.session.scalars(select(LearningTarget).where(
            LearningTarget.id.in_({c.target_id for c in conflicts})))}
        open_count = db.session.scalar(select(func.count()).select_from(Conflict).where(
            Conflict.student_id.in_(learners), Conflict.status == "open"))
        return {"open_count": open_count, "total": total, "limit": args["limit"],
                "offset": args["offset"], "conflicts": [
            {
                "id": c.id, "status": c.status, "version": c.version,
                "learner": {"id": c.student_id, "display_name": people.get(c.student_id)},
                "target": {"id": c.target_id, "code": targets[c.target_id].code,
                           "title": targets[c.target_id].title},
                "members": [{**m, "teacher_name": people.get(int(m["teacher_id"]))}
                            for m in c.members],
                "shown_teacher_id": c.winner_teacher_id,
                "resolved_level": c.resolved_level, "resolved_by": c.resolved_by,
                "opened_at": c.created_at, "resolved_at": c.resolved_at,
            }
            for c in conflicts
        ]}


