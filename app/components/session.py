"""Sign-in and sign-out run in the browser (assets/ui/session.js), not in the Reflex state.

Why: the API answers a browser's sign-in with httpOnly cookies, and only a fetch made by
the page itself lets those Set-Cookie headers reach the browser; no token ever passes
through page scripts or localStorage. These Vars bring the script's hooks into a page
(importing the module also registers `window.waypointSession`), and the handlers call it
directly, the way offline buttons call the sync core (`js_action`).
"""

from __future__ import annotations

import reflex as rx
from reflex.vars.function import ArgsFunctionOperation, FunctionStringVar

from app import routes
from app.components.sync_store import hook_var

SESSION_JS = "$/public/ui/session.js"
SIGN_IN_FORM_ID = "sign-in"


def sign_in_view() -> rx.Var:
    """{busy, error} of the sign-in form (useSignIn)."""
    return hook_var("waypointSignIn", "useSignIn()", SESSION_JS, "useSignIn")


def sign_out_view() -> rx.Var:
    """{busy} of the Sign out button while it sends what is left (useSignOut)."""
    return hook_var("waypointSignOut", "useSignOut()", SESSION_JS, "useSignOut")


def sign_in_action() -> rx.Var:
    """The form's submit: window.waypointSession.signIn(homes by role, the form's id)."""
    call = FunctionStringVar.create("window.waypointSession.signIn").call(
        routes.HOME_BY_ROLE, SIGN_IN_FORM_ID)
    return ArgsFunctionOperation.create((), call)


def sign_out_action() -> rx.Var:
    """Sign out: flush the sync core, revoke both tokens, clear the cookies, go to /login."""
    return ArgsFunctionOperation.create(
        (), FunctionStringVar.create("window.waypointSession.signOut").call())
