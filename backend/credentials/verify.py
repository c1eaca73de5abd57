"""Verification anyone can do: a credential (compact VC-JWT, the enveloped JSON this
server hands out, or a plain OB 3.0 JSON) -> a verdict in plain words.

Verdicts: authentic, altered (the signature does not match: changed after signing),
revoked, expired, not_yet_valid, unknown_issuer (signed by a key this server does not
know: it could not be checked), unsigned (no proof this server can check), unreadable.
Only this server's published keys are trusted; nothing is fetched from the network.
"""

import base64
import binascii
import json
import re
from datetime import UTC, datetime

import jwt
from jwt.exceptions import InvalidSignatureError, PyJWTError

from backend.credentials import keys, status
from backend.credentials.models import CredentialKey
from backend.extensions import db
from backend.i18n import N_
from backend.models import School

JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$")
ENVELOPE_PREFIXES = ("data:application/vc+jwt,", "data:application/vc-ld+jwt,",
                     "data:application/jwt,")
CREDENTIAL_TYPES = {"OpenBadgeCredential", "AchievementCredential", "ClrCredential",
                    "VerifiableCredential"}
MAX_INPUT = 512 * 1024

HEADLINES = {
    "authentic": N_("Authentic: issued by {issuer}, unaltered and not revoked."),
    "altered": N_("Not authentic: this credential was changed after it was signed, or the "
                  "signature is not the issuer's."),
    "revoked": N_("Revoked: {issuer} withdrew this credential."),
    "expired": N_("Expired: this credential was valid until {until}."),
    "not_yet_valid": N_("Not valid yet: this credential starts on {start}."),
    "unknown_issuer": N_("Could not be checked: it was signed by an issuer this server does "
                         "not know. It may be genuine; ask the issuer to check it."),
    "unsigned": N_("Could not be checked: the credential carries no signature this server "
                   "can check."),
    "unreadable": N_("This is not a credential Waypoint can read. Paste the whole file, or "
                     "choose the .json file you downloaded."),
}
CHECK_WORDS = {
    "readable": N_("The file is a credential"),
    "signature": N_("Signed by the issuer's key (authentic)"),
    "unaltered": N_("Nothing changed since signing (unaltered)"),
    "status": N_("Not revoked"),
    "dates": N_("Within its valid dates"),
}


def _canonical(token: str) -> bool:
    """Each part is exactly the base64url the signer wrote (no spare bits set)."""
    for part in token.split("."):
        try:
            raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except (ValueError, binascii.Error):
            return False
        if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != part:
            return False
    return True


def _now() -> datetime:
    return datetime.now(UTC)


def extract(value) -> tuple[str | None, dict | None]:
    """(compact JWS, plain JSON credential): what the input holds; ValueError if neither."""
    if isinstance(value, (bytes, bytearray)):
        value = value.decode("utf-8", errors="strict")
    if isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_INPUT:
            raise ValueError("too large")
        if JWS.match(text):
            return text, None
        value = json.loads(text)
    if isinstance(value, dict):
        ident = value.get("id")
        if isinstance(ident, str):
            for prefix in ENVELOPE_PREFIXES:
                if ident.startswith(prefix) and JWS.match(ident[len(prefix):].strip()):
                    return ident[len(prefix):].strip(), None
        proof = value.get("proof")
        if isinstance(proof, dict) and isinstance(proof.get("jwt"), str):
            return proof["jwt"].strip(), None
        types = value.get("type")
        types = {types} if isinstance(types, str) else set(types or [])
        if types & CREDENTIAL_TYPES:
            return None, value
    raise ValueError("not a credential")


def _obj(value) -> dict:
    """A dict, the first dict of a list, or {} (credentials from elsewhere vary)."""
    if isinstance(value, dict):
        return value
    if isinstance(value, list):
        return next((v for v in value if isinstance(v, dict)), {})
    return {}


def _text(value) -> str:
    if isinstance(value, dict):  # a language map
        value = next(iter(value.values()), "")
    return str(value or "")[:300]


def _issuer_name(cred: dict) -> str:
    issuer = cred.get("issuer")
    if isinstance(issuer, dict):
        return _text(issuer.get("name") or issuer.get("id"))
    return _text(issuer)


def _summary(cred: dict) -> dict:
    subject = _obj(cred.get("credentialSubject"))
    achievement = _obj(subject.get("achievement"))
    learner = ""
    idents = subject.get("identifier")
    for ident in idents if isinstance(idents, list) else []:
        if isinstance(ident, dict) and ident.get("identityType") == "name" \
                and not ident.get("hashed"):
            learner = _text(ident.get("identityHash"))
    return {"name": _text(cred.get("name") or achievement.get("name")),
            "achievement": _text(achievement.get("name")),
            "issuer": _issuer_name(cred),
            "issued": _text(cred.get("validFrom") or cred.get("issuanceDate")),
            "valid_until": _text(cred.get("validUntil")),
            "learner": learner}


def _result(verdict: str, checks: dict, summary: dict | None = None, reason: str = "") -> dict:
    summary = summary or {}
    params = {"issuer": summary.get("issuer") or "the issuer",
              "until": summary.get("valid_until", ""), "start": summary.get("issued", "")}
    return {"verdict": verdict, "is_valid": verdict == "authentic",
            "headline": HEADLINES[verdict], "headline_params": params,
            "checks": [{"name": k, "ok": v, "words": CHECK_WORDS[k]} for k, v in checks.items()],
            "reason": reason, "credential": summary}


def _parse_time(value) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _status(cred: dict, school_id: int) -> bool | None:
    """True when revoked, False when not (or when the credential has no status entry),
    None when its status list is not this school's (it could not be checked)."""
    entry = cred.get("credentialStatus")
    if entry is None:
        return False  # nothing to revoke: a bundle (CLR) carries its badges' own status
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        return None
    url = str(entry.get("statusListCredential") or "")
    if not url.endswith(status.STATUS_PATH.format(school_id=school_id)):
        return None
    try:
        index = int(entry.get("statusListIndex"))
        return status.bit_at(status.encoded_list(school_id), index)
    except (TypeError, ValueError):
        return True  # a malformed entry on our own list counts as withdrawn


def verify(value) -> dict:
    """The verdict for `value` (str, bytes or parsed JSON). Never raises for bad input."""
    try:
        token, plain = extract(value)
    except (ValueError, UnicodeDecodeError, json.JSONDecodeError, TypeError):
        return _result("unreadable", {"readable": False}, reason="not a credential")
    if token is None:
        return _result("unsigned", {"readable": True, "signature": False}, _summary(plain),
                       reason="no verifiable proof")
    if not _canonical(token):
        # a changed last character could decode to the same bytes (PyJWT refuses those
        # too; this keeps it so whatever the library does): still a changed file
        return _result("altered", {"readable": True, "signature": False, "unaltered": False},
                       reason="not the signed text")
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except PyJWTError:
        # a changed byte can break the header or the payload's JSON: altered, not unknown
        return _result("altered", {"readable": True, "signature": False, "unaltered": False},
                       reason="the signed parts no longer decode")
    if not isinstance(unverified, dict) or not ({unverified.get("type")} if isinstance(
            unverified.get("type"), str) else set(unverified.get("type") or [])) \
            & CREDENTIAL_TYPES:
        return _result("unreadable", {"readable": False}, reason="not a credential")
    summary = _summary(unverified)
    kid = header.get("kid")
    key = db.session.get(CredentialKey, kid) if isinstance(kid, str) and len(kid) <= 64 \
        else None
    if key is None or header.get("alg") != "EdDSA":
        return _result("unknown_issuer", {"readable": True, "signature": False}, summary,
                       reason="unknown key")
    try:
        cred = jwt.decode(token, keys.public_key(key), algorithms=["EdDSA"],
                          options={"verify_nbf": False, "verify_exp": False,
                                   "verify_iat": False, "verify_aud": False})
    except InvalidSignatureError:
        return _result("altered", {"readable": True, "signature": False, "unaltered": False},
                       summary, reason="signature does not match")
    except PyJWTError:
        return _result("altered", {"readable": True, "signature": False, "unaltered": False},
                       summary, reason="the signed parts no longer decode")
    issuer = cred.get("issuer")
    issuer_ident = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not str(issuer_ident or "").endswith(keys.ISSUER_PATH.format(school_id=key.school_id)):
        return _result("unknown_issuer", {"readable": True, "signature": False}, summary,
                       reason="issuer does not own the key")
    school = db.session.get(School, key.school_id)
    summary["issuer"] = school.name if school else summary["issuer"]
    checks = {"readable": True, "signature": True, "unaltered": True}
    revoked = _status(cred, key.school_id)
    checks["status"] = revoked is False
    if revoked:
        return _result("revoked", checks, summary, reason="revoked")
    start, until = _parse_time(cred.get("validFrom", "")), _parse_time(cred.get("validUntil", ""))
    now = _now()
    checks["dates"] = not ((start and start > now) or (until and until < now))
    if start and start > now:
        return _result("not_yet_valid", checks, summary, reason="not yet valid")
    if until and until < now:
        return _result("expired", checks, summary, reason="expired")
    if revoked is None:
        checks["status"] = False
        return _result("unknown_issuer", checks, summary, reason="status not checkable")
    return _result("authentic", checks, summary)
