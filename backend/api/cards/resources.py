"""Teachers print and retire their classes' sign-in cards (admins: any class of the school).

Online only: cards are accounts' keys, not learner records, so nothing here goes through
the sync core. Printing makes NEW cards (the old ones of those learners stop working): the
secret is never stored, so a card cannot be printed twice (docs/sign_in_cards.md). By
default only learners without a working card get one, so adding a learner to a class does
not void everyone else's card.
"""

from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint
from sqlalchemy import func, select

from backend import i18n
from backend.api.cards.schemas import (
    CardClassSchema,
    CardLearnerSchema,
    InvalidatedSchema,
    PrintSchema,
)
from backend.auth import learner_ids_for, login_required
from backend.downloads import file_response
from backend.errors import AppError
from backend.extensions import db
from backend.i18n import gettext
from backend.models import Enrollment, SchoolClass, SignInCard, User
from backend.services import sign_in_cards as cards
from backend.services.sign_in_card_pdf import cards_pdf

blp = Blueprint("cards", __name__, url_prefix="/api",
                description="QR sign-in cards and shared class devices")

CLASS_NOT_FOUND = "That class was not found among your classes."
LEARNER_NOT_FOUND = "That learner was not found among your learners."
EMPTY_CLASS = "This class has no learners yet, so there are no cards to print."
ALL_HAVE_ONE = ("Every learner of this class has a card that works. To replace them all, "
                "print new cards for everyone.")


def _class(class_id: int) -> SchoolClass:
    """A class the caller may make cards for: a teacher's own, any of an admin's school."""
    cls = db.session.get(SchoolClass, class_id)
    if cls is None or cls.school_id != current_user.school_id or (
            current_user.role == "teacher" and cls.teacher_id != current_user.id):
        raise AppError(gettext(CLASS_NOT_FOUND), status=404)
    return cls


def _classes() -> list[SchoolClass]:
    query = select(SchoolClass).where(SchoolClass.school_id == current_user.school_id)
    if current_user.role == "teacher":
        query = query.where(SchoolClass.teacher_id == current_user.id)
    return list(db.session.scalars(query.order_by(SchoolClass.name).limit(500)))


@blp.route("/cards/classes")
class CardClasses(MethodView):
    @login_required("teacher", "admin")
    @blp.response(200, CardClassSchema(many=True))
    def get(self):
        """The caller's classes (an admin: the school's), with how many cards work."""
        classes = _classes()
        ids = [c.id for c in classes]
        active = (select(Enrollment.class_id, func.count(Enrollment.id))
                  .join(User, User.id == Enrollment.student_id)
                  .where(Enrollment.class_id.in_(ids), User.role == "student",
                         User.is_active.is_(True)).group_by(Enrollment.class_id))
        sizes = dict(db.session.execute(active).all())
        live = dict(db.session.execute(
            active.join(SignInCard, SignInCard.student_id == Enrollment.student_id)
            .where(SignInCard.invalidated_at.is_(None))).all())
        return [{"id": c.id, "name": c.name, "learners": sizes.get(c.id, 0),
                 "live_cards": live.get(c.id, 0)} for c in classes]


@blp.route("/cards/classes/<int:class_id>")
class CardClass(MethodView):
    @login_required("teacher", "admin")
    @blp.response(200, CardLearnerSchema(many=True))
    def get(self, class_id):
        """The class's learners, each with whether their card works."""
        learners = cards.learners_of(_class(class_id))
        live = cards.live_cards([u.id for u in learners])
        return [{"id": u.id, "display_name": u.display_name, "has_card": u.id in live,
                 "card_made_at": live[u.id].created_at if u.id in live else None,
                 "card_last_used_at": live[u.id].last_used_at if u.id in live else None}
                for u in learners]

    @login_required("teacher", "admin")
    @blp.response(200, InvalidatedSchema)
    def delete(self, class_id):
        """Every card of the class stops working now (and its learners' sessions end)."""
        return {"invalidated": cards.invalidate_class(current_user, _class(class_id))}


@blp.route("/cards/classes/<int:class_id>/print")
class CardPrint(MethodView):
    @login_required("teacher", "admin")
    @blp.arguments(PrintSchema)
    @blp.response(200, description="application/pdf: the new cards, 6 a page")
    def post(self, body, class_id):
        """Make new cards and return them as a PDF: for the learners of the class who have
        no card that works (`which`: "missing", the default), for all of them ("all"), or
        for one (`learner_id`, a lost card). A learner's earlier card stops working when
        they get a new one. POST, not GET: it changes which cards work.
        """
        cls = _class(class_id)
        learners = cards.learners_of(cls)
        if body.get("learner_id") is not None:
            learners = [u for u in learners if u.id == body["learner_id"]]
            if not learners:
                raise AppError(gettext(LEARNER_NOT_FOUND), status=404)
        elif body["which"] == "missing":
            live = cards.live_cards([u.id for u in learners])
            if learners and len(live) == len(learners):
                raise AppError(gettext(ALL_HAVE_ONE), status=409, code="all_have_cards")
            learners = [u for u in learners if u.id not in live]
        if not learners:
            raise AppError(gettext(EMPTY_CLASS), status=409, code="empty_class")
        locale = i18n.current_locale()
        pdf = cards_pdf(cls.name, cards.issue_cards(current_user, cls, learners), locale)
        response = file_response(pdf, "application/pdf", f"sign-in-cards-{cls.id}.pdf")
        response.headers["Cache-Control"] = "no-store"  # the secrets are in it
        return response


@blp.route("/cards/learners/<int:learner_id>")
class CardLearner(MethodView):
    @login_required("teacher", "admin")
    @blp.response(200, InvalidatedSchema)
    def delete(self, learner_id):
        """This learner's card stops working now, and their sessions end."""
        learner = db.session.get(User, learner_id)
        if (learner is None or learner.role != "student"
                or learner.school_id != current_user.school_id
                or (current_user.role == "teacher"
                    and learner.id not in learner_ids_for(current_user))):
            raise AppError(gettext(LEARNER_NOT_FOUND), status=404)
        return {"invalidated": int(cards.invalidate(current_user, learner))}


# the shared-device and card sign-in routes on this blueprint (imported last: they add
# routes to `blp`)
from backend.api.cards import devices, sign_in  # noqa: E402, F401
