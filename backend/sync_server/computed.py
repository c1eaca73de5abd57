"""Computed rows: the `level`, `topic_progress` and `recommendation` rows a pull carries
(`computed=True`), and the cache that keeps them until their inputs change.

`level` and `topic_progress` are worked out from events on read and stored nowhere, so they
have no version of their own. Whenever an event, rating or conflict of a (learner, target)
is in a page, the page also carries that target's `level` row and its topic's
`topic_progress` row, stamped with the triggering row's version. A device that has pulled
up to cursor C therefore has levels computed from every event up to C. They share versions
with their trigger and do not count toward `limit`.

A learner's own pull (role student) also carries `recommendation` rows, one per topic
(services/recommendations.py), whenever the page holds any of their event, pick, rating,
self-assessment, profile-section or "not for me" rows (stamped with the highest such
version), and always on the first page from an empty cursor, so a fresh device can show its
suggestions offline.

The cache (issue 16): a bounded in-process LRU per app, one entry per learner, holding
what was computed for them (per topic: each target's level and the topic's credit and
pace; and their suggestions) together with the inputs it was computed from:

* levels and progress: the learner's events (highest version and count: every write takes
  a fresh version from the one counter, so an added or changed event moves the highest and
  a removed one the count), the school's curriculum (the same for its content areas,
  topics and targets: a topic's method override or a target deleted moves them), the
  school's settings (method, credit rule, graduation topics and date: they carry no version,
  so they are compared whole) and today's date (pace is counted to today);
* suggestions: the cache keeps the learner's plan (plan_recommendations: next targets,
  aligned activities, habits, stated preferences, declines, playlist order), keyed on the
  highest version and count of what it reads (`_PLAN`: the learner's events, finished
  picks, declines and profile sections, and the school's activities, playlists, classes
  and groups), the school's playlist items and activity targets (id and count: they carry
  no version), the curriculum, the settings and the date. A pick that is not finished, a
  goal or a self-assessment leaves the plan as it is. What worked for others changes with
  every teacher's score, so it is not part of the plan: it is read on every pull from the
  school's counts kept in gains.py, and the plan ranked with it (rank_recommendations).

A lookup reads those inputs first (two or three small queries for the whole page) and serves
the entry only when they are equal, so a row computed from older inputs is never served;
the inputs are read before the rows are computed, so an entry is never older than its key.
The key is the learner's id: an entry can only ever be served for that learner. Several
workers each keep their own cache (the inputs decide, so they cannot disagree).
`COMPUTED_CACHE_LEARNERS` (app config, default 4000) bounds the learners kept; 0 turns the
cache off.
"""

import json
from datetime import date

from sqlalchemy import bindparam, func, literal, select, union_all
from sqlalchemy.orm import Session

from backend.models import (
    Activity,
    ActivityTarget,
    AssessmentEvent,
    ContentArea,
    LearnerGroup,
    LearningTarget,
    MeasurementTopic,
    Pick,
    Playlist,
    PlaylistItem,
    SchoolClass,
    User,
)
from backend.models.declines import SuggestionDecline
from backend.models.profile import ProfileSection
from backend.services.gains import gains_of_others
from backend.services.levels import learner_topics, school_topics
from backend.services.pace import goal_date, required_topics, topic_plan
from backend.services.recommendations import plan_recommendations, rank_recommendations
from backend.services.versions import current_version
from backend.sync_server.computed_cache import cache
from backend.sync_server.gains import gains_for

TRIGGERS = ("event", "rating", "conflict")
RECOMMENDATION_TRIGGERS = ("event", "pick", "rating", "self_assessment", "profile_section",
                           "suggestion_decline")
LEVEL_KEYS = ("level", "level_words", "method_label", "explanation", "steps", "sentence")
CREDIT_KEYS = ("is_met", "rule_words", "proficient_count", "proficient_needed",
               "more_needed", "blocking")


SCHOOL, LEARNERS = bindparam("school"), bindparam("learners", expanding=True)


def _max_count(version, ident, *joins, where, name: str):
    query = select(literal(name), func.coalesce(func.max(version), 0), func.count(ident))
    if joins:
        query = query.select_from(joins[0])
        for model in joins[1:]:
            query = query.join(model)
    return query.where(where)


_CURRICULUM = union_all(
    _max_count(ContentArea.version, ContentArea.id, ContentArea,
               where=ContentArea.school_id == SCHOOL, name="area"),
    _max_count(MeasurementTopic.version, MeasurementTopic.id, MeasurementTopic, ContentArea,
               where=ContentArea.school_id == SCHOOL, name="topic"),
    _max_count(LearningTarget.version, LearningTarget.id, LearningTarget, MeasurementTopic,
               ContentArea, where=ContentArea.school_id == SCHOOL, name="target"),
)
LEARNER = bindparam("learner")
_UNVERSIONED = (  # what suggestions read that carries no version of its own
    _max_count(PlaylistItem.id, PlaylistItem.id, PlaylistItem, Playlist,
               where=Playlist.school_id == SCHOOL, name="playlist_item"),
    _max_count(ActivityTarget.id, ActivityTarget.id, ActivityTarget, Activity,
               where=Activity.school_id == SCHOOL, name="activity_target"),
)
# a learner's suggestions, but for what worked for others, read these and the levels
# (_school_inputs): their own events, finished picks, declines and profile, and their
# school's activities, playlists, classes and groups (an enrollment or a member moves its
# class's or group's version)
_PLAN = union_all(
    *_UNVERSIONED,
    _max_count(AssessmentEvent.version, AssessmentEvent.id,
               where=AssessmentEvent.student_id == LEARNER, name="event"),
    _max_count(Pick.version, Pick.id, where=(Pick.student_id == LEARNER)
               & (Pick.status == "done") & Pick.is_deleted.is_(False), name="done"),
    _max_count(SuggestionDecline.version, SuggestionDecline.id,
               where=SuggestionDecline.student_id == LEARNER, name="decline"),
    _max_count(ProfileSection.version, ProfileSection.id,
               where=ProfileSection.student_id == LEARNER, name="profile"),
    _max_count(Activity.version, Activity.id, where=Activity.school_id == SCHOOL,
               name="activity"),
    _max_count(Playlist.version, Playlist.id, where=Playlist.school_id == SCHOOL,
               name="playlist"),
    _max_count(SchoolClass.version, SchoolClass.id, where=SchoolClass.school_id == SCHOOL,
               name="class"),
    _max_count(LearnerGroup.version, LearnerGroup.id, LearnerGroup, SchoolClass,
               where=SchoolClass.school_id == SCHOOL, name="group"),
)
_EVENTS = (select(AssessmentEvent.student_id, func.max(AssessmentEvent.version),
                  func.count(AssessmentEvent.id))
           .where(AssessmentEvent.student_id.in_(LEARNERS))
           .group_by(AssessmentEvent.student_id))


def _settings_words(school) -> str:
    return json.dumps(school.settings or {}, sort_keys=True, default=str)


def _school_inputs(session: Session, school, today: date, held: dict) -> tuple:
    if school.id not in held:
        held[school.id] = (school.id, _curriculum_key(session, school.id),
                           _settings_words(school), today.isoformat())
    return held[school.id]


def level_inputs(session: Session, learners: dict[int, User], today: date) -> dict[int, tuple]:
    """Per learner: what their levels and topic progress are computed from (see above)."""
    events = {sid: (int(top), count) for sid, top, count in session.execute(
        _EVENTS, {"learners": sorted(learners)})}
    schools: dict[int, tuple] = {}
    return {sid: (events.get(sid, (0, 0)), _school_inputs(session, learner.school, today,
                                                          schools))
            for sid, learner in learners.items()}


def _curriculum(session: Session, school_inputs: tuple) -> list[MeasurementTopic]:
    """The school's topics of both audiences in curriculum order, each with its targets and
    content area, kept while the school's curriculum inputs (`_school_inputs`) are equal.

    Loaded in a session of their own and closed: detached, read-only, shared by every
    request of this process that computes from that version of the curriculum (loading them
    was about a seventh of a learner's pull after a push, py-spy under the load test).
    Kept only under the key its own connection read just before loading them, so an entry
    is never older than its key."""
    school_id, key = school_inputs[0], school_inputs[1]
    store = cache()
    held = store.get(("curriculum", school_id), key)
    if held is not None:
        return held
    with Session(bind=session.get_bind(), expire_on_commit=False) as own:
        own_key = _curriculum_key(own, school_id)
        topics = school_topics(school_id, audience=None, session=own)
    if own_key != key:
        # the request sees another curriculum than a connection of its own (an edit of its
        # own not yet committed, or one committed since): as the request sees it, not kept
        return school_topics(school_id, audience=None, session=session)
    store.put(("curriculum", school_id), key, topics)
    return topics


def _curriculum_key(session: Session, school_id: int) -> tuple:
    return tuple(sorted(tuple(r) for r in session.execute(_CURRICULUM, {"school": school_id})))


def _learner_topics(session: Session, school_inputs: tuple) -> list[MeasurementTopic]:
    """school_topics(school) from the cached curriculum: the learners' catalog, in order."""
    return [t for t in _curriculum(session, school_inputs)
            if t.content_area.audience == "learner"]


def _entry(row: dict, required: set[int], today: date, goal) -> dict:
    """What one topic of one learner contributes: each live target's level, the credit and
    (required topics) the pace; plain data, with no learner id and no version."""
    topic = row["topic"]
    plan = topic_plan(row, today, goal) if topic.id in required else None
    return {
        "targets": [t.id for t in topic.targets],
        "levels": {t.id: {k: row["levels"][t.id][k] for k in LEVEL_KEYS}
                   for t in topic.targets},
        "credit": {k: row["credit"][k] for k in CREDIT_KEYS},
        "pace": None if plan is None else {
            k: (v.isoformat() if isinstance(v, date) else v)
            for k, v in plan.items() if k != "reached"},
    }


def _entries_of(learner: User, rows: list[dict], today: date) -> dict[int, dict]:
    required = {t.id for t in required_topics(learner.school, [r["topic"] for r in rows])}
    goal = goal_date(learner.school)
    return {row["topic"].id: _entry(row, required, today, goal) for row in rows}


def recommendation_rows(session: Session, user: User, page: list[dict],
                        first: bool = False, rows: list[dict] | None = None,
                        today: date | None = None) -> list[dict]:
    """A learner's `recommendation` rows (one per topic) if the page touches their history.

    Only for the learner's own pull: the rows carry their why-lines, written to them.
    `rows`: their `learner_topics` over every topic, when the caller has them.
    """
    if user is None or user.role != "student":
        return []
    versions = [r["version"] for r in page if r["type"] in RECOMMENDATION_TRIGGERS
                and str((r.get("data") or {}).get("student_id")) == str(user.id)]
    if not versions and not first:
        return []
    version = max(versions) if versions else max((r["version"] for r in page), default=0)
    return [{"type": "recommendation", "id": row_id, "version": version, "deleted": False,
             "data": data} for row_id, data in _suggestions(session, user, rows, today)]


def _suggestions(session: Session, user: User, rows: list[dict] | None,
                 today: date | None) -> list[tuple[str, dict]]:
    """[(row id, data)] of a learner's suggestions: their plan (plan_recommendations) from
    the cache while nothing of theirs or their school's that it reads has changed (_PLAN),
    ranked with what worked for others as it stands now (gains.py)."""
    store, today = cache(), today or date.today()
    learner = session.get(User, user.id)
    school_inputs = _school_inputs(session, learner.school, today, {})
    read = tuple(sorted(tuple(r) for r in session.execute(
        _PLAN, {"school": learner.school_id, "learner": learner.id})))
    inputs, key = (read, school_inputs), (learner.id, "recommendation")
    held = store.latest(key)
    if held is not None and held[0] == inputs:
        store.served += 1
        plan = held[1]["plan"]
    else:
        # their events changed (or something else did): the plan reads of their levels only
        # each target's level and whether it has events, so a self-assessment or a score
        # that moves no level leaves it as it was
        if rows is None:
            rows = learner_topics(learner, _learner_topics(session, school_inputs))
        rest = ([r for r in read if r[0] != "event"], school_inputs, _levels_read(rows))
        if held is not None and held[1]["rest"] == rest:
            store.served += 1
            plan = held[1]["plan"]
        else:
            store.computed += 1
            plan = plan_recommendations(learner, rows)
        store.put(key, inputs, {"rest": rest, "plan": plan})
    gains: dict | None = {}
    if plan["basis"] == "history":
        pairs = [(t["next_target"]["id"], a.id) for t in plan["topics"] if t["next_target"]
                 for a, _slot in t["candidates"]]
        gains = gains_for(session, learner.school_id, learner.id, pairs,
                          current_version(session))
        if gains is None:
            gains = gains_of_others(learner.id, plan["aligned"])
    result = rank_recommendations(plan, gains)
    out = []
    for topic in result["topics"]:
        target = topic["next_target"]
        out.append((f"{learner.id}:{topic['topic_id']}", {
            "student_id": learner.id, "topic_id": topic["topic_id"],
            "next_target": None if target is None else {
                k: target[k] for k in ("id", "code", "title")},
            "summary": topic["summary"], "basis": result["basis"],
            "activities": [{k: a[k] for k in (
                "id", "title", "kind", "modality", "minutes", "why", "reasons",
                "show_as")}
                for a in topic["activities"]]}))
    return out


def _levels_read(rows: list[dict]) -> tuple:
    """What plan_recommendations reads of a learner's levels: per topic, each target's level
    and its words, and whether the target has events."""
    return tuple((row["topic"].id, tuple(
        (t.id, row["levels"][t.id]["level"], row["levels"][t.id]["level_words"],
         bool(row["events"][t.id])) for t in row["topic"].targets)) for row in rows)


def computed_rows(session: Session, page: list[dict], today: date | None = None,
                  user: User | None = None, first: bool = False) -> list[dict]:
    """`level` and `topic_progress` rows for every (learner, target) a page's rows touch,
    and for a learner's own pull their `recommendation` rows (see recommendation_rows)."""
    today = today or date.today()
    touched: dict[int, dict[int, int]] = {}  # learner -> target -> triggering version
    for r in page:
        if r["type"] in TRIGGERS and not r["deleted"]:
            data = r["data"]
            slot = touched.setdefault(int(data["student_id"]), {})
            target = int(data["target_id"])
            slot[target] = max(slot.get(target, 0), r["version"])
    store = cache()
    own_rows = None
    out: list[dict] = []
    if touched:
        learners = {u.id: u for u in session.scalars(select(User).where(
            User.id.in_(sorted(touched))))}
        inputs = level_inputs(session, learners, today)
        target_topic = dict(session.execute(select(
            LearningTarget.id, LearningTarget.topic_id).where(LearningTarget.id.in_(
                {t for versions in touched.values() for t in versions}))).all())
        entries: dict[int, dict[int, dict]] = {}
        missing: dict[int, set[int]] = {}
        for student_id, versions in touched.items():
            held = store.get(student_id, inputs[student_id])
            entries[student_id] = dict(held) if held is not None else {}
            wanted = {target_topic[t] for t in versions if t in target_topic}
            store.served += len(wanted & entries[student_id].keys())
            if wanted - entries[student_id].keys():
                missing[student_id] = wanted - entries[student_id].keys()
        changed = set(missing)
        # a learner's own pull that touches their history needs every topic for their
        # suggestions: work the levels out once for both
        if user is not None and user.role == "student" and user.id in missing:
            own_rows = learner_topics(learners[user.id],
                                      _learner_topics(session, inputs[user.id][1]))
            entries[user.id].update(_entries_of(learners[user.id], own_rows, today))
            store.computed += len(missing.pop(user.id))
        by_school: dict[int, dict[int, MeasurementTopic]] = {}  # once per school, not learner
        for student_id, topic_ids in sorted(missing.items()):
            school_inputs = inputs[student_id][1]
            if school_inputs[0] not in by_school:
                by_school[school_inputs[0]] = {t.id: t for t in _curriculum(session,
                                                                            school_inputs)}
            held_topics = by_school[school_inputs[0]]
            rows = learner_topics(learners[student_id],
                                  [held_topics[t] for t in sorted(topic_ids)])
            entries[student_id].update(_entries_of(learners[student_id], rows, today))
            store.computed += len(topic_ids)
        for student_id in changed:
            store.put(student_id, inputs[student_id], entries[student_id])
        for student_id, versions in sorted(touched.items()):
            topic_ids = sorted({target_topic[t] for t in versions if t in target_topic})
            for topic_id in topic_ids:
                entry = entries[student_id][topic_id]
                mine = [t for t in entry["targets"] if t in versions]
                if not mine:  # only soft-deleted targets were touched
                    continue
                for target_id in mine:
                    out.append({"type": "level", "id": f"{student_id}:{target_id}",
                                "version": versions[target_id], "deleted": False, "data": {
                                    "student_id": student_id, "target_id": target_id,
                                    **entry["levels"][target_id]}})
                out.append({"type": "topic_progress", "id": f"{student_id}:{topic_id}",
                            "version": max(versions[t] for t in mine), "deleted": False,
                            "data": {"student_id": student_id, "topic_id": topic_id,
                                     "credit": entry["credit"], "pace": entry["pace"]}})
    return out + recommendation_rows(session, user, page, first, own_rows, today)
