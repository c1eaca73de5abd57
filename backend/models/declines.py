""""Not for me" (issue 18 item 3): a learner's answer to a suggested activity.

One row per (learner, activity), written by the sync merge rule (sync/merge/declines.py,
mutation `suggestion.decline`) through backend/sync_server (codecs.py); the suggestions
(backend/services/recommendations.py) leave out the activities a learner declined.
"""

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models._base import Timestamped, Versioned


class SuggestionDecline(Timestamped, Versioned, db.Model):
    """The learner's latest answer: declined ("not for me") or taken back."""

    __tablename__ = "suggestion_declines"
    __table_args__ = (
        Index("ix_suggestion_declines_student_version", "student_id", "version"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # from (learner, activity)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"))
    declined: Mapped[bool] = mapped_column(Boolean, default=True)
    hlc: Mapped[str] = mapped_column(String(64))
