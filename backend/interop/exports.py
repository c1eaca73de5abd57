"""Exports of the binder: OneRoster 1.2 results with learningObjectiveSet, and a plain CSV.

Levels come from the mastery service (`backend.services.levels.learner_topics`: the
school's calculation method with topic overrides), exactly as the binder shows them. A
result is written for each learner and each learning target that has a level; targets
not yet assessed have no score to report and are left out (not reported as zero).
"""

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from backend.downloads import csv_text
from backend.extensions import db
from backend.models import AssessmentEvent, User
from backend.services.levels import learner_topics

CSV_COLUMNS = ("learner_id", "learner_sourced_id", "username", "learner", "content_area",
               "is_academic", "measurement_topic", "target_code", "target_title",
               "case_identifier", "scale_level", "level", "level_words", "last_assessed",
               "topic_complete")


def _last_assessed(student_id: int) -> dict[int, date]:
    rows = db.session.execute(
        select(AssessmentEvent.target_id, func.max(AssessmentEvent.assessed_on))
        .where(AssessmentEvent.student_id == student_id, AssessmentEvent.score.is_not(None))
        .group_by(AssessmentEvent.target_id))
    return dict(rows.all())


def binder_rows(learner: User) -> list[dict]:
    """One row per learning target of the learner's school, with the learner's level."""
    last = _last_assessed(learner.id)
    out = []
    for row in learner_topics(learner):
        topic = row["topic"]
        area = topic.content_area
        for target in topic.targets:
            result = row["levels"][target.id]
            out.append({
                "learner": learner, "area": area, "topic": topic, "target": target,
                "level": result["level"], "level_words": result["level_words"],
                "method_label": result["method_label"], "last_assessed": last.get(target.id),
                "topic_complete": row["credit"]["is_met"],
            })
    return out


def binder_csv(learners: list[User]) -> str:
    """The binders of `learners` as one CSV, a row per learner per target (cells neutralised
    against formula injection by the one CSV writer)."""
    return csv_text(CSV_COLUMNS, (
        [learner.id, learner.sourced_id or "", learner.username, learner.display_name,
         r["area"].name, "yes" if r["area"].is_academic else "no", r["topic"].name,
         r["target"].code, r["target"].title, r["target"].case_identifier or "",
         f"{r['target'].scale_level:.1f}", "" if r["level"] is None else f"{r['level']:g}",
         r["level_words"], r["last_assessed"].isoformat() if r["last_assessed"] else "",
         "yes" if r["topic_complete"] else "no"]
        for learner in learners for r in binder_rows(learner)))


def _ref(kind: str, local_id: int, sourced_id: str | None, href: str) -> dict:
    return {"href": href, "sourcedId": sourced_id or f"waypoint-{kind}-{local_id}",
            "type": kind}


def oneroster_results(learners: list[User], now: datetime | None = None) -> dict:
    """OneRoster 1.2 Gradebook `results`: one per learner per assessed learning target.

    Each target is its own line item; the score is the level on the 0–4 proficiency scale,
    repeated in `learningObjectiveSet` against the target's CASE identifier (source
    "case") or, for a target typed in by hand, its code (source "unknown").
    """
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    results = []
    for learner in learners:
        for r in binder_rows(learner):
            if r["level"] is None:
                continue
            t = r["target"]
            is_case = t.case_identifier is not None
            results.append({
                "sourcedId": f"waypoint-result-{learner.id}-{t.id}",
                "status": "active",
                "dateLastModified": stamp,
                "lineItem": _ref("lineItem", t.id, None, f"/api/curriculum/targets/{t.id}"),
                "student": _ref("user", learner.id, learner.sourced_id,
                                f"/api/learners/{learner.id}/binder"),
                "scoreStatus": "fully graded",
                "score": r["level"],
                "textScore": r["level_words"],
                "scoreDate": (r["last_assessed"] or date.today()).isoformat(),
                "comment": f"{r['topic'].name}: {t.code} ({r['method_label']})",
                "learningObjectiveSet": [{
                    "source": "case" if is_case else "unknown",
                    "learningObjectiveResults": [{
                        "learningObjectiveId": t.case_identifier if is_case else t.code,
                        "score": r["level"],
                        "textScore": r["level_words"],
                    }],
                }],
            })
    return {"results": results}
