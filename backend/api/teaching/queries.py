"""What the teaching screens read, built from the database with no request objects.

Kept apart from the views so each view stays a one-line summary over one function here.
"""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from backend.extensions import db
from backend.models import (
    AssessmentEvent,
    Conflict,
    Evidence,
    EvidenceReview,
    LearningTarget,
    SyncClient,
    User,
)

PROFICIENT = 3.0


def _names(ids) -> dict[int, str]:
    ids = {int(i) for i in ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(
        select(User.id, User.display_name).where(User.id.in_(ids))).all())


def _targets(ids) -> dict[int, LearningTarget]:
    ids = {int(i) for i in ids if i is not None}
    if not ids:
        return {}
    return {t.id: t for t in db.session.scalars(
        select(LearningTarget).where(LearningTarget.id.in_(ids)))}


def _target_brief(target: LearningTarget) -> dict:
    return {"id": target.id, "code": target.code, "title": target.title,
            "scale_level": target.scale_level}


def _blob_urls(sha: str | None) -> dict:
    if not sha:
        return {"thumb_url": None, "photo_url": None}
    return {"thumb_url": f"/api/blobs/{sha}?size=thumb", "photo_url": f"/api/blobs/{sha}"}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC (the API's other views answer the same way)."""
    return _aware(moment).isoformat() if moment is not None else None


def learner_progress(learner: User, weeks: int = 10, today: date | None = None) -> dict:
    """Week by week, how many targets were at proficient; and the latest approved evidence.

    A target counts in a week when the learner's latest teacher score up to that week's end
    is 3.0 or more: the plain "most recent" reading a family can follow on a chart.
    """
    today = today or date.today()
    events = db.session.scalars(
        select(AssessmentEvent)
        .where(AssessmentEvent.student_id == learner.id, AssessmentEvent.source == "teacher",
               AssessmentEvent.score.is_not(None))
        .order_by(AssessmentEvent.assessed_on, AssessmentEvent.created_at)
    ).all()
    points = []
    for k in range(weeks - 1, -1, -1):
        end = today - timedelta(days=7 * k)
        latest: dict[int, float] = {}
        for event in events:
            if event.assessed_on <= end:
                latest[event.target_id] = event.score
        points.append({"week_ending": end.isoformat(), "label": end.strftime("%b %-d"),
                       "proficient": sum(1 for s in latest.values() if s >= PROFICIENT)})
    approved = db.session.scalars(
        select(Evidence)
        .where(Evidence.student_id == learner.id, Evidence.is_deleted.is_(False),
               Evidence.review_status == "approved")
        .order_by(func.coalesce(Evidence.updated_at, Evidence.created_at).desc())
        .limit(6)
    ).all()
    comments = {r.evidence_id: r for r in db.session.scalars(
        select(EvidenceReview).where(EvidenceReview.evidence_id.in_([e.id for e in approved]))
        .order_by(EvidenceReview.created_at))}
    targets = _targets({t for ev in approved for t in ev.target_ids or []})
    return {
        "learner": {"id": learner.id, "display_name": learner.display_name},
        "weeks": points,
        "recent_evidence": [
            {
                "id": ev.id, "kind": ev.kind, "caption": ev.caption, "text": ev.text,
                "url": ev.url, "blob_sha256": ev.blob_sha256, **_blob_urls(ev.blob_sha256),
                "targets": [_target_brief(targets[int(t)]) for t in ev.target_ids or []
                            if int(t) in targets],
                "comment": comments[ev.id].comment if ev.id in comments else "",
                "approved_at": _iso(ev.updated_at or ev.created_at),
            }
            for ev in approved
        ],
    }


def sync_health(school_id: int) -> dict:
    """Every device of the school's people: who, last push and pull; open conflicts."""
    clients = db.session.execute(
        select(SyncClient, User)
        .join(User, User.id == SyncClient.user_id)
        .where(User.school_id == school_id)
        .order_by(func.coalesce(SyncClient.last_push_at, SyncClient.last_pull_at,
                                SyncClient.created_at).desc())
    ).all()
    students = select(User.id).where(User.school_id == school_id, User.role == "student")
    open_conflicts = db.session.scalars(
        select(Conflict).where(Conflict.student_id.in_(students), Conflict.status == "open")
        .order_by(Conflict.created_at)).all()
    people = _names({c.student_id for c in open_conflicts})
    targets = _targets({c.target_id for c in open_conflicts})
    return {
        "devices": [
            {"client_id": c.client_id, "user": {"id": u.id, "display_name": u.display_name,
                                                "role": u.role},
             "user_agent": c.user_agent, "last_seq": c.last_seq,
             "first_seen_at": _iso(c.created_at), "last_push_at": _iso(c.last_push_at),
             "last_pull_at": _iso(c.last_pull_at)}
            for c, u in clients
        ],
        "open_conflict_count": len(open_conflicts),
        "open_conflicts": [
            {"id": c.id, "learner": {"id": c.student_id,
                                     "display_name": people.get(c.student_id, "")},
             "target": _target_brief(targets[c.target_id]) if c.target_id in targets else None,
             "opened_at": _iso(c.created_at)}
            for c in open_conflicts
        ],
    }
