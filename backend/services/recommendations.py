"""Recommendations: the next learning target of each topic, and activities for it, with a why.

The next target of a topic is the first, in the topic's progression (scale 2.0 → 3.0 →
4.0, then the teacher's order), whose level is not yet proficient. Its aligned activities
are ranked by

(a) the learner's own habits: the kinds and modalities of activities they finished
    (picks with status done) — a learner who finishes practice sets gets practice sets;
(b) what worked for others: of the other learners who finished the activity, how many
    had a higher teacher score on the same target within GAIN_DAYS than their score
    before it;

then the teacher's playlist order, then the activity id (so the same data always gives
the same list). A learner with no history yet (no events, nothing finished) gets the
playlist order as it is. Nothing names another learner: (b) only ever shows counts.
"""

from collections import Counter, defaultdict
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backend.extensions import db
from backend.mastery.words import reaches
from backend.models import (
    Activity,
    ActivityTarget,
    AssessmentEvent,
    Enrollment,
    LearnerGroupMember,
    Pick,
    Playlist,
    User,
)
from backend.services.levels import learner_topics

GAIN_DAYS = 21
PER_TARGET = 3
W_GAIN, W_KIND, W_MODALITY = 1.0, 0.5, 0.25
KIND_WORDS = {"video": ("video", "videos"), "reading": ("reading", "readings"),
              "practice": ("practice set", "practice sets"), "project": ("project", "projects"),
              "seminar": ("seminar", "seminars"), "lab": ("lab", "labs"),
              "peer": ("peer activity", "peer activities")}
MODALITY_WORDS = {"small_group": "small-group", "whole_group": "whole-group",
                  "one_on_one": "one-on-one"}


def _playlist_order(student_id: int) -> tuple[dict[int, tuple], set[int]]:
    """(activity id → (assignee rank, playlist id, position, title), topic and target ids).

    The slot is the activity's first place in the learner's playlists: their own playlists
    come first, then their groups', then their classes'.
    """
    class_ids = select(Enrollment.class_id).where(Enrollment.student_id == student_id)
    group_ids = select(LearnerGroupMember.group_id).where(
        LearnerGroupMember.student_id == student_id)
    playlists = db.session.scalars(
        select(Playlist).where(
            (Playlist.student_id == student_id) | Playlist.group_id.in_(group_ids)
            | Playlist.class_id.in_(class_ids)
        ).options(selectinload(Playlist.items))  # one query for every playlist's items
    )
    order: dict[int, tuple] = {}
    covers: set[tuple[str, int]] = set()
    for p in playlists:
        covers |= {("topic", p.topic_id), ("target", p.target_id)}
        rank = 0 if p.student_id else 1 if p.group_id else 2
        for item in p.items:
            slot = (rank, p.id, item.position, p.title)
            order[item.activity_id] = min(order.get(item.activity_id, slot), slot)
    return order, covers


def _done_activities(student_id: int) -> list[Activity]:
    return list(db.session.scalars(
        select(Activity).join(Pick, Pick.activity_id == Activity.id).where(
            Pick.student_id == student_id, Pick.status == "done", Pick.is_deleted.is_(False)
        ).order_by(Pick.id)
    ))


def _aligned(target_ids: list[int]) -> dict[int, list[Activity]]:
    out: dict[int, list[Activity]] = defaultdict(list)
    rows = db.session.execute(
        select(ActivityTarget.target_id, Activity)
        .join(Activity, Activity.id == ActivityTarget.activity_id)
        .where(ActivityTarget.target_id.in_(target_ids))
        .order_by(Activity.id)
    )
    for target_id, activity in rows:
        out[target_id].append(activity)
    return out


def _gains(learner_id: int, pairs: dict[int, list[Activity]]) -> dict[tuple[int, int], list]:
    """(target id, activity id) → [gains, tries] from other learners' finished picks.

    A try: another learner finished the activity and had a teacher score on the target
    on or before that day. A gain: a later teacher score on it within GAIN_DAYS was higher.
    """
    activity_targets: dict[int, set[int]] = defaultdict(set)
    for target_id, activities in pairs.items():
        for a in activities:
            activity_targets[a.id].add(target_id)
    if not activity_targets:
        return {}
    picks = db.session.execute(
        select(Pick.student_id, Pick.activity_id, Pick.updated_at).where(
            Pick.activity_id.in_(activity_targets), Pick.status == "done",
            Pick.is_deleted.is_(False), Pick.student_id != learner_id,
        )
    ).all()
    students = {p.student_id for p in picks}
    scores: dict[tuple[int, int], list[tuple[date, float]]] = defaultdict(list)
    # four columns, not whole events: a school year holds thousands of them per target,
    # and building ORM objects for each was most of a learner's first pull
    for student_id, target_id, assessed_on, score in db.session.execute(
        select(AssessmentEvent.student_id, AssessmentEvent.target_id,
               AssessmentEvent.assessed_on, AssessmentEvent.score).where(
            AssessmentEvent.student_id.in_(students), AssessmentEvent.source == "teacher",
            AssessmentEvent.target_id.in_(pairs), AssessmentEvent.score.is_not(None),
        )
    ):
        scores[(student_id, target_id)].append((assessed_on, score))
    for history in scores.values():
        history.sort()
    out: dict[tuple[int, int], list] = defaultdict(lambda: [0, 0])
    for student_id, activity_id, done_at in picks:
        done_on = done_at.date()
        for target_id in activity_targets[activity_id]:
            history = scores.get((student_id, target_id), [])
            before = [s for d, s in history if d <= done_on]
            if not before:
                continue
            after = [s for d, s in history if done_on < d <= done_on + timedelta(GAIN_DAYS)]
            tally = out[(target_id, activity_id)]
            tally[1] += 1
            tally[0] += any(s > before[-1] for s in after)
    return out


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _why(activity, code, slot, gain, kinds, modalities, basis) -> str:
    reasons = []
    gains, tries = gain
    if basis == "history" and gains:
        reasons.append(f"{gains} of {_plural(tries, 'learner', 'learners')} who finished it "
                       f"scored higher on {code} within {GAIN_DAYS // 7} weeks")
    if basis == "history" and kinds[activity.kind]:
        one, many = KIND_WORDS.get(activity.kind, (activity.kind, activity.kind + "s"))
        reasons.append(f"you have finished {_plural(kinds[activity.kind], one, many)}")
    elif basis == "history" and modalities[activity.modality]:
        mode = MODALITY_WORDS.get(activity.modality, activity.modality)
        reasons.append(f"you often finish {mode} work")
    if not reasons:
        if slot:
            reasons.append(f"next in your playlist “{slot[3]}” for {code}")
        else:
            reasons.append(f"aligned to {code}")
    line = "; ".join(reasons[:2])
    return line[0].upper() + line[1:] + "."


def _next_target(topic, levels: dict[int, dict], bar: float):
    progression = sorted(topic.targets, key=lambda t: (t.scale_level, t.position, t.id))
    # below the bar as shown (backend/mastery/words.py): a 2.98 shows 3.0 and is reached
    return next((t for t in progression if not reaches(levels[t.id]["level"], bar)), None)


def load_recommendations(learner: User, rows: list[dict] | None = None) -> dict:
    """The next target per topic and up to PER_TARGET activities for each, each with a why.

    `rows`: the learner's `learner_topics` over every topic, when the caller has them.
    """
    rows = learner_topics(learner) if rows is None else rows
    order, covers = _playlist_order(learner.id)
    done = _done_activities(learner.id)
    has_events = any(evs for row in rows for evs in row["events"].values())
    basis = "history" if done or has_events else "playlist"
    kinds = Counter(a.kind for a in done)
    modalities = Counter(a.modality for a in done)

    nexts = {}
    for row in rows:
        bar = row["credit"]["rule"]["proficient"]
        nexts[row["topic"].id] = _next_target(row["topic"], row["levels"], bar)
    wanted = [t.id for t in nexts.values() if t is not None]
    aligned = _aligned(wanted)
    gains = _gains(learner.id, aligned) if basis == "history" else {}

    topics = []
    for row in rows:
        topic, target = row["topic"], nexts[row["topic"].id]
        in_playlists = ("topic", topic.id) in covers or any(
            ("target", t.id) in covers for t in topic.targets)
        if not in_playlists and not any(row["events"].values()):
            continue  # not a topic this learner works on
        entry = {"topic_id": topic.id, "name": topic.name, "next_target": None,
                 "activities": [], "summary": ""}
        if target is None:
            entry["summary"] = f"Every target in {topic.name} is proficient or beyond."
            topics.append(entry)
            continue
        result = row["levels"][target.id]
        entry["next_target"] = {
            "id": target.id, "code": target.code, "title": target.title,
            "scale_level": target.scale_level, "level": result["level"],
            "level_words": result["level_words"],
        }
        ranked = []
        for a in aligned.get(target.id, []):
            slot = order.get(a.id)
            gain = gains.get((target.id, a.id), [0, 0])
            total = len(done) or 1
            score = (W_GAIN * gain[0] / (gain[1] + 1) + W_KIND * kinds[a.kind] / total
                     + W_MODALITY * modalities[a.modality] / total) if basis == "history" else 0.0
            playlist_key = slot[:3] if slot else (9, 0, 0)
            ranked.append(((-round(score, 6), playlist_key, a.id), a, slot, gain, score))
        ranked.sort(key=lambda r: r[0])
        for _key, a, slot, gain, score in ranked[:PER_TARGET]:
            entry["activities"].append({
                "id": a.id, "title": a.title, "kind": a.kind, "modality": a.modality,
                "minutes": a.minutes, "url": a.url,
                "playlist_id": slot[1] if slot else None,
                "position": slot[2] if slot else None,
                "score": round(score, 4),
                "gains": gain[0], "tries": gain[1],
                "why": _why(a, target.code, slot, gain, kinds, modalities, basis),
            })
        entry["summary"] = (
            f"Next in {topic.name}: {target.code} {target.title} "
            f"(now {result['level_words']})."
        )
        topics.append(entry)
    return {
        "learner": {"id": learner.id, "display_name": learner.display_name},
        "basis": basis,
        "gain_days": GAIN_DAYS,
        "topics": topics,
    }
