"""Sign-in cards and shared class devices: making, finding and retiring them.

Why it is shaped this way (docs/sign_in_cards.md):

* A card carries a QR secret of 192 random bits and a short code of 8 characters from an
  alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B). Only keyed digests are stored
  (HMAC-SHA256 with SECRET_KEY): a leaked database signs nobody in, and the ~37-bit code
  cannot be tried offline against it. Online, wrong codes are throttled per device and per
  address by the sign-in throttle (backend/services/sign_in_throttle.py).
* Making a learner's card retires any card they had: the secret was never stored, so the
  same card cannot be printed twice.
* Invalidating a card refuses it at once AND ends every session of that learner (the token
  version is bumped), because a lost card may already have been used by someone else.
* A device token (256 bits) lives in an httpOnly cookie; only its digest is stored. Revoking
  a device refuses new card sign-ins on it at once; sessions already open there go on until
  they end or the learner signs out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import select, update

from backend.extensions import db
from backend.models import Enrollment, SchoolClass, SharedDevice, SignInCard, User
from backend.services.access_log import record_admin_write

QR_PREFIX = "WPCARD1:"  # what the QR holds before the secret: other QR codes are not cards
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8
MAX_CLASS_SIZE = 200  # cards per print: a class, never the whole school at once
DEVICE_COOKIE = "waypoint_device"


def _now() -> datetime:
    return datetime.now(UTC)


def digest(kind: str, value: str) -> str:
    """The stored form of a secret, code or device token: HMAC-SHA256 keyed by SECRET_KEY."""
    key = (current_app.config.get("SECRET_KEY") or "").encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def normalize_code(typed: str) -> str:
    """"abcd-efgh", "ABCD EFGH" → "ABCDEFGH": case, spaces and dashes do not matter."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())[:40]


def show_code(code: str) -> str:
    """"ABCDEFGH" → "ABCD-EFGH", as printed on the card."""
    return f"{code[:4]}-{code[4:]}"


def qr_text(secret: str) -> str:
    return QR_PREFIX + secret


def secret_from_qr(text: str) -> str:
    """The secret inside a scanned QR's text, or "" when it is not one of our cards."""
    text = (text or "").strip()
    return text[len(QR_PREFIX):][:100] if text.startswith(QR_PREFIX) else ""


@dataclass(frozen=True)
class NewCard:
    """What is printed once and never kept: the learner, the QR text and the short code."""

    learner: User
    qr: str
    code: str


def learners_of(cls: SchoolClass) -> list[User]:
    """The class's active learners by name (at most MAX_CLASS_SIZE)."""
    return list(db.session.scalars(
        select(User).join(Enrollment, Enrollment.student_id == User.id)
        .where(Enrollment.class_id == cls.id, User.role == "student",
               User.is_active.is_(True))
        .order_by(User.display_name, User.id).limit(MAX_CLASS_SIZE)))


def live_cards(learner_ids: list[int]) -> dict[int, SignInCard]:
    """learner id -> their live card, for those who have one."""
    if not learner_ids:
        return {}
    rows = db.session.scalars(select(SignInCard).where(
        SignInCard.student_id.in_(learner_ids), SignInCard.invalidated_at.is_(None)))
    return {card.student_id: card for card in rows}


def _retire(cards, actor: User, now: datetime) -> None:
    for card in cards:
        card.invalidated_at, card.invalidated_by = now, actor.id


def issue_cards(actor: User, cls: SchoolClass, learners: list[User]) -> list[NewCard]:
    """New cards for these learners of `cls` (their old ones retired), committed with one
    audit row; the secrets exist only in the returned list, for the PDF."""
    now = _now()
    _retire(live_cards([u.id for u in learners]).values(), actor, now)
    made = []
    for learner in learners:
        secret = secrets.token_urlsafe(24)  # 192 bits
        while True:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            code_hash = digest("code", code)
            if db.session.scalar(select(SignInCard.id).where(
                    SignInCard.code_hash == code_hash)) is None:
                break
        db.session.add(SignInCard(school_id=learner.school_id, student_id=learner.id,
                                  secret_hash=digest("card", secret), code_hash=code_hash,
                                  created_at=now, created_by=actor.id))
        made.append(NewCard(learner, qr_text(secret), code))
    record_admin_write(actor, "card.create", cls, {"class": cls.name, "learners": len(made)})
    db.session.commit()
    return made


def invalidate(actor: User, learner: User) -> bool:
    """Retire the learner's live card and end their sessions; False when none was live."""
    cards = list(live_cards([learner.id]).values())
    if not cards:
        return False
    _retire(cards, actor, _now())
    learner.end_sessions()
    record_admin_write(actor, "card.invalidate", learner)
    db.session.commit()
    return True


def invalidate_class(actor: User, cls: SchoolClass) -> int:
    """Retire every live card of the class's learners (their sessions end); how many."""
    learners = learners_of(cls)
    cards = live_cards([u.id for u in learners])
    _retire(cards.values(), actor, _now())
    for learner in learners:
        if learner.id in cards:
            learner.end_sessions()
    record_admin_write(actor, "card.invalidate", cls, {"class": cls.name,
                                                      "learners": len(cards)})
    db.session.commit()
    return len(cards)


def find_card(*, secret: str = "", code: str = "") -> SignInCard | None:
    """The live card with this QR secret or typed code (None: unknown or retired)."""
    if secret:
        column, value = SignInCard.secret_hash, digest("card", secret)
    elif code:
        column, value = SignInCard.code_hash, digest("code", normalize_code(code))
    else:
        return None
    return db.session.scalar(select(SignInCard).where(
        column == value, SignInCard.invalidated_at.is_(None)))


def card_signed_in(card: SignInCard, learner: User, device: SharedDevice) -> None:
    """Note a card sign-in (the card's and device's last use, and an audit row)."""
    now = _now()
    card.last_used_at = device.last_used_at = now
    record_admin_write(learner, "card.sign_in", learner, {"device": device.name})
    db.session.commit()


# --------------------------------------------------------------------------- devices


def register_device(actor: User, name: str) -> tuple[SharedDevice, str]:
    """Mark the caller's device as a shared class device; (row, token for the cookie)."""
    token = secrets.token_urlsafe(32)
    device = SharedDevice(school_id=actor.school_id, name=name, token_hash=digest(
        "device", token), created_at=_now(), created_by=actor.id)
    db.session.add(device)
    db.session.flush()
    record_admin_write(actor, "device.shared", ("device", device.id), {"name": name})
    db.session.commit()
    return device, token


def device_for(token: str | None) -> SharedDevice | None:
    """The live shared device this cookie names, or None."""
    if not token:
        return None
    return db.session.scalar(select(SharedDevice).where(
        SharedDevice.token_hash == digest("device", token[:200]),
        SharedDevice.revoked_at.is_(None)))


def devices_for(actor: User, limit: int = 200) -> list[SharedDevice]:
    """Live shared devices an actor may see: an admin all of the school's, a teacher theirs."""
    query = select(SharedDevice).where(SharedDevice.school_id == actor.school_id,
                                       SharedDevice.revoked_at.is_(None))
    if actor.role != "admin":
        query = query.where(SharedDevice.created_by == actor.id)
    return list(db.session.scalars(query.order_by(SharedDevice.name, SharedDevice.id)
                                   .limit(limit)))


def revoke_device(actor: User, device: SharedDevice) -> None:
    """No card signs in on this device from now on."""
    db.session.execute(update(SharedDevice).where(SharedDevice.id == device.id)
                       .values(revoked_at=_now()))
    record_admin_write(actor, "device.revoke", ("device", device.id), {"name": device.name})
    db.session.commit()
