"""The browser tab's title in the reader's language.

Reflex writes each page's <title> once, in English, when it builds the app (app/routes.py
`page`: "Review · Waypoint"). The h1 is translated in the browser (app/i18n.py t()), so the
page frame also sets document.title from the same Var after each render: the tab, the
history list and a screen reader's window name then read "Mi familia · Waypoint". Before the
page's JavaScript runs (and with no JavaScript) the English title stays.
"""

from __future__ import annotations

import reflex as rx
from reflex.utils.imports import ImportVar
from reflex.vars.base import VarData

SUFFIX = " · Waypoint"


def tab_title(title: rx.Var[str] | str) -> rx.Component:
    """Nothing visible: an effect that keeps document.title equal to "<title> · Waypoint"."""
    text = title if isinstance(title, rx.Var) else rx.Var.create(title)
    expr = text._js_expr
    effect = (f"useEffect(() => {{ const wpTab = String({expr} ?? \"\"); "
              f"document.title = wpTab ? wpTab + {SUFFIX!r} : {SUFFIX.strip(' ·')!r}; }}, "
              f"[{expr}]);")
    carrier = rx.Var("null", _var_type=None,
                     _var_data=VarData(imports={"react": [ImportVar(tag="useEffect")]},
                                       hooks={effect: text._get_all_var_data()}))
    return rx.fragment(carrier)
