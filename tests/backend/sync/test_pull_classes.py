"""The teacher's store: `class` and `group` rows in the pull (the class lists and the grid
render from them offline). A teacher gets only the classes they teach, an admin all of the
school's, and an enrollment or group member added later reaches the next pull."""

from __future__ import annotations

import pytest

from backend.extensions import db
from backend.models import Enrollment, LearnerGroup, LearnerGroupMember, SchoolClass
from tests.backend.sync.world import PULL, World, standard_world


@pytest.fixture
def world(make_app):
    app = make_app(seeded=False)
    return World.build(app, standard_world()), app.test_client()


def _rows(world, http, user, row_type, cursor=None, phase=None):
    query = {"limit": 1000, **({"cursor": cursor} if cursor else {}),
             **({"phase": phase} if phase else {})}
    page = http.get(PULL, query_string=query, headers=world.headers(user)).get_json()
    return ({r["data"]["name"]: r for r in page["changes"] if r["type"] == row_type},
            page["cursor"])


def _learners(world, row):
    return {world.user_keys[i] for i in row["data"]["learner_ids"]}


def test_a_teacher_pulls_only_the_classes_they_teach_with_their_learners(world):
    world, http = world
    classes, _ = _rows(world, http, "t1", "class")
    assert set(classes) == {"Class of t1"}
    assert _learners(world, classes["Class of t1"]) == {"s1", "s2"}
    classes, _ = _rows(world, http, "t2", "class")
    assert set(classes) == {"Class of t2"}  # t2 never sees t1's class (nor s2 through it)
    assert _learners(world, classes["Class of t2"]) == {"s1"}
    admin, _ = _rows(world, http, "a1", "class")
    assert set(admin) == {"Class of t1", "Class of t2"}
    for learner_side in ("s1", "g1"):
        assert _rows(world, http, learner_side, "class")[0] == {}
        assert _rows(world, http, learner_side, "staff")[0] == {}


def test_staff_names_come_to_teachers_so_a_conflict_says_who_rated(world):
    world, http = world
    query = {"limit": 1000}
    page = http.get(PULL, query_string=query, headers=world.headers("t2")).get_json()
    staff = {world.user_keys[r["id"]] for r in page["changes"] if r["type"] == "staff"}
    assert {"t1", "t2", "a1"} <= staff
    assert not staff & {"s1", "s2", "g1"}


def test_an_enrollment_and_a_group_reach_the_teachers_next_pull_and_no_one_elses(world):
    world, http = world
    _, t1_cursor = _rows(world, http, "t1", "class")
    _, t2_cursor = _rows(world, http, "t2", "class")
    with world.app.app_context():
        klass = db.session.query(SchoolClass).filter_by(name="Class of t2").one()
        db.session.add(Enrollment(class_id=klass.id, student_id=world.users["s2"]))
        group = LearnerGroup(class_id=klass.id, name="Next: lt1")
        db.session.add(group)
        db.session.flush()
        db.session.add(LearnerGroupMember(group_id=group.id, student_id=world.users["s1"]))
        db.session.commit()
    classes, _ = _rows(world, http, "t2", "class", t2_cursor)
    assert _learners(world, classes["Class of t2"]) == {"s1", "s2"}
    groups, _ = _rows(world, http, "t2", "group", t2_cursor)
    assert _learners(world, groups["Next: lt1"]) == {"s1"}
    assert _rows(world, http, "t1", "class", t1_cursor)[0] == {}
    assert _rows(world, http, "t1", "group", t1_cursor)[0] == {}
    # a member added later moves the group's version: it comes again with both learners
    _, t2_cursor = _rows(world, http, "t2", "group")
    with world.app.app_context():
        group = db.session.query(LearnerGroup).filter_by(name="Next: lt1").one()
        db.session.add(LearnerGroupMember(group_id=group.id, student_id=world.users["s2"]))
        db.session.commit()
    groups, _ = _rows(world, http, "t2", "group", t2_cursor)
    assert _learners(world, groups["Next: lt1"]) == {"s1", "s2"}


def test_the_first_syncs_current_phase_carries_the_teachers_classes(world):
    world, http = world
    classes, _ = _rows(world, http, "t1", "class", phase="current")
    assert set(classes) == {"Class of t1"}
    assert _learners(world, classes["Class of t1"]) == {"s1", "s2"}
