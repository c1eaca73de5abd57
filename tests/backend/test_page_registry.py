"""Every route in app/routes.py is a page registered exactly once by `@page`, and the
decorator refuses a second page at a route (issue 15 item 8: no hand calls in app.py)."""

from collections import Counter

import pytest

from app import routes
from app.pages import load_all


def _route_constants() -> dict[str, str]:
    return {name: value for name, value in vars(routes).items()
            if name.isupper() and isinstance(value, str) and value.startswith("/")}


def test_every_route_constant_is_registered_exactly_once():
    registered = Counter(spec.route for spec in load_all())
    constants = _route_constants()
    assert len(constants) >= 25  # the constants were found, not an empty comparison
    missing = {name: route for name, route in constants.items() if registered[route] != 1}
    assert not missing, missing
    twice = [route for route, n in registered.items() if n > 1]
    assert not twice, twice


def test_every_registered_page_renders_under_a_titled_route():
    for spec in load_all():
        assert spec.title.endswith("Waypoint"), spec
        assert callable(spec.component), spec
        assert spec.route in _route_constants().values(), f"{spec.route}: add it to routes.py"


def test_a_second_page_at_a_route_is_refused():
    before = list(routes.PAGES)
    with pytest.raises(ValueError, match="registered twice"):
        routes.page(routes.PRIVACY, title="Again")(lambda: None)
    assert before == routes.PAGES
