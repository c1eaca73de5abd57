"""One learner's school year as the mutations their device and their teachers' devices send.

Pure and deterministic: a learner's plan depends only on the seed, their place in the
school and the school's days, so the same seed always plans the same year. The driver
(backend/seed_year.py) pushes these actions through the backend adapter month by month,
learners' devices first, then teachers'; `phase` is the month an action may be pushed in
at the earliest (an answer to something goes up after it, never before).
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

_NS = uuid.UUID("0f5e3c3e-63f4-4a59-8f1e-7c1f6f3f2a90")
READY_NOTE = "Ready to demonstrate"  # the note readyList (assets/ui/teacher_views.js) looks for


def row_id(seed: int, *parts) -> str:
    """Deterministic ids, as a device's uuid would be, but the same for the same seed."""
    return str(uuid.uuid5(_NS, "/".join(map(str, (seed, *parts)))))


@dataclass(slots=True)
class Action:
    """One mutation someone sends on a school day: who ("learner" or a teacher's username),
    when (HLC wall ms), the month it may go up in at the earliest, and its name and args."""

    wall: int
    phase: int
    actor: str
    name: str
    args: dict
    after: "Action | None" = None  # a conflict.resolve waits for its rating's answer
    conflict_id: str | None = field(default=None)  # set by the driver from the answer
    is_conflict: bool = False


@dataclass(frozen=True)
class Target:
    id: int
    area: str
    scale: float
    activities: tuple  # activity ids aligned to it


@dataclass(frozen=True)
class Counts:
    """How much of each thing one learner makes in a year."""

    ratings: tuple = (75, 110)
    selfs: tuple = (25, 45)
    goals: tuple = (40, 80)
    evidence: tuple = (30, 60)
    picks: tuple = (150, 250)
    conflicts: tuple = (1, 3)


def phase_of(day: date, start: date) -> int:
    """The month of the school year a day falls in (0: the first month)."""
    return (day.year - start.year) * 12 + day.month - start.month


def school_days(start: date, n: int, breaks: tuple = ()) -> list[date]:
    """`n` weekdays from `start`, skipping the (first, last) date ranges in `breaks`."""
    days, day = [], start
    while len(days) < n:
        if day.weekday() < 5 and not any(a <= day <= b for a, b in breaks):
            days.append(day)
        day += timedelta(days=1)
    return days


class LearnerPlan:
    """Plans one learner's year. `teachers` maps an area to the teachers who rate it."""

    def __init__(self, seed: int, username: str, learner_id: int, days: list[date],
                 targets: list[Target], teachers: dict[str, list[str]], counts: Counts):
        self.seed, self.username, self.learner_id = seed, username, learner_id
        self.rng = random.Random(f"{seed}:{username}")
        self.days, self.targets, self.teachers = days, targets, teachers
        self.counts = counts
        self.start = days[0]
        self.last_phase = phase_of(days[-1], self.start)
        self.actions: list[Action] = []
        self.ability = self.rng.uniform(1.2, 3.6)
        self.photos: list[tuple[str, int]] = []  # (evidence id, picture number) to upload
        self._tick = 0

    # ------------------------------------------------------------------ helpers

    def _wall(self, day_index: int) -> int:
        """A moment in the school day (08:00-15:00 UTC), distinct for every action."""
        self._tick += 1
        day = self.days[min(day_index, len(self.days) - 1)]
        at = datetime.combine(day, time(8, 0), UTC) + timedelta(
            seconds=self.rng.randint(0, 7 * 3600 - 60), milliseconds=self._tick % 1000)
        return int(at.timestamp() * 1000)

    def _add(self, day_index: int, actor: str, name: str, args: dict,
             not_before: "Action | None" = None, bump: bool = False) -> Action | None:
        """Queue an action; None if it would fall after the year (it never happens)."""
        if day_index >= len(self.days):
            return None
        wall = self._wall(day_index)
        phase = phase_of(self.days[day_index], self.start)
        if not_before is not None:
            wall = max(wall, not_before.wall + 1)
            phase = max(phase, not_before.phase + (1 if bump else 0))
        if phase > self.last_phase:
            return None
        action = Action(wall, phase, actor, name, {"student_id": self.learner_id, **args}
                        if name not in ("evidence.review", "conflict.resolve") else args)
        self.actions.append(action)
        return action

    def _day(self, lo: int = 0, hi: int | None = None) -> int:
        return self.rng.randint(lo, (len(self.days) - 1) if hi is None else hi)

    def _reachable(self, day_index: int) -> list[Target]:
        """Targets met by then: the year works through the curriculum in order."""
        share = 0.35 + 0.65 * day_index / max(1, len(self.days) - 1)
        return self.targets[:max(1, round(len(self.targets) * share))]

    def _level(self, target: Target, day_index: int) -> float:
        growth = 0.55 + 0.45 * day_index / max(1, len(self.days) - 1)
        raw = self.ability * growth - (target.scale - 3.0) * 0.6 + self.rng.uniform(-0.4, 0.4)
        return max(0.0, min(4.0, round(raw * 2) / 2))

    def _teacher(self, target: Target) -> str:
        return self.rng.choice(self.teachers[target.area])

    def _n(self, span: tuple) -> int:
        return self.rng.randint(*span)

    # ------------------------------------------------------------------ the year

    def plan(self, goals: int | None = None, evidence: int | None = None) -> list[Action]:
        """Every action of the year, in no particular order (the driver sorts them)."""
        c = self.counts
        for _ in range(self._n(c.ratings)):
            d = self._day()
            target = self.rng.choice(self._reachable(d))
            self._rate(target, d)
        for k in range(self._n(c.selfs)):
            self._self_assess(k)
        for k in range(self._n(c.conflicts)):
            self._conflict(k)
        for k in range(goals if goals is not None else self._n(c.goals)):
            self._goal(k, goals is not None)
        for k in range(evidence if evidence is not None else self._n(c.evidence)):
            self._evidence(k, evidence is not None)
        for k in range(self._n(c.picks)):
            self._pick(k)
        return self.actions

    def _rate(self, target: Target, d: int, after: Action | None = None) -> Action | None:
        return self._add(d, self._teacher(target), "rating.put",
                         {"target_id": target.id, "level": self._level(target, d),
                          "base_version": 0}, not_before=after)

    def _self_assess(self, k: int) -> None:
        d = self._day()
        target = self.rng.choice(self._reachable(d))
        is_ready = self.rng.random() < 0.12
        level = min(4.0, self._level(target, d) + (0.5 if is_ready else 0.0))
        ask = self._add(d, "learner", "self_assessment.put",
                        {"target_id": target.id, "level": level,
                         "note": READY_NOTE if is_ready else ""})
        # a teacher answers a ready request within a week or so, unless it came at the end
        if ask is not None and is_ready and d < len(self.days) - 8:
            self._rate(target, d + self.rng.randint(1, 6), after=ask)

    def _conflict(self, k: int) -> None:
        """Two teachers rate one lifelong-learning target; the second never saw the first."""
        shared = [t for t in self.targets if len(self.teachers[t.area]) > 1]
        if not shared:
            return
        target = self.rng.choice(shared)
        first, second = self.teachers[target.area][:2]
        d = self._day(0, len(self.days) - 50)
        one = self._add(d, first, "rating.put", {"target_id": target.id, "level":
                        self._level(target, d), "base_version": 0})
        if one is None:
            return
        d2 = d + self.rng.randint(22, 30)  # a later month: the first rating is stored by then
        two = self._add(d2, second, "rating.put", {"target_id": target.id, "level": min(
            4.0, self._level(target, d2) + 0.5), "base_version": 0}, not_before=one, bump=True)
        if two is None:
            return
        two.is_conflict = True
        if k == 0 and self.rng.random() < 0.3:
            return  # left open: the conflicts inbox has something in it
        resolve = self._add(d2 + self.rng.randint(22, 30), first, "conflict.resolve",
                            {"conflict_id": "", "level": two.args["level"]}, not_before=two,
                            bump=True)
        if resolve is not None:
            resolve.after = two

    def _goal(self, k: int, is_flood: bool) -> None:
        d = self._day()
        goal_id = row_id(self.seed, "goal", self.username, k)
        target = self.rng.choice(self._reachable(d))
        due = self.days[min(d + self.rng.randint(5, 20), len(self.days) - 1)]
        made = self._add(d, "learner", "goal.put", {
            "id": goal_id, "title": f"Goal {k + 1}: work towards target {target.id}",
            "target_ids": [target.id], "due_on": due.isoformat(), "status": "active"})
        if made is None:
            return
        roll = self.rng.random()
        if roll < (0.97 if is_flood else 0.85):
            end = d + self.rng.randint(1 if is_flood else 3, 4 if is_flood else 20)
            self._add(end, "learner", "goal.put", {
                "id": goal_id, "title": made.args["title"], "status": "done",
                "reflection": "Done. I checked my work against the rubric."}, not_before=made)
        elif roll < (0.98 if is_flood else 0.9):
            self._add(d + self.rng.randint(3, 20), "learner", "goal.put", {
                "id": goal_id, "title": made.args["title"], "status": "dropped"},
                not_before=made)

    def _evidence(self, k: int, is_flood: bool) -> None:
        d = self._day()
        evidence_id = row_id(self.seed, "evidence", self.username, k)
        target = self.rng.choice(self._reachable(d))
        roll = self.rng.random()
        kind = "photo" if k % 3 == 0 else ("link" if roll < 0.5 else "text")  # a third
        args = {"id": evidence_id, "kind": kind, "caption": f"My work on target {target.id}"
                f" ({k + 1})", "target_ids": [target.id], "submitted": True}
        if kind == "photo":
            self.photos.append((evidence_id, k))
            args["blob_sha256"] = ""  # the driver fills in the uploaded file's sha256
        elif kind == "link":
            args["url"] = f"https://docs.example.org/year/{self.username}/{k + 1}"
        else:
            args["text"] = "I explained my steps and checked them with a model."
        put = self._add(d, "learner", "evidence.put", args)
        if put is None:
            return
        teacher = self._teacher(target)
        roll = self.rng.random()
        if roll < 0.1 and not is_flood:
            return  # still waiting for review
        review_day = d + self.rng.randint(1, 7)
        if roll < 0.25 and not is_flood:
            back = self._add(review_day, teacher, "evidence.review", {
                "evidence_id": evidence_id, "decision": "returned",
                "comment": "Show how you checked your answer."}, not_before=put)
            if back is None:
                return
            edit = self._add(review_day + self.rng.randint(20, 30), "learner", "evidence.put",
                             {**args, "caption": args["caption"] + " (with my check)"},
                             not_before=back, bump=True)
            if edit is None:
                return
            put, review_day = edit, review_day + self.rng.randint(21, 35)
        review = {"evidence_id": evidence_id, "decision": "approved",
                  "comment": "Clear steps. Well done."}
        if not is_flood or self.rng.random() < 0.05:
            review.update(level=self._level(target, review_day), target_id=target.id)
        self._add(review_day, teacher, "evidence.review", review, not_before=put)

    def _pick(self, k: int) -> None:
        d = self._day()
        target = self.rng.choice(self._reachable(d))
        if not target.activities:
            return
        pick_id = row_id(self.seed, "pick", self.username, k)
        activity = self.rng.choice(target.activities)
        if self.rng.random() < 0.8:
            self._add(d, "learner", "pick.put", {"id": pick_id, "activity_id": activity,
                                                 "status": "done"})
            return
        first = self._add(d, "learner", "pick.put", {"id": pick_id, "activity_id": activity,
                                                     "status": "picked"})
        if first is not None and self.rng.random() < 0.8:
            self._add(d + self.rng.randint(1, 5), "learner", "pick.put", {
                "id": pick_id, "activity_id": activity, "status": "done"}, not_before=first)
