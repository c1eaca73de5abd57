"""The binder and target detail: levels from the school's method, explanations, credit."""

from sqlalchemy import select

from backend.extensions import db
from backend.mastery import calculate
from backend.models import AssessmentEvent, LearningTarget


def _target(app, code):
    with app.app_context():
        return db.session.scalar(select(LearningTarget.id).where(LearningTarget.code == code))


def _teacher_scores(app, student_id, target_id):
    with app.app_context():
        rows = db.session.scalars(select(AssessmentEvent).where(
            AssessmentEvent.student_id == student_id, AssessmentEvent.target_id == target_id))
        return [{"id": e.id, "score": e.score, "assessed_on": e.assessed_on.isoformat(),
                 "entered_at": e.created_at, "source": e.source} for e in rows]


def test_binder_levels_follow_the_schools_decaying_average(app, client, auth, ids):
    target = _target(app, "M5.F.2")
    binder = client.get(f"/api/learners/{ids['student']}/binder",
                        headers=auth.headers("student")).get_json()
    fractions = binder["content_areas"][0]["topics"][0]
    row = next(t for t in fractions["targets"] if t["id"] == target)
    expected = calculate("decaying_average", _teacher_scores(app, ids["student"], target),
                         weight=65)
    assert row["level"] == expected["level"]
    assert row["level_words"] == expected["level_words"]
    assert row["method_label"] == "Decaying average (recent work counts most)"
    assert fractions["method_label"] == row["method_label"]
    assert fractions["calculation_method"] == "decaying_average"


def test_binder_credit_names_the_targets_that_stand_in_the_way(client, auth, ids):
    binder = client.get(f"/api/learners/{ids['student']}/binder",
                        headers=auth.headers("guardian")).get_json()
    for area in binder["content_areas"]:
        for topic in area["topics"]:
            credit = topic["credit"]
            assert set(credit) >= {"is_met", "rule_words", "blocking", "explanation",
                                   "proficient_needed", "more_needed"}
            assert credit["proficient_count"] == topic["proficient_count"]
            levels = {t["id"]: t["level"] for t in topic["targets"]}
            for b in credit["blocking"]:
                assert b["missing"] and levels[b["id"]] == b["level"]
                assert b["level"] is None or b["level"] < 3.0
            assert credit["is_met"] == (not credit["blocking"] and topic["target_count"] > 0)
    fractions = binder["content_areas"][0]["topics"][0]
    # Maya is the demo's learner with the most ahead of her: Fractions is not complete
    assert not fractions["credit"]["is_met"] and fractions["credit"]["blocking"]
    assert fractions["credit"]["rule_words"].startswith("at least 80% of the targets")


def test_a_guardian_reads_how_a_level_was_worked_out(app, client, auth, ids):
    target = _target(app, "M5.F.2")
    resp = client.get(f"/api/learners/{ids['student']}/targets/{target}",
                      headers=auth.headers("guardian"))
    assert resp.status_code == 200, resp.get_json()
    detail = resp.get_json()
    explanation = detail["explanation"]
    assert detail["method_label"] == explanation["method_label"]
    assert explanation["steps"][0] == (
        "Method: Decaying average (recent work counts most) (weight 65%).")
    assert explanation["steps"][-1].startswith("Level: ")
    assert explanation["counted"], "Maya has teacher scores on M5.F.2"
    assert abs(sum(e["weight"] for e in explanation["counted"]) - 1) < 1e-6
    assert all(e["source"] == "teacher" for e in explanation["counted"])
    # her self-assessment is shown, with the reason it does not count
    assert [e["reason"] for e in explanation["skipped"]] == [
        "self-assessment: shown, not counted"]
    assert detail["has_open_conflict"] is False


def test_a_target_with_no_events_says_so(app, client, auth, ids):
    target = _target(app, "M5.F.5")
    detail = client.get(f"/api/learners/{ids['student']}/targets/{target}",
                        headers=auth.headers("teacher")).get_json()
    assert detail["level"] is None and detail["level_words"] == "not yet assessed"
    assert "No counted scores yet" in " ".join(detail["explanation"]["steps"])


def test_other_learners_binders_stay_hidden(app, client, auth, ids, assert_error):
    target = _target(app, "M5.F.2")
    for who, whose in (("guardian2", "student"), ("student2", "student"),
                       ("guardian", "student2"), ("teacher2", "student2")):
        assert_error(client.get(f"/api/learners/{ids[whose]}/binder",
                                headers=auth.headers(who)), 404)
        assert_error(client.get(f"/api/learners/{ids[whose]}/targets/{target}",
                                headers=auth.headers(who)), 404)
