"""Family export routes: start a job, follow its progress, download the zip; and the
purge check a signed-out device of a deleted learner asks (sync/PROTOCOL.md)."""

from flask import Response, current_app, request
from flask.views import MethodView
from flask_jwt_extended import current_user, decode_token
from flask_smorest import Blueprint
from sqlalchemy import select

from backend.api.privacy.schemas import ExportListSchema, ExportSchema, PurgeCheckSchema
from backend.auth import learner_ids_for, login_required, require_learner
from backend.downloads import content_disposition
from backend.errors import AppError
from backend.extensions import db
from backend.models import PurgedLearner, RecordExport, User
from backend.services import record_export as rx_export

blp = Blueprint("privacy", __name__, url_prefix="/api/privacy",
                description="Family export, deletion and retention")

MAX_LISTED = 20


def _names(ids) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.display_name).where(
        User.id.in_(set(ids)))).all())


def _my_export(export_id: str) -> RecordExport:
    """The caller's own export, else a 404 that leaks nothing (ids are random anyway)."""
    job = db.session.get(RecordExport, export_id[:36])
    if job is None or job.requested_by != current_user.id:
        raise AppError(rx_export.MESSAGES["not_found"], status=404)
    return job


def _exportable(user: User) -> list[User]:
    if user.role == "guardian":
        ids = learner_ids_for(user)
        return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(
            User.display_name))) if ids else []
    if user.role == "student" and user.is_13_or_older:
        return [user]
    return []


@blp.route("/exports")
class Exports(MethodView):
    @login_required()
    @blp.response(200, ExportListSchema)
    def get(self):
        """Whose record the caller may download, and their latest exports (newest first)."""
        jobs = db.session.scalars(select(RecordExport).where(
            RecordExport.requested_by == current_user.id).order_by(
            RecordExport.created_at.desc()).limit(MAX_LISTED)).all()
        names = _names([j.learner_id for j in jobs])
        return {"can_export": [{"id": u.id, "display_name": u.display_name}
                               for u in _exportable(current_user)],
                "exports": [rx_export.job_view(j, names.get(j.learner_id, "")) for j in jobs]}


@blp.route("/learners/<int:student_id>/exports")
class LearnerExports(MethodView):
    @login_required()
    @blp.response(202, ExportSchema)
    def post(self, student_id):
        """Start preparing the learner's whole record as one zip (or return the one under way)."""
        learner = require_learner(current_user, student_id)
        rx_export.may_export(current_user, learner)
        try:
            from backend.services.access_log import record_read
        except ImportError:
            pass
        else:
            record_read(current_user, [learner.id], "export")
        app = current_app._get_current_object()
        # tests run it in the request: no thread outliving a test's database
        background = not (current_app.config.get("EXPORT_INLINE")
                          or current_app.config.get("TESTING"))
        job = rx_export.start_export(app, current_user, learner, background=background)
        return rx_export.job_view(job, learner.display_name)


@blp.route("/exports/<export_id>")
class ExportById(MethodView):
    @login_required()
    @blp.response(200, ExportSchema)
    def get(self, export_id):
        """How far along the export is ("Preparing Maya's record… 40%")."""
        job = _my_export(export_id)
        return rx_export.job_view(job, _names([job.learner_id]).get(job.learner_id, ""))


@blp.route("/exports/<export_id>/download")
class ExportDownload(MethodView):
    @login_required()
    @blp.response(200, description="the zip")
    def get(self, export_id):
        """The finished zip, as an attachment."""
        job = _my_export(export_id)
        view = rx_export.job_view(job)
        if view["status"] == "expired":
            raise AppError(rx_export.MESSAGES["expired"], status=410, code="expired")
        if view["status"] != "done":
            raise AppError(rx_export.MESSAGES["not_ready"], status=409, code="not_ready")
        from backend.blobstore import blob_store

        data = blob_store().get(job.result_key, rx_export.VARIANT)
        if data is None:
            raise AppError(rx_export.MESSAGES["missing"], status=410, code="expired")
        learner = db.session.get(User, job.learner_id)
        return Response(data, mimetype="application/zip", headers={
            "Content-Disposition": content_disposition(rx_export.download_name(learner, job)),
            "Cache-Control": "no-store"})


def _token_subject() -> int | None:
    """The user id a token this server signed names, even if the account is gone or the
    token expired: the signature is what proves it is theirs."""
    cfg = current_app.config
    header = request.headers.get("Authorization", "")
    candidates = [header[7:]] if header.startswith("Bearer ") else []
    candidates += [request.cookies.get(cfg["JWT_ACCESS_COOKIE_NAME"], ""),
                   request.cookies.get(cfg["JWT_REFRESH_COOKIE_NAME"], "")]
    for token in filter(None, candidates):
        try:
            sub = decode_token(token, allow_expired=True).get("sub")
            return int(sub)
        except Exception:  # noqa: BLE001 - any bad token simply proves nothing
            continue
    return None


@blp.route("/purge-check")
class PurgeCheck(MethodView):
    @blp.response(200, PurgeCheckSchema)
    def get(self):
        """For a device whose sign-in stopped working: was this account's learner deleted?"""
        sub = _token_subject()
        # an account that exists again under that id (SQLite reuses the highest id) is
        # somebody else's: never tell their device to wipe itself
        if (sub is None or db.session.get(PurgedLearner, sub) is None
                or db.session.get(User, sub) is not None):
            return {"purged_learners": []}
        return {"purged_learners": [sub]}


# their routes join this blueprint (admin duties; the family's consent)
from backend.api.privacy import admin, sharing  # noqa: E402,F401
