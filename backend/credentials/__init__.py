"""Verifiable learner credentials: Open Badges 3.0 and CLR 2.0, signed as VC-JWT (EdDSA).

models.py (tables), keys.py (the school's Ed25519 issuer keys, rotation, the published
JWKS), status.py (Bitstring Status List), issue.py (a met topic -> OpenBadgeCredential),
verify.py (anyone's credential -> a verdict in plain words), clr.py (the CLR 2.0 bundle).
docs/credentials.md says why VC-JWT and how a district sets its issuer up.
"""
