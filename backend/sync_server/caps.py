"""The count caps of sync/caps.py over the database, for one push batch.

Each learner's counts (active goals, open evidence, evidence added today) are read once per
batch, when a mutation that could raise them first names that learner, and then follow the
rows the batch decides, so a batch of 600 new goals is refused from the 501st on. Nothing
is ever deleted by a cap, and duplicates never reach it (they get their first answer).
"""

from datetime import UTC, datetime, time

from sqlalchemy import and_, bindparam, case, func, select
from sqlalchemy.orm import Session

from backend.models import Evidence, Goal
from backend.sync_server.codecs import evidence_status
from sync.caps import DEFAULT_CAPS, OPEN_EVIDENCE, CapExceeded, Caps, count_cap

CAPPED = ("goal.put", "evidence.put")


def _active(row: dict | None) -> bool:
    return bool(row) and not row["deleted"] and row["data"].get("status") == "active"


def _starred(row: dict | None) -> bool:
    return bool(row) and not row["deleted"] and row["data"].get("highlight") is True


def _open(row: dict | None) -> bool:
    return (bool(row) and not row["deleted"]
            and evidence_status(row["data"]) in OPEN_EVIDENCE)


def _tally(condition):
    """How many of the rows read match `condition` (SUM of 1/0: NULL when there are none)."""
    return func.sum(case((condition, 1), else_=0))


_LIVE = Evidence.is_deleted.is_(False)
# a learner's counts in one statement (one round trip per learner and batch), their
# evidence read in one pass (not once per count); built once
_COUNTS = select(
    select(func.count()).select_from(Goal).where(
        Goal.student_id == bindparam("student"), Goal.status == "active",
        Goal.is_deleted.is_(False)).scalar_subquery(),
    _tally(and_(Evidence.review_status.in_(OPEN_EVIDENCE), _LIVE)),
    _tally(Evidence.created_at >= bindparam("start")),
    _tally(and_(Evidence.is_highlight.is_(True), _LIVE)),
).where(Evidence.student_id == bindparam("student"))


class CapCounts:
    """Per-learner counts for one batch: what the database held when first asked, plus what
    the batch has decided since (its rows are written together at the end)."""

    def __init__(self, session: Session, caps: Caps = DEFAULT_CAPS):
        self.session = session
        self.caps = caps
        self.base: dict[int, dict[str, int]] = {}  # read once per learner, when needed
        self.delta: dict[int, dict[str, int]] = {}  # moved by every decided row

    def _counts(self, student_id: int) -> dict[str, int]:
        if student_id not in self.base:
            start = datetime.combine(datetime.now(UTC).date(), time.min, UTC)
            with self.session.no_autoflush:
                goals, open_evidence, today, stars = self.session.connection().execute(
                    _COUNTS, {"student": student_id, "start": start}).one()
            self.base[student_id] = {"active_goals": goals, "open_evidence": open_evidence,
                                     "evidence_today": today, "highlights": stars}
        delta = self.delta.get(student_id, {})
        return {k: (v or 0) + delta.get(k, 0) for k, v in self.base[student_id].items()}

    def check(self, store, name: str, args: dict) -> CapExceeded | None:
        """The cap this mutation (which the library would apply, with `args` as it validated
        and normalized them) would break, or None."""
        if name not in CAPPED:
            return None
        prior = store.get(name.split(".")[0], args["id"])
        student = prior["data"]["student_id"] if prior else args["student_id"]
        if not isinstance(student, int):
            return None
        return count_cap(name, args, prior, self._counts(student), self.caps)

    def decided(self, store, rows: list[dict]) -> list[tuple[int, dict]]:
        """Move the counts by the goal and evidence rows a mutation is about to stage;
        returns the moves, for `undo` if the database refuses the mutation after all."""
        moves = []
        for row in rows:
            if row["type"] not in ("goal", "evidence"):
                continue
            prior = store.get(row["type"], row["id"])
            delta = self.delta.setdefault(row["data"].get("student_id"), {})
            if row["type"] == "goal":
                moved = {"active_goals": _active(row) - _active(prior)}
            else:
                moved = {"open_evidence": _open(row) - _open(prior),
                         "evidence_today": int(prior is None),
                         "highlights": _starred(row) - _starred(prior)}
            for key, value in moved.items():
                delta[key] = delta.get(key, 0) + value
            moves.append((row["data"].get("student_id"), moved))
        return moves

    def undo(self, moves: list[tuple[int, dict]]) -> None:
        for student_id, moved in moves:
            delta = self.delta.setdefault(student_id, {})
            for key, value in moved.items():
                delta[key] = delta.get(key, 0) - value

    def written(self) -> None:
        """The decided rows are now in the database (careful mode writes each mutation at
        once): a learner not counted yet will read them there, so forget their deltas."""
        for student_id in list(self.delta):
            if student_id not in self.base:
                del self.delta[student_id]
