"""A seeded run: who takes part, what each device writes, and which faults hit it.

Everything here is decided by the seed alone (no clock, no server), so a failing seed can
be run again with the same people, operations and faults; only thread timing differs.
Operations are ones a person could do on a device and that the server must accept:
the checker treats every rejection as an anomaly, so it can tell "refused for being old"
(or for any other reason) from a lost write.
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path

DAY_MS = 24 * 3600 * 1000
SKEWS = (0, DAY_MS, -DAY_MS)  # clock skew ±24 h
OFFLINE_DAYS = 30
CI_TIMEOUT_S = 2.0
# share of runs whose server is killed -9 while a push is inside it (each costs a restart:
# a fork, ~0.5 s); the CI size must see it several times in 100 runs
KILL_SHARE = 0.2

# chance of each fault per HTTP exchange through a client's proxy
RATES = {
    "drop_response": 0.06,
    "duplicate_request": 0.05,
    "duplicate_response": 0.04,
    "drop_request": 0.04,
    "delay_request": 0.05,
    "delay_response": 0.04,
}


@dataclass
class World:
    """The demo school as the checker needs it: people, rosters, targets, activities."""

    users: dict[str, dict]  # username -> {id, role}
    teaches: dict[str, list[int]]  # teacher username -> learner ids
    targets: list[int]
    activities: list[int]

    @classmethod
    def read(cls, db: Path) -> World:
        # read-only and immutable: opening the WAL-mode file normally makes -wal/-shm files
        # for a moment, which a lane copying the pristine database at that moment saw vanish
        with sqlite3.connect(f"file:{db}?mode=ro&immutable=1", uri=True) as con:
            users = {
                u: {"id": i, "role": r}
                for i, u, r in con.execute("SELECT id, username, role FROM users")
            }
            teaches: dict[str, list[int]] = {}
            for teacher, student in con.execute(
                "SELECT u.username, e.student_id FROM classes c "
                "JOIN enrollments e ON e.class_id = c.id "
                "JOIN users u ON u.id = c.teacher_id ORDER BY 1, 2"
            ):
                teaches.setdefault(teacher, [])
                if student not in teaches[teacher]:
                    teaches[teacher].append(student)
            targets = [
                i
                for (i,) in con.execute(
                    "SELECT id FROM learning_targets WHERE deleted_at IS NULL ORDER BY id"
                )
            ]
            activities = [i for (i,) in con.execute("SELECT id FROM activities ORDER BY id")]
        return cls(users, teaches, targets, activities)

    def username(self, user_id: int) -> str:
        return next(u for u, v in self.users.items() if v["id"] == user_id)


@dataclass
class Client:
    name: str
    kind: str  # "js" (the real sync core under bun) | "py" (deploy.clients.Device)
    username: str
    skew_ms: int = 0
    ops: list[dict] = field(default_factory=list)
    die_after: int | None = None  # js: killed right after this op's IndexedDB write
    partition_s: float = 0.0  # js: cut off while writing, healed this long after "live"
    notice: bool = False  # the device sees the network come back (an `online` event)
    offline30: bool = False  # writes stamped 30 days ago, pushed now


@dataclass
class Plan:
    seed: int
    clients: list[Client]
    rates: dict[str, float]
    kill_server: bool
    size: str = "ci"

    @property
    def timeout_s(self) -> float:
        """The devices' request timeout; the proxy's long delays outlast it by 1 s. Short in
        the CI size (each long delay costs a run its length), a browser-like 5 s in large."""
        return CI_TIMEOUT_S if self.size == "ci" else 5.0

    def describe(self) -> dict:
        return {
            "seed": self.seed,
            "size": self.size,
            "kill_server": self.kill_server,
            "clients": [c.__dict__ for c in self.clients],
        }


def _uuid(rng: random.Random, salt: int = 0) -> str:
    """A row id from the seed, xor a per-attempt salt (a replay on one server makes new rows)."""
    return str(uuid.UUID(int=rng.getrandbits(128) ^ salt, version=4))


class _Ops:
    """Operation generator with the run's shared rows (goals two devices may both edit)."""

    def __init__(self, rng: random.Random, world: World, learners: list[int], salt: int):
        self.rng, self.world, self.salt = rng, world, salt
        self.goals = {s: [self.uuid() for _ in range(2)] for s in learners}
        # teachers' observations, one id per (teacher, learner) known ahead (another teacher
        # may not edit it); a learner's device answers one once its replica shows it
        self.observations = {(t, s): self.uuid() for t in ("teacher", "teacher2")
                             for s in learners}

    def uuid(self) -> str:
        return _uuid(self.rng, self.salt)

    def learner(self, sid: int, mine: dict) -> dict:
        rng, w = self.rng, self.world
        roll = rng.random()
        if roll < 0.30:
            gid = rng.choice(self.goals[sid] + [self.uuid()])
            mine.setdefault("goals", []).append(gid)
            args = {
                "id": gid,
                "student_id": sid,
                "title": f"Goal {rng.randrange(10**6)}",
                "status": rng.choice(["done", "active", "done"]),
            }
            if rng.random() < 0.5:
                args["target_ids"] = rng.sample(w.targets, rng.randint(1, 2))
            return {"op": "mutate", "name": "goal.put", "args": args}
        if roll < 0.38 and mine.get("goals"):
            return {
                "op": "mutate",
                "name": "goal.delete",
                "args": {"id": rng.choice(mine["goals"])},
            }
        if roll < 0.55:
            if mine.get("picks") and rng.random() < 0.4:
                pid, activity = rng.choice(mine["picks"])
                if rng.random() < 0.3:
                    return {"op": "mutate", "name": "pick.delete", "args": {"id": pid}}
                status = rng.choice(["picked", "done"])
            else:
                pid, activity, status = self.uuid(), rng.choice(w.activities), "picked"
                mine.setdefault("picks", []).append((pid, activity))
            return {
                "op": "mutate",
                "name": "pick.put",
                "args": {"id": pid, "student_id": sid, "activity_id": activity, "status": status},
            }
        if roll < 0.72:
            # a profile section (issue 18): two devices of one learner may write the same one
            # offline; `seen` is what the device's replica shows when the write is made
            section = rng.choice(["strengths", "interests", "learn_by"])
            args = {"student_id": sid, "section": section,
                    "text": f"{section} {rng.randrange(10**6)}"}
            if section == "learn_by" and rng.random() < 0.5:
                args["choices"] = rng.sample(["watching", "reading", "doing", "talking"], 2)
            return {"op": "mutate", "name": "profile.section.put", "seen_from_replica": True,
                    "args": args}
        if roll < 0.75:
            # "not for me" on an activity, or taking it back (issue 18: an LWW register)
            return {"op": "mutate", "name": "suggestion.decline",
                    "args": {"student_id": sid, "activity_id": rng.choice(w.activities),
                             "declined": rng.random() < 0.7}}
        if roll < 0.86:
            return {
                "op": "mutate",
                "name": "self_assessment.put",
                "args": {
                    "student_id": sid,
                    "target_id": rng.choice(w.targets[:6]),
                    "level": rng.randrange(9) / 2,
                },
            }
        if mine.get("evidence") and rng.random() < 0.4:
            return {
                "op": "mutate",
                "name": "evidence.put",
                "args": {
                    "id": rng.choice(mine["evidence"]),
                    "student_id": sid,
                    "kind": "text",
                    "caption": f"Edited {rng.randrange(10**6)}",
                },
            }
        eid = self.uuid()
        mine.setdefault("evidence", []).append(eid)
        return {
            "op": "mutate",
            "name": "evidence.put",
            "args": {
                "id": eid,
                "student_id": sid,
                "kind": "text",
                "text": "I solved it two ways.",
                "caption": f"Work {rng.randrange(10**6)}",
                "target_ids": [rng.choice(w.targets)],
                "submitted": rng.random() < 0.3,
            },
        }

    def respond(self, sid: int) -> dict:
        """The learner answers a teacher's observation, if their screen shows it (so it is
        planned after their last flush: by then a teacher's observation may have arrived)."""
        rng = self.rng
        args = {"id": self.observations[(rng.choice(["teacher", "teacher2"]), sid)],
                "response": rng.choice(["accepted", "discuss"])}
        if args["response"] == "discuss":
            args["reply"] = f"Reply {rng.randrange(10**6)}"
        return {"op": "mutate", "name": "profile.observation.respond", "args": args,
                "if_shown": "profile_observation"}

    def teacher(self, learners: list[int], username: str) -> dict:
        rng = self.rng
        sid = rng.choice(learners)
        roll = rng.random()
        if roll < 0.25:
            # an observation (issue 18)
            args = {"id": self.observations[(username, sid)], "student_id": sid,
                    "text": f"Noticed {rng.randrange(10**6)}"}
            if rng.random() < 0.5:
                args["section"] = rng.choice(["strengths", "interests", "learn_by"])
            return {"op": "mutate", "name": "profile.observation.put", "args": args}
        if roll < 0.4:
            return {
                "op": "mutate",
                "name": "goal.put",
                "args": {
                    "id": rng.choice(self.goals[sid]),
                    "student_id": sid,
                    "title": f"Teacher goal {rng.randrange(10**6)}",
                },
            }
        # base_version: filled in from the device's own replica when the write is made
        return {
            "op": "mutate",
            "name": "rating.put",
            "base_from_replica": True,
            "args": {
                "student_id": sid,
                "target_id": rng.choice(self.world.targets[:6]),
                "level": rng.randrange(1, 9) / 2,
            },
        }


def make_plan(
    seed: int, world: World, size: str = "ci", salt: int = 0, silent: bool = True
) -> Plan:
    """The run of `seed`: 2–4 devices, 3–8 writes each, and the faults to inject."""
    rng = random.Random(seed)
    teachers = [t for t in ("teacher", "teacher2") if t in world.teaches]
    shared = sorted(set(world.teaches[teachers[0]]) & set(world.teaches[teachers[-1]]))
    learners = rng.sample(shared, 2)  # both teachers teach both: rating conflicts can happen
    gen = _Ops(rng, world, learners, salt)
    n_js, n_py = rng.choice([(1, 1), (1, 2), (2, 1), (2, 2)])
    people = [world.username(s) for s in learners] + rng.sample(
        teachers, rng.randint(1, len(teachers))
    )
    rng.shuffle(people)
    clients = []
    for i in range(n_js + n_py):
        kind = "js" if i < n_js else "py"
        username = people[i % len(people)]
        skew = rng.choice(SKEWS) if rng.random() < 0.4 else 0
        clients.append(Client(f"{kind}{i}", kind, username, skew))
    big = size == "large"
    for c in clients:
        user = world.users[c.username]
        mine: dict = {}
        for _ in range(rng.randint(3, 12 if big else 6)):
            if user["role"] == "teacher":
                op = gen.teacher([s for s in learners if s in world.teaches[c.username]],
                                 c.username)
            else:
                op = gen.learner(user["id"], mine)
            c.ops.append(op)
            if rng.random() < 0.35:
                c.ops.append({"op": "flush"})
        c.ops.append({"op": "flush"})
        if user["role"] != "teacher" and rng.random() < 0.6:
            c.ops += [gen.respond(user["id"]), {"op": "flush"}]
    js = [c for c in clients if c.kind == "js"]
    if rng.random() < 0.3:
        victim = rng.choice(js)
        writes = [i for i, op in enumerate(victim.ops) if op["op"] == "mutate"]
        victim.die_after = rng.choice(writes)
    if rng.random() < 0.3:
        victim = rng.choice(js)
        victim.partition_s = rng.uniform(0.5, 12.0 if big else 3.0)
        # silent: the server is unreachable but the device sees no offline/online events
        victim.notice = rng.random() < 0.5 or not silent
    if rng.random() < 0.2:
        victim = rng.choice(clients)
        victim.offline30 = True
        victim.notice = True
    kill = rng.random() < KILL_SHARE
    if not silent and any(c.partition_s or c.offline30 for c in clients):
        # a server down while a device waits to drain is an outage it does not notice
        # (known anomaly A1): without silent partitions, the kill goes to other runs
        kill = False
    return Plan(seed, clients, dict(RATES), kill_server=kill, size=size)
