"""Admin routes of the privacy duties: withdraw a learner, delete a withdrawn one (typed
confirmation), the deletion receipts, and the school's retention setting."""

from flask import Response
from flask.views import MethodView
from flask_jwt_extended import current_user
from sqlalchemy import or_, select

from backend.api.privacy.resources import blp
from backend.api.privacy.schemas import (
    DeleteLearnerSchema,
    LearnerChangeSchema,
    LearnerQuerySchema,
    PrivacyLearnerSchema,
    ReceiptSchema,
    RetentionSchema,
)
from backend.auth import login_required
from backend.downloads import content_disposition
from backend.errors import AppError
from backend.extensions import db
from backend.i18n import gettext
from backend.models import DeletionReceipt, User
from backend.services import deletion, retention

MAX_RECEIPTS = 100
RECEIPT_TEXT = """Waypoint deletion receipt {id}

Learner: former id {learner_ref}, initials {initials}
What: {what}
Why: {why}
When: {created_at} (UTC)
By: {deleted_by}

Rows deleted, by kind:
{counts}
Stored files deleted: {blob_count}
Files still being deleted (retried automatically): {files_pending}
"""
WHAT = {"learner": "the learner's whole record and files", "photos": "evidence photos"}
WHY = {"admin": "deleted by a school admin", "retention": "the school's retention period"}


def _audit(action: str, learner: User, change: dict) -> None:
    try:
        from backend.services.access_log import record_admin_write
    except ImportError:
        return
    record_admin_write(current_user, action, learner, change)


def _learner_row(u: User) -> dict:
    return {"id": u.id, "display_name": u.display_name, "username": u.username,
            "is_active": u.is_active, "withdrawn_at": u.withdrawn_at,
            "is_13_or_older": u.is_13_or_older}


@blp.route("/learners")
class PrivacyLearners(MethodView):
    @login_required("admin")
    @blp.arguments(LearnerQuerySchema, location="query")
    @blp.response(200, PrivacyLearnerSchema(many=True))
    def get(self, args):
        """The school's learners with their withdrawn state and age flag (withdrawn first)."""
        query = select(User).where(User.school_id == current_user.school_id,
                                   User.role == "student")
        if args["q"].strip():
            like = f"%{args['q'].strip()}%"
            query = query.where(or_(User.display_name.ilike(like), User.username.ilike(like)))
        query = query.order_by(User.withdrawn_at.is_(None), User.display_name, User.id)
        return [_learner_row(u) for u in db.session.scalars(query.limit(args["limit"]))]


@blp.route("/learners/<int:student_id>")
class PrivacyLearner(MethodView):
    @login_required("admin")
    @blp.arguments(LearnerChangeSchema)
    @blp.response(200, PrivacyLearnerSchema)
    def patch(self, body, student_id):
        """Mark a learner withdrawn (or back), or record whether they are 13 or older."""
        learner = deletion.school_learner(current_user, student_id)
        if not body:
            raise AppError(gettext("Say what to change: is_withdrawn or is_13_or_older."),
                           status=422)
        if "is_withdrawn" in body:
            deletion.set_withdrawn(learner, body["is_withdrawn"])
        if "is_13_or_older" in body:
            learner.is_13_or_older = body["is_13_or_older"]
        _audit("learner.privacy", learner, body)
        db.session.commit()
        return _learner_row(learner)

    @login_required("admin")
    @blp.arguments(DeleteLearnerSchema)
    @blp.response(200, ReceiptSchema)
    def delete(self, body, student_id):
        """Delete a withdrawn learner's whole record and files; answers the receipt."""
        learner = deletion.school_learner(current_user, student_id)
        receipt = deletion.delete_learner(learner, actor=current_user,
                                          confirm=body["confirm"])
        return deletion.receipt_view(receipt)


def _receipt(receipt_id: str) -> DeletionReceipt:
    receipt = db.session.get(DeletionReceipt, receipt_id[:36])
    if receipt is None or receipt.school_id != current_user.school_id:
        raise AppError(gettext("That deletion receipt was not found."), status=404)
    return receipt


@blp.route("/receipts")
class Receipts(MethodView):
    @login_required("admin")
    @blp.response(200, ReceiptSchema(many=True))
    def get(self):
        """The school's deletion receipts, newest first (the latest 100)."""
        rows = db.session.scalars(select(DeletionReceipt).where(
            DeletionReceipt.school_id == current_user.school_id).order_by(
            DeletionReceipt.created_at.desc()).limit(MAX_RECEIPTS))
        return [deletion.receipt_view(r) for r in rows]


@blp.route("/receipts/<receipt_id>")
class ReceiptById(MethodView):
    @login_required("admin")
    @blp.response(200, ReceiptSchema)
    def get(self, receipt_id):
        """One deletion receipt."""
        return deletion.receipt_view(_receipt(receipt_id))


@blp.route("/receipts/<receipt_id>/download")
class ReceiptDownload(MethodView):
    @login_required("admin")
    @blp.response(200, description="the receipt as plain text")
    def get(self, receipt_id):
        """The receipt as a text file to keep or print."""
        view = deletion.receipt_view(_receipt(receipt_id))
        counts = "\n".join(f"  {kind}: {n}" for kind, n in sorted(view["counts"].items()))
        text = RECEIPT_TEXT.format(**{**view, "counts": counts or "  (none)",
                                      "what": WHAT.get(view["scope"], view["scope"]),
                                      "why": WHY.get(view["reason"], view["reason"])})
        return Response(text, mimetype="text/plain", headers={
            "Content-Disposition": content_disposition(f"deletion-receipt-{view['id']}.txt"),
            "Cache-Control": "no-store"})


@blp.route("/retention")
class Retention(MethodView):
    @login_required("admin")
    @blp.response(200, RetentionSchema)
    def get(self):
        """How long the school keeps photos and records after a learner leaves."""
        return retention.retention_view(current_user.school_id)

    @login_required("admin")
    @blp.arguments(RetentionSchema)
    @blp.response(200, RetentionSchema)
    def put(self, body):
        """Set both periods, in whole years (empty = keep until an admin deletes)."""
        return retention.save_retention(current_user, body["photo_years"],
                                        body["record_years"])
