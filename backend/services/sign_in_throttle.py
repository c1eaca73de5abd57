"""Who must wait before signing in again: failed sign-ins counted per account and per address.

The policy (docs/deploy.md, "Sign-in policy"): a successful sign-in never counts, so a class
of 30 behind one school address signs in together. Wrong passwords count per account name:
after SIGNIN_ACCOUNT_FAILURES of them (each within SIGNIN_ACCOUNT_WINDOW of the last) that
name waits 30 s, then twice as long after each further failure, up to SIGNIN_BACKOFF_CAP.
Unknown names are counted exactly like real ones, so a wait says nothing about whether an
account exists. A generous ceiling on failures per address (SIGNIN_ADDRESS_FAILURES in
SIGNIN_ADDRESS_WINDOW) blunts one machine spraying guesses over many names. A teacher or
admin can clear an account's count ("Let in", `let_in`).

Counters live in Redis when REDIS_URL is set (every worker sees one count), else in the
database (table sign_in_throttles). Every change is one atomic statement, so workers racing
on one name never lose a failure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import case, delete, select, update
from sqlalchemy.exc import IntegrityError

from backend.extensions import db
from backend.models import SignInThrottle


@dataclass(frozen=True)
class Wait:
    """How long (seconds, 0 = not at all) and why: "account" or "address"."""

    seconds: int = 0
    scope: str = "account"


def account_key(username: str) -> str:
    return "account:" + username.strip().lower()[:100]


def address_key(address: str) -> str:
    return "address:" + (address or "unknown")[:100]


def _cfg(name: str) -> int:
    return int(current_app.config[name])


def wait_before_sign_in(username: str, address: str) -> Wait:
    """A wait in force for this name or this address (checked before any password)."""
    waits = _store().locked_for([account_key(username), address_key(address)])
    account = waits.get(account_key(username), 0)
    address_wait = waits.get(address_key(address), 0)
    if address_wait > account:
        return Wait(address_wait, "address")
    return Wait(account, "account")


def record_failure(username: str, address: str) -> Wait:
    """Count one wrong password; the wait it starts, if this failure crossed a line."""
    store = _store()
    window = _cfg("SIGNIN_ACCOUNT_WINDOW")
    failures = store.add_failure(account_key(username), window, sliding=True)
    wait = Wait()
    free = _cfg("SIGNIN_ACCOUNT_FAILURES")
    if failures >= free:
        seconds = min(_cfg("SIGNIN_BACKOFF_BASE") * 2 ** min(failures - free, 20),
                      _cfg("SIGNIN_BACKOFF_CAP"))
        # the count outlives the wait, so the next wrong password after it waits longer
        store.lock(account_key(username), seconds, keep=window + seconds)
        wait = Wait(seconds, "account")
    address_window = _cfg("SIGNIN_ADDRESS_WINDOW")
    if store.add_failure(address_key(address), address_window,
                         sliding=False) >= _cfg("SIGNIN_ADDRESS_FAILURES"):
        store.lock(address_key(address), address_window, keep=address_window)
        wait = Wait(max(wait.seconds, address_window), "address")
    return wait


def forget_failures(username: str) -> None:
    """A successful sign-in: this name starts again from zero."""
    _store().clear(account_key(username))


def let_in(username: str) -> None:
    """A teacher or admin lets a locked-out person try again now (their count is cleared)."""
    _store().clear(account_key(username))


def waits_for(usernames: list[str]) -> dict[str, int]:
    """username -> seconds still to wait, for those of `usernames` that must wait."""
    keys = {account_key(name): name for name in usernames}
    found = _store().locked_for(list(keys))
    return {keys[key]: seconds for key, seconds in found.items() if seconds > 0}


# --------------------------------------------------------------------------- stores


def _store():
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url and current_app.config.get("SIGNIN_THROTTLE_STORE", "auto") != "database":
        return _RedisStore(_redis_client())
    return _DatabaseStore()


def _redis_client():
    from backend.auth import shared_redis

    return shared_redis()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class _RedisStore:
    """`<key>:n` counts failures (expires with the window); `<key>:lock` exists while the
    name or address must wait (expires when the wait ends)."""

    PREFIX = "waypoint:signin:"

    def __init__(self, client):
        self.client = client

    def locked_for(self, keys: list[str]) -> dict[str, int]:
        pipe = self.client.pipeline(transaction=False)
        for key in keys:
            pipe.pttl(f"{self.PREFIX}{key}:lock")
        return {key: math.ceil(ms / 1000) for key, ms in zip(keys, pipe.execute(), strict=True)
                if ms and ms > 0}

    def add_failure(self, key: str, window: int, *, sliding: bool) -> int:
        name = f"{self.PREFIX}{key}:n"
        pipe = self.client.pipeline(transaction=True)
        pipe.set(name, 0, ex=window, nx=True)  # a new window starts at the first failure
        pipe.incr(name)
        if sliding:
            pipe.expire(name, window)
        return int(pipe.execute()[1])

    def lock(self, key: str, seconds: int, *, keep: int) -> None:
        pipe = self.client.pipeline(transaction=True)
        pipe.set(f"{self.PREFIX}{key}:lock", 1, ex=max(int(seconds), 1))
        pipe.expire(f"{self.PREFIX}{key}:n", max(int(keep), 1))
        pipe.execute()

    def clear(self, key: str) -> None:
        self.client.delete(f"{self.PREFIX}{key}:n", f"{self.PREFIX}{key}:lock")


class _DatabaseStore:
    """One row per name or address with failures in its current window. Each change is a
    single UPDATE (… RETURNING) or INSERT, committed at once: the sign-in that failed writes
    nothing else, and concurrent workers never overwrite each other's count."""

    def locked_for(self, keys: list[str]) -> dict[str, int]:
        now = _now()
        rows = db.session.execute(
            select(SignInThrottle.key, SignInThrottle.locked_until).where(
                SignInThrottle.key.in_(keys), SignInThrottle.locked_until > now)).all()
        return {key: math.ceil((_aware(until) - now).total_seconds()) for key, until in rows}

    def add_failure(self, key: str, window: int, *, sliding: bool) -> int:
        now = _now()
        ends = now + timedelta(seconds=window)
        is_over = SignInThrottle.expires_at <= now
        statement = (
            update(SignInThrottle).where(SignInThrottle.key == key).values(
                failures=case((is_over, 1), else_=SignInThrottle.failures + 1),
                expires_at=ends if sliding else case((is_over, ends),
                                                     else_=SignInThrottle.expires_at),
                locked_until=case((is_over, None), else_=SignInThrottle.locked_until),
            ).returning(SignInThrottle.failures)
        )
        for _attempt in range(2):
            count = db.session.execute(statement).scalar()
            if count is not None:
                db.session.commit()
                return int(count)
            try:
                self._prune(now)
                db.session.add(SignInThrottle(key=key, failures=1, expires_at=ends))
                db.session.commit()
                return 1
            except IntegrityError:  # another worker inserted it first: count on its row
                db.session.rollback()
        raise RuntimeError("sign-in throttle row could not be written")  # pragma: no cover

    def lock(self, key: str, seconds: int, *, keep: int) -> None:
        now = _now()
        db.session.execute(update(SignInThrottle).where(SignInThrottle.key == key).values(
            locked_until=now + timedelta(seconds=seconds),
            expires_at=now + timedelta(seconds=keep)))
        db.session.commit()

    def clear(self, key: str) -> None:
        db.session.execute(delete(SignInThrottle).where(SignInThrottle.key == key))
        db.session.commit()

    @staticmethod
    def _prune(now: datetime) -> None:
        """Windows that ended and waits that are over: nothing left to remember."""
        db.session.execute(delete(SignInThrottle).where(
            SignInThrottle.expires_at < now,
            (SignInThrottle.locked_until.is_(None)) | (SignInThrottle.locked_until < now)))
