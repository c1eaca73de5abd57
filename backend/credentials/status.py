"""Bitstring Status List (W3C): one revocation list per school, 131,072 entries (16 KB,
the spec's minimum for herd privacy), served at a stable URL. Bit i is 1 when the
credential with statusListIndex i is revoked; index 0 is the leftmost bit of the first byte.
"""

import base64
import gzip

from sqlalchemy import func, select

from backend.credentials.keys import public_base
from backend.credentials.models import CredentialStatusCounter, LearnerCredential
from backend.extensions import db

LIST_BITS = 131_072
STATUS_PATH = "/api/credentials/status/{school_id}"


def status_url(school_id: int) -> str:
    return public_base() + STATUS_PATH.format(school_id=school_id)


def next_index(school_id: int) -> int:
    """Draw the school's next status list index, in the caller's transaction (committed with
    the credential that uses it). The counter never goes back, so an index whose credential
    was deleted with its learner is never drawn again."""
    counter = db.session.scalar(select(CredentialStatusCounter).where(
        CredentialStatusCounter.school_id == school_id).with_for_update())
    if counter is None:  # the school's first credential (or a list from before the counter)
        top = db.session.scalar(select(func.max(LearnerCredential.status_index))
                                .where(LearnerCredential.school_id == school_id))
        counter = CredentialStatusCounter(school_id=school_id,
                                          next_index=0 if top is None else top + 1)
        db.session.add(counter)
    index = counter.next_index
    if index >= LIST_BITS:
        raise RuntimeError("the school's status list is full")
    counter.next_index = index + 1
    return index


def encode(revoked: set[int]) -> str:
    bits = bytearray(LIST_BITS // 8)
    for i in revoked:
        bits[i // 8] |= 0x80 >> (i % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).rstrip(
        b"=").decode("ascii")


def bit_at(encoded: str, index: int) -> bool:
    """Read bit `index` of an encodedList (multibase base64url of GZIP)."""
    if not encoded.startswith("u"):
        raise ValueError("encodedList is not multibase base64url")
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    if not 0 <= index < len(raw) * 8:
        raise ValueError("statusListIndex is outside the list")
    return bool(raw[index // 8] & (0x80 >> (index % 8)))


def encoded_list(school_id: int) -> str:
    revoked = set(db.session.scalars(select(LearnerCredential.status_index).where(
        LearnerCredential.school_id == school_id, LearnerCredential.revoked_at.is_not(None))))
    return encode(revoked)


def status_credential(school_id: int) -> dict:
    """The BitstringStatusListCredential (unsigned JSON; verifiers on this server read the
    same bits)."""
    url = status_url(school_id)
    from backend.credentials.keys import issuer_id

    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(school_id),
        "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList",
                              "statusPurpose": "revocation",
                              "encodedList": encoded_list(school_id)},
    }


def entry(school_id: int, index: int) -> dict:
    url = status_url(school_id)
    return {"id": f"{url}#{index}", "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": str(index),
            "statusListCredential": url}
