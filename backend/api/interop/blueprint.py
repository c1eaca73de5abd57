"""The interop blueprint and what its route modules share (resources.py: imports and jobs;
exports.py; reports.py). Each route module imports this one, none imports another, so the
blueprint's modules have no import cycle; backend/api/__init__.py loads all three."""

from flask_jwt_extended import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from backend.auth import learner_ids_for, require_learner
from backend.errors import AppError
from backend.extensions import db
from backend.i18n import gettext
from backend.interop.jobs import job_view
from backend.models import InteropJob, SchoolClass, User
from backend.services.access_log import record_import

blp = Blueprint("interop", __name__, url_prefix="/api/interop",
                description="OneRoster and CASE imports, exports, reports")


def answer_job(job: InteropJob, wait: bool):
    """With `wait`, the finished job (or the refusal in the one error shape); else 202."""
    if not wait:
        record_import(current_user, job)
        return job_view(job), 202
    db.session.refresh(job)
    if job.status == "failed":
        report, view = job.report or {}, job_view(job)
        # the caller gets the whole report now; a refused import leaves nothing behind
        db.session.delete(job)
        db.session.commit()
        raise AppError(report.get("message", "The import failed."), status=422,
                       code="import_refused", errors=report.get("errors") or {},
                       problems=report.get("problems") or [], job=view)
    record_import(current_user, job)
    return job_view(job), 200


def job_of_caller(job_id: str) -> InteropJob:
    job = db.session.get(InteropJob, job_id)
    is_mine = job is not None and (job.created_by == current_user.id or (
        current_user.role == "admin" and job.school_id == current_user.school_id))
    if not is_mine:
        raise AppError(gettext("That job was not found."), status=404)
    return job


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
