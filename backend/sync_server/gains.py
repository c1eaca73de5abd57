"""What worked for others, kept per school between pulls.

A learner's suggestions weigh each activity by how many other learners who finished it
scored higher afterwards (`services/gains.py`, the one home of that rule). Worked out
from the rows on every pull, that was about a sixth of a learner's pull after their own
push (cProfile, the load test's database): every done pick of the aligned activities and
every teacher score of the learners who did them.

`SchoolGains` keeps each learner's share of those counts for one school and their sum, and
brings them up to date from the rows written since the last version it read: the learners
whose done picks (of the school's activities) or teacher scores changed are worked out
again, the rest are kept. It reads on a connection of its own, so it only ever holds
committed rows, and a version it has read is never handed out again. A learner's count of
others is the sum less their own share.

What moves without a version starts it again: an activity's alignment changed
(activity_targets carries no version) or a learner's record was deleted (their picks and
events are removed, not versioned).
"""

from collections import defaultdict
from threading import Lock

from flask import current_app, has_app_context
from sqlalchemy import bindparam, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from backend.models import Activity, ActivityTarget, AssessmentEvent, Pick
from backend.models.privacy import PurgedLearner
from backend.models.sync import VersionCounter
from backend.services.gains import tally, teacher_scores

SCHOOL, SEEN = bindparam("school"), bindparam("seen")
# what a refresh reads first, in one statement: the version counter, what starts the counts
# again (an alignment changed, a record deleted), and who finished, or stopped finishing, an
# activity of the school or got a teacher's score since the version last read
_SINCE = union_all(
    select(literal("version"), VersionCounter.value, literal(0)).where(VersionCounter.id == 1),
    select(literal("activity_target"), func.coalesce(func.max(ActivityTarget.id), 0),
           func.count(ActivityTarget.id)).join(
        Activity, Activity.id == ActivityTarget.activity_id).where(
        Activity.school_id == SCHOOL),
    select(literal("purged"), func.coalesce(func.max(PurgedLearner.learner_id), 0),
           func.count(PurgedLearner.learner_id)),
    select(literal("pick"), Pick.student_id, case((Pick.status == "done", 1), else_=0))
    .join(Activity, Activity.id == Pick.activity_id)
    .where(Pick.version > SEEN, Activity.school_id == SCHOOL),
    select(literal("scored"), AssessmentEvent.student_id, literal(0)).where(
        AssessmentEvent.version > SEEN, AssessmentEvent.source == "teacher"),
)


class SchoolGains:
    """One school's [gains, tries] per (target, activity), by learner and summed."""

    def __init__(self, school_id: int):
        self.school_id = school_id
        self.shape: tuple | None = None
        self.seen = 0
        self.targets_of: dict[int, set[int]] = {}
        self.by_learner: dict[int, dict[tuple[int, int], tuple[int, int]]] = {}
        self.total: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
        self.lock = Lock()

    def others(self, learner_id: int, pairs) -> dict[tuple[int, int], list]:
        """[gains, tries] of every learner but `learner_id`, for each (target, activity)."""
        own = self.by_learner.get(learner_id, {})
        out = {}
        for pair in pairs:
            count = self.total.get(pair)
            if count is None:
                continue
            mine = own.get(pair, (0, 0))
            if count[1] - mine[1]:
                out[pair] = [count[0] - mine[0], count[1] - mine[1]]
        return out

    def refresh(self, connection) -> int:
        """Bring the counts up to what is committed; the version they stand at."""
        version, shape, changed = 0, [], set()
        for name, value, extra in connection.execute(
                _SINCE, {"school": self.school_id, "seen": self.seen}):
            if name == "version":
                version = int(value or 0)
            elif name in ("activity_target", "purged"):
                shape.append((name, value, extra))
            elif extra or value in self.by_learner:  # a finished pick, or one of theirs
                changed.add(value)
        if tuple(sorted(shape)) != self.shape:
            self._restart(connection, tuple(sorted(shape)))
        else:
            self._work_out(connection, changed)
        self.seen = max(self.seen, version)
        return self.seen

    def _restart(self, connection, shape: tuple) -> None:
        self.shape, self.by_learner = shape, {}
        self.total = defaultdict(lambda: [0, 0])
        self.targets_of = defaultdict(set)
        for activity_id, target_id in connection.execute(
                select(ActivityTarget.activity_id, ActivityTarget.target_id).join(
                    Activity, Activity.id == ActivityTarget.activity_id).where(
                    Activity.school_id == self.school_id)):
            self.targets_of[activity_id].add(target_id)
        self._work_out(connection, set(connection.scalars(
            select(Pick.student_id).join(Activity, Activity.id == Pick.activity_id)
            .where(Activity.school_id == self.school_id).distinct())))

    def _work_out(self, connection, learners: set[int]) -> None:
        if not learners:
            return
        picks: dict[int, list] = defaultdict(list)
        for row in connection.execute(
                select(Pick.student_id, Pick.activity_id, Pick.updated_at)
                .join(Activity, Activity.id == Pick.activity_id)
                .where(Pick.student_id.in_(learners), Pick.status == "done",
                       Pick.is_deleted.is_(False), Activity.school_id == self.school_id)):
            picks[row[0]].append(row)
        scores = teacher_scores(sorted(picks), session=connection) if picks else {}
        for learner_id in learners:
            for pair, (gains, tries) in self.by_learner.pop(learner_id, {}).items():
                self.total[pair][0] -= gains
                self.total[pair][1] -= tries
            share = {pair: (g, n) for pair, (g, n) in tally(
                picks.get(learner_id, []), scores, self.targets_of).items() if n}
            if learner_id in picks:  # kept while they have a done pick, counted or not
                self.by_learner[learner_id] = share
            for pair, (gains, tries) in share.items():
                self.total[pair][0] += gains
                self.total[pair][1] += tries


_PROCESS: dict[int, SchoolGains] = {}


def _held() -> dict[int, SchoolGains]:
    if not has_app_context():
        return _PROCESS
    return current_app.extensions.setdefault("school_gains", {})


def gains_for(session: Session, school_id: int, learner_id: int, pairs,
              seen_by_request: int) -> dict | None:
    """Others' [gains, tries] for `pairs` from the school's kept counts, brought up to date;
    None when they cannot stand for what the request sees (it holds writes of its own not
    yet committed, or the database lives in one connection): work them out from the rows.
    """
    engine = session.get_bind().engine  # an Engine, or the one a Connection came from
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    index = _held().setdefault(school_id, SchoolGains(school_id))
    with index.lock:
        with engine.connect() as own:
            seen = index.refresh(own)
        if seen_by_request > seen:
            return None
        return index.others(learner_id, pairs)
