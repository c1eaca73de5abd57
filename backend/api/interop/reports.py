"""Report routes: one learner's report as PDF or print-friendly HTML, and a class's batch."""

from flask import Response, current_app
from flask.views import MethodView
from flask_jwt_extended import current_user

from backend.api.interop.exports import chosen_learners, class_for
from backend.api.interop.resources import answer_job, blp
from backend.api.interop.schemas import BatchSchema, JobSchema, ReportArgsSchema
from backend.auth import login_required, require_learner
from backend.downloads import file_response
from backend.errors import AppError
from backend.interop.jobs import create_job, run_job
from backend.reports import KINDS, render_batch_pdf, render_html, render_pdf
from backend.services.access_log import record_read


@blp.route("/reports/<kind>/<int:student_id>")
class Reports(MethodView):
    @login_required()
    @blp.arguments(ReportArgsSchema, location="query")
    def get(self, args, kind, student_id):
        """A progress report, transcript or conference pack, for anyone who may read the binder."""
        if kind not in KINDS:
            raise AppError(f"There is no {kind!r} report; choose {', '.join(KINDS)}.",
                           status=404)
        learner = require_learner(current_user, student_id)
        record_read(current_user, [learner.id], "report")
        options = {"evidence_ids": args["evidence"] or None}
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
        """Every learner's report of a class in one PDF, made as a job with progress."""
        cls = class_for(body["class_id"])
        learner_ids = [u.id for u in chosen_learners({"class_id": cls.id})]
        kind, class_name = body["kind"], cls.name  # plain values: the worker has its own session
        record_read(current_user, learner_ids, "report")
        filename = f"{kind}-{class_name}.pdf".replace("/", "-")
        job = create_job("reports", school_id=current_user.school_id, user_id=current_user.id,
                         filename=filename)

        def work(progress):
            from sqlalchemy import select

            from backend.extensions import db
            from backend.models import User

            learners = list(db.session.scalars(select(User).where(User.id.in_(learner_ids))
                                               .order_by(User.display_name, User.id)))
            pdf = render_batch_pdf(kind, learners, progress)
            report = {"ok": True, "kind": kind, "class": class_name, "learners": len(learners)}
            return report, (filename, pdf)

        run_job(current_app._get_current_object(), job.id, work, background=not body["wait"])
        return answer_job(job, body["wait"])
