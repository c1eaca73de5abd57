"""Route constants, and where each role lands after signing in."""

LOGIN = "/login"
LEARNER = "/learner"
TEACHER = "/teacher"
FAMILY = "/family"
ADMIN = "/admin"
BINDER = "/binder/[learner_id]"

HOME_BY_ROLE = {
    "student": LEARNER,
    "teacher": TEACHER,
    "guardian": FAMILY,
    "admin": ADMIN,
}


def home_for(role: str) -> str:
    """The page a role lands on; unknown roles go back to sign-in."""
    return HOME_BY_ROLE.get(role, LOGIN)


def binder_of(learner_id: int | str) -> str:
    """The read-only binder page of one learner (for teachers, guardians and admins)."""
    return f"/binder/{learner_id}"
