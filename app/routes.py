"""Route constants, where each role lands after signing in, and the `@page` decorator
that registers each page at its route."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

HOME = "/"
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


# teacher, phone first
TEACHER_REVIEW = "/teacher/review"
TEACHER_GRID = "/teacher/grid"
TEACHER_CONFLICTS = "/teacher/conflicts"
TEACHER_READY = "/teacher/ready"
TEACHER_REPORTS = "/teacher/reports"
TEACHER_SIGN_IN_HELP = "/teacher/sign-in-help"  # let a locked-out learner in
TEACHER_CARDS = "/teacher/cards"  # print a class's QR sign-in cards (app/pages/teacher_cards.py)
CARD_SIGN_IN = "/card"  # a young learner signs in with a card (app/pages/card_sign_in.py)
TEACHER_RATE = "/teacher/learners/[learner_id]/targets/[target_id]"
# guardian: "how this level was worked out"
FAMILY_TARGET = "/family/[learner_id]/targets/[target_id]"
# admin
ADMIN_CURRICULUM = "/admin/curriculum"
ADMIN_PEOPLE = "/admin/people"
ADMIN_SETTINGS = "/admin/settings"
ADMIN_SYNC = "/admin/sync"
ADMIN_ACCESS_LOG = "/admin/access-log"  # who read which record; admin changes
# public: what is kept, why, how long, who sees it (linked from every footer and sign-in)
PRIVACY = "/privacy"
# public: anyone checks a credential (app/pages/verify.py, docs/credentials.md)
VERIFY = "/verify"
# a teacher's credentials earned elsewhere, each with its check (app/pages/teacher_credentials.py)
TEACHER_CREDENTIALS = "/teacher/credentials"
LEARNER_CREDENTIALS = "/learner/credentials"  # a learner's own credentials (online only)
# a teacher's microcredentials (issue 17 part 3, app/pages/teacher_growth.py), offline-first
TEACHER_GROWTH = "/teacher/growth"
ADMIN_GROWTH = "/admin/growth"  # the talent view: who works on which microcredential


def rate_target(learner_id: int | str, target_id: int | str) -> str:
    """Where a teacher rates one learner on one learning target."""
    return f"/teacher/learners/{learner_id}/targets/{target_id}"


def family_target(learner_id: int | str, target_id: int | str) -> str:
    """A guardian's page on one target: the level and how it was worked out."""
    return f"/family/{learner_id}/targets/{target_id}"


# learner, offline-first (rendered from the device's store, app/pages/learner_*.py)
LEARNER_TARGET = "/learner/target"
LEARNER_GOALS = "/learner/goals"
LEARNER_PLAYLISTS = "/learner/playlists"
LEARNER_EVIDENCE = "/learner/evidence"
LEARNER_PROFILE = "/learner/profile"  # the Personal Learner Profile (issue 18)
LEARNER_CONFERENCE = "/learner/conference"  # rehearse the student-led conference (issue 18)
TEACHER_PROFILE = "/teacher/profile"  # one learner's profile (?id=) and "I've noticed…"
ADMIN_IMPORTS = "/admin/imports"  # OneRoster/CASE imports, exports and report batches


# --- page registration: each page module says its own route, title and on_load ------------
# app/app.py imports every module of app/pages (app.pages.load_all) and adds what is here,
# so a new page is one decorated function, not also a hand call in app.py that can drift.

@dataclasses.dataclass(frozen=True)
class PageSpec:
    """One page as app.add_page takes it."""

    component: Callable[[], Any]
    route: str
    title: str
    on_load: Any = None


PAGES: list[PageSpec] = []


def page(route: str, title: str = "", on_load: Any = None):
    """Register the decorated page function at `route`.

    `title` is the page's own name ("Review"); the tab reads "Review · Waypoint". A route
    registered twice is a mistake (Reflex would keep one silently), so it raises.
    """

    def register(component: Callable[[], Any]) -> Callable[[], Any]:
        if any(spec.route == route for spec in PAGES):
            raise ValueError(f"page {route} is registered twice")
        full_title = f"{title} · Waypoint" if title else "Waypoint"
        PAGES.append(PageSpec(component, route, full_title, on_load))
        return component

    return register


# screens that render from the device's store and work with no connection; every other
# screen needs the server and says so when it cannot reach it (app/components/connection.py)
OFFLINE_CAPABLE = (
    LEARNER, LEARNER_TARGET, LEARNER_GOALS, LEARNER_PLAYLISTS, LEARNER_EVIDENCE,
    TEACHER, TEACHER_REVIEW, TEACHER_GRID, TEACHER_CONFLICTS, TEACHER_READY, TEACHER_RATE,
    LEARNER_PROFILE, TEACHER_PROFILE, LEARNER_CONFERENCE, TEACHER_GROWTH,
)
