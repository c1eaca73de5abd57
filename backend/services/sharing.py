"""What a learner's credentials may carry: the school's setting, narrowed by the family's
choice (backend/models/privacy.py FamilySharing). Evidence is only ever a link behind the
school's sign-in (never the file, never a caption); these say whether even the link goes in."""

from backend.extensions import db
from backend.models import User
from backend.models.privacy import FamilySharing


def school_allows_links(learner: User) -> bool:
    return (learner.school.settings or {}).get("credential_evidence", "links") == "links"


def evidence_links_allowed(learner: User) -> bool:
    """The school allows evidence links and the family has not said no."""
    if not school_allows_links(learner):
        return False
    row = db.session.get(FamilySharing, learner.id)
    return row is None or bool(row.credential_evidence)
