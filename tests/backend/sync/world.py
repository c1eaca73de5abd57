"""A vector's symbolic world (s1, t1, lt1, a1 …) built in a real database, and HTTP helpers.

Shared by the vector, property, pull, push and scenario tests: `World.build(app, spec)`
creates a school, its people (each teacher gets a class with their `learners` enrolled, each
guardian is linked to theirs), one content area and topic with learning targets at 3.0, and
activities. It maps symbolic keys to real ids in mutation args and maps pulled rows back, so
`sync.project_rows` of what the server holds compares with a vector's `final`.
"""

from __future__ import annotations

import copy
import json

from flask_jwt_extended import create_access_token
from sqlalchemy import select

from backend.extensions import db
from backend.models import (
    Activity,
    ContentArea,
    Enrollment,
    GuardianLink,
    LearningTarget,
    MeasurementTopic,
    Rating,
    School,
    SchoolClass,
    User,
)
from backend.models.blobs import record_upload
from sync import project_rows
from sync.merge.project import ROW_TYPES

# keys whose values are user ids, target ids or activity ids (in args, row data, members)
USER_KEYS = {"student_id", "teacher_id", "author_id", "opened_by", "winner_teacher_id",
             "resolved_by"}
TARGET_KEYS = {"target_id"}
PUSH = "/api/sync/push"
PULL = "/api/sync/pull"
READER = "reader"  # an admin added to every world: admins read every learner of the school
VECTOR_FILES = ("a" * 64, "b" * 64)  # the sha256s the vectors and property tests cite


def standard_world() -> dict:
    """The world of the conformance vectors (and of the other tests here)."""
    return {
        "users": {
            "s1": {"role": "student"},
            "s2": {"role": "student"},
            "t1": {"role": "teacher", "learners": ["s1", "s2"]},
            "t2": {"role": "teacher", "learners": ["s1"]},
            "g1": {"role": "guardian", "learners": ["s1"]},
            "a1": {"role": "admin"},
        },
        "targets": ["lt1", "lt2"],
        "activities": ["a1", "a2"],
    }


class World:
    """Real ids of a symbolic world in one app's database, and tokens for its people."""

    def __init__(self, app, users: dict, targets: dict, activities: dict, names: dict,
                 roles: dict):
        self.app = app
        self.users = users  # key -> id
        self.roles = roles  # key -> role
        self.targets = targets
        self.activities = activities
        self.names = names  # key -> display name
        self.user_keys = {v: k for k, v in users.items()}
        self.target_keys = {v: k for k, v in targets.items()}
        self.activity_keys = {v: k for k, v in activities.items()}
        self._headers: dict[str, dict] = {}

    @classmethod
    def build(cls, app, spec: dict, school_name: str = "Vector School") -> World:
        """Create the world's rows (in the key order of `spec`, so ids ascend with keys)."""
        with app.app_context():
            school = School(name=school_name, settings={})
            db.session.add(school)
            db.session.flush()
            users, names = {}, {}
            people = dict(spec["users"])
            if not any(u["role"] == "admin" for u in people.values()):
                people[READER] = {"role": "admin"}
            for key, person in people.items():
                name = f"{person['role'].title()} {key.upper()}"
                user = User(school_id=school.id, username=f"{school_name[:20]}-{key}",
                            password_hash="!", role=person["role"], display_name=name,
                            is_assessor=bool(person.get("assessor")))
                db.session.add(user)
                db.session.flush()
                users[key], names[key] = user.id, name
                if person["role"] == "student":
                    # every learner has sent the files the vectors cite: evidence may cite
                    # only a file its learner sent (tests/backend/api/test_blobs_access.py)
                    for sha in VECTOR_FILES:
                        record_upload(db.session, user.id, sha, 1)
            for key, person in people.items():
                if person["role"] == "teacher":
                    klass = SchoolClass(school_id=school.id, name=f"Class of {key}",
                                        teacher_id=users[key])
                    db.session.add(klass)
                    db.session.flush()
                    for learner in person.get("learners", []):
                        db.session.add(Enrollment(class_id=klass.id, student_id=users[learner]))
                elif person["role"] == "guardian":
                    for child in person.get("learners", []):
                        db.session.add(GuardianLink(guardian_id=users[key],
                                                    student_id=users[child]))
            area = ContentArea(school_id=school.id, name="Mathematics", is_academic=True)
            db.session.add(area)
            db.session.flush()
            topic = MeasurementTopic(content_area_id=area.id, name="Ratios", level=6)
            db.session.add(topic)
            db.session.flush()
            targets = {}
            for position, key in enumerate(spec.get("targets", [])):
                target = LearningTarget(topic_id=topic.id, code=key.upper(),
                                        title=f"Target {key}", scale_level=3.0,
                                        position=position)
                db.session.add(target)
                db.session.flush()
                targets[key] = target.id
            activities = {}
            for key in spec.get("activities", []):
                activity = Activity(school_id=school.id, title=f"Activity {key}", kind="practice")
                db.session.add(activity)
                db.session.flush()
                activities[key] = activity.id
            db.session.commit()
            db.session.remove()
        roles = {key: person["role"] for key, person in people.items()}
        world = cls(app, users, targets, activities, names, roles)
        # assessors of teacher microcredentials (a coach, an admin): they push reviews
        world.assessors = {key for key, person in people.items() if person.get("assessor")}
        return world

    # ------------------------------------------------------------------ tokens and HTTP

    def headers(self, key: str) -> dict:
        """Bearer headers for a world user (token minted with the same claims as login)."""
        if key not in self._headers:
            with self.app.app_context():
                user = db.session.get(User, self.users[key])
                token = create_access_token(user, additional_claims={
                    "role": user.role, "school_id": user.school_id})
                db.session.remove()
            self._headers[key] = {"Authorization": f"Bearer {token}"}
        return self._headers[key]

    def reader(self) -> str:
        """The key of an admin of this school (reads every learner)."""
        return next(k for k, role in self.roles.items() if role == "admin")

    def role(self, key: str) -> str:
        return self.roles[key]

    def push(self, client, user: str, client_id: str, mutations: list):
        """POST /api/sync/push as `user` with mutations whose args use symbolic keys."""
        body = {"client_id": client_id, "mutations": [self.real_mutation(m) for m in mutations]}
        return client.post(PUSH, json=body, headers=self.headers(user))

    def pull_all(self, client, user: str | None = None, limit: int = 1000) -> list[dict]:
        """Every row `user` (default: an admin) may read, following cursors to the end."""
        rows, cursor = [], None
        while True:
            query = {"limit": limit, **({"cursor": cursor} if cursor else {})}
            resp = client.get(PULL, query_string=query, headers=self.headers(user or self.reader()))
            assert resp.status_code == 200, resp.get_json()
            page = resp.get_json()
            rows.extend(page["changes"])
            cursor = page["cursor"]
            if not page["has_more"]:
                return rows

    # ------------------------------------------------------------------ id mapping

    def real_mutation(self, mutation) -> object:
        """A copy with symbolic ids in args replaced by real ones (unknown keys kept)."""
        if not isinstance(mutation, dict) or not isinstance(mutation.get("args"), dict):
            return copy.deepcopy(mutation)
        out = copy.deepcopy(mutation)
        args = out["args"]
        for key in USER_KEYS & set(args):
            args[key] = self._real(self.users, args[key])
        for key in TARGET_KEYS & set(args):
            args[key] = self._real(self.targets, args[key])
        if isinstance(args.get("target_ids"), list):
            args["target_ids"] = [self._real(self.targets, t) for t in args["target_ids"]]
        if "activity_id" in args:
            args["activity_id"] = self._real(self.activities, args["activity_id"])
        return out

    @staticmethod
    def _real(mapping: dict, value):
        return mapping.get(value, value) if isinstance(value, str) else value

    def symbolic_rows(self, rows: list[dict]) -> list[dict]:
        """Pulled rows of the sync row types with real ids mapped back to symbolic keys."""
        return [self._symbolic_row(r) for r in rows if r["type"] in ROW_TYPES]

    def _symbolic_row(self, row: dict) -> dict:
        row = copy.deepcopy(row)
        row["data"] = self._symbolic(row["data"])
        if row["type"] == "event":
            # the server dates each event (from its HLC); the library's rows carry no date
            row["data"].pop("assessed_on", None)
        if row["type"] == "history" and row["data"]["field"] == "target_ids":
            value = row["data"]["value"]
            if isinstance(value, list):
                row["data"]["value"] = [self.target_keys.get(t, t) for t in value]
        return row

    def _symbolic(self, value):
        if isinstance(value, list):
            return [self._symbolic(v) for v in value]
        if not isinstance(value, dict):
            return value
        out = {}
        for key, item in value.items():
            if key in USER_KEYS and isinstance(item, int):
                out[key] = self.user_keys.get(item, item)
            elif key in TARGET_KEYS and isinstance(item, int):
                out[key] = self.target_keys.get(item, item)
            elif key == "target_ids" and isinstance(item, list):
                out[key] = [self.target_keys.get(t, t) for t in item]
            elif key == "activity_id" and isinstance(item, int):
                out[key] = self.activity_keys.get(item, item)
            else:
                out[key] = self._symbolic(item)
        return out

    def projection(self, client, user: str | None = None) -> dict:
        """sync.project_rows of everything pulled, in symbolic keys (JSON round-tripped)."""
        rows = self.symbolic_rows(self.pull_all(client, user))
        return json.loads(json.dumps(project_rows(rows)))

    def real_params(self, params: dict) -> dict:
        """A vector's expected params with symbolic user keys replaced by what the API says:
        ids by real ids, the names the words use by display names."""
        ids = {"teacher_id", "student_id", "teacher_ids"}
        names = {"teacher": "teacher_id", "student": "student_id", "teachers": "teacher_ids"}
        out = {}
        for key, value in params.items():
            if key in ids:
                out[key] = ([self.users.get(v, v) for v in value] if isinstance(value, list)
                            else self.users.get(value, value))
            elif key in names and names[key] in params:
                keys = params[names[key]]
                keys = keys if isinstance(keys, list) else [keys]
                out[key] = ", ".join(str(self.names.get(k, k)) for k in keys)
            elif key in ("stored", "value") and isinstance(value, str):
                # an offending id as text ("activity_id cannot change (it is a1, got a2)")
                table = {"activity_id": self.activities, "target_id": self.targets,
                         "target_ids": self.targets}.get(params.get("field"), self.users)
                real = table.get(value)
                out[key] = value if real is None else str(real)
            else:
                out[key] = value
        return out

    def max_rating_version(self, student: str, target: str) -> int:
        """What "$seen" resolves to: the highest rating version of (learner, target), or 0."""
        with self.app.app_context():
            versions = db.session.scalars(select(Rating.version).where(
                Rating.student_id == self.users[student],
                Rating.target_id == self.targets[target])).all()
            db.session.remove()
        return max(versions, default=0)
