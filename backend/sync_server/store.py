"""The sync library's Store over the database, for one push batch.

Merges read through it; the rows a batch decides wait in `pending` and are written
together (backend/sync_server/push.py), so a batch costs one flush instead of one per mutation.
"""

import copy
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Rating
from backend.sync_server.codecs import CODECS, to_row, upsert
from sync.merge import self_assessment_id

PENDING_VERSION = 2**62  # rows of the batch being applied: newer than any version seen


class DbStore:
    """The library's Store over the database, plus the rows this batch has decided so far.

    Merges read through it; decided rows wait in `pending` and are written together, so a
    batch costs one flush instead of one per mutation.
    """

    def __init__(self, session: Session):
        self.session = session
        self.pending: dict[tuple[str, str], dict] = {}
        self.loaded: dict[tuple[str, str], object | None] = {}  # None: known not to exist

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
                model = CODECS[row_type].model
                found = {o.id: o for o in self.session.scalars(
                    select(model).where(model.id.in_(row_ids)))}
                for row_id in row_ids:
                    self.loaded[(row_type, row_id)] = found.get(row_id)

    def _object(self, row_type: str, row_id: str):
        key = (row_type, row_id)
        if key not in self.loaded:
            with self.session.no_autoflush:
                self.loaded[key] = self.session.get(CODECS[row_type].model, row_id)
        return self.loaded[key]

    def get(self, row_type: str, row_id: str) -> dict | None:
        key = (row_type, str(row_id))
        if key in self.pending:
            return copy.deepcopy(self.pending[key])
        if row_type not in CODECS:
            return None
        obj = self._object(row_type, str(row_id))
        return to_row(row_type, obj) if obj is not None else None

    def ratings(self, student_id, target_id) -> list[dict]:
        with self.session.no_autoflush:
            stored = self.session.scalars(select(Rating).where(
                Rating.student_id == int(student_id), Rating.target_id == int(target_id)))
            rows = {r.id: to_row("rating", r) for r in stored}
        for (row_type, row_id), row in self.pending.items():
            data = row["data"]
            if (row_type == "rating" and str(data["student_id"]) == str(student_id)
                    and str(data["target_id"]) == str(target_id)):
                rows[row_id] = copy.deepcopy(row)
        return list(rows.values())

    def stage(self, rows: list[dict], args: dict) -> None:
        """Keep a mutation's decided rows; history rows learn which learner they belong to."""
        for row in rows:
            staged = {**row, "version": PENDING_VERSION}
            if row["type"] == "history":
                staged["student_id"] = _student_of(rows, self, row, args)
            self.pending[(row["type"], str(row["id"]))] = staged

    def write(self) -> None:
        """Write every pending row (the version hook stamps them at flush)."""
        self.prepare()
        self.session.flush()

    def prepare(self) -> None:
        """Turn pending rows into new or updated objects in the session, unflushed.

        Everything but the flush happens here, so on PostgreSQL it runs before the batch
        takes the version counter (whose lock is held until commit).
        """
        now = datetime.now(UTC)
        unknown: dict[str, set[str]] = {}
        for row_type, row_id in self.pending:
            if row_type != "event" and (row_type, row_id) not in self.loaded:
                unknown.setdefault(row_type, set()).add(row_id)
        self._load(unknown)  # e.g. history rows: one query per type, not one per row
        with self.session.no_autoflush:
            for key, row in self.pending.items():
                # events are append-only with ids from a never-seen (client, seq)
                existing = None if row["type"] == "event" else self._object(*key)
                self.loaded[key] = upsert(self.session, row, row.get("student_id"), now,
                                          existing)
        self.pending.clear()


def _student_of(rows: list[dict], store: DbStore, history: dict, args: dict):
    for r in rows:
        if r["type"] == history["data"]["row_type"] and r["id"] == history["data"]["row_id"]:
            return r["data"]["student_id"]
    parent = store.get(history["data"]["row_type"], history["data"]["row_id"])
    return parent["data"]["student_id"] if parent else args.get("student_id")
