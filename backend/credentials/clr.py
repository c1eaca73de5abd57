"""CLR 2.0: one ClrCredential bundling a learner's OpenBadgeCredentials and the results of
every measurement topic (as ClrSubject achievements with the learner's standing in
words), signed like the badges (VC-JWT, EdDSA)."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from backend.credentials import issue, keys
from backend.credentials.models import LearnerCredential
from backend.extensions import db
from backend.models import User
from backend.services.levels import learner_topics

CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
CLR_SCHEMA = "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json"


def clr_payload(learner: User, now: datetime | None = None) -> dict:
    now = now or datetime.now(UTC)
    school = learner.school
    issuer = {"id": keys.issuer_id(school.id), "type": ["Profile"], "name": school.name}
    creds = [issue.decoded(r.jwt) for r in db.session.scalars(
        select(LearnerCredential).where(LearnerCredential.learner_id == learner.id,
                                        LearnerCredential.revoked_at.is_(None))
        .order_by(LearnerCredential.issued_at))]
    achievements = []
    for row in learner_topics(learner):
        ach = issue.achievement(row["topic"], row["credit"], issuer)
        credit = row["credit"]
        ach["description"] = (f"{ach['description']} Standing: "
                              f"{credit['proficient_count']} of {credit['target_count']} "
                              f"targets proficient; "
                              f"{'complete' if credit['is_met'] else 'not complete yet'}.")
        achievements.append(ach)
    subject = issue.subject(learner)
    subject["type"] = ["ClrSubject"]
    subject["verifiableCredential"] = creds
    subject["achievement"] = achievements
    return {
        "@context": [issue.VC_CONTEXT, CLR_CONTEXT, issue.OB_CONTEXT],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "ClrCredential"],
        "name": f"Comprehensive Learner Record: {learner.display_name}",
        "issuer": issuer,
        "validFrom": issue.stamp(now),
        "credentialSubject": subject,
        "credentialSchema": [{"id": CLR_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


def signed_clr(learner: User) -> str:
    token, _ = issue.sign(clr_payload(learner), learner.school_id)
    return token
