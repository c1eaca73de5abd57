"""GET /api/learners/<id>/pace and /recommendations: who may read them, and their shape."""

from datetime import date

import pytest

READERS = ("student", "teacher", "guardian", "admin")


@pytest.mark.parametrize("who", READERS)
def test_the_learners_readers_get_the_plan(client, auth, ids, who):
    resp = client.get(f"/api/learners/{ids['student']}/pace", headers=auth.headers(who))
    assert resp.status_code == 200, resp.get_json()
    plan = resp.get_json()
    assert plan["learner"]["display_name"] == "Maya R."
    assert [t["name"] for t in plan["topics"]] == [
        "Fractions", "Ratios & Proportional Reasoning", "Argument Writing", "Ecosystems"]
    assert plan["goal_on"] and plan["summary"]
    for topic in plan["topics"]:
        assert topic["summary"] and topic["status"] in (
            "complete", "on_track", "behind", "no_pace_yet")


def test_the_plan_with_a_fixed_today_is_the_same_twice(client, auth, ids):
    url = f"/api/learners/{ids['student5']}/pace?today={date.today().isoformat()}"
    first = client.get(url, headers=auth.headers("teacher")).get_json()
    assert first == client.get(url, headers=auth.headers("teacher")).get_json()
    assert first["today"] == date.today().isoformat()


@pytest.mark.parametrize("who", READERS)
def test_the_learners_readers_get_recommendations(client, auth, ids, who):
    resp = client.get(f"/api/learners/{ids['student']}/recommendations",
                      headers=auth.headers(who))
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["basis"] == "history" and body["topics"]
    for topic in body["topics"]:
        assert topic["summary"]
        for activity in topic["activities"]:
            assert activity["why"] and activity["title"]


@pytest.mark.parametrize("path", ["pace", "recommendations"])
def test_others_cannot_read_them(client, auth, ids, assert_error, path):
    for who, whose in (("guardian2", "student"), ("student2", "student"),
                       ("guardian", "student2"), ("teacher2", "student2")):
        assert_error(client.get(f"/api/learners/{ids[whose]}/{path}",
                                headers=auth.headers(who)), 404)
    assert_error(client.get(f"/api/learners/{ids['student']}/{path}"), 401)
