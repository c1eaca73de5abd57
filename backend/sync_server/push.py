"""The backend's adapter of the sync library: push over the database (pull is
backend/sync_server/pull.py, the Store the merges read through backend/sync_server/store.py).

The library decides (validation, authorization, merge rules); this module checks the
references a batch names, locks what it touches, writes every decided row in one flush (a
savepoint per mutation only if the database still refuses one), and keeps each device's
last seq and answers. One commit per batch, answered only after it.
"""

import re
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.errors import AppError
from backend.i18n import gettext
from backend.input_limits import is_storable_int
from backend.models import (
    SyncClient,
    SyncMutation,
    User,
)
from backend.models.blobs import started_uploads
from backend.services.versions import reserve_versions
from backend.sync_server.caps import CapCounts
from backend.sync_server.codecs import CODECS
from backend.sync_server.reasons import refused as refusal
from backend.sync_server.reasons import say, worded
from backend.sync_server.store import DbStore, executemany
from backend.sync_server.visibility import actor_for, referenced_rows
from sync import HLC, Actor, Clock, SeqGap, SyncError, apply_mutation, parse_seq, plan_seqs
from sync.caps import DEFAULT_CAPS, Caps
from sync.reasons import json_type, shown

MAX_BATCH = DEFAULT_CAPS.batch
ROWS_PER_MUTATION = 8


def now_ms() -> int:
    """The server's wall clock in ms; one seam so tests can replay vectors at fixed times."""
    return int(time.time() * 1000)


# looked up at call time, so replacing now_ms moves the server clock too
_server_clock = Clock("server", lambda: now_ms())


def _as_int(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, str | int):
        # the library's own refusal of a value that is no id at all (the vectors hold it)
        raise _Refused("field.not_id", field=what, type=json_type(value))
    if not str(value).isdigit():
        raise _Refused("ref.not_whole_id", field=what, value=shown(value))
    return int(value)


class _Refused(Exception):
    """A reference the database cannot accept: unknown learner, target or activity; a reason
    code of sync/reasons.py ("ref.*") and its params."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params


class References:
    """What a batch may refer to: the learners, targets and activities it names that exist in
    the caller's school (live targets only), looked up together in one query per push."""

    def __init__(self, session: Session, school_id: int, batch: list):
        named: dict[str, set[int]] = {"learner": set(), "target": set(), "activity": set()}
        cited: set[tuple[int, str]] = set()  # (learner, sha256) an evidence.put names
        for _seq, raw in batch:
            args = raw.get("args") if isinstance(raw, dict) else None
            if not isinstance(args, dict):
                continue
            if raw.get("name") == "evidence.put" and _cited_file(args) is not None:
                cited.add(_cited_file(args))
            values = [("learner", args.get("student_id")), ("target", args.get("target_id")),
                      ("activity", args.get("activity_id"))]
            if isinstance(args.get("target_ids"), list):
                values += [("target", t) for t in args["target_ids"]]
            for kind, value in values:
                if isinstance(value, str) and value.isdigit():
                    value = int(value)
                # an id beyond the INTEGER columns names nothing: check() refuses it by name
                if is_storable_int(value):
                    named[kind].add(value)
        found = referenced_rows(session, school_id, named)
        self.learners, self.targets, self.activities = (
            found["learner"], found["target"], found["activity"])
        # evidence may cite only a file its own learner has sent (or is sending):
        # backend/api/blobs/access.py serves it only once that learner's upload is whole
        self.sent_files = started_uploads(session, cited)

    def check(self, raw: dict) -> dict:
        """Normalise API ids to ints and refuse ids of things not in the caller's school."""
        if not isinstance(raw.get("args"), dict):
            return raw
        args = dict(raw["args"])
        if "student_id" in args:
            args["student_id"] = _as_int(args["student_id"], "student_id")
            if args["student_id"] not in self.learners:
                raise _Refused("ref.no_learner", student=str(args["student_id"]))
        file = _cited_file(args) if raw.get("name") == "evidence.put" else None
        if file is not None and file not in self.sent_files:
            raise _Refused("ref.file_not_sent")
        targets = []
        if args.get("target_id") is not None:
            args["target_id"] = _as_int(args["target_id"], "target_id")
            targets.append(args["target_id"])
        if isinstance(args.get("target_ids"), list):
            args["target_ids"] = [_as_int(t, "each of target_ids") for t in args["target_ids"]]
            targets.extend(args["target_ids"])
        for target_id in targets:
            if target_id not in self.targets:
                raise _Refused("ref.no_target", target_id=target_id)
        if "activity_id" in args:
            args["activity_id"] = _as_int(args["activity_id"], "activity_id")
            if args["activity_id"] not in self.activities:
                raise _Refused("ref.no_activity", activity_id=args["activity_id"])
        return {**raw, "args": args}


_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _cited_file(args: dict) -> tuple[int, str] | None:
    """(learner, sha256) of the file an evidence.put cites; None when it cites none (or one
    the library will refuse by its form anyway)."""
    sha, learner = args.get("blob_sha256"), args.get("student_id")
    if isinstance(learner, str) and learner.isdigit():
        learner = int(learner)
    if not isinstance(sha, str) or not _SHA256.match(sha) or not isinstance(learner, int) \
            or isinstance(learner, bool):
        return None
    return learner, sha


class _Device:
    """A device's sync_clients row, read and written with Core statements (no ORM object:
    a push reads three columns and writes four)."""

    __slots__ = ("client_id", "last_seq", "last_hlc")

    def __init__(self, client_id: str, last_seq: int, last_hlc: str | None):
        self.client_id, self.last_seq, self.last_hlc = client_id, last_seq, last_hlc


_CLIENTS = SyncClient.__table__
_READ_CLIENT = (select(_CLIENTS.c.user_id, _CLIENTS.c.last_seq, _CLIENTS.c.last_hlc)
                .where(_CLIENTS.c.client_id == bindparam("client_id"))
                .with_for_update(key_share=True))
_SAVE_CLIENT = (update(_CLIENTS).where(_CLIENTS.c.client_id == bindparam("id"))
                .values(last_seq=bindparam("last_seq"), last_hlc=bindparam("last_hlc"),
                        last_push_at=bindparam("at")))
_ANSWERS = insert(SyncMutation.__table__)


def _client(session: Session, user: User, client_id: str, user_agent: str) -> _Device:
    connection = session.connection()
    found = connection.execute(_READ_CLIENT, {"client_id": client_id}).first()
    if found is None:
        connection.execute(insert(_CLIENTS), {
            "client_id": client_id, "user_id": user.id, "last_seq": 0,
            "user_agent": user_agent[:300]})
        return _Device(client_id, 0, None)
    if found.user_id != user.id:
        # one IndexedDB per signed-in user: a device id never moves between accounts
        raise AppError(gettext("This device id belongs to another account. Sign in again to "
                               "get a fresh one."), status=403)
    return _Device(client_id, found.last_seq, found.last_hlc)


def push(session: Session, user: User, client_id: str, mutations: list,
         user_agent: str = "", caps: Caps = DEFAULT_CAPS) -> dict:
    """Apply a batch from one device; returns {"last_seq", "results", "server_hlc"}.

    Fast path: decide every mutation, then write all their rows in one flush. If the
    database still refuses something (a constraint the reference checks did not foresee),
    the batch is redone carefully, one savepoint per mutation, so only the offending
    mutation is rejected. Either way the answer is sent only after the commit.

    `caps` (sync/caps.py) bound the batch and what one learner may have; a mutation over a
    count cap is rejected with its reason code, and the rest of the batch still applies.
    """
    if len(mutations) > caps.batch:
        raise AppError(say("cap.batch", {"limit": caps.batch}), status=413, code="cap.batch")
    try:
        seqs = [parse_seq(m) for m in mutations]
    except SyncError as error:
        raise AppError(say(error.code, error.params), status=422) from error
    if len(set(seqs)) != len(seqs):
        raise AppError(gettext("Each change in a batch needs its own seq."), status=422)
    batch = sorted(zip(seqs, mutations, strict=True), key=lambda pair: pair[0])
    with one_writer(session):
        try:
            answer = _apply_batch(session, user, client_id, batch, user_agent, caps,
                                  careful=False)
        except IntegrityError:
            session.rollback()
            answer = _apply_batch(session, user, client_id, batch, user_agent, caps,
                                  careful=True)
    return answer


# SQLite has one writer. This process's pushes, and the pull's own small write (the
# device's bookkeeping and the access log, in one transaction: clients.py), wait for it
# here, in turn, rather than in SQLite's busy handler, which sleeps up to 100 ms between
# tries: a writer that just missed the lock slept on while later ones took it, which made
# the push p95's tail (docs/benchmarks.md, "one writer at a time"). Bounded: after
# WRITER_WAIT_S a writer goes on without it, to SQLite's own busy wait, so nothing waits for
# ever on a lock that a writer elsewhere never takes. PostgreSQL has row locks and needs
# none of this.
_SQLITE_WRITER = threading.Lock()
WRITER_WAIT_S = 20.0


@contextmanager
def one_writer(session: Session):
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    held = _SQLITE_WRITER.acquire(timeout=WRITER_WAIT_S)
    try:
        yield
    finally:
        if held:
            _SQLITE_WRITER.release()


def _apply_batch(session: Session, user: User, client_id: str, batch: list, user_agent: str,
                 caps: Caps, careful: bool) -> dict:
    is_sqlite = session.get_bind().dialect.name == "sqlite"
    if is_sqlite:
        # SQLite has one writer: take its lock before reading anything, so every read below
        # sees every commit (a stale read would let a merge overwrite a newer write)
        reserve_versions(session, ROWS_PER_MUTATION * len(batch))
    client = _client(session, user, client_id, user_agent)
    try:
        plan_seqs(client.last_seq, [seq for seq, _ in batch])
    except SeqGap as gap:
        session.rollback()
        raise AppError(say(gap.code, gap.params), status=409, code="seq_gap",
                       expected_seq=gap.expected_seq) from gap
    if not is_sqlite:
        # PostgreSQL: pushes about the same learner queue on that learner's row; others run
        # side by side and meet only at the version counter, taken just before writing
        _lock_learners(session, batch)
    actor = actor_for(user)
    store = DbStore(session)
    store.prefetch(batch)
    references = References(session, user.school_id, batch)
    counts = CapCounts(session, caps)
    now = now_ms()
    results, stamps, answers = [], [], []
    last_seq, last_hlc = client.last_seq, client.last_hlc
    latest = HLC.parse(last_hlc) if last_hlc is not None else None
    for seq, raw in batch:
        if seq <= last_seq:
            prior = session.get(SyncMutation, (client_id, seq))
            results.append(prior.result if prior else {"seq": seq, "status": "duplicate"})
            continue
        result, hlc, moves = _decide(store, references, counts, actor, client_id, last_hlc,
                                     raw, now)
        if careful and store.pending:
            result = _write_alone(session, store, result)
            if result["status"] == "rejected":
                counts.undo(moves)
            counts.written()
        if hlc is not None and result["status"] != "rejected":
            stamps.append(hlc)
            if latest is None or hlc > latest:
                latest, last_hlc = hlc, str(hlc)
        result = worded(session, user, result)  # people named, in the requester's language
        answers.append({"client_id": client_id, "seq": seq, "name": str(raw.get("name"))[:40],
                        "hlc": str(hlc or "")[:64], "result": result})
        last_seq = seq
        results.append(result)
    connection = session.connection()
    connection.execute(_SAVE_CLIENT, {"id": client_id, "last_seq": last_seq,
                                      "last_hlc": last_hlc, "at": datetime.now(UTC)})
    if answers:
        # this batch's answers, one executemany: no version needed
        executemany(connection, _ANSWERS, ("answers",), answers)
    if is_sqlite:
        store.write()
    else:
        # PostgreSQL: the counter's row lock is held from here to the commit and every
        # push waits for it, so write what has no version first and keep the rest short
        rows = len(store.pending)
        session.flush()
        store.prepare()
        if rows:
            reserve_versions(session, rows)
        store.execute()
    session.commit()
    if stamps:  # the server clock moves only for what was committed: past the latest of it
        _server_clock.receive(max(stamps))
    # last_seq from here: the committed client row is expired, reading it would re-select it
    return {"last_seq": last_seq, "results": results, "server_hlc": str(_server_clock.last)}


_DELETES = {"goal.delete": "goal", "pick.delete": "pick", "evidence.delete": "evidence",
            "evidence.review": "evidence", "conflict.resolve": "conflict",
            "profile.observation.respond": "profile_observation"}


def _lock_learners(session: Session, batch: list) -> None:
    """Lock the rows of every learner the batch touches, in id order (no deadlocks).

    Every write about a learner takes that learner's lock first, so a merge always reads
    the latest committed rows of its learner.
    """
    learners: set[int] = set()
    named: dict[str, set[str]] = {}
    for _seq, raw in batch:
        name, args = raw.get("name"), raw.get("args")
        if not isinstance(args, dict):
            continue
        student = args.get("student_id")
        if isinstance(student, str) and student.isdigit():
            student = int(student)
        if is_storable_int(student):  # an id beyond INTEGER names no one (and PG refuses it)
            learners.add(student)
        if name in _DELETES:
            key = {"evidence.review": "evidence_id", "conflict.resolve": "conflict_id"}.get(
                name, "id")
            if isinstance(args.get(key), str):
                named.setdefault(_DELETES[name], set()).add(args[key].lower())
    for row_type, row_ids in named.items():
        model = CODECS[row_type].model
        learners |= set(session.scalars(select(model.student_id).where(model.id.in_(row_ids))))
    if learners:
        # FOR NO KEY UPDATE, not FOR UPDATE: inserting any row that references a user (a
        # device's first sync_clients row, a goal, a review's teacher) takes FOR KEY SHARE
        # on that user, which FOR UPDATE would conflict with. Two devices of one learner
        # then each held KEY SHARE and waited to upgrade: a deadlock under load. NO KEY
        # UPDATE still queues pushes about the same learner behind each other.
        session.execute(select(User.id).where(User.id.in_(sorted(learners)))
                        .order_by(User.id).with_for_update(key_share=True))


def _decide(store: DbStore, references: References, counts: CapCounts, actor: Actor,
            client_id: str, last_hlc: str | None, raw: dict, now: int
            ) -> tuple[dict, HLC | None, list]:
    """Run one mutation through the references, the library and the count caps; stage its
    rows unless it was rejected. Returns (result, stamp used, the caps' moves)."""
    seq = raw["seq"]
    try:
        checked = references.check(raw)
    except _Refused as refused:
        return refusal(seq, refused.code, **refused.params), None, []
    result, rows, hlc, args = apply_mutation(store, checked, client_id, actor, now,
                                             last_hlc=last_hlc)
    moves = []
    if result["status"] != "rejected":
        # after the library's checks (who may write it), before anything is staged
        capped = counts.check(store, checked["name"], args)
        if capped is not None:
            return capped.result(seq), None, []
        moves = counts.decided(store, rows)
        store.stage(rows, checked.get("args") or {})
    return result, hlc, moves


def _write_alone(session: Session, store: DbStore, result: dict) -> dict:
    """Careful mode: write one mutation's rows in a savepoint of its own."""
    savepoint = session.begin_nested()
    try:
        store.write()
        savepoint.commit()
        return result
    except IntegrityError:
        savepoint.rollback()
        store.pending.clear()
        store.loaded.clear()  # objects touched in the savepoint were expired
        return refusal(result["seq"], "ref.missing")



def server_hlc() -> str:
    return str(_server_clock.send())
