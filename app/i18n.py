"""Text on Reflex pages, translated in the browser: `t("Save")` is a Var that the page's
React code renders through assets/ui/i18n.js, so it follows the reader's language online,
offline and after an offline reload (the catalogs are cached on the device).

    rx.text(t("Hello {name}", name=State.name))
    rx.text(tn("{n} change waiting", "{n} changes waiting", count_var))

Babel extracts `t` and `tn` (babel.cfg); the English msgid is the fallback.
"""

from __future__ import annotations

import json
from typing import Any

import reflex as rx
from reflex.utils.imports import ImportVar
from reflex.vars.base import VarData

I18N_JS = "$/public/ui/i18n.js"
_HOOK = VarData(imports={I18N_JS: [ImportVar(tag="useT")]},
                hooks={"const wpT = useT();": None})


def _call(args: list[Any]) -> rx.Var:
    parts, datas = [], [_HOOK]
    for arg in args:
        if isinstance(arg, rx.Var):
            parts.append(arg._js_expr)
            datas.append(arg._get_all_var_data())
        elif isinstance(arg, dict):
            var = rx.Var.create(arg)
            parts.append(var._js_expr)
            datas.append(var._get_all_var_data())
        else:
            parts.append(json.dumps(arg))
    return rx.Var(f"wpT({', '.join(parts)})", _var_type=str,
                  _var_data=VarData.merge(*datas)).to(str)


def t(msgid: str, **params: Any) -> rx.Var:
    """`msgid` in the reader's language; `{name}` placeholders from params (Vars allowed)."""
    return _call([msgid, params] if params else [msgid])


def tn(singular: str, plural: str, n: Any, **params: Any) -> rx.Var:
    """The plural form for `n` (a Var or int) in the reader's language; `{n}` is n."""
    return _call([{"one": singular, "other": plural, "n": n, **params}])
