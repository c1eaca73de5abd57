"""Exports: OneRoster 1.2 results with learningObjectiveSet, and the binder CSV."""

import csv
import io
from datetime import date

from sqlalchemy import select

from backend.extensions import db
from backend.models import (
    AssessmentEvent,
    ContentArea,
    LearningTarget,
    MeasurementTopic,
    SchoolClass,
)
from tests.backend.interop.conftest import CASE, upload


def _binder_levels(client, headers, student_id) -> dict[int, float]:
    binder = client.get(f"/api/learners/{student_id}/binder", headers=headers).get_json()
    return {t["id"]: t["level"] for a in binder["content_areas"] for tp in a["topics"]
            for t in tp["targets"] if t["level"] is not None}


def test_results_match_the_binder_and_use_the_proficiency_scale(client, auth, ids):
    headers = auth.headers("teacher")
    resp = client.get(f"/api/interop/results?student_id={ids['student']}", headers=headers)
    assert resp.status_code == 200
    results = resp.get_json()["results"]
    levels = _binder_levels(client, headers, ids["student"])
    assert results and len(results) == len(levels)  # one per assessed target
    for r in results:
        target_id = int(r["lineItem"]["sourcedId"].rsplit("-", 1)[1])
        assert r["score"] == levels[target_id]
        assert 0 <= r["score"] <= 4  # the school's method may give 2 decimals
        assert r["scoreStatus"] == "fully graded" and r["student"]["type"] == "user"
        (objective,) = r["learningObjectiveSet"]
        assert objective["source"] == "unknown"  # the demo's targets were typed in by hand
        assert objective["learningObjectiveResults"][0]["score"] == r["score"]


def test_case_targets_are_reported_by_their_case_identifier(app, client, auth, ids):
    resp = upload(client, "/api/interop/case", (CASE / "math.json").read_bytes(),
                  auth.headers("admin"), wait=1)
    assert resp.status_code == 200
    with app.app_context():
        target = db.session.scalar(select(LearningTarget).where(LearningTarget.code == "M.NF.2"))
        db.session.add(AssessmentEvent(id="export-1", student_id=ids["student"],
                                       target_id=target.id, score=3.5, source="teacher",
                                       assessed_on=date(2025, 10, 1), author_id=ids["teacher"]))
        db.session.commit()
        case_id, target_id = target.case_identifier, target.id
        db.session.remove()
    results = client.get(f"/api/interop/results?student_id={ids['student']}",
                         headers=auth.headers("admin")).get_json()["results"]
    mine = [r for r in results if r["lineItem"]["sourcedId"] == f"waypoint-lineItem-{target_id}"]
    assert len(mine) == 1
    (objective,) = mine[0]["learningObjectiveSet"]
    assert objective == {"source": "case", "learningObjectiveResults": [
        {"learningObjectiveId": case_id, "score": 3.5, "textScore": "proficient"}]}
    assert mine[0]["scoreDate"] == "2025-10-01"


def test_a_teacher_exports_only_their_learners(app, client, auth, ids, assert_error):
    with app.app_context():
        classes = dict(db.session.execute(select(SchoolClass.name, SchoolClass.id)).all())
        db.session.remove()
    headers = auth.headers("teacher2")
    rows = list(csv.DictReader(io.StringIO(client.get(
        "/api/interop/binder.csv", headers=headers).get_data(as_text=True))))
    assert rows and ids["student2"] not in {int(r["learner_id"]) for r in rows}
    assert ids["student"] in {int(r["learner_id"]) for r in rows}
    assert_error(client.get(f"/api/interop/results?class_id={classes['Math Studio A']}",
                            headers=headers), 404)
    assert_error(client.get(f"/api/interop/binder.csv?student_id={ids['student2']}",
                            headers=headers), 404)
    assert_error(client.get("/api/interop/results", headers=auth.headers("guardian")), 403)


def test_the_binder_csv_for_a_class(app, client, auth):
    with app.app_context():
        cls = db.session.scalar(select(SchoolClass).where(SchoolClass.name == "Math Studio A"))
        learners = {e.student_id for e in cls.enrollments}
        # the learners' curriculum: the educator catalog (teacher microcredentials) is not
        # in a learner's binder
        targets = db.session.scalar(select(db.func.count()).select_from(LearningTarget).join(
            LearningTarget.topic).join(MeasurementTopic.content_area).where(
            LearningTarget.deleted_at.is_(None), ContentArea.audience == "learner"))
        class_id = cls.id
        db.session.remove()
    resp = client.get(f"/api/interop/binder.csv?class_id={class_id}",
                      headers=auth.headers("teacher"))
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    assert {int(r["learner_id"]) for r in rows} == learners
    assert len(rows) == len(learners) * targets
    assert {r["is_academic"] for r in rows} == {"yes", "no"}
    assessed = [r for r in rows if r["level"]]
    assert assessed and all(r["level_words"] != "not yet assessed" for r in assessed)


def test_exports_from_the_cli(runner):
    result = runner.invoke(args=["export-results"])
    assert result.exit_code == 0, result.output
    assert '"learningObjectiveSet"' in result.output
    result = runner.invoke(args=["export-binder", "--school", "Riverbend Community School"])
    assert result.exit_code == 0, result.output
    # every cell quoted (formula-injection guard, backend/downloads.py)
    header = next(csv.reader(io.StringIO(result.output)))
    assert header[:3] == ["learner_id", "learner_sourced_id", "username"]
