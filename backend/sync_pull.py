"""Pull: every row the caller may read that changed after their cursor, in version order.

Versions come from one counter whose row lock is held until commit (services/versions.py),
so the committed counter value V means every version ≤ V is already committed. A pull
reads V first and pages through (cursor, V]: no row can appear later with a version at or
below a cursor already handed out.
"""

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from backend.auth import learner_ids_for
from backend.errors import AppError
from backend.models import (
    Activity,
    ContentArea,
    Enrollment,
    LearnerGroupMember,
    LearningTarget,
    MeasurementTopic,
    Playlist,
    SchoolClass,
    User,
)
from backend.services.versions import current_version
from backend.sync_codecs import CODECS, to_row

CURSOR_PREFIX = "v1."
MAX_LIMIT = 1000


def parse_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    if not cursor.startswith(CURSOR_PREFIX) or not cursor[len(CURSOR_PREFIX):].isdigit():
        raise AppError("That sync cursor is not one this server gave out; pull from the start.",
                       status=400, code="bad_cursor")
    return int(cursor[len(CURSOR_PREFIX):])


def make_cursor(version: int) -> str:
    return f"{CURSOR_PREFIX}{version}"


def _reference_rows(session: Session, user: User, learners: set[int], after: int, upto: int,
                    limit: int) -> list[dict]:
    """Curriculum and playlists a device needs to render the binder offline."""
    school = user.school_id
    out = []

    def window(model):
        return (model.version > after, model.version <= upto)

    for area in session.scalars(select(ContentArea).where(
            ContentArea.school_id == school, *window(ContentArea)).order_by(
            ContentArea.version).limit(limit + 1)):
        out.append(_ref("content_area", area, {"name": area.name, "is_academic":
                        area.is_academic, "position": area.position}))
    for topic in session.scalars(select(MeasurementTopic).join(ContentArea).where(
            ContentArea.school_id == school, *window(MeasurementTopic)).order_by(
            MeasurementTopic.version).limit(limit + 1)):
        out.append(_ref("topic", topic, {
            "content_area_id": topic.content_area_id, "name": topic.name,
            "description": topic.description, "level": topic.level,
            "position": topic.position}))
    for target in session.scalars(select(LearningTarget).join(MeasurementTopic).join(
            ContentArea).where(ContentArea.school_id == school, *window(LearningTarget)).order_by(
            LearningTarget.version).limit(limit + 1)):
        out.append(_ref("target", target, {
            "topic_id": target.topic_id, "code": target.code, "title": target.title,
            "scale_level": target.scale_level, "position": target.position,
            "rubric": [{"score": d.score, "text": d.text} for d in target.rubric]},
            deleted=target.deleted_at is not None))
    for activity in session.scalars(select(Activity).where(
            Activity.school_id == school, *window(Activity)).order_by(
            Activity.version).limit(limit + 1)):
        out.append(_ref("activity", activity, {
            "title": activity.title, "kind": activity.kind, "modality": activity.modality,
            "minutes": activity.minutes, "description": activity.description,
            "url": activity.url, "target_ids": [t.target_id for t in activity.targets]}))
    class_ids = select(Enrollment.class_id).where(Enrollment.student_id.in_(learners))
    group_ids = select(LearnerGroupMember.group_id).where(
        LearnerGroupMember.student_id.in_(learners))
    visible = [Playlist.student_id.in_(learners), Playlist.class_id.in_(class_ids),
               Playlist.group_id.in_(group_ids)]
    if user.role in ("teacher", "admin"):
        taught = select(SchoolClass.id).where(SchoolClass.teacher_id == user.id)
        visible.append(Playlist.class_id.in_(taught))
    for playlist in session.scalars(select(Playlist).where(
            Playlist.school_id == school, or_(*visible), *window(Playlist)).order_by(
            Playlist.version).limit(limit + 1)):
        out.append(_ref("playlist", playlist, {
            "title": playlist.title, "topic_id": playlist.topic_id,
            "target_id": playlist.target_id, "class_id": playlist.class_id,
            "group_id": playlist.group_id, "student_id": playlist.student_id,
            "activity_ids": [i.activity_id for i in playlist.items]}))
    return out


def _ref(row_type: str, obj, data: dict, deleted: bool = False) -> dict:
    return {"type": row_type, "id": obj.id, "version": obj.version, "deleted": deleted,
            "data": data}


def pull(session: Session, user: User, cursor: str | None, limit: int) -> dict:
    """One page of changes after `cursor`; `has_more` says to pull again at once."""
    after = parse_cursor(cursor)
    limit = max(1, min(limit, MAX_LIMIT))
    upto = current_version(session)
    learners = learner_ids_for(user)
    candidates = _reference_rows(session, user, learners, after, upto, limit)
    for row_type, codec in CODECS.items():
        model = codec.model
        query = select(model).where(model.version > after, model.version <= upto,
                                    model.student_id.in_(learners)).order_by(model.version)
        candidates.extend(to_row(row_type, obj) for obj in session.scalars(query.limit(limit + 1)))
    candidates.sort(key=lambda r: r["version"])
    page = candidates[:limit]
    has_more = len(candidates) > limit
    next_cursor = page[-1]["version"] if has_more else max(upto, after)
    return {"changes": page, "cursor": make_cursor(next_cursor), "has_more": has_more}
