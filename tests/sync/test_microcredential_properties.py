"""Property: the teacher-microcredential rules (sync/merge/common.py authorize) change the
answer of exactly three kinds of request and no other: a teacher's own binder, an
assessor's review or rating of a colleague, and anyone's review or rating of their own work.
Every other (actor, mutation, person) keeps the answer of the rule before them, written out
here as it stood (the learner-facing authorization the existing vectors pin)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.errors import NotAuthorized
from sync.merge.common import (
    ASSESSOR_MUTATIONS,
    OWN_BINDER_MUTATIONS,
    STUDENT_MUTATIONS,
    TEACHER_MUTATIONS,
    Actor,
    authorize,
)

PEOPLE = ["s1", "s2", "t1", "t2", "c1", "a1", "a2"]
STAFF = {"t1", "t2", "c1", "a1", "a2"}
ROLE = {"s1": "student", "s2": "student", "t1": "teacher", "t2": "teacher", "c1": "teacher",
        "a1": "admin", "a2": "admin", "g1": "guardian"}
NAMES = sorted(STUDENT_MUTATIONS | TEACHER_MUTATIONS)


def old_rule(actor: Actor, name: str, student: str) -> str | None:
    """The authorization before teacher microcredentials (the refusal code, or None)."""
    if actor.role == "guardian":
        return "auth.guardian_read_only"
    if actor.role == "admin":
        return "auth.admin_no_assess"
    allowed = STUDENT_MUTATIONS if actor.role == "student" else TEACHER_MUTATIONS
    if name not in allowed:
        return "auth.learner_cannot" if actor.role == "student" else "auth.teacher_cannot"
    if actor.role == "student" and student != actor.user_id:
        return "auth.not_own_record"
    if actor.role == "teacher" and student not in actor.learner_ids:
        return "auth.not_your_learner"
    return None


def new_rule(actor: Actor, name: str, student: str) -> str | None:
    try:
        authorize(actor, name, student)
    except NotAuthorized as refused:
        return refused.code
    return None


actors = st.builds(
    lambda who, learners, assessor: Actor(
        who, ROLE[who], frozenset(learners) if ROLE[who] == "teacher" else frozenset(),
        frozenset(STAFF - {who}) if assessor and ROLE[who] in ("teacher", "admin")
        else frozenset()),
    st.sampled_from([*PEOPLE, "g1"]), st.sets(st.sampled_from(["s1", "s2"])), st.booleans())


@settings(max_examples=400, deadline=None)
@given(actors, st.sampled_from(NAMES), st.sampled_from(PEOPLE))
def test_only_the_three_new_cases_change_an_answer(actor, name, student):
    old, new = old_rule(actor, name, student), new_rule(actor, name, student)
    own = student == actor.user_id
    if actor.role == "teacher" and own and name in OWN_BINDER_MUTATIONS:
        assert new is None  # a teacher's own binder
    elif own and name in ASSESSOR_MUTATIONS and actor.role in ("teacher", "admin"):
        # nobody reviews or rates their own work (an admin who assesses no one keeps the
        # old answer: it may make no review at all)
        assert new == ("auth.own_work" if actor.role == "teacher" or actor.assesses
                       else "auth.admin_no_assess")
    elif name in ASSESSOR_MUTATIONS and student in actor.assesses:
        assert new is None  # an assessor reviews and rates a colleague
    else:
        assert new == old, (actor, name, student)


@settings(max_examples=200, deadline=None)
@given(actors, st.sampled_from(NAMES))
def test_no_one_but_the_learner_and_their_teachers_writes_a_learner_row(actor, name):
    """An assessor's reach stops at staff: a learner's rows are as before for everyone."""
    for learner in ("s1", "s2"):
        assert new_rule(actor, name, learner) == old_rule(actor, name, learner)
