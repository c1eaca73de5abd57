"""Pull: every row the caller may read that changed after their cursor, in version order.

Versions come from one counter whose row lock is held until commit (services/versions.py),
so the committed counter value V means every version ≤ V is already committed. A pull
reads V first and pages through (cursor, V]: no row can appear later with a version at or
below a cursor already handed out.

Computed rows (opt-in, `computed=True`): `level` and `topic_progress` are worked out from
events on read and stored nowhere, so they have no version of their own. Whenever an
event, rating or conflict of a (learner, target) is in a page, the page also carries that
target's `level` row and its topic's `topic_progress` row, recomputed now and stamped
with the triggering row's version. A device that has pulled up to cursor C therefore has
levels computed from every event up to C. They share versions with their trigger and do
not count toward `limit`.

A learner's own pull (role student) also carries `recommendation` rows, one per topic
(services/recommendations.py), whenever the page holds any of their event, pick, rating or
self-assessment rows (stamped with the highest such version), and always on the first page
from an empty cursor, so a fresh device can show its suggestions offline.
"""

from datetime import date

from sqlalchemy import bindparam, literal, or_, select, union_all
from sqlalchemy.orm import Session, selectinload

from backend.auth import learner_ids_for
from backend.errors import AppError
from backend.i18n import gettext
from backend.models import (
    Activity,
    ContentArea,
    Enrollment,
    LearnerGroup,
    LearnerGroupMember,
    LearningTarget,
    MeasurementTopic,
    Playlist,
    SchoolClass,
    User,
)
from backend.services.levels import learner_topics
from backend.services.pace import goal_date, required_topics, topic_plan
from backend.services.recommendations import load_recommendations
from backend.services.versions import current_version
from backend.sync_server.codecs import CODECS, to_row

CURSOR_PREFIX = "v1."
MAX_LIMIT = 1000


def parse_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    digits = cursor[len(CURSOR_PREFIX):]
    # versions are BIGINT: a longer number was never handed out (and would overflow a query)
    if not cursor.startswith(CURSOR_PREFIX) or not digits.isdigit() or int(digits) >= 2**63:
        raise AppError(gettext("That sync cursor is not one this server gave out; pull from "
                               "the start."), status=400, code="bad_cursor")
    return int(digits)


def make_cursor(version: int) -> str:
    return f"{CURSOR_PREFIX}{version}"


# what a pull's statements are built with: bound at execution, so each statement is built
# once per process (building SQL expressions cost more than running them)
SCHOOL, LEARNERS, CALLER = (bindparam("school"), bindparam("learners", expanding=True),
                            bindparam("caller"))
AFTER, UPTO = bindparam("after"), bindparam("upto")


def _reference_sources(role: str) -> list[tuple[str, object, object]]:
    """(row type, query of what the caller may read, row builder) for each reference type:
    curriculum, playlists and (for non-learners) learner names a device needs offline.

    `role`: "student", "staff" (teachers and admins) or another role (guardians)."""
    school, learners = SCHOOL, LEARNERS
    class_ids = select(Enrollment.class_id).where(Enrollment.student_id.in_(learners))
    group_ids = select(LearnerGroupMember.group_id).where(
        LearnerGroupMember.student_id.in_(learners))
    visible = [Playlist.student_id.in_(learners), Playlist.class_id.in_(class_ids),
               Playlist.group_id.in_(group_ids)]
    if role == "staff":  # teachers and admins: the playlists of the classes they teach
        taught = select(SchoolClass.id).where(SchoolClass.teacher_id == CALLER)
        visible.append(Playlist.class_id.in_(taught))
    sources = [
        ("content_area", select(ContentArea).where(ContentArea.school_id == school),
         lambda area: _ref("content_area", area, {
             "name": area.name, "is_academic": area.is_academic, "position": area.position})),
        ("topic", select(MeasurementTopic).join(ContentArea).where(
            ContentArea.school_id == school),
         lambda topic: _ref("topic", topic, {
             "content_area_id": topic.content_area_id, "name": topic.name,
             "description": topic.description, "level": topic.level,
             "position": topic.position})),
        ("target", select(LearningTarget).join(MeasurementTopic).join(ContentArea).where(
            ContentArea.school_id == school),
         lambda target: _ref("target", target, {
             "topic_id": target.topic_id, "code": target.code, "title": target.title,
             "scale_level": target.scale_level, "position": target.position,
             "rubric": [{"score": d.score, "text": d.text} for d in target.rubric]},
             deleted=target.deleted_at is not None)),
        ("activity", select(Activity).where(Activity.school_id == school),
         lambda activity: _ref("activity", activity, {
             "title": activity.title, "kind": activity.kind, "modality": activity.modality,
             "minutes": activity.minutes, "description": activity.description,
             "url": activity.url, "target_ids": [t.target_id for t in activity.targets]})),
        ("playlist", select(Playlist).where(Playlist.school_id == school, or_(*visible)),
         lambda playlist: _ref("playlist", playlist, {
             "title": playlist.title, "topic_id": playlist.topic_id,
             "target_id": playlist.target_id, "class_id": playlist.class_id,
             "group_id": playlist.group_id, "student_id": playlist.student_id,
             "activity_ids": [i.activity_id for i in playlist.items]})),
    ]
    if role == "staff":
        sources.extend(_class_sources())
    if role != "student":
        # teachers, guardians and admins: the names of the learners they may read, so a
        # screen such as the review queue can say whose work it is with no connection.
        # (A learner enrolled later without any change to their user row arrives with the
        # next full pull; a rename moves the version and arrives with the next pull.)
        sources.append(("learner", select(User).where(User.id.in_(learners)),
                        lambda learner: _ref("learner", learner,
                                             {"display_name": learner.display_name})))
    return sources


def _class_sources() -> list[tuple[str, object, object]]:
    """`class` and `group` rows for teachers and admins: a teacher gets only the classes they
    teach (and their groups), an admin every class of the school, each with its learner ids,
    so the class lists and the grid's classes and groups render from the device's store;
    and `staff` rows (the school's teachers' and admins' names) so a conflict can say who
    rated each side with no connection.
    An enrollment or group member added or removed moves the row's version
    (version_owner in backend/models/school.py)."""
    is_admin = select(User.id).where(User.id == CALLER, User.role == "admin").exists()
    mine = or_(SchoolClass.teacher_id == CALLER, is_admin)
    classes = select(SchoolClass).where(SchoolClass.school_id == SCHOOL, mine)
    groups = select(LearnerGroup).join(SchoolClass, SchoolClass.id == LearnerGroup.class_id
                                       ).where(SchoolClass.school_id == SCHOOL, mine)
    return [
        ("class", classes, lambda cls: _ref("class", cls, {
            "name": cls.name, "teacher_id": cls.teacher_id,
            "teacher_name": cls.teacher.display_name if cls.teacher else "",
            "learner_ids": sorted(e.student_id for e in cls.enrollments)})),
        ("group", groups, lambda group: _ref("group", group, {
            "class_id": group.class_id, "name": group.name,
            "learner_ids": sorted(m.student_id for m in group.members)})),
        ("staff", select(User).where(User.school_id == SCHOOL,
                                     User.role.in_(("teacher", "admin"))),
         lambda person: _ref("staff", person, {"display_name": person.display_name})),
    ]


def _sources(role: str) -> tuple[list[tuple[str, object, object, object]], object]:
    """([(row type, model, query of rows in (after, upto], row builder)] for everything a
    pull may carry, the probe); built once per role and kept."""
    key = "student" if role == "student" else "staff" if role in ("teacher", "admin") else role
    if key not in _BUILT:
        out = [(row_type, query.column_descriptions[0]["entity"], query, build)
               for row_type, query, build in _reference_sources(key)]
        for row_type, codec in CODECS.items():
            out.append((row_type, codec.model, select(codec.model).where(
                codec.model.student_id.in_(LEARNERS)),
                lambda obj, row_type=row_type: to_row(row_type, obj)))
        windowed = [(row_type, model, query.where(model.version > AFTER, model.version <= UPTO),
                     build) for row_type, model, query, build in out]
        probe = union_all(*[select(literal(row_type)).where(query.exists())
                            for row_type, _model, query, _build in windowed])
        pages = [(row_type, model, _eager(row_type, query.order_by(model.version)), build)
                 for row_type, model, query, build in windowed]
        _BUILT[key] = (pages, probe)
    return _BUILT[key]


_BUILT: dict[str, tuple[list, object]] = {}


def _eager(row_type: str, query):
    return query.options(selectinload(_EAGER[row_type])) if row_type in _EAGER else query


# collections a reference row carries, loaded with one more query per page, not one per row
_EAGER = {"target": LearningTarget.rubric, "activity": Activity.targets,
          "playlist": Playlist.items, "class": SchoolClass.enrollments,
          "group": LearnerGroup.members}


def _changed(session: Session, probe, params: dict) -> set[str]:
    """Which row types have anything in (after, upto] for this caller: one round trip.

    Most pulls find changes in a few types only; the others then cost no query at all.
    """
    return set(session.scalars(probe, params))


def _ref(row_type: str, obj, data: dict, deleted: bool = False) -> dict:
    return {"type": row_type, "id": obj.id, "version": obj.version, "deleted": deleted,
            "data": data}


TRIGGERS = ("event", "rating", "conflict")
RECOMMENDATION_TRIGGERS = ("event", "pick", "rating", "self_assessment")


def recommendation_rows(session: Session, user: User, page: list[dict],
                        first: bool = False, rows: list[dict] | None = None) -> list[dict]:
    """A learner's `recommendation` rows (one per topic) if the page touches their history.

    Only for the learner's own pull: the rows carry their why-lines, written to them.
    """
    if user is None or user.role != "student":
        return []
    versions = [r["version"] for r in page if r["type"] in RECOMMENDATION_TRIGGERS
                and str((r.get("data") or {}).get("student_id")) == str(user.id)]
    if not versions and not first:
        return []
    version = max(versions) if versions else max((r["version"] for r in page), default=0)
    result = load_recommendations(session.get(User, user.id), rows)
    out = []
    for topic in result["topics"]:
        target = topic["next_target"]
        out.append({"type": "recommendation", "id": f"{user.id}:{topic['topic_id']}",
                    "version": version, "deleted": False, "data": {
                        "student_id": user.id, "topic_id": topic["topic_id"],
                        "next_target": None if target is None else {
                            k: target[k] for k in ("id", "code", "title")},
                        "summary": topic["summary"], "basis": result["basis"],
                        "activities": [{k: a[k] for k in (
                            "id", "title", "kind", "modality", "minutes", "why")}
                            for a in topic["activities"]]}})
    return out


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
    out = []
    # a learner's own pull that touches their history needs every topic for their
    # suggestions: work the levels out once for both
    own_rows = None
    if user is not None and user.role == "student" and user.id in touched:
        own_rows = learner_topics(session.get(User, user.id))
    # the page's targets and topics in two queries, held here: the session's identity map
    # keeps objects only while something refers to them, so a session.get per target per
    # learner went back to the database every time
    target_topic = dict(session.execute(select(LearningTarget.id, LearningTarget.topic_id).where(
        LearningTarget.id.in_({t for versions in touched.values() for t in versions}))).all()
        ) if touched else {}
    held_topics = {topic.id: topic for topic in session.scalars(
        select(MeasurementTopic).where(MeasurementTopic.id.in_(set(target_topic.values())))
        .options(selectinload(MeasurementTopic.targets)))} if touched else {}
    for student_id, versions in sorted(touched.items()):
        learner = session.get(User, student_id)
        topic_ids = {target_topic[t] for t in versions}
        topics = [held_topics[t] for t in sorted(topic_ids)]
        goal = goal_date(learner.school)
        required = {t.id for t in required_topics(learner.school, topics)}
        rows = ([r for r in own_rows if r["topic"].id in topic_ids]
                if own_rows is not None and student_id == user.id
                else learner_topics(learner, topics))
        for row in rows:
            topic = row["topic"]
            mine = [t for t in topic.targets if t.id in versions]
            if not mine:  # only soft-deleted targets were touched
                continue
            for target in mine:
                result = row["levels"][target.id]
                out.append({"type": "level", "id": f"{student_id}:{target.id}",
                            "version": versions[target.id], "deleted": False, "data": {
                                "student_id": student_id, "target_id": target.id,
                                "level": result["level"], "level_words": result["level_words"],
                                "method_label": result["method_label"],
                                "explanation": result["explanation"],
                                "steps": result["steps"],  # data: renderSentence(step)
                                "sentence": result["sentence"]}})
            plan = topic_plan(row, today, goal) if topic.id in required else None
            credit = row["credit"]
            out.append({"type": "topic_progress", "id": f"{student_id}:{topic.id}",
                        "version": max(versions[t.id] for t in mine), "deleted": False,
                        "data": {
                            "student_id": student_id, "topic_id": topic.id,
                            "credit": {k: credit[k] for k in (
                                "is_met", "rule_words", "proficient_count",
                                "proficient_needed", "more_needed", "blocking")},
                            "pace": None if plan is None else {
                                k: (v.isoformat() if isinstance(v, date) else v)
                                for k, v in plan.items() if k != "reached"}}})
    return out + recommendation_rows(session, user, page, first, own_rows)


def pull(session: Session, user: User, cursor: str | None, limit: int,
         computed: bool = False) -> dict:
    """One page of changes after `cursor`; `has_more` says to pull again at once.

    `computed=True` adds `level`, `topic_progress` and (a learner's own pull)
    `recommendation` rows (see the module docstring).
    """
    after = parse_cursor(cursor)
    limit = max(1, min(limit, MAX_LIMIT))
    upto = current_version(session)
    learners = learner_ids_for(user)
    pages, probe = _sources(user.role)
    params = {"school": user.school_id, "learners": sorted(learners), "caller": user.id,
              "after": after, "upto": upto}
    changed = _changed(session, probe, params) if upto > after else set()
    candidates = []
    for row_type, _model, query, build in pages:
        if row_type in changed:
            candidates.extend(build(obj) for obj in session.scalars(query.limit(limit + 1),
                                                                    params))
    candidates.sort(key=lambda r: r["version"])
    page = candidates[:limit]
    has_more = len(candidates) > limit
    next_cursor = page[-1]["version"] if has_more else max(upto, after)
    if computed:
        extra = computed_rows(session, page, user=user, first=after == 0)
        page = sorted(page + extra, key=lambda r: r["version"])
    # deleted learners' ids since the cursor: the device wipes them (PROTOCOL "Purged learners")
    from backend.services.deletion import purged_since

    return {"changes": page, "cursor": make_cursor(next_cursor), "has_more": has_more,
            "purged_learners": purged_since(user.school_id, after, upto)}
