"""One page function per module, each registered by `@page(route, title, on_load)`
(app/routes.py). `load_all` imports every module here so app/app.py can add them all."""

from __future__ import annotations

import importlib
import pkgutil

from app import routes


def load_all() -> list[routes.PageSpec]:
    """Import each page module (running its `@page` decorators); the registered pages."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return list(routes.PAGES)
