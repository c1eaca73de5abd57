"""The teacher's view of the sync core, as Reflex Vars that carry their own React hooks.

Each Var below names a hook's value (DESIGN §2); its VarData brings the hook and the import
into whichever component renders it, so it works inside rx.foreach/rx.cond and inside the
components Reflex memoizes. Writes go through `window.waypointTeacher` (assets/teacher/
teacher.js) → `window.waypoint` → the outbox → /api/sync/push, never a REST endpoint.
A learner-side engineer is building generic wrappers (sync_store.py); when they land these
can become thin aliases of theirs.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars.base import VarData
from reflex.vars.function import ArgsFunctionOperation, FunctionStringVar

TEACHER_JS = "$/public/teacher/teacher.js"
SYNC_JS = "$/public/sync/index.js"
# the sync core's bare imports, added to the app's frontend build
DEPENDENCIES = ["dexie@4.4.7", "dexie-react-hooks@4.4.0"]
ONE_WAITING = "1 change waiting to sync"
MANY_WAITING = " changes waiting to sync"  # after the number: "3 changes waiting to sync"


def _hook_var(name: str, hook: str, library: str, tag: str, var_type) -> rx.Var:
    return rx.Var(
        name,
        _var_type=var_type,
        _var_data=VarData(imports={library: [tag]}, hooks={f"const {name} = {hook};": None}),
    ).to(var_type)


reviews = _hook_var("wpReviews", "useTeacherReviews()", TEACHER_JS, "useTeacherReviews",
                    dict[str, list[str]])
conflicts = _hook_var("wpConflicts", "useTeacherConflicts()", TEACHER_JS,
                      "useTeacherConflicts", dict[str, list[str]])
unsent_ratings = _hook_var("wpUnsentRatings", "useTeacherRatings()", TEACHER_JS,
                           "useTeacherRatings", list[str])
notice = _hook_var("wpNotice", "useTeacherNotice()", TEACHER_JS, "useTeacherNotice",
                   dict[str, Any])
# the review queue from the device's store: {items (ReviewItem-shaped), ready, show, order}
review_queue = _hook_var("wpQueue", "useTeacherQueue()", TEACHER_JS, "useTeacherQueue",
                         dict[str, Any])
sync_status = _hook_var("wpStatus", "useSyncStatus()", SYNC_JS, "useSyncStatus",
                        dict[str, Any])

reviewed_keys = reviews["done"].to(list[str])
waiting_review_keys = reviews["waiting"].to(list[str])
resolved_conflicts = conflicts["resolved"].to(list[str])
waiting_conflicts = conflicts["waiting"].to(list[str])


class TeacherSyncDeps(rx.Fragment):
    """Adds the sync core's npm packages to the build (render it once per teacher page)."""

    lib_dependencies: list[str] = DEPENDENCIES


def online_count_text(items: rx.Var, total: rx.Var) -> rx.Var:
    """The online review list's count without the pieces reviewed on this page
    (onlineCountText in assets/teacher/teacher.js): the server's total was loaded before."""
    data = VarData.merge(VarData(imports={TEACHER_JS: ["onlineCountText"]}),
                         items._get_all_var_data(), total._get_all_var_data(),
                         reviewed_keys._get_all_var_data())
    expr = (f"onlineCountText({items._js_expr}, {total._js_expr}, "
            f"{reviewed_keys._js_expr})")
    return rx.Var(expr, _var_type=str, _var_data=data)


def sync_strip() -> rx.Component:
    """One line on the sync state: offline, changes waiting, or the last refusal's reason."""
    pending = sync_status["pending"].to(int)
    rejection = sync_status["lastRejection"].to(dict)
    return rx.fragment(
        TeacherSyncDeps.create(),
        notice_line(),
        rx.cond(
            sync_status["signedIn"].to(bool) & ~sync_status["online"].to(bool),
            rx.callout(
                "You are offline. What you mark here is kept on this phone and sent when "
                "you are back online.",
                icon="wifi_off", color_scheme="amber", size="1", width="100%", role="status",
            ),
        ),
        rx.cond(
            pending > 0,
            rx.text(rx.cond(pending == 1, ONE_WAITING,
                            pending.to_string() + MANY_WAITING), size="2",
                    color=rx.color("amber", 11), role="status"),
        ),
        rx.cond(
            rejection,
            rx.callout.root(
                rx.callout.icon(rx.icon("triangle_alert")),
                rx.callout.text(
                    "Not saved: " + rejection["reason"].to(str)
                    + ". Nothing else was changed; reload to see the current state."),
                rx.button("Dismiss", size="2", variant="soft", color_scheme="red",
                          min_height="44px",
                          on_click=rx.call_script(
                              "window.waypoint.dismissRejection("
                              + rejection["seq"].to(int).to_string() + ")")),
                color_scheme="red", size="1", width="100%", role="alert",
            ),
        ),
    )


def js_action(function: str, *args: Any) -> rx.Var:
    """A click handler calling `window.<function>(*args)` directly in the browser (the same
    helper as sync_store.js_action, kept here so teacher screens need only the sync core)."""
    call = FunctionStringVar.create(f"window.{function}").call(*args)
    return ArgsFunctionOperation.create((), call)


def teacher_action(method: str, *args: Any) -> rx.Var:
    """A click handler calling `window.waypointTeacher.<method>(*args)` in the browser.

    A plain JS handler, not rx.call_script: Reflex holds its whole event queue while a
    state event waits for the socket, and a teacher on a bus has no socket.
    """
    return js_action(f"waypointTeacher.{method}", *args)


def notice_line() -> rx.Component:
    """What the last tap did, announced politely (or as an alert when refused)."""
    text = notice["text"].to(str)
    is_error = notice["isError"].to(bool)
    return rx.cond(
        text != "",
        rx.callout(text, icon=rx.cond(is_error, "triangle_alert", "circle_check"),
                   color_scheme=rx.cond(is_error, "red", "grass"),
                   role=rx.cond(is_error, "alert", "status"), size="1", width="100%"),
    )
