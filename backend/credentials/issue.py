"""Issuing: a measurement topic whose credit rule is met becomes an OpenBadgeCredential.

Issued on demand at read time (`issue_missing`, called when the learner's credentials are
listed or exported) rather than on the sync push: the push stays as fast as it was, and a
credential exists by the time anyone can download it. Idempotent: one standing credential
per learner and topic (a unique column, so two readers at once cannot issue twice); a
revoked one is not re-issued by itself (an admin issues again on purpose). Bounded: at
most MAX_PER_CALL new credentials per call.
"""

import hashlib
import secrets
import uuid
from datetime import UTC, datetime

import jwt
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backend.credentials import keys, status
from backend.credentials.models import LearnerCredential
from backend.extensions import db
from backend.models import Evidence, MeasurementTopic, User
from backend.services.levels import learner_topics, school_topics

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = ("https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
             "ob_v3p0_achievementcredential_schema.json")
MAX_PER_CALL = 25
MAX_EVIDENCE = 10


def stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _alignment(name: str, case_identifier: str) -> dict:
    return {"type": ["Alignment"], "targetName": name, "targetType": "CFItem",
            "targetCode": case_identifier, "targetUrl": f"urn:uuid:{case_identifier}"}


def is_microcredential(topic: MeasurementTopic) -> bool:
    """A topic of the district's educator catalog (a teacher microcredential)."""
    return topic.content_area.audience == "educator"


def _criteria(topic: MeasurementTopic, credit: dict) -> str:
    def rule(what: str) -> str:
        return (f"{credit['rule_words']}. {credit['proficient_count']} of "
                f"{credit['target_count']} {what} reached proficiency "
                f"({credit['proficient_needed']} needed).")

    if not is_microcredential(topic):
        return f"To complete this topic: {rule('learning targets')}"
    terms = topic.terms
    asked = f"{terms.requirements.strip()} " if terms and terms.requirements.strip() else ""
    return (f"{asked}Each piece of evidence had to include the educator's reflection on how "
            f"the work changed their classroom practice (transfer to practice), and an "
            f"assessor scored it against the competency's rubric. To earn it: "
            f"{rule('competencies')}")


def achievement(topic: MeasurementTopic, credit: dict, issuer: dict) -> dict:
    """The Achievement: CASE identifiers (topic and targets) where the curriculum came
    from a CASE import, and the school's credit rule in words as the criteria (for a
    teacher microcredential, achievementType MicroCredential and the district's
    requirements, the required transfer reflection among them)."""
    ident = (f"urn:uuid:{topic.case_identifier}" if topic.case_identifier else
             f"{keys.public_base()}/api/credentials/achievements/{topic.id}")
    micro = is_microcredential(topic)
    out = {
        "id": ident, "type": ["Achievement"],
        "achievementType": "MicroCredential" if micro else "Competency",
        "name": topic.name,
        "description": topic.description or (f"The microcredential {topic.name}." if micro
                                              else f"The measurement topic {topic.name}."),
        "criteria": {"narrative": _criteria(topic, credit)},
        "creator": issuer,
    }
    aligned = [_alignment(topic.name, topic.case_identifier)] if topic.case_identifier else []
    aligned += [_alignment(f"{t.code} {t.title}", t.case_identifier)
                for t in topic.targets if t.case_identifier]
    if aligned:
        out["alignment"] = aligned
    if topic.case_identifier:
        out["humanCode"] = topic.name[:60]
    return out


def evidence(learner: User, topic: MeasurementTopic) -> list[dict]:
    """Links to approved evidence files, behind the school's sign-in (never the file, never
    a caption); none when the school turned evidence links off (`credential_evidence`
    "none" in the school's settings) or the family said no (backend/services/sharing.py)."""
    from backend.services.sharing import evidence_links_allowed

    if not evidence_links_allowed(learner):
        return []
    micro = is_microcredential(topic)
    target_ids = {t.id for t in topic.targets}
    query = select(Evidence).where(
        Evidence.student_id == learner.id, Evidence.review_status == "approved",
        Evidence.is_deleted.is_(False))
    if not micro:
        query = query.where(Evidence.blob_sha256.is_not(None))
    rows = db.session.scalars(query.order_by(Evidence.created_at.desc()).limit(200))
    out = []
    for ev in rows:
        if not target_ids & {int(t) for t in (ev.target_ids or []) if str(t).isdigit()}:
            continue
        item = {"type": ["Evidence"], "name": "Approved evidence",
                "description": "Kept by the school; opening it needs the school's sign-in."}
        if ev.blob_sha256:
            item["id"] = f"{keys.public_base()}/api/blobs/{ev.blob_sha256}"
        if micro:
            # an educator's own record: their reflection on transfer to practice is the
            # point of the evidence (a learner's words never go into a credential)
            item["name"] = "Approved evidence of practice"
            item["narrative"] = f"Transfer to practice: {ev.reflection or ''}".strip()[:2000]
        out.append(item)
        if len(out) >= MAX_EVIDENCE:
            break
    return out


def subject(learner: User) -> dict:
    salt = secrets.token_hex(8)
    handle = learner.sourced_id or learner.username
    return {
        "type": ["AchievementSubject"],
        "identifier": [
            {"type": "IdentityObject", "hashed": False, "identityHash": learner.display_name,
             "identityType": "name"},
            {"type": "IdentityObject", "hashed": True, "salt": salt,
             "identityType": "sisSourcedId" if learner.sourced_id else "identifier",
             "identityHash": "sha256$" + hashlib.sha256(f"{handle}{salt}".encode()).hexdigest()},
        ],
    }


def sign(payload: dict, school_id: int) -> tuple[str, str]:
    """(compact JWS, kid): VC-JWT, EdDSA over Ed25519, the credential as the payload."""
    key = keys.current_key(school_id)
    claims = dict(payload)
    claims["iss"] = payload["issuer"]["id"] if isinstance(payload["issuer"], dict) \
        else payload["issuer"]
    claims["jti"] = payload["id"]
    claims["nbf"] = int(datetime.fromisoformat(payload["validFrom"].replace("Z", "+00:00"))
                        .timestamp())
    token = jwt.encode(claims, keys.private_key(key), algorithm="EdDSA",
                       headers={"kid": key.id, "typ": "JWT"})
    return token, key.id


def build(learner: User, topic: MeasurementTopic, credit: dict, index: int,
          now: datetime) -> dict:
    school = learner.school
    issuer = {"id": keys.issuer_id(school.id), "type": ["Profile"], "name": school.name}
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": topic.name,
        "issuer": issuer,
        "validFrom": stamp(now),
        "credentialSubject": subject(learner) | {
            "achievement": achievement(topic, credit, issuer)},
        **({"evidence": ev} if (ev := evidence(learner, topic)) else {}),
        "credentialStatus": status.entry(school.id, index),
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


def _standing(learner: User, topic: MeasurementTopic) -> bool:
    return db.session.scalar(select(LearnerCredential.id).where(
        LearnerCredential.active_key == f"{learner.id}:{topic.id}")) is not None


def issue_one(learner: User, topic: MeasurementTopic, credit: dict,
              attempts: int = 3) -> LearnerCredential | None:
    """Issue and store one credential; None when another reader issued it first.

    Two readers issuing for different learners at once can draw the same status list
    index (the unique constraint refuses the second): that one draws again, up to
    `attempts` times."""
    for _ in range(attempts):
        now = datetime.now(UTC)
        index = status.next_index(learner.school_id)
        payload = build(learner, topic, credit, index, now)
        token, kid = sign(payload, learner.school_id)
        row = LearnerCredential(
            id=payload["id"].removeprefix("urn:uuid:"), school_id=learner.school_id,
            learner_id=learner.id, topic_id=topic.id, active_key=f"{learner.id}:{topic.id}",
            status_index=index, key_id=kid, name=topic.name, jwt=token, issued_at=now)
        try:
            with db.session.begin_nested():
                db.session.add(row)
            db.session.commit()
            return row
        except IntegrityError:
            db.session.rollback()
            if _standing(learner, topic):
                return None  # the same credential, issued by another reader
    return None


def issue_missing(learner: User, *, force_topic: int | None = None) -> list[LearnerCredential]:
    """Issue what the learner has earned and not yet got (at most MAX_PER_CALL)."""
    held = {(r.topic_id, r.revoked_at is None) for r in db.session.scalars(
        select(LearnerCredential).where(LearnerCredential.learner_id == learner.id))}
    standing = {t for t, live in held if live}
    ever = {t for t, _ in held}
    made = []
    # an educator (teacher or admin) earns the district's microcredentials, a learner topics
    topics = (school_topics(learner.school_id, "educator")
              if learner.role in ("teacher", "admin") else None)
    for row in learner_topics(learner, topics):
        topic = row["topic"]
        if not row["credit"]["is_met"] or topic.id in standing:
            continue
        if topic.id in ever and topic.id != force_topic:
            continue  # revoked: not re-issued by itself
        issued = issue_one(learner, topic, row["credit"])
        if issued is not None:
            made.append(issued)
        if len(made) >= MAX_PER_CALL:
            break
    return made


def enveloped(token: str) -> dict:
    """The JSON a learner downloads: VCDM 2.0's enveloped form of the VC-JWT."""
    return {"@context": [VC_CONTEXT], "id": f"data:application/vc+jwt,{token}",
            "type": "EnvelopedVerifiableCredential"}


def decoded(token: str) -> dict:
    """The credential inside a token this server signed (no check: for display)."""
    body = jwt.decode(token, options={"verify_signature": False})
    for claim in ("iss", "jti", "nbf", "sub", "exp"):
        body.pop(claim, None)
    return body
