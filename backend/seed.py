"""Seed the demo school: deterministic curriculum, people and weeks of assessment history.

The roster and curriculum are created directly; everything a learner or a teacher writes
(goals, picks, self-assessments, evidence, reviews, ratings) is sent through the sync
adapter as their devices would send it (backend/seed_demo_push.py).
"""

import random
import uuid
from datetime import date, time, timedelta

from sqlalchemy import func, select

from backend.auth import hash_password
from backend.extensions import db
from backend.models import (
    Activity,
    ActivityTarget,
    ContentArea,
    Enrollment,
    GuardianLink,
    LearnerGroup,
    LearnerGroupMember,
    LearningTarget,
    MeasurementTopic,
    MicrocredentialTerms,
    Playlist,
    PlaylistItem,
    RubricDescriptor,
    School,
    SchoolClass,
    User,
)
from backend.seed_data import (
    ACTIVITIES,
    CLASSES,
    COACH,
    CURRICULUM,
    EDUCATOR_ACTIVITIES,
    EDUCATOR_AREA,
    EDUCATOR_ASSESSORS,
    EDUCATOR_CATALOG,
    GUARDIANS,
    LEARNERS,
    SHOW_WAYS,
    TEACHERS,
)

DEMO_PASSWORD = "waypoint"
_NS = uuid.UUID("6b1d2a4e-0d1c-4c52-9d0e-2f6a8f0b7a11")


def _id(*parts) -> str:
    """Deterministic ids so two seeds of an empty database are identical."""
    return str(uuid.uuid5(_NS, "/".join(map(str, parts))))


def _rubric(title: str, foundational: str, beyond: str) -> list[RubricDescriptor]:
    return [
        RubricDescriptor(score=4, text=f"Goes beyond the target: can {beyond}."),
        RubricDescriptor(score=3, text=f"Can {title[0].lower() + title[1:]} independently, "
                                       "without major errors."),
        RubricDescriptor(score=2, text=f"Can {foundational}, but makes major errors on the "
                                       "target itself."),
        RubricDescriptor(score=1, text="With help, shows partial understanding of the simpler "
                                       "and the target content."),
        RubricDescriptor(score=0, text="Even with help, no understanding shown yet."),
    ]


def is_seeded() -> bool:
    return (db.session.scalar(select(func.count()).select_from(School)) or 0) > 0


def seed_demo(today: date | None = None) -> dict:
    """Create the demo school. Refuses to run on a database that already has a school."""
    if is_seeded():
        return {"created": False}
    today = today or date.today()
    rng = random.Random(20261122)
    pw = hash_password(DEMO_PASSWORD)  # one hash: argon2 is slow on purpose

    school = School(name="Riverbend Community School", settings={
        "calculation_method": "decaying_average", "method_params": {"weight": 65}})
    db.session.add(school)
    db.session.flush()

    def person(username, name, role):
        u = User(school_id=school.id, username=username, display_name=name, role=role,
                 password_hash=pw)
        db.session.add(u)
        return u

    people = {"admin": person("admin", "Dana Whitfield (admin)", "admin")}
    for username, name in TEACHERS:
        people[username] = person(username, name, "teacher")
    for username, name in LEARNERS:
        people[username] = person(username, name, "student")
    for username, name, _ in GUARDIANS:
        people[username] = person(username, name, "guardian")
    # teacher microcredentials: a coach who assesses educators' evidence (teaches no class)
    people[COACH[0]] = person(COACH[0], COACH[1], "teacher")
    for username in (COACH[0], *EDUCATOR_ASSESSORS):
        people[username].is_assessor = True
    db.session.flush()
    for username, _, children in GUARDIANS:
        for child in children:
            db.session.add(GuardianLink(guardian_id=people[username].id,
                                        student_id=people[child].id))

    classes = {}
    for name, teacher, learners in CLASSES:
        cls = SchoolClass(school_id=school.id, name=name, teacher_id=people[teacher].id)
        cls.enrollments = [Enrollment(student_id=people[u].id) for u in learners]
        db.session.add(cls)
        classes[name] = cls
    db.session.flush()

    topics, targets_by_topic, activities_by_topic = create_curriculum(school)
    create_educator_catalog(school, position=len(topics))
    db.session.flush()

    _seed_playlists(school, classes, people, topics, targets_by_topic, activities_by_topic)
    db.session.commit()  # the devices below push against a committed roster

    from backend.seed_demo_push import DemoWrites  # seed_year imports this module

    writes = DemoWrites()
    counts, scores = _seed_history(rng, today, people, topics, targets_by_topic, writes)
    counts["picks"] = _seed_picks(today, people, activities_by_topic, scores, writes)
    counts["mutations"] = writes.push(people, [people[u].id for u, _ in LEARNERS])[
        "mutations"]
    school.settings = {
        **school.settings,
        # every academic topic is required; the goal is the end of the school year
        "graduation_topics": [t.id for t, area in topics.values() if area != "Lifelong "
                              "Learning Skills"],
        "graduation_target_on": _end_of_school_year(today).isoformat(),
    }
    db.session.commit()
    return {"created": True, "learners": len(LEARNERS), **counts}


def create_curriculum(school: School) -> tuple[dict, dict, dict]:
    """The demo curriculum (areas, topics, targets with rubrics, activities) for a school;
    the school-year generator (backend/seed_year.py) builds its school on it too.

    Returns (topic name -> (topic, area name), topic name -> targets, topic name ->
    activities).
    """
    topics, targets_by_topic, activities_by_topic = {}, {}, {}
    for a_pos, (area_name, is_academic, topic_rows) in enumerate(CURRICULUM):
        area = ContentArea(school_id=school.id, name=area_name, is_academic=is_academic,
                           position=a_pos)
        db.session.add(area)
        db.session.flush()
        for t_pos, (topic_name, level, description, target_rows) in enumerate(topic_rows):
            topic = MeasurementTopic(content_area_id=area.id, name=topic_name, level=level,
                                     description=description, position=t_pos)
            db.session.add(topic)
            db.session.flush()
            topics[topic_name] = (topic, area_name)
            targets_by_topic[topic_name] = []
            for pos, (code, scale, title, found, beyond) in enumerate(target_rows):
                target = LearningTarget(topic_id=topic.id, code=code, title=title,
                                        scale_level=scale, position=pos)
                target.rubric = _rubric(title, found, beyond)
                db.session.add(target)
                targets_by_topic[topic_name].append(target)
            db.session.flush()
            activities_by_topic[topic_name] = []
            for i, (title, kind, modality, minutes) in enumerate(ACTIVITIES[topic_name]):
                aligned = targets_by_topic[topic_name][i % len(target_rows)]
                activity = Activity(school_id=school.id, title=title, kind=kind,
                                    modality=modality, minutes=minutes,
                                    show_ways=list(SHOW_WAYS.get(kind, [])),
                                    description=f"Aligned to {aligned.code}: {aligned.title}.")
                activity.targets = [ActivityTarget(target_id=aligned.id)]
                db.session.add(activity)
                activities_by_topic[topic_name].append(activity)
    db.session.flush()
    return topics, targets_by_topic, activities_by_topic


def create_educator_catalog(school: School, position: int = 100) -> list[MeasurementTopic]:
    """The district's catalog of teacher microcredentials: one educator content area whose
    topics are microcredentials (with their terms) and whose targets are the competencies,
    each with a four-level rubric; and the activities a teacher works through, aligned to
    the competencies."""
    area = ContentArea(school_id=school.id, name=EDUCATOR_AREA, is_academic=False,
                       position=position, audience="educator")
    db.session.add(area)
    db.session.flush()
    made = []
    for t_pos, (name, description, requirements, cents, hours, competencies) in enumerate(
            EDUCATOR_CATALOG):
        topic = MeasurementTopic(content_area_id=area.id, name=name, level=1,
                                 description=description, position=t_pos)
        db.session.add(topic)
        db.session.flush()
        db.session.add(MicrocredentialTerms(topic_id=topic.id, requirements=requirements,
                                            stipend_cents=cents, recert_hours=hours))
        by_code = {}
        for pos, (code, title, levels) in enumerate(competencies):
            target = LearningTarget(topic_id=topic.id, code=code, title=title, scale_level=3.0,
                                    position=pos)
            target.rubric = [RubricDescriptor(score=i + 1, text=text)
                             for i, text in enumerate(levels)]
            db.session.add(target)
            by_code[code] = target
        db.session.flush()
        for title, kind, modality, minutes, codes in EDUCATOR_ACTIVITIES.get(name, []):
            activity = Activity(school_id=school.id, title=title, kind=kind, modality=modality,
                                minutes=minutes, show_ways=list(SHOW_WAYS.get(kind, [])),
                                description=f"For the microcredential {name}.")
            activity.targets = [ActivityTarget(target_id=by_code[c].id) for c in codes]
            db.session.add(activity)
        made.append(topic)
    db.session.flush()
    return made


def day_before(today: date, days: int) -> date:
    """A day in the demo's past (never today: a stamp from today could be a later edit's)."""
    return today - timedelta(days=max(1, days))


def _end_of_school_year(today: date) -> date:
    year = today.year + 1 if today.month >= 7 else today.year
    return date(year, 6, 12)


def _seed_picks(today, people, activities_by_topic, scores, writes) -> int:
    """Finished activities: some between two ratings of their target, some by habit.

    Its own random stream, so the history above stays exactly as it was. `scores` maps
    (learner id, target id) to the days the teacher rated it.
    """
    rng = random.Random(20261123)
    aligned: dict[int, list[Activity]] = {}
    for activities in activities_by_topic.values():
        for activity in activities:
            aligned.setdefault(activity.targets[0].target_id, []).append(activity)
    n = 0

    def pick(learner, activity, on: date, k: int) -> None:
        nonlocal n
        writes.add(learner, on, time(15, 0), "pick.put", {
            "id": _id("pick", learner.username, activity.id, k), "student_id": learner.id,
            "activity_id": activity.id, "status": "done"})
        n += 1

    for username, _name in LEARNERS:
        learner = people[username]
        worked = []
        for (student_id, target_id), days in sorted(scores.items()):
            if student_id != learner.id or target_id not in aligned:
                continue
            worked.append(target_id)
            days = sorted(days)
            if len(days) < 2 or rng.random() >= 0.35:
                continue
            activity = rng.choice(aligned[target_id])
            done_on = min(days[0] + timedelta(days=1), days[1] - timedelta(days=1))
            pick(learner, activity, max(done_on, days[0]), 0)
        # habits: each learner tends to finish one kind of activity
        kinds = ("practice", "video", "project", "lab", "reading", "peer")
        liked = kinds[learner.id % len(kinds)]
        choices = [a for t in worked for a in aligned[t] if a.kind == liked]
        for k, activity in enumerate(rng.sample(choices, min(2, len(choices))), start=1):
            pick(learner, activity, today - timedelta(days=2 + k), k)
    return n


def _topic_classes(area_name: str) -> list[str]:
    if area_name in ("Math", "Science"):
        return ["Math Studio A", "Math Studio B"]
    if area_name == "ELA":
        return ["Writers' Workshop", "Humanities Lab"]
    return [name for name, _, _ in CLASSES]


def _seed_playlists(school, classes, people, topics, targets_by_topic, activities_by_topic):
    for topic_name, (topic, area_name) in topics.items():
        for class_name in _topic_classes(area_name):
            playlist = Playlist(school_id=school.id, title=f"{topic_name} playlist",
                                topic_id=topic.id, class_id=classes[class_name].id)
            playlist.items = [PlaylistItem(activity_id=a.id, position=i)
                              for i, a in enumerate(activities_by_topic[topic_name])]
            db.session.add(playlist)
    # regrouping around a learning target: a small group working on unlike denominators
    group = LearnerGroup(class_id=classes["Math Studio A"].id, name="Unlike denominators")
    db.session.add(group)
    db.session.flush()
    for username in ("student", "student3", "student5", "student7"):
        db.session.add(LearnerGroupMember(group_id=group.id, student_id=people[username].id))
    fractions = activities_by_topic["Fractions"]
    target = targets_by_topic["Fractions"][1]
    group_list = Playlist(school_id=school.id, title="Unlike denominators: small group",
                          target_id=target.id, group_id=group.id)
    group_list.items = [PlaylistItem(activity_id=fractions[i].id, position=n)
                        for n, i in enumerate((2, 6, 3))]
    one = Playlist(school_id=school.id, title="Eli's ratio catch-up", student_id=people[
        "student2"].id, topic_id=topics["Ratios & Proportional Reasoning"][0].id)
    ratios = activities_by_topic["Ratios & Proportional Reasoning"]
    one.items = [PlaylistItem(activity_id=ratios[i].id, position=n) for n, i in enumerate((0, 1))]
    db.session.add_all([group_list, one])


def _teacher_for(area_name: str) -> str:
    return "teacher2" if area_name == "ELA" else "teacher"


def _seed_history(rng, today, people, topics, targets_by_topic, writes) -> tuple[dict, dict]:
    """Eight weeks of teacher ratings, self-assessments, evidence and goals.

    Returns the counts and, per (learner id, target id), the days the teacher rated it.
    """
    n_events = n_evidence = 0
    scores: dict[tuple[int, int], list[date]] = {}
    for index, (username, _name) in enumerate(LEARNERS):
        learner = people[username]
        # spread of readiness: some learners well ahead, some behind
        ability = 1.0 + 2.8 * ((index * 7) % 24) / 23
        enrolled = {c for c, _, members in CLASSES if username in members}
        for topic_name, (_topic, area_name) in topics.items():
            if not enrolled & set(_topic_classes(area_name)):
                continue
            author = people[_teacher_for(area_name)]
            for t_index, target in enumerate(targets_by_topic[topic_name]):
                reach = ability - (target.scale_level - 3.0) * 0.9 - 0.15 * t_index
                if reach < 0.6:
                    continue  # not started yet
                tries = rng.randint(1, 4)
                for k in range(tries):
                    growth = (k + 1) / tries
                    score = max(0.0, min(4.0, round((reach * (0.6 + 0.4 * growth)
                                                     + rng.uniform(-0.4, 0.4)) * 2) / 2))
                    day = today - timedelta(days=56 - int(50 * (k + 1) / (tries + 1))
                                            - rng.randint(0, 4))
                    # tries of one day keep their order: a later try has a later stamp
                    writes.add(author, day, time(9, 10 * k), "rating.put", {
                        "student_id": learner.id, "target_id": target.id, "level": score,
                        "base_version": 0})
                    scores.setdefault((learner.id, target.id), []).append(day)
                    n_events += 1
                if rng.random() < 0.35:
                    level = max(0.0, min(4.0, round((reach + rng.uniform(-0.5, 0.8)) * 2) / 2))
                    writes.add(learner, today - timedelta(days=rng.randint(1, 20)), time(14, 0),
                               "self_assessment.put", {"student_id": learner.id,
                                                       "target_id": target.id, "level": level,
                                                       "note": ""})
                    n_events += 1
                if rng.random() < 0.3:
                    n_evidence += 1
                    _evidence(rng, learner, target, author, today, n_evidence, writes)
        _goals(learner, targets_by_topic, today, writes)
    return {"assessment_events": n_events, "evidence": n_evidence}, scores


def _evidence(rng, learner, target, teacher, today, n, writes):
    """A piece of work the learner submitted; most were approved the next day."""
    approved = rng.random() < 0.6
    kind = "link" if n % 3 == 0 else "text"
    evidence_id = _id("evidence", learner.username, target.code)
    submitted_on = day_before(today, 3 + (n * 5) % 21)
    writes.add(learner, submitted_on, time(10, 0), "evidence.put", {
        "id": evidence_id, "student_id": learner.id, "kind": kind,
        "caption": f"My work on {target.code}: {target.title.lower()}",
        "target_ids": [target.id], "submitted": True,
        **({"url": f"https://docs.example.org/riverbend/work-{n}"} if kind == "link" else
           {"text": "I explained my steps and checked them with a model."})})
    if approved:
        writes.add(teacher, submitted_on + timedelta(days=1), time(11, 0), "evidence.review", {
            "evidence_id": evidence_id, "decision": "approved",
            "comment": "Clear steps. Well done."})


def _goals(learner, targets_by_topic, today, writes):
    """One or two active goals each, set in the last fortnight."""
    fractions = targets_by_topic["Fractions"]
    writing = targets_by_topic["Argument Writing"]
    choices = [
        ("Add fractions with unlike denominators without a calculator", [fractions[1].id]),
        ("Write an op-ed with a counterclaim and a rebuttal", [writing[4].id]),
        ("Finish my fractions playlist before the next check-in", [fractions[2].id]),
    ]
    for k in range(1 + learner.id % 2):
        title, target_ids = choices[(learner.id + k) % len(choices)]
        writes.add(learner, day_before(today, 12 - 5 * k), time(12, 0), "goal.put", {
            "id": _id("goal", learner.username, k), "student_id": learner.id, "title": title,
            "target_ids": target_ids, "due_on": (today + timedelta(days=7 + 7 * k)).isoformat(),
            "status": "active",
            "reflection": "" if k else "I get stuck finding the common denominator."})
