"""The school's issuer keys (Ed25519), made once on first use or by `flask credentials
keygen`, rotated by an admin (`flask credentials rotate` or the API). Only public halves
are ever served: as a JWKS and as the Profile's verification methods."""

import base64
import hashlib
import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app, has_request_context, request
from sqlalchemy import select

from backend.credentials.models import CredentialKey
from backend.extensions import db
from backend.models import School
from backend.models._base import utcnow

ISSUER_PATH = "/api/credentials/issuers/{school_id}"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def public_base() -> str:
    """Where this server is reached from outside (PUBLIC_URL / WAYPOINT_PUBLIC_URL, else the
    request's own address); credentials name their issuer and status list under it."""
    base = current_app.config.get("PUBLIC_URL") or os.environ.get("WAYPOINT_PUBLIC_URL")
    if not base and has_request_context():
        base = request.host_url
    return (base or "http://localhost:3000").rstrip("/")


def issuer_id(school_id: int) -> str:
    return public_base() + ISSUER_PATH.format(school_id=school_id)


def _new_key(school_id: int) -> CredentialKey:
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(serialization.Encoding.Raw,
                                            serialization.PublicFormat.Raw)
    kid = f"s{school_id}-{hashlib.sha256(raw).hexdigest()[:20]}"
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode("ascii")
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw), "kid": kid, "alg": "EdDSA",
           "use": "sig"}
    return CredentialKey(id=kid, school_id=school_id, public_jwk=jwk, private_pem=pem)


def current_key(school_id: int, *, create: bool = True) -> CredentialKey | None:
    """The school's signing key; made (and committed) on first use when `create`."""
    key = db.session.scalar(select(CredentialKey).where(
        CredentialKey.school_id == school_id, CredentialKey.retired_at.is_(None))
        .order_by(CredentialKey.created_at.desc()).limit(1))
    if key is None and create:
        key = _new_key(school_id)
        db.session.add(key)
        db.session.commit()
    return key


def rotate(school_id: int) -> CredentialKey:
    """Retire the current key (it stays published) and make a new one."""
    now = utcnow()
    for key in db.session.scalars(select(CredentialKey).where(
            CredentialKey.school_id == school_id, CredentialKey.retired_at.is_(None))):
        key.retired_at = now
    key = _new_key(school_id)
    db.session.add(key)
    db.session.commit()
    return key


def published_keys(school_id: int) -> list[CredentialKey]:
    return list(db.session.scalars(select(CredentialKey).where(
        CredentialKey.school_id == school_id).order_by(CredentialKey.created_at)))


def private_key(key: CredentialKey) -> Ed25519PrivateKey:
    return serialization.load_pem_private_key(key.private_pem.encode("ascii"), password=None)


def public_key(key: CredentialKey) -> Ed25519PublicKey:
    raw = base64.urlsafe_b64decode(key.public_jwk["x"] + "==")
    return Ed25519PublicKey.from_public_bytes(raw)


def jwks(school_id: int) -> dict:
    return {"keys": [dict(k.public_jwk) for k in published_keys(school_id)]}


def profile(school: School) -> dict:
    """The issuer's OB 3.0 Profile, with its public keys as verification methods."""
    ident = issuer_id(school.id)
    methods = [{"id": f"{ident}#{k.id}", "type": "JsonWebKey", "controller": ident,
                "publicKeyJwk": dict(k.public_jwk)}
               for k in published_keys(school.id)]
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": ident, "type": ["Profile"], "name": school.name,
        "url": public_base(),
        "verificationMethod": methods,
        "jwks": f"{ident}/jwks",
    }
