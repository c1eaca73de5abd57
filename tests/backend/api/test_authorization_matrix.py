"""Every /api route × every role: allowed or denied, exactly as MATRIX says.

MATRIX is the one table to extend when a route is added: the coverage test fails for any
route under /api (except the OpenAPI document) that it does not list, and for any entry
whose route no longer exists.

Roles (demo school, see docs/DESIGN.md §4):
    admin      the school's admin
    teacher    teaches Math Studio A (student, student2, …) and Math Studio B
    teacher2   teaches Writers' Workshop (student, not student2) and Humanities Lab
    student    Maya; student2 Eli (only in teacher's class)
    guardian   of student only; guardian2 of student2 only
    anonymous  no token

Denials: anonymous → 401; a role that may never do it → 403; a relationship that does
not hold (someone else's learner, class) → 404, which leaks nothing.
"""

import hashlib
import re
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from backend import create_app
from backend.config import TestConfig
from backend.extensions import db
from backend.models import (
    ContentArea,
    GuardianLink,
    LearningTarget,
    MeasurementTopic,
    Playlist,
    SchoolClass,
    User,
)

# Denied roles run first and the admin last, so an allowed write (a delete, say) cannot
# change what a later role sees.
ROLES = ("anonymous", "guardian2", "guardian", "student2", "student", "teacher2", "teacher",
         "admin")
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
STAFF = frozenset({"admin", "teacher", "teacher2"})
SEES_STUDENT = frozenset({"admin", "teacher", "teacher2", "student", "guardian"})
SEES_STUDENT2 = frozenset({"admin", "teacher", "student2", "guardian2"})
UPLOADERS = frozenset({"admin", "teacher", "teacher2", "student", "student2"})
LEARNERS_AND_TEACHERS = frozenset({"teacher", "teacher2", "student", "student2"})
EXCLUDED_PREFIXES = ("/api/openapi", "/api/docs", "/api/swagger", "/api/redoc")


def expect(ok: int, allowed=SIGNED_IN, hidden=(), denied: int = 403) -> dict[str, int]:
    """`allowed` roles get `ok`, `hidden` roles 404, other signed-in roles `denied`,
    anonymous 401 (unless listed in `allowed`)."""
    table = {}
    for role in ROLES:
        if role in allowed:
            table[role] = ok
        elif role == "anonymous":
            table[role] = 401
        elif role in hidden:
            table[role] = 404
        else:
            table[role] = denied
    return table


def admin_only(ok: int) -> dict[str, int]:
    return expect(ok, {"admin"})


@dataclass
class Case:
    """One request per role. Strings "@name" in path/json/query are resolved by REFS."""

    expect: dict[str, int]
    path: dict = field(default_factory=dict)  # name -> "@ref", a value, or (role) -> value
    json: object = None  # a dict, or a function (role) -> dict
    query: str = ""
    headers: dict = field(default_factory=dict)
    data: bytes | None = None
    token: str = "access"  # or "refresh"


SHA = hashlib.sha256(b"0123456789").hexdigest()
TUS = {"Tus-Resumable": "1.0.0", "Content-Type": "application/offset+octet-stream",
       "Upload-Offset": "0", "Upload-Length": "10"}
RUBRIC = [{"score": 3, "text": "Can do it."}]

# (METHOD, rule) -> Case or [Case, …]. HEAD is listed only where a view defines head().
MATRIX: dict[tuple[str, str], Case | list[Case]] = {
    # --- auth
    ("POST", "/api/auth/login"): Case(
        expect(200, frozenset(ROLES)), json={"username": "guardian", "password": "waypoint"}),
    ("POST", "/api/auth/logout"): Case(expect(204)),
    ("POST", "/api/auth/refresh"): Case(expect(200), token="refresh"),
    ("GET", "/api/auth/me"): Case(expect(200)),
    # a new password the rule refuses: 422 for everyone signed in, nothing changed
    ("POST", "/api/auth/password"): Case(
        expect(422), json={"current_password": "waypoint", "new_password": "x"}),
    # one's own language (backend/api/auth/locale.py): anyone signed in, for themselves only;
    # a locale Waypoint has no catalog for is refused (422) and nothing is written
    ("PATCH", "/api/auth/locale"): [
        Case(expect(422), json={"locale": "xx"}),
        Case(expect(200), json={"locale": "es"}),
    ],
    # who waits before signing in: a teacher's own learners, an admin's whole school
    ("GET", "/api/auth/lockouts"): Case(expect(200, STAFF)),
    ("DELETE", "/api/auth/lockouts/<int:user_id>"): Case(
        expect(204, {"admin", "teacher"}, {"teacher2"}), path={"user_id": "@student2"}),
    # --- sign-in cards (docs/sign_in_cards.md): a card signs in only on a shared device
    # (this client has no device cookie: refused for everyone); a class's teacher and the
    # admin print and stop its cards; staff mark and list shared devices
    ("POST", "/api/auth/card"): Case(expect(403, frozenset(ROLES)), json={"code": "ACDEFGHJ"}),
    ("GET", "/api/devices/this"): Case(expect(200, frozenset(ROLES))),  # public
    ("GET", "/api/devices"): Case(expect(200, STAFF)),
    ("POST", "/api/devices"): Case(expect(201, STAFF), json={"name": "Room 12 iPad 3"}),
    ("DELETE", "/api/devices/<int:device_id>"): Case(
        expect(404, STAFF), path={"device_id": 999999}),
    ("GET", "/api/cards/classes"): Case(expect(200, STAFF)),
    ("GET", "/api/cards/classes/<int:class_id>"): Case(
        expect(200, {"admin", "teacher"}, {"teacher2"}), path={"class_id": "@class"}),
    ("POST", "/api/cards/classes/<int:class_id>/print"): Case(
        expect(200, {"admin", "teacher"}, {"teacher2"}), path={"class_id": "@class"},
        json={"which": "all"}),
    ("DELETE", "/api/cards/classes/<int:class_id>"): Case(
        expect(200, {"admin", "teacher"}, {"teacher2"}), path={"class_id": "@class"}),
    ("DELETE", "/api/cards/learners/<int:learner_id>"): Case(
        expect(200, {"admin", "teacher"}, {"teacher2"}), path={"learner_id": "@student2"}),
    # --- access and audit logs: read only; families read their own child's access log
    ("GET", "/api/access-log"): Case(admin_only(200)),
    ("GET", "/api/audit-log"): Case(admin_only(200)),
    ("GET", "/api/privacy-notice"): Case(expect(200, frozenset(ROLES))),  # public
    ("GET", "/api/learners/<int:student_id>/access-log"): [
        Case(expect(200, {"admin", "student", "guardian"}, {"student2", "guardian2"}),
             path={"student_id": "@student"}),
        Case(expect(200, {"admin", "student2", "guardian2"}, {"student", "guardian"}),
             path={"student_id": "@student2"}),
    ],
    # --- family export (a guardian of the child; the learner only from 13: Maya is not),
    # withdrawal, deletion, receipts and retention (admins); the purge check is public
    ("GET", "/api/privacy/exports"): Case(expect(200)),
    ("POST", "/api/privacy/learners/<int:student_id>/exports"): Case(
        expect(202, {"guardian", "admin"}, {"guardian2", "student2"}),
        path={"student_id": "@student"}),
    ("GET", "/api/privacy/exports/<export_id>"): Case(expect(404), path={"export_id": "none"}),
    ("GET", "/api/privacy/exports/<export_id>/download"): Case(
        expect(404), path={"export_id": "none"}),
    ("GET", "/api/privacy/purge-check"): Case(expect(200, frozenset(ROLES))),
    # the family's consent for what badges link to: readers of the binder see it, only the
    # child's own guardian sets it
    ("GET", "/api/privacy/learners/<int:student_id>/sharing"): Case(
        expect(200, SEES_STUDENT, {"guardian2", "student2"}), path={"student_id": "@student"}),
    ("PUT", "/api/privacy/learners/<int:student_id>/sharing"): Case(
        expect(200, {"guardian"}, {"guardian2"}), path={"student_id": "@student"},
        json={"credential_evidence": True}),
    ("GET", "/api/privacy/learners"): Case(admin_only(200)),
    ("PATCH", "/api/privacy/learners/<int:student_id>"): Case(
        admin_only(200), path={"student_id": "@student3"}, json={"is_13_or_older": True}),
    # not withdrawn: refused, nothing deleted
    ("DELETE", "/api/privacy/learners/<int:student_id>"): Case(
        admin_only(409), path={"student_id": "@student3"}, json={"confirm": "student3"}),
    ("GET", "/api/privacy/receipts"): Case(admin_only(200)),
    ("GET", "/api/privacy/receipts/<receipt_id>"): Case(
        admin_only(404), path={"receipt_id": "none"}),
    ("GET", "/api/privacy/receipts/<receipt_id>/download"): Case(
        admin_only(404), path={"receipt_id": "none"}),
    ("GET", "/api/privacy/retention"): Case(admin_only(200)),
    ("PUT", "/api/privacy/retention"): Case(
        admin_only(200), json={"photo_years": 2, "record_years": 5}),
    # --- binder (reads; writes go through sync)
    ("GET", "/api/learners"): Case(expect(200)),
    ("GET", "/api/learners/<int:student_id>/binder"): [
        Case(expect(200, SEES_STUDENT, SIGNED_IN), path={"student_id": "@student"}),
        Case(expect(200, SEES_STUDENT2, SIGNED_IN), path={"student_id": "@student2"}),
    ],
    ("GET", "/api/learners/<int:student_id>/goals"): [
        Case(expect(200, SEES_STUDENT, SIGNED_IN), path={"student_id": "@student"}),
        Case(expect(200, SEES_STUDENT2, SIGNED_IN), path={"student_id": "@student2"}),
    ],
    ("GET", "/api/learners/<int:student_id>/profile"): [
        Case(expect(200, SEES_STUDENT, SIGNED_IN), path={"student_id": "@student"}),
        Case(expect(200, SEES_STUDENT2, SIGNED_IN), path={"student_id": "@student2"}),
    ],
    ("GET", "/api/learners/<int:student_id>/playlists"): [
        Case(expect(200, SEES_STUDENT, SIGNED_IN), path={"student_id": "@student"}),
        Case(expect(200, SEES_STUDENT2, SIGNED_IN), path={"student_id": "@student2"}),
    ],
    ("GET", "/api/learners/<int:student_id>/targets/<int:target_id>"): [
        Case(expect(200, SEES_STUDENT, SIGNED_IN),
             path={"student_id": "@student", "target_id": "@target"}),
        Case(expect(200, SEES_STUDENT2, SIGNED_IN),
             path={"student_id": "@student2", "target_id": "@target"}),
    ],
    ("GET", "/api/learners/<int:student_id>/pace"): [
        Case(expect(200, SEES_STUDENT, SIGNED_IN), path={"student_id": "@student"}),
        Case(expect(200, SEES_STUDENT2, SIGNED_IN), path={"student_id": "@student2"}),
    ],
    ("GET", "/api/learners/<int:student_id>/recommendations"): [
        Case(expect(200, SEES_STUDENT, SIGNED_IN), path={"student_id": "@student"}),
        Case(expect(200, SEES_STUDENT2, SIGNED_IN), path={"student_id": "@student2"}),
    ],
    # --- mastery settings: staff read, admins change
    ("GET", "/api/mastery/settings"): Case(expect(200, STAFF)),
    ("PUT", "/api/mastery/settings"): Case(
        admin_only(200), json={"calculation_method": "decaying_average",
                               "method_params": {"weight": 65}}),
    ("GET", "/api/mastery/topics/<int:topic_id>/settings"): Case(
        expect(200, STAFF), path={"topic_id": "@topic"}),
    ("PUT", "/api/mastery/topics/<int:topic_id>/settings"): Case(
        admin_only(200), path={"topic_id": "@topic"}, json={"override": None}),
    # --- curriculum: everyone signed in reads, admins change (teachers add activities)
    ("GET", "/api/curriculum/areas"): Case(expect(200)),
    ("POST", "/api/curriculum/areas"): Case(admin_only(201), json={"name": "Arts"}),
    ("PATCH", "/api/curriculum/areas/<int:area_id>"): Case(
        admin_only(200), path={"area_id": "@area"}, json={"name": "Mathematics"}),
    ("DELETE", "/api/curriculum/areas/<int:area_id>"): Case(
        admin_only(204), path={"area_id": "@empty_area"}),
    ("POST", "/api/curriculum/topics"): Case(
        admin_only(201), json={"content_area_id": "@area", "name": "Geometry"}),
    ("GET", "/api/curriculum/topics/<int:topic_id>"): Case(
        expect(200), path={"topic_id": "@topic"}),
    ("PATCH", "/api/curriculum/topics/<int:topic_id>"): Case(
        admin_only(200), path={"topic_id": "@topic"}, json={"level": 6}),
    ("DELETE", "/api/curriculum/topics/<int:topic_id>"): Case(
        admin_only(204), path={"topic_id": "@empty_topic"}),
    ("POST", "/api/curriculum/targets"): Case(
        admin_only(201), json={"topic_id": "@topic", "code": "M5.F.9", "title": "New",
                               "scale_level": 3.0, "rubric": RUBRIC}),
    ("GET", "/api/curriculum/targets/<int:target_id>"): Case(
        expect(200), path={"target_id": "@target"}),
    ("PATCH", "/api/curriculum/targets/<int:target_id>"): Case(
        admin_only(200), path={"target_id": "@target"}, json={"rubric": RUBRIC}),
    ("DELETE", "/api/curriculum/targets/<int:target_id>"): Case(
        admin_only(204), path={"target_id": "@target"}),
    ("GET", "/api/curriculum/targets/<int:target_id>/usage"): Case(
        admin_only(200), path={"target_id": "@target"}),
    ("GET", "/api/curriculum/activities"): Case(expect(200)),
    ("POST", "/api/curriculum/activities"): Case(
        expect(201, STAFF), json={"title": "Fraction bingo", "kind": "practice",
                                  "target_ids": ["@target"]}),
    # --- roster: teachers read their own classes, admins manage
    ("GET", "/api/roster/classes"): Case(expect(200, STAFF)),
    ("POST", "/api/roster/classes"): Case(
        admin_only(201), json={"name": "Studio C", "teacher_id": "@teacher"}),
    ("GET", "/api/roster/classes/<int:class_id>"): Case(
        expect(200, {"admin", "teacher"}, hidden={"teacher2"}), path={"class_id": "@class"}),
    ("PATCH", "/api/roster/classes/<int:class_id>"): Case(
        admin_only(200), path={"class_id": "@class"}, json={"name": "Math Studio Alpha"}),
    ("DELETE", "/api/roster/classes/<int:class_id>"): Case(
        admin_only(204), path={"class_id": "@empty_class"}),
    ("POST", "/api/roster/classes/<int:class_id>/enrollments"): Case(
        admin_only(201), path={"class_id": "@other_class"}, json={"student_id": "@student2"}),
    ("DELETE", "/api/roster/classes/<int:class_id>/enrollments/<int:student_id>"): Case(
        admin_only(204), path={"class_id": "@class", "student_id": "@student3"}),
    ("GET", "/api/roster/users"): Case(admin_only(200)),
    ("POST", "/api/roster/users"): Case(
        admin_only(201), json={"username": "newteacher", "display_name": "New", "role":
                               "teacher", "password": "long-enough-pw"}),
    ("PATCH", "/api/roster/users/<int:user_id>"): Case(
        admin_only(200), path={"user_id": "@student3"}, json={"display_name": "Ava P"}),
    ("DELETE", "/api/roster/users/<int:user_id>"): Case(
        admin_only(204), path={"user_id": "@student3"}),
    ("GET", "/api/roster/guardian-links"): Case(admin_only(200)),
    ("POST", "/api/roster/guardian-links"): Case(
        admin_only(201), json={"guardian_id": "@guardian2", "student_id": "@student3"}),
    ("DELETE", "/api/roster/guardian-links/<int:link_id>"): Case(
        admin_only(204), path={"link_id": "@guardian_link"}),
    ("GET", "/api/roster/summary"): Case(admin_only(200)),
    # --- blobs (tus): an unknown sha is 404 for everyone signed in (HEAD speaks of one's
    # own upload, and families never upload: the same 404, issue 13 #4)
    ("HEAD", "/api/blobs/<sha>"): Case(expect(404), path={"sha": SHA}),
    ("GET", "/api/blobs/<sha>"): Case(expect(404), path={"sha": SHA}),
    ("PATCH", "/api/blobs/<sha>"): Case(  # a partial upload belongs to its uploader
        expect(204, UPLOADERS), path={"sha": lambda role: hashlib.sha256(role.encode())
                                      .hexdigest()}, headers=TUS, data=b"012"),
    # --- sync
    # the demo admin assesses teacher microcredentials, so it pushes (reviews of staff)
    ("POST", "/api/sync/push"): Case(
        expect(200, LEARNERS_AND_TEACHERS | {"admin"}),
        json=lambda role: {"client_id": f"matrix-{role}", "mutations": []}),
    ("GET", "/api/sync/pull"): Case(expect(200)),
    # --- teaching reads (and one group write) for the teacher, family and admin screens
    ("POST", "/api/groups"): Case(
        expect(201, {"admin", "teacher"}, hidden={"teacher2"}),
        json={"class_id": "@class", "name": "Regroup", "student_ids": ["@student"],
              "playlist_id": "@playlist"}),
    ("GET", "/api/learners/<int:student_id>/progress"): [
        Case(expect(200, SEES_STUDENT, SIGNED_IN), path={"student_id": "@student"}),
        Case(expect(200, SEES_STUDENT2, SIGNED_IN), path={"student_id": "@student2"}),
    ],
    ("GET", "/api/sync/health"): Case(admin_only(200)),
    # --- interop: imports (admins, into their own school) and their jobs
    ("POST", "/api/interop/oneroster"): Case(  # the admin gets as far as reading the zip
        admin_only(422), query="wait=1&dry_run=1", data=b"not a zip",
        headers={"Content-Type": "application/zip"}),
    ("POST", "/api/interop/case"): Case(
        admin_only(200), query="wait=1&dry_run=1", headers={"Content-Type": "application/json"},
        data=b'{"CFDocument": {"identifier": "d", "title": "Arts"}, "CFItems": [{"identifier":'
             b' "a", "CFItemType": "Domain", "fullStatement": "Arts"}], "CFAssociations": [{'
             b'"associationType": "isChildOf", "originNodeURI": {"identifier": "a"}, '
             b'"destinationNodeURI": {"identifier": "d"}}]}'),
    ("GET", "/api/interop/jobs"): Case(expect(200, STAFF)),  # staff: their own jobs only
    ("GET", "/api/interop/jobs/<job_id>"): Case(expect(404, STAFF), path={"job_id": "none"}),
    ("POST", "/api/interop/jobs/<job_id>/rerun"): Case(
        expect(404, STAFF), path={"job_id": "none"}),
    ("GET", "/api/interop/jobs/<job_id>/result"): Case(
        expect(404, STAFF), path={"job_id": "none"}),
    # --- interop exports: teachers their learners, admins everyone
    ("GET", "/api/interop/results"): [
        Case(expect(200, STAFF)),
        Case(expect(200, {"admin", "teacher"}, hidden={"teacher2"}), query="class_id=@class"),
    ],
    ("GET", "/api/interop/binder.csv"): [
        Case(expect(200, STAFF)),
        Case(expect(200, {"admin", "teacher"}, hidden={"teacher2"}),
             query="student_id=@student2"),
    ],
    # --- reports: whoever may read the binder; a class's batch for its teacher and admins
    ("GET", "/api/interop/reports/<kind>/<int:student_id>"): [
        Case(expect(200, SEES_STUDENT, SIGNED_IN), query="format=html",
             path={"kind": "transcript", "student_id": "@student"}),
        Case(expect(200, SEES_STUDENT2, SIGNED_IN), query="format=html",
             path={"kind": "progress", "student_id": "@student2"}),
    ],
    ("POST", "/api/interop/reports/batch"): Case(
        expect(200, {"admin", "teacher"}, hidden={"teacher2"}),
        json={"class_id": "@class", "kind": "transcript", "wait": True}),
    # --- credentials (issue 17, docs/credentials.md): the issuer's profile, keys, status list
    # and verification are public; a learner's credentials whoever may read the binder;
    # revoking and rotating keys admins; importing one earned elsewhere staff
    ("GET", "/api/credentials/issuers/<int:school_id>"): Case(
        expect(200, frozenset(ROLES)), path={"school_id": 1}),
    ("GET", "/api/credentials/issuers/<int:school_id>/jwks"): Case(
        expect(200, frozenset(ROLES)), path={"school_id": 1}),
    ("GET", "/api/credentials/status/<int:school_id>"): Case(
        expect(200, frozenset(ROLES)), path={"school_id": 1}),
    ("POST", "/api/credentials/verify"): Case(
        expect(200, frozenset(ROLES)), json={"credential": "not a credential"}),
    ("GET", "/api/credentials/learners/<int:student_id>"): Case(
        expect(200, SEES_STUDENT, SIGNED_IN), path={"student_id": "@student"}),
    ("GET", "/api/credentials/learners/<int:student_id>/clr"): Case(
        expect(200, SEES_STUDENT2, SIGNED_IN), path={"student_id": "@student2"}),
    ("GET", "/api/credentials/<cred_id>"): Case(
        expect(404, SIGNED_IN), path={"cred_id": "no-such-credential"}),
    ("GET", "/api/credentials/<cred_id>/download"): Case(
        expect(404, SIGNED_IN), path={"cred_id": "no-such-credential"}),
    ("POST", "/api/credentials/<cred_id>/revoke"): Case(
        expect(404, {"admin"}), path={"cred_id": "no-such-credential"}),
    ("POST", "/api/credentials/issuer/rotate"): Case(admin_only(200)),
    ("POST", "/api/credentials/imports"): Case(
        expect(422, STAFF), json={"credential": "not a credential"}),
    ("GET", "/api/credentials/imports"): Case(expect(200)),
    # --- teacher microcredentials (issue 17 part 3): an educator's own credentials, an
    # admin's (and an assessor's); the talent view, awards and terms admins only
    ("GET", "/api/credentials/educators/<int:user_id>"): Case(
        expect(200, {"admin", "teacher"}, {"teacher2"}), path={"user_id": "@teacher"}),
    ("GET", "/api/admin/growth"): Case(admin_only(200)),
    ("PUT", "/api/admin/growth/awards/<credential_id>"): Case(
        expect(404, {"admin"}), path={"credential_id": "no-such-credential"},
        json={"stipend_cents": 100}),
    ("GET", "/api/admin/microcredentials"): Case(admin_only(200)),
    ("PUT", "/api/admin/microcredentials/<int:topic_id>"): Case(
        admin_only(200), path={"topic_id": "@microcredential"}, json={"recert_hours": 10}),
}


# --------------------------------------------------------------------------- machinery


def api_routes(app) -> set[tuple[str, str]]:
    """(METHOD, rule) of every /api route; HEAD only where a view defines it itself."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.rule.startswith(EXCLUDED_PREFIXES):
            continue
        view_class = getattr(app.view_functions[rule.endpoint], "view_class", None)
        for method in rule.methods - {"OPTIONS", "HEAD"}:
            routes.add((method, rule.rule))
        if "HEAD" in rule.methods and view_class is not None and hasattr(view_class, "head"):
            routes.add(("HEAD", rule.rule))
    return routes


@pytest.fixture(scope="module")
def routes():
    return api_routes(create_app(TestConfig))


def test_matrix_covers_every_route(routes):
    missing = sorted(routes - set(MATRIX))
    stale = sorted(set(MATRIX) - routes)
    assert not missing, f"add these routes to MATRIX in {__name__}: {missing}"
    assert not stale, f"MATRIX lists routes that no longer exist: {stale}"


def test_matrix_is_complete_per_role():
    for key, cases in MATRIX.items():
        for case in cases if isinstance(cases, list) else [cases]:
            assert set(case.expect) == set(ROLES), key


def _refs(app) -> dict:
    """Named things of the demo school that cases refer to as "@name"."""
    with app.app_context():
        users = dict(db.session.execute(select(User.username, User.id)).all())
        classes = dict(db.session.execute(select(SchoolClass.name, SchoolClass.id)).all())
        area = db.session.scalar(select(ContentArea).where(ContentArea.name == "Math"))
        empty_area = ContentArea(school_id=area.school_id, name="Empty area")
        db.session.add(empty_area)
        db.session.flush()
        empty_topic = MeasurementTopic(content_area_id=area.id, name="Empty topic")
        empty_class = SchoolClass(school_id=area.school_id, name="Empty class",
                                  teacher_id=users["teacher"])
        db.session.add_all([empty_topic, empty_class])
        db.session.commit()
        refs = {
            **users,
            "area": area.id,
            "empty_area": empty_area.id,
            "empty_topic": empty_topic.id,
            "empty_class": empty_class.id,
            "topic": db.session.scalar(select(MeasurementTopic.id).where(
                MeasurementTopic.name == "Fractions")),
            "target": db.session.scalar(select(LearningTarget.id).where(
                LearningTarget.code == "M5.F.1")),
            "class": classes["Math Studio A"],
            "other_class": classes["Humanities Lab"],
            "playlist": db.session.scalar(select(Playlist.id).where(
                Playlist.title == "Fractions playlist")),
            "guardian_link": db.session.scalar(select(GuardianLink.id).where(
                GuardianLink.guardian_id == users["guardian"])),
            "microcredential": db.session.scalar(select(MeasurementTopic.id).where(
                MeasurementTopic.name == "Student-Centered Feedback")),
        }
        db.session.remove()
    return refs


def _resolve(value, refs):
    if isinstance(value, str) and value.startswith("@"):
        return refs[value[1:]]
    if isinstance(value, dict):
        return {k: _resolve(v, refs) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, refs) for v in value]
    return value


def _url(rule: str, case: Case, refs, role: str) -> str:
    url = rule
    for name, value in case.path.items():
        resolved = _resolve(value(role) if callable(value) else value, refs)
        url = url.replace(f"<int:{name}>", str(resolved)).replace(f"<{name}>", str(resolved))
    assert "<" not in url, f"{rule}: give Case.path a value for every variable"
    query = re.sub(r"@(\w+)", lambda m: str(refs[m.group(1)]), case.query)
    return url + (f"?{query}" if query else "")


def _cases():
    for (method, rule), cases in MATRIX.items():
        for n, case in enumerate(cases if isinstance(cases, list) else [cases]):
            yield pytest.param(method, rule, case, id=f"{method} {rule} #{n}")


@pytest.mark.parametrize("method, rule, case", list(_cases()))
def test_role_matrix(app, client, auth, assert_error, db_counts, routes, method, rule, case):
    if (method, rule) not in routes:
        pytest.skip("route not registered (test_matrix_covers_every_route reports it)")
    refs = _refs(app)
    got = {}
    for role in ROLES:
        url = _url(rule, case, refs, role)
        headers = dict(case.headers)
        if role != "anonymous":
            headers.update(auth.headers(role, refresh=case.token == "refresh"))
        body = case.json(role) if callable(case.json) else case.json
        kwargs = {"headers": headers}
        if body is not None:
            kwargs["json"] = _resolve(body, refs)
        if case.data is not None:
            kwargs["data"] = case.data
        before = db_counts() if method != "GET" and case.expect[role] >= 400 else None
        resp = client.open(url, method=method, **kwargs)
        got[role] = resp.status_code
        if resp.status_code != case.expect[role]:
            continue
        if resp.status_code >= 400 and method != "HEAD":
            assert_error(resp, resp.status_code)
        if before is not None and method != "HEAD":
            assert db_counts() == before, f"{role} was refused but something was written"
    assert got == case.expect, f"{method} {_url(rule, case, refs, 'admin')}"
