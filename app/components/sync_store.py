"""Offline screens in Python: Vars that read the JS sync core, and buttons that call it.

DESIGN §2: the store lives in the browser (IndexedDB, assets/sync/), not in rx.State. Each
Var below names the value of a React hook and CARRIES that hook and its import (VarData),
so whichever component renders it, memoized or not, gets the hook in its own function:

    goals = rows("goal")                       # const rows_goal = useRows("goal");
    rx.foreach(goals, lambda g: rx.text(g["title"]))

Writes call the sync core straight from the click handler (`js_action`), not through
`rx.call_script`: Reflex holds its whole event queue, call_script included, while a state
event waits for the socket, which is exactly the situation after a reload with the
network cut (hydrate and on_load wait there). A plain JS handler runs regardless.
"""

from __future__ import annotations

import json
from typing import Any

import reflex as rx
from reflex.components.component import field
from reflex.utils.imports import ImportVar
from reflex.vars.base import VarData
from reflex.vars.function import ArgsFunctionOperation, FunctionStringVar

SYNC_CORE = "$/public/sync/index.js"
LEARNER_UI = "$/public/ui/learner.js"
QUEUE_UI = "$/public/ui/teacher_queue.js"


def hook_var(name: str, call: str, module: str, export: str,
             var_type: type = dict, typed: bool = False) -> rx.Var:
    """A Var naming `const <name> = <call>;`, a hook exported by `module` as `export`.

    `typed` casts it to `var_type` (so list Vars get `.contains`, dict Vars `[key]`)."""
    data = VarData(imports={module: [ImportVar(tag=export)]},
                   hooks={f"const {name} = {call};": None})
    var = rx.Var(name, _var_type=var_type, _var_data=data)
    return var.to(var_type) if typed else var


def rows(row_type: str) -> rx.Var:
    """Live rows of one type from the sync core (flat dicts; deleted rows left out)."""
    name = f"rows_{row_type}"
    return hook_var(name, f"useRows({json.dumps(row_type)})", SYNC_CORE, "useRows",
                    list[dict[str, Any]])


def sync_status() -> rx.Var:
    """The sync status in words (see useSyncStatusView in assets/ui/learner.js)."""
    return hook_var("waypointSync", "useSyncStatusView()", LEARNER_UI, "useSyncStatusView")


def learner_view(name: str) -> rx.Var:
    """One learner screen's view: binder, target, goals, playlists or evidence."""
    return hook_var(f"view_{name}", f"useLearnerView({json.dumps(name)})", LEARNER_UI,
                    "useLearnerView")


def part(view: rx.Var, key: str, var_type: type = list[dict[str, Any]]) -> rx.Var:
    """One field of a view Var, typed (lists for rx.foreach, str/bool for text and cond)."""
    return view.to(dict)[key].to(var_type)


def js_action(function: str, *args: Any) -> rx.Var:
    """A click handler calling `window.<function>(*args)` directly in the browser."""
    call = FunctionStringVar.create(f"window.{function}").call(*args)
    return ArgsFunctionOperation.create((), call)


def queue_action(method: str, *args: Any) -> rx.Var:
    """A click handler calling `window.waypointQueue.<method>(*args)` (the review queue)."""
    return js_action(f"waypointQueue.{method}", *args)


# ---- the teacher's screens (the other teacher screens' hooks: components/teacher_screens.py)
# the sync status; a refusal carries its words in the reader's language (assets/ui/reason_text.js)
store_status = hook_var("wpStatus", "useSyncStatusWords()", "$/public/ui/reason_text.js",
                        "useSyncStatusWords", dict[str, Any], typed=True)
# the review queue from the device's store (assets/ui/teacher_queue.js)
review_queue = hook_var("wpQueue", "useTeacherQueue()", QUEUE_UI, "useTeacherQueue",
                        dict[str, Any], typed=True)
queue_notice = hook_var("wpQueueNotice", "useQueueNotice()", QUEUE_UI, "useQueueNotice",
                        dict[str, Any], typed=True)


class SyncStore(rx.Fragment):
    """Provides `rows` (live rows of `row_type`) and `status` to its children.

    For screens that just list one kind of row, e.g. a teacher's review queue:
    `SyncStore.create(rx.foreach(SyncStore.rows, ...), row_type="evidence")`. The Vars
    from `rows()` / `sync_status()` do the same without a wrapper.
    """

    row_type: str = field(default="goal", is_javascript_property=False)

    rows = rx.Var("syncRows", _var_type=list[dict[str, Any]])
    status = rx.Var("syncStatus", _var_type=dict[str, Any])

    def add_imports(self):
        return {SYNC_CORE: ["useRows", "useSyncStatus"]}

    def add_hooks(self):
        return [f"const syncRows = useRows({json.dumps(self.row_type)});",
                "const syncStatus = useSyncStatus();"]
