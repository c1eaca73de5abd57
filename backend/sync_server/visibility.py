"""Visibility: which rows a caller may read, as SQL built once per role.

Every pull, the first sync's phases (phases.py) and the probe of what changed read rows
through these statements, so "who sees what" is written in one place:

* reference rows (curriculum, activities, playlists) of the caller's school; playlists only
  those assigned to a learner the caller may read, their classes or groups (and, for
  teachers and admins, the classes they teach);
* `class`, `group` and `staff` rows for teachers and admins (a teacher: the classes they
  teach; an admin: every class of the school);
* `learner` rows (names) for everyone but learners;
* every learner-owned row type of codecs.py for the learners the caller may read
  (backend.auth.learner_ids_for decides which: a learner themself, a guardian's children,
  a teacher's enrolled learners, an admin's school).

A push asks the write side of the same question here: `actor_for` (whose rows the caller
may write: a teacher, their learners; the library's Actor decides per mutation) and
`referenced_rows` (which learners, targets and activities a batch names exist in the
caller's school).

The statements are bound at execution (`school`, `learners`, `caller`, and `after`/`upto`
for the version window), so each is built once per process: building SQL expressions cost
more than running them.
"""

from sqlalchemy import bindparam, literal, or_, select, union_all
from sqlalchemy.orm import Session, selectinload

from backend.auth import learner_ids_for
from backend.extensions import db
from backend.models import (
    Activity,
    ActivityTarget,
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
from backend.sync_server.codecs import CODECS, to_row
from sync import Actor

# what a pull's statements are built with: bound at execution, so each statement is built
# once per process (building SQL expressions cost more than running them)
SCHOOL, LEARNERS, CALLER = (bindparam("school"), bindparam("learners", expanding=True),
                            bindparam("caller"))
# whose binder rows a pull carries: the learners above plus, for staff, their own binder
# (teacher microcredentials) and, for an assessor, the other staff's (binder_owners)
OWNERS = bindparam("owners", expanding=True)
STAFF_ROLES = ("teacher", "admin")
AFTER, UPTO = bindparam("after"), bindparam("upto")


def reference_sources(role: str) -> list[tuple[str, object, object]]:
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
    # the district's educator catalog (teacher microcredentials) goes to staff only
    areas = ([ContentArea.school_id == school] if role == "staff" else
             [ContentArea.school_id == school, ContentArea.audience == "learner"])
    found = [
        ("content_area", select(ContentArea).where(*areas),
         lambda area: ref("content_area", area, {
             "name": area.name, "is_academic": area.is_academic, "position": area.position,
             "audience": area.audience})),
        ("topic", select(MeasurementTopic).join(ContentArea).where(*areas),
         lambda topic: ref("topic", topic, {
             "content_area_id": topic.content_area_id, "name": topic.name,
             "description": topic.description, "level": topic.level,
             "position": topic.position, "microcredential": terms_of(topic)})),
        ("target", select(LearningTarget).join(MeasurementTopic).join(ContentArea).where(
            *areas),
         lambda target: ref("target", target, {
             "topic_id": target.topic_id, "code": target.code, "title": target.title,
             "scale_level": target.scale_level, "position": target.position,
             "rubric": [{"score": d.score, "text": d.text} for d in target.rubric]},
             deleted=target.deleted_at is not None)),
        ("activity", select(Activity).where(Activity.school_id == school, *(
            [] if role == "staff" else [Activity.id.not_in(educator_activities())])),
         lambda activity: ref("activity", activity, {
             "title": activity.title, "kind": activity.kind, "modality": activity.modality,
             "minutes": activity.minutes, "description": activity.description,
             "url": activity.url, "target_ids": [t.target_id for t in activity.targets]})),
        ("playlist", select(Playlist).where(Playlist.school_id == school, or_(*visible)),
         lambda playlist: ref("playlist", playlist, {
             "title": playlist.title, "topic_id": playlist.topic_id,
             "target_id": playlist.target_id, "class_id": playlist.class_id,
             "group_id": playlist.group_id, "student_id": playlist.student_id,
             "activity_ids": [i.activity_id for i in playlist.items]})),
    ]
    if role == "staff":
        found.extend(class_sources())
    if role != "student":
        # teachers, guardians and admins: the names of the learners they may read, so a
        # screen such as the review queue can say whose work it is with no connection.
        # (A learner enrolled later without any change to their user row arrives with the
        # next full pull; a rename moves the version and arrives with the next pull.)
        found.append(("learner", select(User).where(User.id.in_(learners)),
                        lambda learner: ref("learner", learner,
                                             {"display_name": learner.display_name})))
    return found


def class_sources() -> list[tuple[str, object, object]]:
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
        ("class", classes, lambda cls: ref("class", cls, {
            "name": cls.name, "teacher_id": cls.teacher_id,
            "teacher_name": cls.teacher.display_name if cls.teacher else "",
            "learner_ids": sorted(e.student_id for e in cls.enrollments)})),
        ("group", groups, lambda group: ref("group", group, {
            "class_id": group.class_id, "name": group.name,
            "learner_ids": sorted(m.student_id for m in group.members)})),
        ("staff", select(User).where(User.school_id == SCHOOL,
                                     User.role.in_(("teacher", "admin"))),
         lambda person: ref("staff", person, {"display_name": person.display_name,
                                              "role": person.role,
                                              "is_assessor": bool(person.is_assessor)})),
    ]


def sources(role: str) -> tuple[list[tuple[str, object, object, object]], object]:
    """([(row type, model, query of rows in (after, upto], row builder)] for everything a
    pull may carry, the probe); built once per role and kept."""
    key = "student" if role == "student" else "staff" if role in ("teacher", "admin") else role
    if key not in _BUILT:
        out = [(row_type, query.column_descriptions[0]["entity"], query, build)
               for row_type, query, build in reference_sources(key)]
        for row_type, codec in CODECS.items():
            out.append((row_type, codec.model, select(codec.model).where(
                codec.model.student_id.in_(OWNERS)),
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


def educator_activities():
    """The ids of activities aligned to an educator competency (teacher microcredentials):
    staff devices pull them, learners' and families' never do."""
    return (select(ActivityTarget.activity_id).join(
        LearningTarget, LearningTarget.id == ActivityTarget.target_id).join(MeasurementTopic)
        .join(ContentArea).where(ContentArea.audience == "educator"))


def terms_of(topic: MeasurementTopic) -> dict | None:
    """A microcredential's terms as its topic row carries them (None: a learner topic, or an
    educator topic without terms yet)."""
    terms = topic.terms
    if terms is None:
        return None
    return {"requirements": terms.requirements, "stipend_cents": terms.stipend_cents,
            "recert_hours": terms.recert_hours}


# collections a reference row carries, loaded with one more query per page, not one per row
_EAGER = {"topic": MeasurementTopic.terms, "target": LearningTarget.rubric,
          "activity": Activity.targets,
          "playlist": Playlist.items, "class": SchoolClass.enrollments,
          "group": LearnerGroup.members}


def ref(row_type: str, obj, data: dict, deleted: bool = False) -> dict:
    return {"type": row_type, "id": obj.id, "version": obj.version, "deleted": deleted,
            "data": data}


def colleagues_assessed(user: User) -> set[int]:
    """For an assessor (a coach or an admin with `is_assessor`): the ids of the other
    teachers and admins of the school, whose microcredential work they review; else none."""
    if not user.is_assessor or user.role not in STAFF_ROLES:
        return set()
    return set(db.session.scalars(select(User.id).where(
        User.school_id == user.school_id, User.role.in_(STAFF_ROLES), User.id != user.id)))


def binder_owners(user: User, learners: set[int] | None = None) -> set[int]:
    """Whose binder rows (goals, evidence, levels…) the caller reads: the learners they may
    read and, for staff, their own binder (teacher microcredentials) and, for an assessor,
    the other staff's."""
    owners = set(learner_ids_for(user) if learners is None else learners)
    if user.role in STAFF_ROLES:
        owners.add(user.id)
        owners |= colleagues_assessed(user)
    return owners


def actor_for(user: User) -> Actor:
    """The library's Actor of a push: a teacher may write their learners' rows (the roster)
    and their own binder; a learner their own (the Actor knows its own id); an assessor
    reviews and rates the colleagues it assesses."""
    learners = learner_ids_for(user) if user.role == "teacher" else set()
    return Actor(user.id, user.role, frozenset(learners),
                 frozenset(colleagues_assessed(user)))


def _referenced_part(kind: str):
    ids = bindparam(f"{kind}_ids", expanding=True)
    if kind == "learner":
        # staff too: a teacher's own binder and an assessor's colleagues (the library decides
        # who may write whose rows)
        return select(literal("learner"), User.id).where(
            User.id.in_(ids), User.school_id == SCHOOL,
            User.role.in_(("student", *STAFF_ROLES)))
    if kind == "target":
        return select(literal("target"), LearningTarget.id).join(
            MeasurementTopic).join(ContentArea).where(
            LearningTarget.id.in_(ids), LearningTarget.deleted_at.is_(None),
            ContentArea.school_id == SCHOOL)
    return select(literal("activity"), Activity.id).where(
        Activity.id.in_(ids), Activity.school_id == SCHOOL)


# the statement of each combination of kinds a batch names, built once per process
_REFERENCED: dict[tuple[str, ...], object] = {}


def referenced_rows(session: Session, school_id: int, named: dict[str, set[int]]
                    ) -> dict[str, set[int]]:
    """Of the learners, targets and activities a batch names ({"learner": ids, "target":
    ids, "activity": ids}), those of the caller's school (live targets only), in one query."""
    kinds = tuple(k for k in ("learner", "target", "activity") if named[k])
    found: dict[str, set[int]] = {"learner": set(), "target": set(), "activity": set()}
    if not kinds:
        return found
    if kinds not in _REFERENCED:
        parts = [_referenced_part(k) for k in kinds]
        _REFERENCED[kinds] = union_all(*parts) if len(parts) > 1 else parts[0]
    params = {"school": school_id, **{f"{k}_ids": sorted(named[k]) for k in kinds}}
    for kind, row_id in session.execute(_REFERENCED[kinds], params):
        found[kind].add(int(row_id))
    return found
