"""Mastery settings API: admins write, bad settings are refused whole, events never change."""

from sqlalchemy import func, select

from backend.extensions import db
from backend.models import AssessmentEvent, LearningTarget, MeasurementTopic, School

SETTINGS = "/api/mastery/settings"


def _topic_id(app, name="Fractions"):
    with app.app_context():
        return db.session.scalar(select(MeasurementTopic.id).where(MeasurementTopic.name == name))


def _school_settings(app):
    with app.app_context():
        settings = dict(db.session.scalar(select(School)).settings)
        db.session.remove()
    return settings


def _events(app):
    with app.app_context():
        rows = db.session.execute(
            select(AssessmentEvent.id, AssessmentEvent.score, AssessmentEvent.assessed_on,
                   AssessmentEvent.source, AssessmentEvent.version).order_by(AssessmentEvent.id)
        ).all()
        db.session.remove()
    return rows


def _levels(client, auth, ids, who="student"):
    binder = client.get(f"/api/learners/{ids[who]}/binder", headers=auth.headers("admin"))
    assert binder.status_code == 200, binder.get_json()
    return {t["code"]: (t["level"], t["method_label"]) for a in binder.get_json()["content_areas"]
            for tp in a["topics"] for t in tp["targets"]}


def test_admin_and_teacher_read_the_demo_settings(client, auth):
    body = client.get(SETTINGS, headers=auth.headers("teacher")).get_json()
    assert body["calculation_method"] == "decaying_average"
    assert body["method_params"] == {"weight": 65}
    assert body["count_sources"] == ["teacher"]
    assert body["credit_rule"]["kind"] == "percent"
    assert body["method_label"].startswith("Decaying average")
    assert {m["name"] for m in body["methods"]} >= {"most_recent", "n_mastery", "true_score"}
    assert body["graduation_target_on"] and len(body["graduation_topics"]) == 4


def test_learners_and_guardians_cannot_read_or_write_settings(client, auth, assert_error):
    for who in ("student", "guardian"):
        assert_error(client.get(SETTINGS, headers=auth.headers(who)), 403)
    for who in ("student", "guardian", "teacher"):
        resp = client.put(SETTINGS, json={"calculation_method": "highest"},
                          headers=auth.headers(who))
        assert_error(resp, 403)
    assert _school_settings(client.application)["calculation_method"] == "decaying_average"


def test_changing_the_method_changes_levels_and_never_events(app, client, auth, ids):
    """Levels are computed on read: a new method shows at once; events are untouched."""
    before_events = _events(app)
    before = _levels(client, auth, ids)
    resp = client.put(SETTINGS, json={"calculation_method": "highest"},
                      headers=auth.headers("admin"))
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["method_label"] == "Highest score"
    after = _levels(client, auth, ids)
    assert _events(app) == before_events
    assert {label for _lv, label in after.values()} == {"Highest score"}
    changed = [code for code in before if before[code][0] != after[code][0]]
    assert changed, "the highest score differs from the decaying average somewhere"
    for code in changed:  # the highest score is never below a (weighted) average of scores
        assert after[code][0] >= before[code][0]


def test_bad_settings_are_422_and_nothing_is_saved(app, client, auth, assert_error, db_counts):
    counts, settings = db_counts(), _school_settings(app)
    bad = [
        ({"calculation_method": "median"}, "unknown calculation method"),
        ({"calculation_method": "decaying_average", "method_params": {"weight": 120}},
         "weight must be a number from 1 to 99"),
        ({"calculation_method": "n_mastery", "method_params": {"n": 0}}, "n must be at least 1"),
        ({"calculation_method": "most_recent", "method_params": {"weight": 65}},
         "does not take weight"),
        ({"calculation_method": "mean", "credit_rule": {"kind": "percent", "percent": 0}},
         "percent must be above 0"),
        ({"calculation_method": "mean", "credit_rule": {"kind": "most"}}, "unknown credit rule"),
        ({"calculation_method": "mean", "count_sources": ["parent"]}, None),
        ({"calculation_method": "mean", "graduation_topics": [999999]}, "graduation_topics"),
    ]
    for body, words in bad:
        resp = client.put(SETTINGS, json=body, headers=auth.headers("admin"))
        error = assert_error(resp, 422)
        if words:
            assert words in error["message"], (body, error)
    assert db_counts() == counts
    assert _school_settings(app) == settings


def test_a_school_method_that_breaks_a_topic_override_is_refused(app, client, auth,
                                                                  assert_error):
    topic = _topic_id(app)
    resp = client.put(f"/api/mastery/topics/{topic}/settings",
                      json={"override": {"method_params": {"weight": 75}}},
                      headers=auth.headers("admin"))
    assert resp.status_code == 200, resp.get_json()
    resp = client.put(SETTINGS, json={"calculation_method": "mean"},
                      headers=auth.headers("admin"))
    error = assert_error(resp, 422)
    assert "Fractions" in error["message"] and "does not take weight" in error["message"]
    assert _school_settings(app)["calculation_method"] == "decaying_average"


def test_topic_override_wins_for_its_targets_and_null_clears_it(app, client, auth, ids):
    topic = _topic_id(app)
    url = f"/api/mastery/topics/{topic}/settings"
    resp = client.put(url, json={"override": {"calculation_method": "highest",
                                              "method_params": {}}},
                      headers=auth.headers("admin"))
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["override"]["calculation_method"] == "highest"
    assert body["effective"]["calculation_method"] == "highest"
    assert body["effective"]["credit_rule"]["kind"] == "percent"  # inherited from the school
    levels = _levels(client, auth, ids)
    assert levels["M5.F.1"][1] == "Highest score"
    assert levels["E5.W.1"][1].startswith("Decaying average")

    cleared = client.put(url, json={"override": None}, headers=auth.headers("admin"))
    assert cleared.status_code == 200 and cleared.get_json()["override"] is None
    assert _levels(client, auth, ids)["M5.F.1"][1].startswith("Decaying average")


def test_topic_override_bad_or_foreign_or_not_admin(app, client, auth, assert_error):
    topic = _topic_id(app)
    url = f"/api/mastery/topics/{topic}/settings"
    error = assert_error(client.put(url, json={"override": {"calculation_method": "n_mastery",
                                                            "method_params": {"n": -1}}},
                                    headers=auth.headers("admin")), 422)
    assert "n must be at least 1" in error["message"]
    assert_error(client.put(url, json={"override": {"colour": "red"}},
                            headers=auth.headers("admin")), 422)
    assert_error(client.put(url, json={"override": None}, headers=auth.headers("teacher")), 403)
    assert_error(client.get("/api/mastery/topics/999999/settings",
                            headers=auth.headers("admin")), 404)
    with app.app_context():
        assert db.session.get(MeasurementTopic, topic).settings is None


def test_a_stored_bad_setting_is_a_409_not_a_500(app, client, auth, ids, assert_error):
    """Settings written around the API (an import, a console) still fail in the one shape."""
    with app.app_context():
        school = db.session.scalar(select(School))
        school.settings = {**school.settings, "method_params": {"weight": 0}}
        db.session.commit()
    error = assert_error(client.get(f"/api/learners/{ids['student']}/binder",
                                    headers=auth.headers("guardian")), 409)
    assert "weight must be a number from 1 to 99" in error["message"]
    with app.app_context():
        target = db.session.scalar(select(func.min(LearningTarget.id)))
    assert_error(client.get(f"/api/learners/{ids['student']}/targets/{target}",
                            headers=auth.headers("guardian")), 409)
