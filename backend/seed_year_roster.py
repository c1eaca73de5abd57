"""The year school's people, classes and curriculum, created as the demo seed creates them.

Known accounts (password `waypoint`): `year-admin`, `year-teacher1`…, `year-learner1`…,
`year-guardian1`… (guardian k is the family of the k-th learner), and the two pathological
learners `year-goals` (thousands of goals) and `year-evidence` (thousands of evidence
items), both in the first group, so `year-teacher1` teaches them.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from backend.auth import hash_password
from backend.extensions import db
from backend.models import (
    Enrollment,
    GuardianLink,
    Playlist,
    PlaylistItem,
    School,
    SchoolClass,
    User,
)
from backend.seed import create_curriculum, create_educator_catalog
from backend.seed_year_plan import Target

YEAR_PASSWORD = "waypoint"
SCHOOL_NAME = "Lakeside Year School"
LLS = "Lifelong Learning Skills"
FIRST = ("Ada", "Ben", "Cora", "Dev", "Elif", "Finn", "Gia", "Hugo", "Iris", "Jon", "Kai",
         "Lena", "Milo", "Nia", "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tara", "Umi", "Vic",
         "Wren", "Xavi", "Yara", "Zane")


@dataclass
class Group:
    """A group of learners with two classes: math & science, and humanities."""

    learners: list[User]
    teachers_by_area: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Roster:
    school: School
    people: dict[str, User]
    classes: list[SchoolClass]
    groups: list[Group]
    targets: list[Target]


def learner_usernames(n: int) -> list[str]:
    """year-learner1, then the two pathological learners, then the rest."""
    names = ["year-learner1", "year-goals", "year-evidence"]
    return names + [f"year-learner{i}" for i in range(2, n - 1)]


def create_roster(seed: int, spec, start: date, last_day: date) -> Roster:
    """School, people, classes, enrollments, curriculum and playlists; committed."""
    rng = random.Random(f"{seed}:roster")
    opened = datetime.combine(start - timedelta(days=21), time(9, 0), UTC)
    school = School(name=SCHOOL_NAME, created_at=opened, settings={
        "calculation_method": "decaying_average", "method_params": {"weight": 65}})
    db.session.add(school)
    db.session.flush()
    pw = hash_password(YEAR_PASSWORD)  # one hash: argon2 is slow on purpose

    def person(username: str, name: str, role: str) -> User:
        user = User(school_id=school.id, username=username, display_name=name, role=role,
                    password_hash=pw, created_at=opened)
        db.session.add(user)
        people[username] = user
        return user

    people: dict[str, User] = {}
    person("year-admin", "Yusuf Adler (admin)", "admin")
    teachers = [person(f"year-teacher{i}", f"{FIRST[(i * 7) % len(FIRST)]} Teacher{i}",
                       "teacher") for i in range(1, spec.teachers + 1)]
    learners = []
    for k, username in enumerate(learner_usernames(spec.learners)):
        initial = chr(ord("A") + rng.randrange(26))
        learners.append(person(username, f"{FIRST[k % len(FIRST)]} {initial}. ({k + 1})",
                               "student"))
    guardians = [person(f"year-guardian{k + 1}", f"Family of {learner.display_name}",
                        "guardian") for k, learner in enumerate(learners)]
    db.session.flush()
    for guardian, learner in zip(guardians, learners, strict=True):
        db.session.add(GuardianLink(guardian_id=guardian.id, student_id=learner.id))

    topics, targets_by_topic, activities_by_topic = create_curriculum(school)
    # the district's teacher microcredentials (no assessor here: the year's teachers pull as
    # non-assessors, what bench/microcredentials_pull_bench.py measures)
    create_educator_catalog(school, position=len(topics))
    classes, groups = [], []
    for g in range(spec.groups):  # even groups: 600 learners in 22 groups of 27 or 28
        members = learners[round(g * len(learners) / spec.groups):
                           round((g + 1) * len(learners) / spec.groups)]
        math_teacher = teachers[(2 * g) % len(teachers)]
        words_teacher = teachers[(2 * g + 1) % len(teachers)]
        pair = [SchoolClass(school_id=school.id, name=f"Math & Science {g + 1}",
                            teacher_id=math_teacher.id, created_at=opened),
                SchoolClass(school_id=school.id, name=f"Humanities {g + 1}",
                            teacher_id=words_teacher.id, created_at=opened)]
        for cls in pair:
            cls.enrollments = [Enrollment(student_id=u.id) for u in members]
            db.session.add(cls)
        classes += pair
        both = list(dict.fromkeys([math_teacher.username, words_teacher.username]))
        groups.append(Group(members, {"Math": [math_teacher.username],
                                      "Science": [math_teacher.username],
                                      "ELA": [words_teacher.username], LLS: both}))
    db.session.flush()
    for topic_name, (topic, area) in topics.items():
        for cls in classes:
            if (area in ("Math", "Science")) != cls.name.startswith("Math") and area != LLS:
                continue
            playlist = Playlist(school_id=school.id, title=f"{topic_name} playlist",
                                topic_id=topic.id, class_id=cls.id)
            playlist.items = [PlaylistItem(activity_id=a.id, position=i)
                              for i, a in enumerate(activities_by_topic[topic_name])]
            db.session.add(playlist)
    targets = []
    for topic_name, (_topic, area) in topics.items():
        for target in targets_by_topic[topic_name]:
            aligned = tuple(a.id for a in activities_by_topic[topic_name]
                            if a.targets[0].target_id == target.id)
            targets.append(Target(target.id, area, target.scale_level, aligned))
    # the year works through each area's targets in order, areas side by side
    targets.sort(key=lambda t: (t.scale, t.id))
    school.settings = {
        **school.settings,
        "graduation_topics": [t.id for t, area in topics.values() if area != LLS],
        "graduation_target_on": last_day.isoformat(),
    }
    db.session.commit()
    return Roster(school, people, classes, groups, targets)
