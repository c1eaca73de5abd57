"""OneRoster 1.1 roster import: schools, people, classes, enrollments and guardian links.

Idempotent by `sourcedId`: a record Waypoint has seen is updated in place, never
duplicated. Delta rows older than what was last applied are skipped, and tombstones
(`status=tobedeleted`) deactivate users and remove enrollments; a `bulk` file is the whole
truth for its schools, so imported records it leaves out are retired the same way. Nothing
is ever erased from a learner's binder.

How OneRoster maps onto Waypoint:

* orgs of type `school` → schools; districts and other orgs are only remembered.
* users: `student` → learner, `teacher` → teacher, `administrator` → admin, `parent`,
  `guardian` and `relative` → guardian. `aide` and `proctor` have no Waypoint role and are
  skipped. A user belongs to the first school in their `orgSourcedIds`. Imported accounts
  get no password (they cannot sign in until an admin sets one or single sign-on arrives).
* `agentSourcedIds` links guardians and learners (either side may list the other); a row
  is the truth for its own links, so a link its row no longer lists is removed.
* classes: a class needs one teacher: the `primary` teacher enrollment, else the first.
  A new class with no teacher is skipped with a warning; co-teachers are named in warnings.
* courses and academic sessions are checked as references and remembered, not stored.
"""

from sqlalchemy import select

from backend.extensions import db
from backend.interop.oneroster_check import ROLES, SYSTEM, RosterReader, Scope
from backend.interop.oneroster_csv import Row, read_zip
from backend.interop.problems import ImportReport, Problems
from backend.models import (
    Enrollment,
    GuardianLink,
    InteropRecord,
    LearnerGroup,
    Playlist,
    School,
    SchoolClass,
    User,
)

__all__ = ["NO_PASSWORD", "ROLES", "Scope", "import_oneroster"]
# Not an argon2 hash, so no password ever matches it (backend.auth.check_password).
NO_PASSWORD = "!oneroster:no-password-set"


def import_oneroster(data: bytes, *, dry_run: bool = False, scope: Scope | None = None,
                     source: str = "upload", progress=None) -> ImportReport:
    """Check the whole zip, then apply it in one transaction (rolled back for a dry run).

    Raises ImportRefused, naming every problem, when anything is wrong; nothing is written.
    """
    problems = Problems()
    package = read_zip(data, problems, source, progress)
    problems.raise_if_any("OneRoster import")
    report = ImportReport("oneroster", dry_run)
    importer = _Importer(package, scope or Scope(), report)
    if progress:
        progress("checking references", 0, package.total_rows())
    importer.check(problems)
    problems.raise_if_any("OneRoster import")
    if progress:
        progress("applying changes", 0, package.total_rows())
    try:
        importer.apply()
        db.session.flush()
    except Exception:
        db.session.rollback()
        raise
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return report


def _display_name(row: Row) -> str:
    v = row.values
    return " ".join(p for p in (v.get("givenName", ""), v.get("familyName", "")) if p)[:120]


class _Importer(RosterReader):
    """Applies a checked package; every change is reported."""

    # ------------------------------------------------------------------ applying

    def apply(self) -> None:
        self._apply_orgs()
        self._remember_only("academicSessions.csv", "session")
        self._remember_only("courses.csv", "course")
        self._apply_users()
        db.session.flush()
        self._apply_classes()
        db.session.flush()
        self._apply_enrollments()
        self._apply_links()

    def _remember(self, row: Row, kind: str, local_id: int | None = None) -> None:
        rec = self.records.get(row.sourced_id)
        if rec is None:
            rec = InteropRecord(system=SYSTEM, identifier=row.sourced_id)
            db.session.add(rec)
            self.records[row.sourced_id] = rec
        rec.kind = kind
        rec.local_id = local_id
        rec.status = "tobedeleted" if row.is_tombstone else "active"
        rec.date_last_modified = row.date_last_modified or rec.date_last_modified

    def _remember_only(self, file: str, kind: str) -> None:
        for row in self.rows.get(file, []):
            self._remember(row, kind)

    def _apply_orgs(self) -> None:
        for row in self.rows.get("orgs.csv", []):
            if row.is_tombstone:
                if row.sourced_id in self.schools:
                    self.report.warn(f"orgs.csv row {row.line}: school {row.sourced_id!r} is "
                                     "marked tobedeleted; schools are never deleted by an import")
                self._remember(row, "school" if row.sourced_id in self.schools else "org")
                continue
            if row.values["type"] != "school":
                self._remember(row, "org")
                continue
            if not self.scope.covers(row.sourced_id):
                self.report.change("schools", "skip", f"skip school {row.values['name']} "
                                   "(not yours)")
                self._remember(row, "school")
                continue
            school = self.schools.get(row.sourced_id)
            name = row.values["name"]
            if school is None and row.sourced_id in self.scope.bind:
                school = db.session.get(School, self.scope.bind[row.sourced_id])
                school.sourced_id = row.sourced_id
                self.report.change("schools", "update", f"link school {school.name} to "
                                   f"{row.sourced_id}")
            elif school is None:
                school = School(name=name, sourced_id=row.sourced_id, settings={})
                db.session.add(school)
                self.report.change("schools", "create", f"create school {name}")
            elif school.name != name:
                self.report.change("schools", "update", f"rename school {school.name} to {name}")
            else:
                self.report.change("schools", "unchanged")
            school.name = name
            self.schools[row.sourced_id] = school
            db.session.flush()
            self._remember(row, "school", school.id)

    def _apply_users(self) -> None:
        for row in self.rows.get("users.csv", []):
            user = self.users.get(row.sourced_id)
            if row.is_tombstone:
                if user is not None and user.is_active:
                    user.is_active = False
                    self.report.change("users", "deactivate", f"deactivate {user.username}")
                self._remember(row, "user", user.id if user else None)
                continue
            self._apply_user(row, user)
        if self.p.modes.get("users.csv") == "bulk":
            listed = set(self._active("users.csv"))
            for sid, user in self.users.items():
                school = user.school.sourced_id
                if sid not in listed and user.is_active and school and self.scope.covers(school):
                    user.is_active = False
                    self.report.change("users", "deactivate", f"deactivate {user.username} "
                                       "(no longer in the roster)")

    def _apply_user(self, row: Row, user: User | None) -> None:
        v = row.values
        role = ROLES.get(v["role"])
        if role is None:
            self.skipped_users.add(row.sourced_id)
            self.report.change("users", "skip", f"skip {v['username']} ({v['role']}: no such "
                               "role in Waypoint)")
            return
        org = self._school_of_user(row)
        if org is None or not self.scope.covers(org) or org not in self.schools:
            self.skipped_users.add(row.sourced_id)
            why = "not in your school" if org else "belongs to no school"
            self.report.change("users", "skip", f"skip {v['username']} ({why})")
            return
        wanted = {"username": v["username"].lower(), "display_name": _display_name(row),
                  "role": role, "school_id": self.schools[org].id,
                  "is_active": v["enabledUser"] == "true"}
        if user is None:
            user = User(sourced_id=row.sourced_id, password_hash=NO_PASSWORD, **wanted)
            db.session.add(user)
            self.users[row.sourced_id] = user
            self.report.change("users", "create", f"create {wanted['username']} ({role}, "
                               f"{self.schools[org].name})")
        else:
            changed = sorted(k for k, val in wanted.items() if getattr(user, k) != val)
            for key in changed:
                setattr(user, key, wanted[key])
            if changed:
                self.report.change("users", "update", f"update {user.username}: "
                                   f"{', '.join(changed)}")
            else:
                self.report.change("users", "unchanged")
        db.session.flush()
        self._remember(row, "user", user.id)

    def _teachers(self) -> dict[str, list[Row]]:
        """Teacher enrollments per class, primary first."""
        out: dict[str, list[Row]] = {}
        for row in self._active("enrollments.csv").values():
            if row.values["role"] == "teacher":
                out.setdefault(row.values["classSourcedId"], []).append(row)
        for rows in out.values():
            rows.sort(key=lambda r: (r.values.get("primary") != "true", r.line))
        return out

    def _apply_classes(self) -> None:
        teachers = self._teachers()
        for row in self.rows.get("classes.csv", []):
            cls = self.classes.get(row.sourced_id)
            if row.is_tombstone:
                if cls is not None:
                    self._retire_class(cls, "marked tobedeleted")
                self._remember(row, "class")
                continue
            self._apply_class(row, cls, teachers.get(row.sourced_id, []))
        if self.p.modes.get("classes.csv") == "bulk":
            listed = set(self._active("classes.csv"))
            for sid, cls in list(self.classes.items()):
                school = db.session.get(School, cls.school_id).sourced_id
                if sid not in listed and school and self.scope.covers(school):
                    self._retire_class(cls, "no longer in the roster")

    def _apply_class(self, row: Row, cls: SchoolClass | None, teachers: list[Row]) -> None:
        v = row.values
        if not self.scope.covers(v["schoolSourcedId"]):
            self.skipped_classes.add(row.sourced_id)
            self.report.change("classes", "skip", f"skip class {v['title']} (not your school)")
            return
        teacher_ids = [self.users[t.values["userSourcedId"]].id for t in teachers
                       if t.values["userSourcedId"] in self.users
                       and t.values["userSourcedId"] not in self.skipped_users]
        teacher_id = teacher_ids[0] if teacher_ids else (cls.teacher_id if cls else None)
        if len(teacher_ids) > 1:
            self.report.warn(f"class {v['title']}: {len(teacher_ids)} teachers; Waypoint keeps "
                             "one per class, the primary (or first) one")
        if teacher_id is None:
            self.skipped_classes.add(row.sourced_id)
            self.report.change("classes", "skip", f"skip class {v['title']} (no teacher "
                               "enrollment: Waypoint needs one teacher per class)")
            self._remember(row, "class")
            return
        wanted = {"name": v["title"], "teacher_id": teacher_id,
                  "school_id": self.schools[v["schoolSourcedId"]].id}
        if cls is None:
            cls = SchoolClass(sourced_id=row.sourced_id, **wanted)
            db.session.add(cls)
            self.classes[row.sourced_id] = cls
            self.report.change("classes", "create", f"create class {v['title']}")
        else:
            changed = sorted(k for k, val in wanted.items() if getattr(cls, k) != val)
            for key in changed:
                setattr(cls, key, wanted[key])
            if changed:
                self.report.change("classes", "update", f"update class {cls.name}: "
                                   f"{', '.join(changed)}")
            else:
                self.report.change("classes", "unchanged")
        db.session.flush()
        self._remember(row, "class", cls.id)

    def _retire_class(self, cls: SchoolClass, why: str) -> None:
        """Delete a class; one that playlists or groups still use is kept, emptied."""
        for enrollment in list(cls.enrollments):
            self._drop_enrollment(enrollment, f"class {cls.name} {why}")
        is_used = db.session.scalar(select(Playlist.id).where(Playlist.class_id == cls.id)
                                    .limit(1)) or db.session.scalar(
            select(LearnerGroup.id).where(LearnerGroup.class_id == cls.id).limit(1))
        if is_used:
            self.report.warn(f"class {cls.name} is {why} but has playlists or groups; kept "
                             "without learners")
            return
        self.classes.pop(cls.sourced_id, None)
        db.session.delete(cls)
        self.report.change("classes", "delete", f"delete class {cls.name} ({why})")

    def _drop_enrollment(self, enrollment: Enrollment, why: str) -> None:
        self.enrollments.pop(enrollment.sourced_id, None)
        cls, student = enrollment.school_class, enrollment.student
        cls.enrollments.remove(enrollment)
        db.session.delete(enrollment)
        self.report.change("enrollments", "remove", f"remove {student.username} from "
                           f"{cls.name} ({why})")

    def _apply_enrollments(self) -> None:
        ignored = 0
        for row in self.rows.get("enrollments.csv", []):
            v = row.values
            existing = self.enrollments.get(row.sourced_id)
            if row.is_tombstone:
                if existing is not None:
                    self._drop_enrollment(existing, "marked tobedeleted")
                self._remember(row, "enrollment")
                continue
            if v["role"] != "student":
                ignored += v["role"] != "teacher"  # teachers were used for the class
                self._remember(row, "enrollment")
                continue
            self._apply_enrollment(row, existing)
        if ignored:
            self.report.warn(f"{ignored} administrator, aide or proctor enrollments ignored "
                             "(Waypoint has no such class role)")
        if self.p.modes.get("enrollments.csv") == "bulk":
            listed = set(self._active("enrollments.csv"))
            for sid, enrollment in list(self.enrollments.items()):
                school_sid = db.session.get(School, enrollment.school_class.school_id).sourced_id
                if sid not in listed and school_sid and self.scope.covers(school_sid):
                    self._drop_enrollment(enrollment, "no longer in the roster")

    def _apply_enrollment(self, row: Row, existing: Enrollment | None) -> None:
        v = row.values
        cls = self.classes.get(v["classSourcedId"])
        student = self.users.get(v["userSourcedId"])
        if (cls is None or student is None or v["classSourcedId"] in self.skipped_classes
                or v["userSourcedId"] in self.skipped_users):
            self.report.change("enrollments", "skip")
            self._remember(row, "enrollment")
            return
        if existing is not None and (existing.class_id, existing.student_id) == (cls.id,
                                                                              student.id):
            self.report.change("enrollments", "unchanged")
            self._remember(row, "enrollment", existing.id)
            return
        if existing is not None:
            self._drop_enrollment(existing, "moved")
        manual = next((e for e in cls.enrollments if e.student_id == student.id), None)
        if manual is not None:  # enrolled by hand before: adopt it
            manual.sourced_id = row.sourced_id
            enrollment = manual
            self.report.change("enrollments", "unchanged")
        else:
            enrollment = Enrollment(student=student, sourced_id=row.sourced_id)
            cls.enrollments.append(enrollment)
            self.report.change("enrollments", "create", f"enroll {student.username} in "
                               f"{cls.name}")
        self.enrollments[row.sourced_id] = enrollment
        db.session.flush()
        self._remember(row, "enrollment", enrollment.id)

    def _apply_links(self) -> None:
        """Guardian ↔ learner links from `agentSourcedIds`; each row is the truth for its own."""
        rows = {sid: r for sid, r in self._active("users.csv").items()
                if sid not in self.skipped_users and sid in self.users}
        wanted: set[tuple[int, int]] = set()
        for sid, row in rows.items():
            me = self.users[sid]
            for agent in row.list("agentSourcedIds"):
                other = self.users.get(agent)
                if other is None or agent in self.skipped_users:
                    continue
                pair = _pair(me, other)
                if pair is None:
                    if me.role in ("student", "guardian") and other.role != me.role:
                        self.report.warn(f"users.csv row {row.line}: agent {agent} is a "
                                         f"{other.role}; only guardians and learners are linked")
                    continue
                wanted.add(pair)
        touched = {self.users[sid].id for sid in rows}
        imported = {u.id for u in self.users.values()}
        listed_by = {}  # who in the file lists whom, so two rows can agree on a link
        for sid, row in rows.items():
            listed_by[self.users[sid].id] = {self.users[a].id for a in row.list("agentSourcedIds")
                                             if a in self.users}
        existing = db.session.scalars(select(GuardianLink).where(
            GuardianLink.guardian_id.in_(touched) | GuardianLink.student_id.in_(touched))).all()
        have = {(link.guardian_id, link.student_id): link for link in existing}
        for pair, link in have.items():
            g, s = pair
            if pair in wanted or not ({g, s} <= imported):
                continue
            if listed_by.get(g) is not None and s in listed_by[g]:
                continue
            if listed_by.get(s) is not None and g in listed_by[s]:
                continue
            db.session.delete(link)
            self.report.change("guardian links", "remove",
                               f"unlink {db.session.get(User, g).username} from "
                               f"{db.session.get(User, s).username}")
        for pair in sorted(wanted - set(have)):
            db.session.add(GuardianLink(guardian_id=pair[0], student_id=pair[1]))
            self.report.change("guardian links", "create",
                               f"link {db.session.get(User, pair[0]).username} to "
                               f"{db.session.get(User, pair[1]).username}")
        if wanted & set(have):
            self.report.counts[("guardian links", "unchanged")] += len(wanted & set(have))


def _pair(a: User, b: User) -> tuple[int, int] | None:
    if a.role == "guardian" and b.role == "student":
        return a.id, b.id
    if a.role == "student" and b.role == "guardian":
        return b.id, a.id
    return None
