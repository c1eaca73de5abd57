"""Teaching reads (progress, sync health) and the one write the grid adds: a group with a
playlist, in one step (online only). The grid, the ready list and the conflicts read the
teacher's device store (class/group rows in the pull), not a REST read of their own."""

from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint

from backend.api.teaching import queries
from backend.api.teaching.schemas import GroupSchema
from backend.auth import login_required, require_learner
from backend.errors import AppError
from backend.extensions import db
from backend.i18n import gettext
from backend.models import (
    LearnerGroup,
    LearnerGroupMember,
    Playlist,
    PlaylistItem,
    SchoolClass,
)
from backend.services.access_log import record_read

blp = Blueprint("teaching", __name__, url_prefix="/api",
                description="What teachers, families and admins read on their screens")


def _class(class_id: int) -> SchoolClass:
    cls = db.session.get(SchoolClass, class_id)
    if cls is None or cls.school_id != current_user.school_id or (
            current_user.role == "teacher" and cls.teacher_id != current_user.id):
        raise AppError(gettext("That class was not found among your classes."), status=404)
    return cls


@blp.route("/groups")
class Groups(MethodView):
    @login_required("teacher", "admin")
    @blp.arguments(GroupSchema)
    @blp.response(201, GroupSchema)
    def post(self, body):
        """Make a group of a class's learners and assign it a copy of a playlist."""
        cls = _class(body["class_id"])
        enrolled = {e.student_id for e in cls.enrollments}
        strangers = sorted(set(body["student_ids"]) - enrolled)
        if strangers:
            raise AppError(gettext("Every learner of a group must be in its class."),
                           status=422,
                           errors={"student_ids": [str(s) for s in strangers]})
        source = db.session.get(Playlist, body["playlist_id"])
        if source is None or source.school_id != current_user.school_id:
            raise AppError(gettext("That playlist was not found."), status=404)
        group = LearnerGroup(class_id=cls.id, name=body["name"].strip())
        db.session.add(group)
        db.session.flush()
        for student_id in dict.fromkeys(body["student_ids"]):
            db.session.add(LearnerGroupMember(group_id=group.id, student_id=student_id))
        # a playlist has one assignee, so the group gets its own copy of the items
        copy = Playlist(school_id=source.school_id, title=f"{source.title}: {group.name}",
                        topic_id=source.topic_id, target_id=source.target_id,
                        group_id=group.id)
        copy.items = [PlaylistItem(activity_id=item.activity_id, position=item.position)
                      for item in source.items]
        db.session.add(copy)
        db.session.commit()
        return {"id": group.id, "class_id": cls.id, "name": group.name,
                "student_ids": list(dict.fromkeys(body["student_ids"])),
                "playlist_id": source.id, "assigned_playlist_id": copy.id,
                "assigned_playlist_title": copy.title}


@blp.route("/learners/<int:student_id>/progress")
class LearnerProgress(MethodView):
    @login_required()
    @blp.response(200)
    def get(self, student_id):
        """Targets at proficient week by week, and the latest approved evidence."""
        learner = require_learner(current_user, student_id)
        record_read(current_user, [learner.id], "progress")
        return queries.learner_progress(learner)


@blp.route("/sync/health")
class SyncHealth(MethodView):
    @login_required("admin")
    @blp.response(200)
    def get(self):
        """The school's devices with their last push and pull, and open conflicts."""
        return queries.sync_health(current_user.school_id)
