"""The family's consent for what a learner's credentials carry (issue 17).

`GET /api/privacy/learners/<id>/sharing`: anyone who may read the learner's binder.
`PUT`: a guardian of that learner only (a teacher or an admin does not consent for a
family). The choice holds for credentials issued after it: a signed credential cannot
change, and the page says so."""

from flask.views import MethodView
from flask_jwt_extended import current_user
from marshmallow import Schema, fields

from backend.api.privacy.resources import blp
from backend.auth import login_required, require_learner
from backend.errors import AppError
from backend.extensions import db
from backend.i18n import N_, gettext
from backend.models.privacy import FamilySharing
from backend.services.access_log import record_admin_write
from backend.services.sharing import evidence_links_allowed, school_allows_links

GUARDIANS_ONLY = N_("Only the learner's family chooses what their badges share.")


class SharingSchema(Schema):
    credential_evidence = fields.Boolean(required=True)


class SharingAnswerSchema(SharingSchema):
    learner_id = fields.Integer()
    school_allows = fields.Boolean()  # False: the school turned evidence links off for all
    chosen_by_family = fields.Boolean()  # False: the school's setting applies
    set_at = fields.String(allow_none=True)


def _answer(learner) -> dict:
    row = db.session.get(FamilySharing, learner.id)
    return {"learner_id": learner.id, "credential_evidence": evidence_links_allowed(learner),
            "school_allows": school_allows_links(learner), "chosen_by_family": row is not None,
            "set_at": row.set_at.isoformat() if row is not None else None}


@blp.route("/learners/<int:student_id>/sharing")
class Sharing(MethodView):
    @login_required()
    @blp.response(200, SharingAnswerSchema)
    def get(self, student_id):
        """What this learner's credentials may carry, and whether the family chose it."""
        learner = require_learner(current_user, student_id)
        return _answer(learner)

    @login_required("guardian")
    @blp.arguments(SharingSchema)
    @blp.response(200, SharingAnswerSchema)
    def put(self, body, student_id):
        """A guardian's choice: may the learner's credentials link to their approved work?"""
        learner = require_learner(current_user, student_id)  # 404 for another family's child
        if current_user.role != "guardian":
            raise AppError(gettext(GUARDIANS_ONLY), status=403)
        row = db.session.get(FamilySharing, learner.id)
        if row is None:
            row = FamilySharing(learner_id=learner.id)
            db.session.add(row)
        row.credential_evidence, row.set_by = body["credential_evidence"], current_user.id
        record_admin_write(current_user, "learner.sharing", learner,
                           {"credential_evidence": body["credential_evidence"]})
        db.session.commit()
        return _answer(learner)
