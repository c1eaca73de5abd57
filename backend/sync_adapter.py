"""The backend's adapter of the sync library: push and pull over the database.

The library decides (validation, authorization, merge rules); this module loads the rows a
mutation touches, writes what the library returns in a savepoint per mutation, and keeps
each device's last seq and answers. One commit per batch, answered only after it.
"""

import time
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.auth import learner_ids_for
from backend.errors import AppError
from backend.models import (
    Activity,
    ContentArea,
    LearningTarget,
    MeasurementTopic,
    Rating,
    SyncClient,
    SyncMutation,
    User,
)
from backend.sync_codecs import CODECS, to_row, upsert
from sync import HLC, Actor, Clock, SeqGap, SyncError, apply_mutation, parse_seq, plan_seqs

MAX_BATCH = 500
_server_clock = Clock("server", lambda: int(time.time() * 1000))


class DbStore:
    """The library's Store over the database session (reads only what a merge needs)."""

    def __init__(self, session: Session):
        self.session = session

    def get(self, row_type: str, row_id: str) -> dict | None:
        codec = CODECS.get(row_type)
        obj = self.session.get(codec.model, str(row_id)) if codec else None
        return to_row(row_type, obj) if obj is not None else None

    def ratings(self, student_id, target_id) -> list[dict]:
        rows = self.session.scalars(
            select(Rating).where(Rating.student_id == int(student_id),
                                 Rating.target_id == int(target_id))
        )
        return [to_row("rating", r) for r in rows]


def actor_for(user: User) -> Actor:
    learners = learner_ids_for(user) if user.role == "teacher" else set()
    return Actor(user.id, user.role, frozenset(learners))


def _as_int(value, what: str) -> int:
    if isinstance(value, bool) or not str(value).isdigit():
        raise _Refused(f"{what} must be a number (got {value!r})")
    return int(value)


class _Refused(Exception):
    """A reference the database cannot accept: unknown learner, target or activity."""


def _check_references(session: Session, user: User, raw: dict) -> dict:
    """Normalise API ids to ints and refuse ids of things not in the caller's school."""
    args = dict(raw.get("args") or {}) if isinstance(raw.get("args"), dict) else None
    if args is None:
        return raw
    school = user.school_id
    if "student_id" in args:
        args["student_id"] = _as_int(args["student_id"], "student_id")
        learner = session.get(User, args["student_id"])
        if learner is None or learner.role != "student" or learner.school_id != school:
            raise _Refused(f"there is no learner {args['student_id']} in your school")
    targets = []
    if "target_id" in args and args["target_id"] is not None:
        args["target_id"] = _as_int(args["target_id"], "target_id")
        targets.append(args["target_id"])
    if isinstance(args.get("target_ids"), list):
        args["target_ids"] = [_as_int(t, "each of target_ids") for t in args["target_ids"]]
        targets.extend(args["target_ids"])
    for target_id in set(targets):
        found = session.execute(
            select(LearningTarget.id).join(MeasurementTopic).join(ContentArea).where(
                LearningTarget.id == target_id, LearningTarget.deleted_at.is_(None),
                ContentArea.school_id == school)
        ).first()
        if found is None:
            raise _Refused(f"there is no learning target {target_id}")
    if "activity_id" in args:
        args["activity_id"] = _as_int(args["activity_id"], "activity_id")
        activity = session.get(Activity, args["activity_id"])
        if activity is None or activity.school_id != school:
            raise _Refused(f"there is no activity {args['activity_id']}")
    return {**raw, "args": args}


def _student_of(rows: list[dict], store: DbStore, history: dict, args: dict):
    for r in rows:
        if r["type"] == history["data"]["row_type"] and r["id"] == history["data"]["row_id"]:
            return r["data"]["student_id"]
    parent = store.get(history["data"]["row_type"], history["data"]["row_id"])
    return parent["data"]["student_id"] if parent else args.get("student_id")


def _write(session: Session, store: DbStore, rows: list[dict], args: dict) -> None:
    now = datetime.now(UTC)
    for r in rows:
        student = _student_of(rows, store, r, args) if r["type"] == "history" else None
        upsert(session, r, student, now)
    session.flush()


def _client(session: Session, user: User, client_id: str, user_agent: str) -> SyncClient:
    client = session.get(SyncClient, client_id, with_for_update=True)
    if client is None:
        client = SyncClient(client_id=client_id, user_id=user.id, last_seq=0,
                            user_agent=user_agent[:300])
        session.add(client)
        session.flush()
    elif client.user_id != user.id:
        # one IndexedDB per signed-in user: a device id never moves between accounts
        raise AppError("This device id belongs to another account. Sign in again to get a "
                       "fresh one.", status=403)
    return client


def push(session: Session, user: User, client_id: str, mutations: list,
         user_agent: str = "") -> dict:
    """Apply a batch from one device; returns {"last_seq", "results", "server_hlc"}."""
    if len(mutations) > MAX_BATCH:
        raise AppError(f"Send at most {MAX_BATCH} changes at a time.", status=413)
    try:
        seqs = [parse_seq(m) for m in mutations]
    except SyncError as error:
        raise AppError(error.message, status=422) from error
    if len(set(seqs)) != len(seqs):
        raise AppError("Each change in a batch needs its own seq.", status=422)
    client = _client(session, user, client_id, user_agent)
    try:
        plan_seqs(client.last_seq, seqs)
    except SeqGap as gap:
        session.rollback()
        raise AppError(gap.message, status=409, code="seq_gap",
                       expected_seq=gap.expected_seq) from gap
    actor = actor_for(user)
    store = DbStore(session)
    now_ms = int(time.time() * 1000)
    results = []
    for seq, raw in sorted(zip(seqs, mutations, strict=True), key=lambda p: p[0]):
        if seq <= client.last_seq:
            prior = session.get(SyncMutation, (client_id, seq))
            results.append(prior.result if prior else {"seq": seq, "status": "duplicate"})
            continue
        result, hlc = _apply_one(session, store, user, actor, client, raw, now_ms)
        if hlc is not None and (client.last_hlc is None or hlc > HLC.parse(client.last_hlc)):
            client.last_hlc = str(hlc)
        session.add(SyncMutation(client_id=client_id, seq=seq, name=str(raw.get("name"))[:40],
                                 hlc=str(hlc or "")[:64], result=result))
        client.last_seq = seq
        results.append(result)
    client.last_push_at = datetime.now(UTC)
    session.commit()
    return {"last_seq": client.last_seq, "results": results, "server_hlc": str(_server_clock.last)}


def _apply_one(session, store, user, actor, client, raw, now_ms):
    seq = raw["seq"]
    try:
        checked = _check_references(session, user, raw)
    except _Refused as refused:
        return {"seq": seq, "status": "rejected", "reason": str(refused)}, None
    savepoint = session.begin_nested()
    try:
        result, rows, hlc = apply_mutation(store, checked, client.client_id, actor, now_ms,
                                           last_hlc=client.last_hlc)
        if result["status"] != "rejected":
            _write(session, store, rows, checked.get("args") or {})
        savepoint.commit()
    except IntegrityError:
        savepoint.rollback()
        return {"seq": seq, "status": "rejected",
                "reason": "that change refers to something that does not exist"}, None
    if hlc is not None and result["status"] != "rejected":
        _server_clock.receive(HLC.parse(str(hlc)))
    if result["status"] == "conflict":
        result["reason"] = _conflict_reason(session, user, result["conflict_id"])
    return result, hlc


def _conflict_reason(session: Session, user: User, conflict_id: str) -> str:
    """Say who else rated, by name, rather than by id."""
    conflict = CODECS["conflict"].model
    row = session.get(conflict, conflict_id)
    others = [int(m["teacher_id"]) for m in row.members if int(m["teacher_id"]) != user.id]
    names = session.scalars(select(User.display_name).where(User.id.in_(others))).all()
    who = " and ".join(names) or "Another teacher"
    return (f"{who} rated this learning target after the version you saw. Both ratings are "
            "kept; choose the level in your conflicts inbox.")


def server_hlc() -> str:
    return str(_server_clock.send())
