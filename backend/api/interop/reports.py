"""Report routes: one learner's report as PDF or print-friendly HTML, and a class's batch."""

from flask import Response, current_app
from flask.views import MethodView
from flask_jwt_extended import current_user

from backend.api.interop.blueprint import answer_job, blp, chosen_learners, class_for, job_of_caller
from backend.api.interop.schemas import BatchSchema, JobSchema, ReportArgsSchema
from backend.auth import login_required, require_learner
from backend.downloads import file_response
from backend.errors import AppError
from backend.i18n import N_, current_locale, gettext
from backend.interop.jobs import UNFINISHED, create_job, run_job
from backend.reports import KINDS, render_html, render_pdf
from backend.reports.batch import GRACE_SECONDS, START_SECONDS, make_batch
from backend.reports.records import RECORD_SECONDS, batch_filename, records_of, records_zip
from backend.services.access_log import record_read


@blp.route("/reports/<kind>/<int:student_id>")
class Reports(MethodView):
    @login_required()
    @blp.arguments(ReportArgsSchema, location="query")
    def get(self, args, kind, student_id):
        """A progress report, transcript or conference pack, for anyone who may read the binder."""
        if kind not in KINDS:
            raise AppError(gettext("There is no {kind} report; choose one of: {kinds}.",
                                   kind=repr(kind), kinds=", ".join(KINDS)), status=404)
        learner = require_learner(current_user, student_id)
        record_read(current_user, [learner.id], "report")
        options = {"evidence_ids": args["evidence"] or None, "locale": args["locale"]}
        if args["format"] == "html":
            return Response(render_html(kind, learner, **options), mimetype="text/html")
        return file_response(render_pdf(kind, learner, **options), "application/pdf",
                             f"{kind}-{learner.username}.pdf", inline=True)


@blp.route("/reports/batch")
class ReportBatches(MethodView):
    @login_required("teacher", "admin")
    @blp.arguments(BatchSchema)
    @blp.response(202, JobSchema)
    @blp.alt_response(200, schema=JobSchema, description="with wait: the finished batch")
    def post(self, body):
        """Every learner's report of a class in one PDF, made as a job with progress.

        Each learner has a time limit; a learner who fails is listed (in the job and on the
        PDF's last page) and the rest of the class is still made."""
        return start_batch(body["class_id"], body["kind"], body["wait"], body["locale"],
                           body["with_records"])


@blp.route("/jobs/<job_id>/rerun")
class JobReruns(MethodView):
    @login_required("teacher", "admin")
    @blp.response(202, JobSchema)
    def post(self, job_id):
        """Run a finished or failed report batch again, as a new job."""
        job = job_of_caller(job_id)
        if job.params is None:
            raise AppError(RERUN_IMPORT, status=409, code="job_not_rerunnable")
        if job.status in UNFINISHED:
            raise AppError(RERUN_RUNNING, status=409, code="job_running")
        return start_batch(job.params["class_id"], job.params["kind"], False,
                           job.params.get("locale"), bool(job.params.get("with_records")))


# user-facing words, in one place for the translation catalogs
RERUN_IMPORT = N_("An import is run again by uploading its file again.")
RERUN_RUNNING = N_("This job is still running; wait for it to finish.")


def start_batch(class_id: int, kind: str, wait: bool, locale: str | None = None,
                with_records: bool = False):
    """Create and run a report batch job for a class the caller may read: each report in
    `locale`, else in its guardian's language; the job's words in the teacher's.
    `with_records` (transcripts): a zip of the PDF and each learner's signed CLR 2.0."""
    cls = class_for(class_id)
    learners = chosen_learners({"class_id": cls.id})
    learner_ids = [u.id for u in learners]
    class_name = cls.name  # plain values: the worker has its own session
    record_read(current_user, learner_ids, "report")
    filename = batch_filename(kind, class_name, with_records)
    app = current_app._get_current_object()
    limit = float(app.config.get("REPORT_LEARNER_SECONDS", 20))
    teacher_locale = current_locale()
    job = create_job("reports", school_id=current_user.school_id, user_id=current_user.id,
                     filename=filename, params={"class_id": cls.id, "kind": kind, "locale": locale,
                                                "with_records": with_records},
                     seconds=START_SECONDS + 60 + len(learner_ids) * (
                         limit + 2 + GRACE_SECONDS + (RECORD_SECONDS if with_records else 0)))

    def work(progress):
        from sqlalchemy import select

        from backend.extensions import db
        from backend.models import User

        rows = db.session.execute(select(User.id, User.display_name).where(
            User.id.in_(learner_ids)).order_by(User.display_name, User.id)).all()
        db.session.rollback()  # hold no read transaction while the worker reads
        result = make_batch(app, kind, [(r.id, r.display_name) for r in rows], progress,
                            locale=locale, teacher_locale=teacher_locale)
        report = {"ok": True, "kind": kind, "class": class_name, "learners": len(rows),
                  "made": result.made, "failures": result.failures}
        if not with_records:
            return report, (filename, result.pdf)
        records, left_out = records_of([tuple(r) for r in rows], progress, teacher_locale)
        report["records"], report["failures"] = len(records), result.failures + left_out
        return report, (filename, records_zip(filename, result.pdf, records, teacher_locale))

    run_job(app, job.id, work, background=not wait)
    return answer_job(job, wait)
