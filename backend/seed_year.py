"""A school year to test against: `flask seed-year --size full|ci|demo --seed N`.

One school over 180 school days, deterministic from the seed. The roster and curriculum are
created the way the demo seed creates them; everything a learner or a teacher writes goes
through the backend adapter's push (backend/sync_server/push.py), month by month, as their
devices would send it: learners' devices first, then their teachers' (reviews, ratings,
conflicts, answers to "ready to demonstrate"). Photos are real small JPEGs uploaded as the
blob path stores them (backend/seed_year_blobs.py).

The server keeps `created_at` as the moment a push arrived; a generator pushes a year in
minutes, so afterwards each row's timestamps are set to the school day its stamp says, as
they would be had each device pushed on that day (screens sort and date by them).
"""

import hashlib
import time as clock
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, update

from backend.extensions import db
from backend.models import (
    AssessmentEvent,
    Conflict,
    Evidence,
    EvidenceReview,
    Goal,
    Pick,
    Rating,
    User,
)
from backend.seed_year_blobs import photo_bytes, upload_photo
from backend.seed_year_plan import Action, Counts, LearnerPlan, school_days
from backend.seed_year_roster import YEAR_PASSWORD, Roster, create_roster
from backend.sync_server.push import push
from sync.caps import DEFAULT_CAPS, Caps

__all__ = ["SIZES", "YEAR_PASSWORD", "seed_year", "year_digest"]

# A generator writes a year of one learner's evidence in minutes; the per-day cap counts
# by the server's day, so it would refuse the year's 2,000-evidence learner. The other caps
# hold: the plans stay under them, as a real year does.
GENERATOR_CAPS = Caps(**{**DEFAULT_CAPS.__dict__, "evidence_per_day": 10**9})
BREAK_WEEKS = ((13,), (17, 18), (29,))  # autumn, winter and spring breaks, weeks from the start


def breaks(start: date) -> tuple:
    """The year's holidays as (first, last) dates: whole weeks counted from its start."""
    return tuple((start + timedelta(weeks=weeks[0]), start + timedelta(weeks=weeks[-1], days=4))
                 for weeks in BREAK_WEEKS)


def default_start(today: date | None = None) -> date:
    """The Monday that starts a 180-day year ending in the week before `today`.

    A year that ended recently: the sync library clamps stamps older than 400 days
    (sync/clock.py MAX_BEHIND_MS), and "recent" on the screens means near today. It moves
    a week at a time, so a cached year stays valid for that week.
    """
    today = today or date.today()
    start = today - timedelta(days=280 + today.weekday())
    while year_days(start)[-1] >= today:
        start -= timedelta(weeks=1)
    while year_days(start + timedelta(weeks=1))[-1] < today:
        start += timedelta(weeks=1)
    return start


@dataclass(frozen=True)
class Size:
    learners: int
    teachers: int
    groups: int  # each group of learners has a math & science class and a humanities class
    heavy_goals: int  # the `year-goals` learner
    heavy_evidence: int  # the `year-evidence` learner
    days: int = 180


SIZES = {
    "full": Size(learners=600, teachers=30, groups=22, heavy_goals=5000, heavy_evidence=2000),
    "ci": Size(learners=56, teachers=3, groups=2, heavy_goals=1000, heavy_evidence=400),
    "demo": Size(learners=28, teachers=2, groups=1, heavy_goals=300, heavy_evidence=100),
}


class _Devices:
    """Each person's device: a client id, its next seq and its last stamp."""

    def __init__(self):
        self.seq: dict[str, int] = defaultdict(int)
        self.wall: dict[str, int] = {}

    def mutation(self, client_id: str, action: Action) -> dict:
        wall = max(action.wall, self.wall.get(client_id, 0) + 1)  # distinct, in seq order
        self.wall[client_id] = wall
        self.seq[client_id] += 1
        return {"seq": self.seq[client_id], "name": action.name, "args": action.args,
                "hlc": f"{wall:013d}-0000-{client_id}"}


def seed_year(seed: int = 1, size: "str | Size" = "ci", progress=print,
              start: date | None = None) -> dict:
    """Create the year school and push its year (`size`: a name in SIZES, or a Size).
    Does nothing if the year school already exists."""
    if db.session.scalar(select(User.id).where(User.username == "year-admin")) is not None:
        return {"created": False}
    spec = SIZES[size] if isinstance(size, str) else size
    began = clock.monotonic()
    days = year_days(start or default_start(), spec.days)
    roster = create_roster(seed, spec, days[0], days[-1])
    progress(f"Roster: {spec.learners} learners, {spec.teachers} teachers, "
             f"{len(roster.classes)} classes ({clock.monotonic() - began:.1f} s)")
    totals: dict[str, int] = defaultdict(int)
    for g, group in enumerate(roster.groups):
        _seed_group(seed, spec, roster, group, g, days, totals)
        progress(f"Group {g + 1}/{len(roster.groups)}: {len(group.learners)} learners, "
                 f"{totals['mutations']} changes pushed so far "
                 f"({clock.monotonic() - began:.1f} s)")
    db.session.commit()
    elapsed = clock.monotonic() - began
    progress(f"Done in {elapsed:.1f} s: {dict(totals)}")
    return {"created": True, "seconds": round(elapsed, 1), "first_day": days[0].isoformat(),
            "last_day": days[-1].isoformat(), **totals}


def _seed_group(seed, spec, roster: Roster, group, g: int, days: list[date], totals) -> None:
    devices = _Devices()
    plans: list[tuple[User, LearnerPlan]] = []
    for learner in group.learners:
        plan = LearnerPlan(seed, learner.username, learner.id, days, roster.targets,
                           group.teachers_by_area, Counts())
        heavy = {"goals": spec.heavy_goals if learner.username == "year-goals" else None,
                 "evidence": spec.heavy_evidence if learner.username == "year-evidence"
                 else None}
        plan.plan(**heavy)
        plans.append((learner, plan))
    shas = _upload_photos(seed, plans, totals)
    by_phase: dict[int, dict[str, list[Action]]] = defaultdict(lambda: defaultdict(list))
    for learner, plan in plans:
        for action in plan.actions:
            if action.name == "evidence.put" and "blob_sha256" in action.args:
                action.args["blob_sha256"] = shas[action.args["id"]]
            who = f"learner:{learner.username}" if action.actor == "learner" else action.actor
            by_phase[action.phase][who].append(action)
    walls: dict[tuple[type, str], list[int]] = {}
    for phase in sorted(by_phase):
        actors = by_phase[phase]
        for learner, _plan in plans:
            _push_device(learner, f"{learner.username}-phone", actors.get(
                f"learner:{learner.username}", []), devices, totals, walls)
        for username in sorted(a for a in actors if not a.startswith("learner:")):
            teacher = roster.people[username]
            _push_device(teacher, f"{username}-laptop-g{g + 1}", actors[username], devices,
                         totals, walls)
    _date_rows([learner.id for learner, _ in plans], walls)


def _upload_photos(seed: int, plans, totals) -> dict[str, str]:
    shas = {}
    for learner, plan in plans:
        for evidence_id, k in plan.photos:
            shas[evidence_id] = upload_photo(learner, photo_bytes(seed, learner.username, k))
            totals["photos"] += 1
    db.session.commit()
    return shas


def _push_device(user: User, client_id: str, actions: list[Action], devices: _Devices,
                 totals, walls) -> None:
    """Push one device's actions of one month, in stamp order, in batches the server takes."""
    actions = sorted(actions, key=lambda a: a.wall)
    if user.role == "teacher":
        actions = _with_versions(actions)
    for start in range(0, len(actions), GENERATOR_CAPS.batch):
        chunk = actions[start:start + GENERATOR_CAPS.batch]
        mutations = [devices.mutation(client_id, a) for a in chunk]
        answer = push(db.session, user, client_id, mutations, "seed-year", caps=GENERATOR_CAPS)
        for action, mutation, result in zip(chunk, mutations, answer["results"], strict=True):
            totals["mutations"] += 1
            totals[result["status"]] += 1
            if result["status"] == "rejected":
                totals.setdefault("first_rejection", f"{action.name}: {result.get('reason')}")
            if result.get("conflict_id"):
                action.conflict_id = result["conflict_id"]
            wall = int(mutation["hlc"][:13])
            model = _MODELS.get(action.name)
            if model is not None and "id" in action.args:
                walls.setdefault((model, action.args["id"]), []).append(wall)


_MODELS = {"goal.put": Goal, "pick.put": Pick, "evidence.put": Evidence}


def _with_versions(actions: list[Action]) -> list[Action]:
    """A teacher rates having seen the latest version of each rating (no conflict), except
    where the plan means a conflict; a resolve names the conflict its rating opened."""
    pairs = {(a.args["student_id"], a.args["target_id"]) for a in actions
             if a.name == "rating.put"}
    seen: dict[tuple[int, int], int] = {}
    if pairs:
        rows = db.session.execute(
            select(Rating.student_id, Rating.target_id, func.max(Rating.version))
            .where(Rating.student_id.in_({s for s, _ in pairs}))
            .group_by(Rating.student_id, Rating.target_id))
        seen = {(s, t): v for s, t, v in rows}
    kept = []
    for action in actions:
        if action.name == "rating.put" and not action.is_conflict:
            key = (action.args["student_id"], action.args["target_id"])
            action.args["base_version"] = seen.get(key, 0) or 0
        if action.name == "conflict.resolve":
            if action.after is None or action.after.conflict_id is None:
                continue
            action.args["conflict_id"] = action.after.conflict_id
        kept.append(action)
    return kept


def _at(wall_ms: int) -> datetime:
    return datetime.fromtimestamp(wall_ms / 1000, UTC)


def _hlc_at(hlc: str | None) -> datetime | None:
    return _at(int(hlc[:13])) if hlc else None


def _date_rows(learner_ids: list[int], walls) -> None:
    """Set timestamps to the school day each row's stamps say (see the module docstring)."""
    by_model: dict[type, list[dict]] = defaultdict(list)
    for (model, row_id), stamps in walls.items():
        by_model[model].append({"id": row_id, "created_at": _at(min(stamps)),
                                "updated_at": _at(max(stamps))})
    for model, rows in by_model.items():
        db.session.execute(update(model), rows)
    for model in (AssessmentEvent, EvidenceReview):
        rows = [{"id": row_id, "created_at": _hlc_at(hlc)} for row_id, hlc in db.session.execute(
            select(model.id, model.hlc).where(model.student_id.in_(learner_ids)))]
        if rows:
            db.session.execute(update(model), rows)
    rows = []
    for row_id, hlc, resolved in db.session.execute(select(
            Conflict.id, Conflict.hlc, Conflict.resolved_hlc).where(
            Conflict.student_id.in_(learner_ids))):
        rows.append({"id": row_id, "created_at": _hlc_at(hlc),
                     "updated_at": _hlc_at(resolved or hlc), "resolved_at": _hlc_at(resolved)})
    if rows:
        db.session.execute(update(Conflict), rows)
    db.session.commit()


def year_digest() -> str:
    """A fingerprint of the year's learner data: the same seed and size give the same one."""
    h = hashlib.sha256()
    queries = [
        select(AssessmentEvent.id, AssessmentEvent.hlc, AssessmentEvent.score,
               AssessmentEvent.assessed_on).order_by(AssessmentEvent.id),
        select(Goal.id, Goal.status, Goal.title, Goal.due_on).order_by(Goal.id),
        select(Evidence.id, Evidence.review_status, Evidence.blob_sha256,
               Evidence.caption_version).order_by(Evidence.id),
        select(Pick.id, Pick.status).order_by(Pick.id),
        select(Conflict.id, Conflict.status, Conflict.resolved_level).order_by(Conflict.id),
    ]
    for query in queries:
        for row in db.session.execute(query):
            h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def year_days(start: date, n: int = 180) -> list[date]:
    """The school days of a year starting on `start`."""
    return school_days(start, n, breaks(start))
