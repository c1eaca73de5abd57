"""The Reflex app: pages, and the Flask API mounted into the same ASGI server at /api."""

import reflex as rx
from a2wsgi import WSGIMiddleware
from starlette.applications import Starlette
from starlette.routing import Mount

from app import routes
from app.api_client import flask_app
from app.pages.admin import admin_page
from app.pages.admin_access_log import admin_access_log_page
from app.pages.admin_curriculum import admin_curriculum_page
from app.pages.admin_imports import admin_imports_page, teacher_reports_page
from app.pages.admin_people import admin_people_page
from app.pages.admin_settings import admin_settings_page, admin_sync_page
from app.pages.binder import binder_page
from app.pages.family import family_page
from app.pages.family_target import family_target_page
from app.pages.learner import learner_page
from app.pages.learner_evidence import learner_evidence_page
from app.pages.learner_goals import learner_goals_page
from app.pages.learner_playlists import learner_playlists_page
from app.pages.learner_target import learner_target_page
from app.pages.login import home_page, login_page
from app.pages.privacy import privacy_page
from app.pages.teacher import teacher_page
from app.pages.teacher_conflicts import teacher_conflicts_page
from app.pages.teacher_grid import teacher_grid_page
from app.pages.teacher_rate import teacher_rate_page
from app.pages.teacher_ready import teacher_ready_page
from app.pages.teacher_review import teacher_review_page
from app.pages.teacher_sign_in_help import teacher_sign_in_help_page
from app.state.admin import AdminState
from app.state.admin_access_log import AdminAccessLogState
from app.state.admin_curriculum import AdminCurriculumState
from app.state.admin_imports import ROUTE as ADMIN_IMPORTS
from app.state.admin_imports import AdminImportsState
from app.state.admin_people import AdminPeopleState
from app.state.admin_settings import AdminSettingsState, AdminSyncState
from app.state.binder import BinderState
from app.state.family import FamilyState
from app.state.family_target import FamilyTargetState
from app.state.learner import LearnerState
from app.state.login import LoginState
from app.state.privacy import PrivacyState
from app.state.teacher import TeacherState
from app.state.teacher_conflicts import TeacherConflictsState
from app.state.teacher_grid import TeacherGridState
from app.state.teacher_rate import TeacherRateState
from app.state.teacher_ready import TeacherReadyState
from app.state.teacher_review import TeacherReviewState
from app.state.teacher_sign_in_help import TeacherSignInHelpState
from app.web_security import guard_event_socket, install_cors, with_security_headers


def _with_full_path(asgi_app):
    """Hand the mounted app the whole path: Flask's routes already start with /api.

    Starlette's Mount("/api") moves "/api" into root_path, which a2wsgi turns into
    SCRIPT_NAME and strips from PATH_INFO; Flask would then see /auth/login and 404.
    a2wsgi also needs `receive` to return a real coroutine (it hands it to
    run_coroutine_threadsafe), which the server's own callable is not always.
    """

    async def full_path_app(scope, receive, send):
        async def receive_coroutine():
            return await receive()

        scope = dict(scope, root_path=scope.get("app_root_path", ""))
        await asgi_app(scope, receive_coroutine, send)

    return full_path_app


# installable, offline-first: the manifest and icons are in assets/, the worker in assets/sw.js
PWA_HEAD = [
    rx.el.link(rel="manifest", href="/manifest.webmanifest"),
    rx.el.meta(name="theme-color", content="#0d9488"),
    rx.el.link(rel="apple-touch-icon", href="/icons/icon-192.png"),
]

install_cors()  # credentialed CORS for listed origins only (none by default)
app = rx.App(
    head_components=PWA_HEAD,
    stylesheets=["/theme.css"],  # Radix colours darkened to WCAG AA contrast (assets/theme.css)
    api_transformer=[
        Starlette(routes=[Mount("/api", app=_with_full_path(WSGIMiddleware(flask_app())))]),
        with_security_headers,  # CSP, frame-ancestors, nosniff on every page (the API has its own)
    ],
)
guard_event_socket(app)  # the event socket refuses handshakes from other origins

app.add_page(home_page, route="/", title="Waypoint", on_load=LoginState.go_home)
app.add_page(login_page, route=routes.LOGIN, title="Sign in · Waypoint",
             on_load=LoginState.go_home)
app.add_page(learner_page, route=routes.LEARNER, title="My binder · Waypoint",
             on_load=LearnerState.check_access)
app.add_page(learner_target_page, route=routes.LEARNER_TARGET,
             title="Learning target · Waypoint", on_load=LearnerState.check_access)
app.add_page(learner_goals_page, route=routes.LEARNER_GOALS, title="My goals · Waypoint",
             on_load=LearnerState.check_access)
app.add_page(learner_playlists_page, route=routes.LEARNER_PLAYLISTS,
             title="My playlists · Waypoint", on_load=LearnerState.check_access)
app.add_page(learner_evidence_page, route=routes.LEARNER_EVIDENCE,
             title="My evidence · Waypoint", on_load=LearnerState.check_access)
app.add_page(teacher_page, route=routes.TEACHER, title="My classes · Waypoint",
             on_load=TeacherState.load_classes)
app.add_page(family_page, route=routes.FAMILY, title="My family · Waypoint",
             on_load=FamilyState.load_children)
app.add_page(admin_page, route=routes.ADMIN, title="School · Waypoint",
             on_load=AdminState.load_summary)
app.add_page(binder_page, route=routes.BINDER, title="Binder · Waypoint",
             on_load=BinderState.load_binder)
# teacher, guardian and admin screens (issue 5)
app.add_page(teacher_review_page, route=routes.TEACHER_REVIEW, title="Review · Waypoint",
             on_load=TeacherReviewState.load_queue)
app.add_page(teacher_rate_page, route=routes.TEACHER_RATE, title="Rate · Waypoint",
             on_load=TeacherRateState.load_target)
app.add_page(teacher_grid_page, route=routes.TEACHER_GRID, title="Class grid · Waypoint",
             on_load=TeacherGridState.load_page)
app.add_page(teacher_conflicts_page, route=routes.TEACHER_CONFLICTS,
             title="Conflicts · Waypoint", on_load=TeacherConflictsState.load_conflicts)
app.add_page(teacher_ready_page, route=routes.TEACHER_READY,
             title="Ready to demonstrate · Waypoint", on_load=TeacherReadyState.load_requests)
app.add_page(family_target_page, route=routes.FAMILY_TARGET, title="A target · Waypoint",
             on_load=FamilyTargetState.load_target)
app.add_page(admin_curriculum_page, route=routes.ADMIN_CURRICULUM,
             title="Curriculum · Waypoint", on_load=AdminCurriculumState.load_curriculum)
app.add_page(admin_people_page, route=routes.ADMIN_PEOPLE, title="People · Waypoint",
             on_load=AdminPeopleState.load_people)
app.add_page(admin_settings_page, route=routes.ADMIN_SETTINGS, title="Settings · Waypoint",
             on_load=AdminSettingsState.load_settings)
app.add_page(admin_sync_page, route=routes.ADMIN_SYNC, title="Sync health · Waypoint",
             on_load=AdminSyncState.load_health)
# issue 13's duties: the logs (admins) and the public privacy notice
app.add_page(admin_access_log_page, route=routes.ADMIN_ACCESS_LOG,
             title="Access and audit logs · Waypoint", on_load=AdminAccessLogState.load)
app.add_page(privacy_page, route=routes.PRIVACY, title="Privacy · Waypoint",
             on_load=PrivacyState.load)
app.add_page(admin_imports_page, route=ADMIN_IMPORTS, title="Imports and reports · Waypoint",
             on_load=AdminImportsState.load)
app.add_page(teacher_reports_page, route=routes.TEACHER_REPORTS, title="Reports · Waypoint",
             on_load=AdminImportsState.load_for_teacher)
app.add_page(teacher_sign_in_help_page, route=routes.TEACHER_SIGN_IN_HELP,
             title="Sign-in help · Waypoint", on_load=TeacherSignInHelpState.load_lockouts)
