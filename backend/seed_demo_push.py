"""The demo school's learner and teacher writes, sent as their devices would send them.

The demo seed (backend/seed.py) decides what each learner and teacher did in the demo's
few weeks; this module turns each thing into the sync mutation a device sends
(goal.put, pick.put, self_assessment.put, evidence.put, evidence.review, rating.put),
stamped with an HLC on the day the demo says it happened, and pushes them through the
backend adapter (backend/sync_server/push.py) with the school-year generator's driver
(backend/seed_year.py): every learner's phone first, then each teacher's laptop. So the
demo's rows are merged, versioned and recorded (sync_mutations) like real data, and a
teacher's scores are rating registers, as a teacher's device leaves them.

Stamps fall within the demo's eight weeks, far from the 400-day clamp (sync/clock.py), and
every one is at least a day old, so a device's edit made today always wins.
"""

from collections import defaultdict
from datetime import UTC, date, datetime, time

from backend.models import User
from backend.seed_year import _date_rows, _Devices, _push_device
from backend.seed_year_plan import Action


class DemoWrites:
    """What each person's device sends, gathered while the seed decides the demo's history."""

    def __init__(self):
        self.by_actor: dict[str, list[Action]] = defaultdict(list)

    def add(self, who: User, on: date, at: time, name: str, args: dict) -> None:
        """Queue one mutation `who` makes on day `on` at `at` (UTC)."""
        wall = int(datetime.combine(on, at, UTC).timestamp() * 1000)
        self.by_actor[who.username].append(Action(wall, 0, who.username, name, args))

    def push(self, people: dict[str, User], learner_ids: list[int]) -> dict:
        """Push every learner's phone, then every teacher's laptop; refuse any rejection.

        Returns the totals (mutations, applied, ...). A demo whose own writes the server
        refuses is a broken demo, so a rejection or a conflict raises.
        """
        devices, totals, walls = _Devices(), defaultdict(int), {}
        learners = [u for u in self.by_actor if people[u].role == "student"]
        teachers = [u for u in self.by_actor if people[u].role != "student"]
        for username in learners:
            _push_device(people[username], f"demo-{username}-phone", self.by_actor[username],
                         devices, totals, walls)
        for username in teachers:
            _push_device(people[username], f"demo-{username}-laptop",
                         self.by_actor[username], devices, totals, walls)
        if totals.get("rejected") or totals.get("conflict"):
            raise RuntimeError(f"The demo seed's own changes were refused: {dict(totals)}")
        _date_rows(learner_ids, walls)
        return dict(totals)

