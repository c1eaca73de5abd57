"""The sync library's Store over the database, for one push batch.

Merges read through it; the rows a batch decides wait in `pending` and are written
together (backend/sync_server/push.py), in one batched statement per table and kind of
write, so a batch costs a handful of statements instead of one per row.
"""

from datetime import UTC, datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from backend.models import Rating
from backend.models._base import Timestamped
from backend.services.versions import take_versions
from backend.sync_server.codecs import CODECS, column_values, to_row
from sync.merge import self_assessment_id

PENDING_VERSION = 2**62  # rows of the batch being applied: newer than any version seen


class DbStore:
    """The library's Store over the database, plus the rows this batch has decided so far.

    Rows are plain library rows, read once (`loaded`, with None for "known not to exist")
    and handed to the merges as they are: the merge rules never change a row they are
    given (they copy before merging), so nothing is copied here.
    """

    def __init__(self, session: Session):
        self.session = session
        self.pending: dict[tuple[str, str], dict] = {}
        self.loaded: dict[tuple[str, str], dict | None] = {}  # None: known not to exist
        self.prepared: list[tuple[tuple[str, str], dict, bool, dict]] = []

    def prefetch(self, batch: list) -> None:
        """Load in one query per type the device-created rows a batch names."""
        wanted: dict[str, set[str]] = {}
        for _seq, raw in batch:
            name, args = raw.get("name"), raw.get("args")
            if isinstance(name, str) and isinstance(args, dict):
                row_type = name.split(".")[0]
                row_id = args.get("evidence_id") if name == "evidence.review" else args.get("id")
                if row_type in ("goal", "pick", "evidence") and isinstance(row_id, str):
                    wanted.setdefault(row_type, set()).add(row_id.lower())
                elif name == "self_assessment.put":
                    try:
                        row_id = self_assessment_id(args["student_id"], args["target_id"])
                    except (KeyError, TypeError, ValueError):
                        continue  # the library rejects it with its own words
                    wanted.setdefault("self_assessment", set()).add(row_id)
        self._load(wanted)

    def _load(self, wanted: dict[str, set[str]]) -> None:
        """Load rows by id, one query per type; remember the ids that do not exist."""
        with self.session.no_autoflush:
            for row_type, row_ids in wanted.items():
                if not row_ids:
                    continue
                found = {r.id: to_row(row_type, r) for r in self.session.connection().execute(
                    _by_ids(row_type), {"ids": list(row_ids)})}
                for row_id in row_ids:
                    self.loaded[(row_type, row_id)] = found.get(row_id)

    def get(self, row_type: str, row_id: str) -> dict | None:
        key = (row_type, str(row_id))
        row = self.pending.get(key)
        if row is not None:
            return row
        if key not in self.loaded:
            if row_type not in CODECS:
                return None
            self._load({row_type: {key[1]}})
        return self.loaded[key]

    def ratings(self, student_id, target_id) -> list[dict]:
        stored = self.session.connection().execute(
            _RATINGS, {"student": int(student_id), "target": int(target_id)})
        rows = {r.id: to_row("rating", r) for r in stored}
        for (row_type, row_id), row in self.pending.items():
            data = row["data"]
            if (row_type == "rating" and str(data["student_id"]) == str(student_id)
                    and str(data["target_id"]) == str(target_id)):
                rows[row_id] = row
        return list(rows.values())

    def stage(self, rows: list[dict], args: dict) -> None:
        """Keep a mutation's decided rows; history rows learn which learner they belong to."""
        for row in rows:
            staged = {**row, "version": PENDING_VERSION}
            if row["type"] == "history":
                staged["student_id"] = _student_of(rows, self, row, args)
            self.pending[(row["type"], str(row["id"]))] = staged

    def write(self) -> None:
        """Write every pending row, each stamped with a fresh version."""
        self.prepare()
        self.execute()

    def prepare(self) -> None:
        """Turn the pending rows into column values, unwritten and not yet versioned.

        Everything but the writing happens here, so on PostgreSQL it runs before the batch
        takes the version counter (whose lock is held until commit).
        """
        unknown: dict[str, set[str]] = {}
        for row_type, row_id in self.pending:
            if row_type not in _UNREAD and (row_type, row_id) not in self.loaded:
                unknown.setdefault(row_type, set()).add(row_id)
        self._load(unknown)  # e.g. ratings: one query per type, not one per row
        now = datetime.now(UTC)
        for key, row in self.pending.items():
            values = column_values(row, row.get("student_id"))
            if issubclass(CODECS[key[0]].model, Timestamped):
                values["updated_at"] = now
            if key[0] == "conflict" and row["data"].get("status") == "resolved":
                values["resolved_at"] = now  # kept if it was resolved before
            stored = _UNREAD[key[0]] if key[0] in _UNREAD else self.loaded.get(key) is not None
            self.prepared.append((key, row, stored, values))
        self.pending.clear()

    def execute(self) -> None:
        """Write the prepared rows: one executemany per (table, new or stored, columns).

        New rows are plain INSERTs: a row someone else created since this batch looked
        (another learner's device choosing the same id) raises IntegrityError, and the push
        redoes the batch one savepoint per mutation. Stored rows are
        INSERT … ON CONFLICT (id) DO UPDATE of the columns they write.
        """
        prepared, self.prepared = self.prepared, []
        if not prepared:
            return
        first = take_versions(self.session, len(prepared))
        groups: dict[tuple, list[dict]] = {}
        for offset, (key, _row, stored, values) in enumerate(prepared):
            values["version"] = first + offset
            groups.setdefault((key[0], stored, tuple(values)), []).append(values)
        # straight on the transaction's connection: Core statements need no ORM session step
        connection = self.session.connection()
        dialect = connection.dialect.name
        for (row_type, stored, columns), params in groups.items():
            executemany(connection, _statement(dialect, row_type, stored, columns),
                        (row_type, stored, columns), params)
        for offset, (key, row, _stored, _values) in enumerate(prepared):
            written = {k: row[k] for k in ("type", "id", "deleted", "data")}
            written["version"] = first + offset
            self.loaded[key] = written


# Rows written without first reading whether they exist: events are append-only with ids
# from a never-seen (client, seq) (a plain INSERT); a history row's id is derived from the
# losing write itself (row, field, its stamp), so it is always upserted (inserted, or
# updated with the winner it lost to this time) and never read by a merge.
_UNREAD = {"event": False, "history": True}

_STATEMENTS: dict[tuple, object] = {}
_RATINGS = select(Rating.__table__).where(
    Rating.__table__.c.student_id == bindparam("student"),
    Rating.__table__.c.target_id == bindparam("target"))
_BY_IDS: dict[str, object] = {}


def _by_ids(row_type: str):
    """SELECT the rows of a type whose ids are in :ids (one expanding parameter), built once."""
    if row_type not in _BY_IDS:
        table = CODECS[row_type].model.__table__
        _BY_IDS[row_type] = select(table).where(
            table.c.id.in_(bindparam("ids", expanding=True)))
    return _BY_IDS[row_type]
_PLANS: dict[tuple, tuple | None] = {}


def executemany(connection, stmt, key: tuple, params: list[dict]) -> None:
    """`connection.execute(stmt, params)` for an INSERT whose parameter sets all have the
    same keys, without SQLAlchemy's per-row parameter step on SQLite.

    The statement is compiled once per (dialect, key, columns); each row then becomes a
    plain tuple through the same bind processors SQLAlchemy would apply (JSON, booleans,
    datetimes) and the same Python-side column defaults (each callable called per row, as
    SQLAlchemy does), and the driver runs one executemany. Any other dialect, or a
    statement with a default this cannot reproduce, takes SQLAlchemy's own path.
    """
    dialect = connection.dialect
    if dialect.paramstyle != "qmark" or not params:
        connection.execute(stmt, params)
        return
    columns = tuple(params[0])
    plan_key = (dialect.name, key, columns)
    if plan_key not in _PLANS:
        _PLANS[plan_key] = _plan(stmt, dialect, columns)
    plan = _PLANS[plan_key]
    if plan is None:
        connection.execute(stmt, params)
        return
    sql, as_tuple = plan
    connection.exec_driver_sql(sql, [as_tuple(p) for p in params])


def _plan(stmt, dialect, columns: tuple):
    """(SQL text, a function from a parameter dict to the positional tuple), or None to
    fall back to SQLAlchemy."""
    compiled = stmt.compile(dialect=dialect, column_keys=list(columns))
    if compiled.update_prefetch or compiled.positiontup is None:
        return None
    processors = compiled._bind_processors
    prefetch = {c.key: c for c in compiled.insert_prefetch}
    scope: dict[str, object] = {}
    parts = []
    for index, name in enumerate(compiled.positiontup):
        process = processors.get(name)
        if process is not None:
            scope[f"f{index}"] = process
        if name in columns:
            value = f"p[{name!r}]"
        elif name in prefetch:
            default = prefetch[name].default
            if default.is_scalar:
                scope[f"c{index}"] = process(default.arg) if process else default.arg
                parts.append(f"c{index}")
                continue
            if not (default.is_callable and hasattr(default.arg, "__wrapped__")):
                return None
            scope[f"m{index}"] = default.arg.__wrapped__  # a default taking no arguments
            value = f"m{index}()"  # called per row, as SQLAlchemy does
        else:
            return None
        parts.append(f"f{index}({value})" if process is not None else value)
    # one generated function per statement: a tuple display, no per-field calls
    as_tuple = eval(f"lambda p: ({', '.join(parts)},)", scope)  # noqa: S307 (built above)
    return compiled.string, as_tuple


def _statement(dialect: str, row_type: str, stored: bool, columns: tuple):
    """INSERT (new rows) or INSERT … ON CONFLICT (id) DO UPDATE (stored rows), built once."""
    key = (dialect, row_type, stored, columns)
    if key not in _STATEMENTS:
        table = CODECS[row_type].model.__table__
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(table)
        if stored:
            excluded = stmt.excluded
            changed = {c: excluded[c] for c in columns if c != "id"}
            if "resolved_at" in changed:
                changed["resolved_at"] = func.coalesce(table.c.resolved_at, excluded.resolved_at)
            stmt = stmt.on_conflict_do_update(index_elements=["id"], set_=changed)
        _STATEMENTS[key] = stmt
    return _STATEMENTS[key]


def _student_of(rows: list[dict], store: DbStore, history: dict, args: dict):
    for r in rows:
        if r["type"] == history["data"]["row_type"] and r["id"] == history["data"]["row_id"]:
            return r["data"]["student_id"]
    parent = store.get(history["data"]["row_type"], history["data"]["row_id"])
    return parent["data"]["student_id"] if parent else args.get("student_id")
