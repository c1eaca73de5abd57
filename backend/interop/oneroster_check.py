"""Check a OneRoster package against itself and the database before anything is written:
every sourcedId reference resolves, usernames are free, enrollments are not repeated.

`RosterReader` also knows, for the importer built on it, which rows are fresh (newer than
what was last applied) and what each sourcedId is.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select

from backend.extensions import db
from backend.interop.oneroster_csv import Package, Row
from backend.interop.problems import ImportReport, Problems
from backend.models import Enrollment, InteropRecord, School, SchoolClass, User

SYSTEM = "oneroster"
ROLES = {"administrator": "admin", "teacher": "teacher", "student": "student",
         "guardian": "guardian", "parent": "guardian", "relative": "guardian"}
KIND_OF_FILE = {"orgs.csv": "org", "academicSessions.csv": "session", "courses.csv": "course",
                "classes.csv": "class", "users.csv": "user", "enrollments.csv": "enrollment"}


@dataclass
class Scope:
    """Which schools an import may touch: `orgs` (school sourcedIds; None = all in the file)
    and `bind` (school sourcedId → an existing Waypoint school that has none yet).
    `bind_only_school`: bind the file's one school to this Waypoint school (an admin's
    first import into the school they already have); a file with several is refused."""

    orgs: set[str] | None = None
    bind: dict[str, int] = field(default_factory=dict)
    bind_only_school: int | None = None

    def covers(self, org: str) -> bool:
        return self.orgs is None or org in self.orgs


class RosterReader:
    """The package, what the database already holds by sourcedId, and the checks."""

    def __init__(self, package: Package, scope: Scope, report: ImportReport):
        self.p = package
        self.scope = scope
        self.report = report
        self.records = {r.identifier: r for r in db.session.scalars(
            select(InteropRecord).where(InteropRecord.system == SYSTEM))}
        self.schools = {s.sourced_id: s for s in db.session.scalars(
            select(School).where(School.sourced_id.is_not(None)))}
        self.users = {u.sourced_id: u for u in db.session.scalars(
            select(User).where(User.sourced_id.is_not(None)))}
        self.classes = {c.sourced_id: c for c in db.session.scalars(
            select(SchoolClass).where(SchoolClass.sourced_id.is_not(None)))}
        self.enrollments = {e.sourced_id: e for e in db.session.scalars(
            select(Enrollment).where(Enrollment.sourced_id.is_not(None)))}
        self.rows = {file: self._fresh(file) for file in package.rows}
        self.skipped_users: set[str] = set()
        self.skipped_classes: set[str] = set()

    # ------------------------------------------------------------------ reading helpers

    def _fresh(self, file: str) -> list[Row]:
        """Rows newer than what was last applied; a stale delta row never wins."""
        out = []
        for row in self.p.rows[file]:
            rec = self.records.get(row.sourced_id)
            if (rec and rec.date_last_modified and row.date_last_modified
                    and _aware(rec.date_last_modified) > row.date_last_modified):
                self.report.change("stale rows", "skip", f"skip {file} row {row.line} "
                                   f"({row.sourced_id}): older than what was imported before")
                continue
            out.append(row)
        return out

    def _active(self, file: str) -> dict[str, Row]:
        return {r.sourced_id: r for r in self.rows.get(file, []) if not r.is_tombstone}

    def _tombstones(self, file: str) -> dict[str, Row]:
        return {r.sourced_id: r for r in self.rows.get(file, []) if r.is_tombstone}

    def _org_type(self, sid: str) -> str | None:
        row = self._active("orgs.csv").get(sid)
        if row is not None:
            return row.values["type"]
        if sid in self._tombstones("orgs.csv"):
            return None
        if sid in self.schools:
            return "school"
        rec = self.records.get(sid)
        if rec and rec.status == "active" and rec.kind in ("school", "org"):
            return "school" if rec.kind == "school" else "other"
        return None

    def _known(self, kind: str, sid: str) -> bool:
        file = next(f for f, k in KIND_OF_FILE.items() if k == kind)
        if sid in self._active(file):
            return True
        if sid in self._tombstones(file):
            return False
        if kind == "user" and sid in self.users:
            return True
        if kind == "class" and sid in self.classes:
            return True
        rec = self.records.get(sid)
        return bool(rec and rec.kind == kind and rec.status == "active")

    def _user_role(self, sid: str) -> str | None:
        row = self._active("users.csv").get(sid)
        if row is not None:
            return ROLES.get(row.values["role"], row.values["role"])
        user = self.users.get(sid)
        return user.role if user else None

    def _school_of_user(self, row: Row) -> str | None:
        return next((o for o in row.list("orgSourcedIds") if self._org_type(o) == "school"),
                    None)

    # ------------------------------------------------------------------ checking

    def check(self, problems: Problems) -> None:
        """Every reference resolves, usernames are free, enrollments are not repeated."""
        if self.scope.bind_only_school is not None:
            schools = [sid for sid, r in self._active("orgs.csv").items()
                       if r.values["type"] == "school"]
            if len(schools) != 1:
                problems.add("orgs.csv", None, f"lists {len(schools)} schools; say which one is "
                             "yours (its sourcedId as org)")
            else:
                self.scope.orgs = set(schools)
                self.scope.bind = {schools[0]: self.scope.bind_only_school}

        def ref(row: Row, name: str, kind: str, sid: str, what: str | None = None) -> None:
            ok = (self._org_type(sid) is not None) if kind == "org" else self._known(kind, sid)
            if not ok:
                problems.add(row.file, row.line, f"refers to unknown {what or kind} {sid!r} "
                             "(not in this file, nor imported before)", name)

        for row in self._active("orgs.csv").values():
            if row.values.get("parentSourcedId"):
                ref(row, "parentSourcedId", "org", row.values["parentSourcedId"])
        for row in self._active("courses.csv").values():
            ref(row, "orgSourcedId", "org", row.values["orgSourcedId"])
            if row.values.get("schoolYearSourcedId"):
                ref(row, "schoolYearSourcedId", "session", row.values["schoolYearSourcedId"],
                    "academic session")
        for row in self._active("classes.csv").values():
            ref(row, "courseSourcedId", "course", row.values["courseSourcedId"])
            school = row.values["schoolSourcedId"]
            if self._org_type(school) not in (None, "school"):
                problems.add(row.file, row.line, f"schoolSourcedId {school!r} is not a school",
                             "schoolSourcedId")
            else:
                ref(row, "schoolSourcedId", "org", school, "school")
            for term in row.list("termSourcedIds"):
                ref(row, "termSourcedIds", "session", term, "academic session")
        self._check_users(problems, ref)
        self._check_enrollments(problems, ref)

    def _check_users(self, problems: Problems, ref) -> None:
        taken = {u: (sid, line) for u, sid, line in db.session.execute(
            select(User.username, User.sourced_id, User.id))}
        in_file: dict[str, int] = {}
        for row in self._active("users.csv").values():
            for org in row.list("orgSourcedIds"):
                ref(row, "orgSourcedIds", "org", org)
            for agent in row.list("agentSourcedIds"):
                ref(row, "agentSourcedIds", "user", agent)
            name = row.values["username"].lower()
            if name in in_file:
                problems.add(row.file, row.line, f"username {name!r} is also on row "
                             f"{in_file[name]}", "username")
            in_file[name] = row.line
            owner = taken.get(name)
            if owner and owner[0] != row.sourced_id:
                problems.add(row.file, row.line, f"username {name!r} already belongs to another "
                             "Waypoint account", "username")

    def _check_enrollments(self, problems: Problems, ref) -> None:
        pairs: dict[tuple[str, str], int] = {}
        for row in self._active("enrollments.csv").values():
            v = row.values
            ref(row, "classSourcedId", "class", v["classSourcedId"])
            ref(row, "userSourcedId", "user", v["userSourcedId"])
            ref(row, "schoolSourcedId", "org", v["schoolSourcedId"], "school")
            role = self._user_role(v["userSourcedId"])
            if v["role"] in ("student", "teacher") and role is not None:
                wants = ("student",) if v["role"] == "student" else ("teacher", "admin")
                if role not in wants and role in ROLES.values():
                    problems.add(row.file, row.line, f"enrolls {v['userSourcedId']!r} as a "
                                 f"{v['role']}, but that user is a {role}", "role")
            pair = (v["classSourcedId"], v["userSourcedId"])
            if v["role"] == "student" and pair in pairs:
                problems.add(row.file, row.line, f"enrolls {pair[1]!r} in {pair[0]!r} again "
                             f"(also row {pairs[pair]})")
            pairs[pair] = row.line


def _aware(when: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return when if when.tzinfo else when.replace(tzinfo=UTC)
