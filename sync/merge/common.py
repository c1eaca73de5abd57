"""Shared pieces of the merge rules: actors, authorization, outcomes, derived ids, LWW fields."""

from __future__ import annotations

import copy
import functools
import hashlib
import uuid
from dataclasses import dataclass, field

from sync.clock import HLC
from sync.errors import InvalidMutation, NotAuthorized, NotFound, SyncError
from sync.reasons import render, shown

# uuid5(NAMESPACE_URL, "https://waypoint.invalid/sync/v1"); every derived row id hangs off it.
NAMESPACE = uuid.UUID("b4af51bb-1416-5de1-9c24-680f52e63ab3")
_NAMESPACE_SHA1 = hashlib.sha1(NAMESPACE.bytes, usedforsecurity=False)
ROLES = ("student", "teacher", "guardian", "admin")
STUDENT_MUTATIONS = frozenset(
    {
        "goal.put",
        "goal.delete",
        "pick.put",
        "pick.delete",
        "self_assessment.put",
        "evidence.put",
        "evidence.delete",
        "profile.section.put",
        "profile.observation.respond",
        "suggestion.decline",
    }
)
TEACHER_MUTATIONS = frozenset(
    {"goal.put", "goal.delete", "evidence.review", "rating.put", "conflict.resolve",
     "profile.observation.put", "profile.section.put"}
)
# teacher microcredentials: a teacher keeps a binder of their own (student_id = their own
# id) with the learner-binder mutations; for anyone else these stay refused
OWN_BINDER_MUTATIONS = frozenset(
    {"goal.put", "goal.delete", "evidence.put", "evidence.delete", "self_assessment.put",
     "pick.put", "pick.delete"}
)
# what an assessor (a coach or an admin) may do for the other staff it assesses (two
# assessors rating one competency open a conflict: an assessor resolves it)
ASSESSOR_MUTATIONS = frozenset({"evidence.review", "rating.put", "conflict.resolve"})


@dataclass(frozen=True)
class Actor:
    """Who is pushing: a user id, a role, (for teachers) the learners they teach and (for an
    assessor, a teacher or an admin) the other staff whose microcredential work it reviews."""

    user_id: str | int
    role: str
    learner_ids: frozenset = field(default_factory=frozenset)
    assesses: frozenset = field(default_factory=frozenset)

    def __post_init__(self):
        if self.role not in ROLES:
            raise SyncError("actor.bad_role", roles=list(ROLES), value=shown(self.role))
        object.__setattr__(self, "learner_ids", frozenset(str(i) for i in self.learner_ids))
        object.__setattr__(self, "assesses", frozenset(str(i) for i in self.assesses))

    def teaches(self, student_id: object) -> bool:
        """True when the learner is in one of this teacher's classes."""
        return self.role == "teacher" and str(student_id) in self.learner_ids

    def assesses_staff(self, student_id: object) -> bool:
        """True when this assessor reviews that staff member's microcredential work."""
        return str(student_id) in self.assesses and str(student_id) != str(self.user_id)

    def is_self(self, student_id: object) -> bool:
        return str(student_id) == str(self.user_id)


@dataclass(frozen=True)
class Context:
    """One mutation being merged: who, from which client, its seq and its (clamped) stamp."""

    actor: Actor
    client_id: str
    seq: int
    hlc: str


@dataclass
class Outcome:
    """What a merge decided: a status, a reason code with its params (sync/reasons.py), maybe
    a conflict id, and rows to upsert.

    `rows` are {"type", "id", "deleted", "data"} dicts without "version": the caller gives
    each one the next server version and upserts it by (type, id). A rejection has no rows.
    """

    status: str = "applied"
    code: str | None = None
    params: dict = field(default_factory=dict)
    conflict_id: str | None = None
    rows: list[dict] = field(default_factory=list)

    def result(self, seq: int) -> dict:
        """The push answer for this mutation (keys with nothing to say are left out)."""
        answer = {"seq": seq, "status": self.status}
        if self.code:
            answer.update(code=self.code, params=dict(self.params), reason=self.reason)
        if self.conflict_id:
            answer["conflict_id"] = self.conflict_id
        return answer

    @property
    def reason(self) -> str | None:
        """The English words of the code (None without one)."""
        return render(self.code, self.params) if self.code else None


def rejecting(merge):
    """Turn the expected refusals raised inside a merge into a "rejected" Outcome."""

    @functools.wraps(merge)
    def wrapper(*args, **kwargs) -> Outcome:
        try:
            return merge(*args, **kwargs)
        except (InvalidMutation, NotAuthorized, NotFound) as error:
            return Outcome(status="rejected", code=error.code, params=error.params)

    return wrapper


def check_role(actor: Actor, name: str) -> None:
    """Refuse a mutation the actor's role can never make, whatever the row (what depends on
    the row, such as a teacher's own binder or an assessor's colleagues, is `authorize`'s)."""
    if actor.role == "guardian":
        raise NotAuthorized("auth.guardian_read_only", mutation=name)
    if actor.role == "admin":
        if name in ASSESSOR_MUTATIONS and actor.assesses:
            return
        raise NotAuthorized("auth.admin_no_assess", mutation=name)
    if actor.role == "student":
        if name not in STUDENT_MUTATIONS:
            raise NotAuthorized("auth.learner_cannot", mutation=name)
    elif name not in TEACHER_MUTATIONS and name not in OWN_BINDER_MUTATIONS:
        raise NotAuthorized("auth.teacher_cannot", mutation=name)


def authorize(actor: Actor, name: str, student_id: object) -> None:
    """Refuse unless the actor may make `name` for this person's row: a learner their own; a
    teacher their learners' (what TEACHER_MUTATIONS allow), their own binder
    (OWN_BINDER_MUTATIONS) and, as an assessor, the reviews and ratings of other staff; an
    admin-assessor those reviews and ratings only. Nobody reviews or rates their own work."""
    check_role(actor, name)
    if actor.role == "student" and str(student_id) != str(actor.user_id):
        raise NotAuthorized("auth.not_own_record", student_id=student_id)
    if actor.role == "admin":  # check_role let through only an assessor's review or rating
        if actor.is_self(student_id):
            raise NotAuthorized("auth.own_work", mutation=name)
        if not actor.assesses_staff(student_id):
            raise NotAuthorized("auth.admin_no_assess", mutation=name)
    if actor.role == "teacher":
        if actor.is_self(student_id):
            if name in OWN_BINDER_MUTATIONS:
                return
            if name in ASSESSOR_MUTATIONS:
                raise NotAuthorized("auth.own_work", mutation=name)
        elif name not in TEACHER_MUTATIONS:
            raise NotAuthorized("auth.teacher_cannot", mutation=name)
        elif name in ASSESSOR_MUTATIONS and actor.assesses_staff(student_id):
            return
        if not actor.teaches(student_id):
            raise NotAuthorized("auth.not_your_learner", student_id=student_id,
                                student=str(student_id))


def derived_id(*parts: object) -> str:
    """A deterministic UUID (v5) for a row the server derives, from ':'-joined parts."""
    return _uuid5(":".join(str(p) for p in parts))


@functools.lru_cache(maxsize=8192)
def _uuid5(name: str) -> str:
    """uuid.uuid5(NAMESPACE, name) as text, without building UUID objects (a push derives a
    few ids per mutation; tests/sync/test_derived_ids.py checks it equals uuid.uuid5)."""
    digest = _NAMESPACE_SHA1.copy()
    digest.update(name.encode())
    raw = bytearray(digest.digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x50  # version 5
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def event_id(client_id: str, seq: int) -> str:
    """The assessment event appended by mutation (client_id, seq)."""
    return derived_id("event", client_id, seq)


def conflict_id(client_id: str, seq: int) -> str:
    """The conflict opened by rating.put (client_id, seq)."""
    return derived_id("conflict", client_id, seq)


def self_assessment_id(student_id: object, target_id: object) -> str:
    """The self-assessment register of (learner, learning target)."""
    return derived_id("self_assessment", student_id, target_id)


def rating_id(student_id: object, target_id: object, teacher_id: object) -> str:
    """The rating register of (learner, learning target, teacher)."""
    return derived_id("rating", student_id, target_id, teacher_id)


def review_id(evidence_id: str, caption_version: int) -> str:
    """The review of one caption version of one piece of evidence."""
    return derived_id("review", evidence_id, caption_version)


def history_id(row_type: str, row_id: str, field_name: str, hlc: str) -> str:
    """The history entry keeping the value written at `hlc` that lost field `field_name`."""
    return derived_id("history", row_type, row_id, field_name, hlc)


_SCALARS = (str, int, float, bool, type(None))


def json_copy(value):
    """A deep copy of row data: what copy.deepcopy gives for JSON values, faster (speed only;
    anything that is not a dict, list or scalar still goes through deepcopy)."""
    kind = type(value)
    if kind is dict:
        return {k: json_copy(v) for k, v in value.items()}
    if kind is list:
        return [json_copy(v) for v in value]
    return value if kind in _SCALARS else copy.deepcopy(value)


def stamp(value: str | None) -> HLC | None:
    """Parse a stored stamp (None stays None)."""
    return None if value is None else HLC.parse(value)


def newer(a: str | None, b: str | None) -> str | None:
    """The later of two stamps (None counts as earliest)."""
    if a is None or b is None:
        return a or b
    return a if HLC.parse(a) >= HLC.parse(b) else b


def row(row_type: str, row_id: str, data: dict, deleted: bool = False) -> dict:
    """A row to upsert."""
    return {"type": row_type, "id": row_id, "deleted": deleted, "data": data}


def is_tombstoned(data: dict) -> bool:
    """Delete wins over puts whose stamp is not newer: deleted iff delete stamp >= last put."""
    deleted, put = stamp(data.get("_delete_hlc")), stamp(data.get("_put_hlc"))
    return deleted is not None and (put is None or deleted >= put)


def lww(row_type: str, row_id: str, data: dict, changes: dict, hlc: str) -> tuple[set, list]:
    """Merge `changes` into `data` field by field, last writer wins by HLC (mutates data).

    Returns the fields whose value changed and history rows for every losing value.
    A field never written (its default) has no stamp and loses to any write; an equal
    stamp is the same write seen twice and changes nothing.
    """
    HLC.parse(hlc)  # a malformed stamp raises, here and below
    stamps = data.setdefault("_hlc", {})
    changed, history = set(), []
    for name, value in changes.items():
        # stamps are compared as text: every stamp HLC.parse accepts has a fixed-width wall
        # and counter, so text order is the protocol's total order (sync/clock.py)
        current = stamps.get(name)
        if current is not None:
            HLC.parse(current)
        if current == hlc:
            continue
        if current is None or hlc > current:
            if current is not None:
                history.append(_history(row_type, row_id, name, data[name], current, hlc))
            if data.get(name) != value:
                changed.add(name)
            data[name] = json_copy(value)
            stamps[name] = hlc
        else:
            history.append(_history(row_type, row_id, name, value, hlc, current))
    return changed, history


def _history(row_type, row_id, name, value, loser_hlc, winner_hlc) -> dict:
    data = {
        "row_type": row_type,
        "row_id": row_id,
        "field": name,
        "value": json_copy(value),
        "hlc": loser_hlc,
        "winner_hlc": winner_hlc,
    }
    return row("history", history_id(row_type, row_id, name, loser_hlc), data)


def assessment_event(
    ctx: Context, student_id, target_id, level, source: str, origin: str, **extra
) -> dict:
    """An append-only assessment event row derived from mutation (client_id, seq)."""
    data = {
        "student_id": student_id,
        "target_id": target_id,
        "level": level,
        "source": source,
        "author_id": ctx.actor.user_id,
        "hlc": ctx.hlc,
        "origin": origin,
        "note": "",
        "evidence_id": None,
        "conflict_id": None,
        **extra,
    }
    return row("event", event_id(ctx.client_id, ctx.seq), data)
