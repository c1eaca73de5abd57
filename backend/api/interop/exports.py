"""Export routes: OneRoster 1.2 results and the binder CSV, for a teacher's or admin's learners."""

from flask.views import MethodView
from flask_jwt_extended import current_user
from sqlalchemy import select

from backend.api.interop.resources import blp
from backend.api.interop.schemas import ExportArgsSchema
from backend.auth import learner_ids_for, login_required, require_learner
from backend.downloads import file_response
from backend.errors import AppError
from backend.extensions import db
from backend.i18n import gettext
from backend.interop.exports import binder_csv, oneroster_results
from backend.models import SchoolClass, User
from backend.services.access_log import record_export


def class_for(class_id: int) -> SchoolClass:
    """A class of the caller's school; a teacher's own only (404 otherwise, leaking nothing)."""
    cls = db.session.get(SchoolClass, class_id)
    if (cls is None or cls.school_id != current_user.school_id
            or (current_user.role == "teacher" and cls.teacher_id != current_user.id)):
        raise AppError(gettext("That class was not found."), status=404)
    return cls


def chosen_learners(args: dict) -> list[User]:
    """The learners the caller may export, narrowed to a class or one learner."""
    ids = learner_ids_for(current_user)
    if args.get("class_id") is not None:
        ids &= {e.student_id for e in class_for(args["class_id"]).enrollments}
    if args.get("student_id") is not None:
        ids &= {require_learner(current_user, args["student_id"]).id}
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids))
                                   .order_by(User.display_name, User.id)))


@blp.route("/results")
class Results(MethodView):
    @login_required("teacher", "admin")
    @blp.arguments(ExportArgsSchema, location="query")
    def get(self, args):
        """OneRoster 1.2 results: one per learner per assessed target, on the 0–4 scale."""
        learners = chosen_learners(args)
        results = oneroster_results(learners)
        record_export(current_user, [u.id for u in learners], "export.results", args)
        return results


@blp.route("/binder.csv")
class BinderCsv(MethodView):
    @login_required("teacher", "admin")
    @blp.arguments(ExportArgsSchema, location="query")
    def get(self, args):
        """The binders as a CSV for spreadsheets: one row per learner per learning target."""
        learners = chosen_learners(args)
        data = binder_csv(learners)
        record_export(current_user, [u.id for u in learners], "export.binder_csv", args)
        return file_response(data, "text/csv", "binder.csv")
