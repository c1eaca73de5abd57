"""Export routes: OneRoster 1.2 results and the binder CSV, for a teacher's or admin's learners."""

from flask.views import MethodView
from flask_jwt_extended import current_user

from backend.api.interop.blueprint import blp, chosen_learners
from backend.api.interop.schemas import ExportArgsSchema
from backend.auth import login_required
from backend.downloads import file_response
from backend.interop.exports import binder_csv, oneroster_results
from backend.services.access_log import record_export


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
