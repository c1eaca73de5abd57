"""Interop routes: OneRoster and CASE imports as jobs with progress, and the jobs themselves."""

from flask import current_app, request
from flask.views import MethodView
from flask_jwt_extended import current_user
from sqlalchemy import select

from backend.api.interop.blueprint import answer_job, blp, job_of_caller
from backend.api.interop.schemas import CaseArgsSchema, ImportArgsSchema, JobSchema
from backend.auth import login_required
from backend.downloads import file_response
from backend.errors import AppError
from backend.extensions import db
from backend.i18n import gettext
from backend.interop.case import import_case
from backend.interop.jobs import UNFINISHED, create_job, fail_stale_jobs, job_view, run_job
from backend.interop.oneroster import Scope, import_oneroster
from backend.models import InteropJob


def _upload() -> tuple[str, bytes]:
    """The file, sent as a multipart field `file` or as the whole request body."""
    if request.files:
        upload = request.files.get("file") or next(iter(request.files.values()))
        return upload.filename or "upload", upload.read()
    data = request.get_data(cache=False)
    if not data:
        raise AppError(gettext("Send the file as a multipart field named file, or as the "
                               "request body."), status=400)
    return request.args.get("filename") or "upload", data


def _scope(org: str | None) -> Scope:
    """An admin imports into their own school, never into another."""
    school = current_user.school
    if school.sourced_id:
        if org and org != school.sourced_id:
            raise AppError(gettext("Your school is {school} in the roster, not {org}.",
                                   school=school.sourced_id, org=org), status=422)
        return Scope(orgs={school.sourced_id})
    if org:
        return Scope(orgs={org}, bind={org: school.id})
    return Scope(bind_only_school=school.id)


@blp.route("/oneroster")
class OneRosterImports(MethodView):
    @login_required("admin")
    @blp.arguments(ImportArgsSchema, location="query")
    @blp.response(202, JobSchema)
    @blp.alt_response(200, schema=JobSchema, description="with wait=1: the finished import")
    def post(self, args):
        """Import a OneRoster 1.1 CSV zip into your school (dry_run=1 previews the changes)."""
        filename, data = _upload()
        scope = _scope(args.get("org"))
        job = create_job("oneroster", school_id=current_user.school_id,
                         user_id=current_user.id, filename=filename, is_dry_run=args["dry_run"],
                         seconds=current_app.config.get("IMPORT_JOB_SECONDS", 600))

        def work(progress):
            report = import_oneroster(data, dry_run=args["dry_run"], scope=scope,
                                      source=filename, progress=progress)
            return report.as_dict(), None

        run_job(current_app._get_current_object(), job.id, work, background=not args["wait"])
        return answer_job(job, args["wait"])


@blp.route("/case")
class CaseImports(MethodView):
    @login_required("admin")
    @blp.arguments(CaseArgsSchema, location="query")
    @blp.response(202, JobSchema)
    @blp.alt_response(200, schema=JobSchema, description="with wait=1: the finished import")
    def post(self, args):
        """Import CASE 1.1 CFPackage JSON (one package or an array) into your school."""
        filename, data = _upload()
        school_id = current_user.school_id
        job = create_job("case", school_id=school_id, user_id=current_user.id,
                         filename=filename, is_dry_run=args["dry_run"],
                         seconds=current_app.config.get("IMPORT_JOB_SECONDS", 600))

        def work(progress):
            report = import_case(data, school_id=school_id, dry_run=args["dry_run"],
                                 source=filename, progress=progress,
                                 audience=args["audience"])
            return report.as_dict(), None

        run_job(current_app._get_current_object(), job.id, work, background=not args["wait"])
        return answer_job(job, args["wait"])


@blp.route("/jobs")
class Jobs(MethodView):
    @login_required("admin", "teacher")
    @blp.response(200, JobSchema(many=True))
    def get(self):
        """Your latest imports and report batches (an admin: the school's), newest first."""
        fail_stale_jobs(current_user.school_id)  # no job is "running" for ever
        query = select(InteropJob).where(InteropJob.school_id == current_user.school_id)
        if current_user.role != "admin":
            query = query.where(InteropJob.created_by == current_user.id)
        jobs = db.session.scalars(query.order_by(InteropJob.created_at.desc()).limit(
            JOBS_LISTED))
        return [job_view(job) for job in jobs]


JOBS_LISTED = 20


@blp.route("/jobs/<job_id>")
class JobsById(MethodView):
    @login_required("admin", "teacher")
    @blp.response(200, JobSchema)
    def get(self, job_id):
        """An import or report batch: status, progress and, when finished, its report."""
        job = job_of_caller(job_id)
        if job.status in UNFINISHED and fail_stale_jobs(job.school_id):
            db.session.refresh(job)
        return job_view(job)


@blp.route("/jobs/<job_id>/result")
class JobResults(MethodView):
    @login_required("admin", "teacher")
    def get(self, job_id):
        """The file a finished job made (a class's reports as one PDF, or transcripts with
        learner records as a zip)."""
        from backend.blobstore import blob_store

        job = job_of_caller(job_id)
        data = blob_store().get(job.result_sha256, "reports") if job.result_sha256 else None
        if data is None:
            raise AppError(gettext("That job has no file (yet)."), status=404)
        kind = "application/zip" if job.filename.endswith(".zip") else "application/pdf"
        return file_response(data, kind, job.filename)

