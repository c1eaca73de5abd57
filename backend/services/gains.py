"""What worked for others: the one home of that rule of the suggestions
(services/recommendations.py, ranking (b)).

Of the other learners who finished an activity, how many had a higher teacher score on
the same target within GAIN_DAYS than their last score before it. Worked out from the rows
for one learner (`gains_of_others`), and kept per school between pulls by
backend/sync_server/gains.py with the same `tally`.
"""

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select

from backend.extensions import db
from backend.models import AssessmentEvent, Pick

GAIN_DAYS = 21


def tally(picks, scores: dict[tuple[int, int], list[tuple[date, float]]],
          targets_of: dict[int, set[int]]) -> dict[tuple[int, int], list]:
    """(target id, activity id) → [gains, tries] over `picks` [(learner, activity, done at)].

    `scores`: (learner, target) → their teacher scores [(day, score)], sorted by day;
    `targets_of`: activity → the targets it counts for. A try: the learner finished the
    activity and had a teacher score on the target on or before that day. A gain: a later
    teacher score on it within GAIN_DAYS was higher than the last one before."""
    out: dict[tuple[int, int], list] = defaultdict(lambda: [0, 0])
    for student_id, activity_id, done_at in picks:
        done_on = done_at.date()
        for target_id in targets_of.get(activity_id, ()):
            history = scores.get((student_id, target_id), [])
            before = [s for d, s in history if d <= done_on]
            if not before:
                continue
            after = [s for d, s in history if done_on < d <= done_on + timedelta(GAIN_DAYS)]
            count = out[(target_id, activity_id)]
            count[1] += 1
            count[0] += any(s > before[-1] for s in after)
    return out


def teacher_scores(students, targets=None, session=None
                   ) -> dict[tuple[int, int], list[tuple[date, float]]]:
    """(learner, target) → teacher scores [(day, score)] sorted, for `students` (and only
    `targets` when given): four columns, not whole events (a school year holds thousands of
    them per target, and building ORM objects for each was most of a learner's first
    pull)."""
    query = select(AssessmentEvent.student_id, AssessmentEvent.target_id,
                   AssessmentEvent.assessed_on, AssessmentEvent.score).where(
        AssessmentEvent.student_id.in_(students), AssessmentEvent.source == "teacher",
        AssessmentEvent.score.is_not(None))
    if targets is not None:
        query = query.where(AssessmentEvent.target_id.in_(targets))
    scores: dict[tuple[int, int], list[tuple[date, float]]] = defaultdict(list)
    for student_id, target_id, assessed_on, score in (session or db.session).execute(query):
        scores[(student_id, target_id)].append((assessed_on, score))
    for history in scores.values():
        history.sort()
    return scores


def gains_of_others(learner_id: int, pairs: dict[int, list]) -> dict[tuple[int, int], list]:
    """(target id, activity id) → [gains, tries] from other learners' finished picks (see
    `tally`); backend/sync_server/gains.py keeps the same counts for a whole school."""
    targets_of: dict[int, set[int]] = defaultdict(set)
    for target_id, activities in pairs.items():
        for a in activities:
            targets_of[a.id].add(target_id)
    if not targets_of:
        return {}
    picks = db.session.execute(
        select(Pick.student_id, Pick.activity_id, Pick.updated_at).where(
            Pick.activity_id.in_(targets_of), Pick.status == "done",
            Pick.is_deleted.is_(False), Pick.student_id != learner_id,
        )
    ).all()
    scores = teacher_scores({p.student_id for p in picks}, list(pairs))
    return tally(picks, scores, targets_of)
