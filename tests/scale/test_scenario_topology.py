"""The sync issue's scenario against the district topology, over real HTTP.

The same scenario as tests/backend/sync/test_scenario.py (offline devices, a Chromebook a
day fast, a rating conflict resolved in both inboxes, a photo uploaded in three interrupted
pieces, an approval with a level, every device converging), but sent through nginx to
gunicorn × 2 on PostgreSQL, with Redis as the limiter's storage and the token blocklist and
moto's S3 as the evidence store: the `make scale-demo` parts (deploy/topology.py).
The server keeps its own clock here, so the devices' clocks start from the real time.
"""

import time

import httpx
import pytest

from deploy.topology import Gunicorn, Nginx, app_env, free_port, migrate_and_seed
from tests.backend.sync.test_scenario import ORDERS, _photo, run_scenario
from tests.backend.sync.world import World, standard_world

pytestmark = [pytest.mark.faults]

SECRET = "scenario-topology-" + "s" * 32


class _Answer:
    """What the scenario reads of a Flask test-client response."""

    def __init__(self, response: httpx.Response):
        self.status_code = response.status_code
        self.headers = response.headers
        self._response = response

    def get_json(self):
        return self._response.json() if self._response.content else None


class RealHttp:
    """The Flask test client's calls, sent over HTTP to `base`."""

    def __init__(self, base: str):
        self.client = httpx.Client(base_url=base, timeout=30)

    def get(self, path, query_string=None, headers=None):
        return _Answer(self.client.get(path, params=query_string, headers=headers))

    def head(self, path, headers=None):
        return _Answer(self.client.head(path, headers=headers))

    def post(self, path, json=None, headers=None):
        return _Answer(self.client.post(path, json=json, headers=headers))

    def patch(self, path, data=None, headers=None):
        return _Answer(self.client.patch(path, content=data, headers=headers))


@pytest.fixture(scope="module")
def district(scale_state, pg_server, redis_server, s3_server):
    env = app_env(pg_server, redis_server, s3_server, scale_state, SECRET)
    env.update(TRUSTED_PROXIES="1")
    migrate_and_seed(env, seed=False)
    api = Gunicorn(scale_state, env, workers=2, name="gunicorn-scenario").start()
    static = scale_state / "scenario-static"
    static.mkdir(exist_ok=True)
    nginx = Nginx(scale_state, free_port(), api.port, [free_port()], static).start()
    yield f"http://127.0.0.1:{nginx.port}", pg_server
    nginx.stop()
    api.stop()


@pytest.mark.parametrize("order", ORDERS.values(), ids=ORDERS.keys())
def test_the_sync_scenario_passes_through_nginx_gunicorn_postgres_redis_s3(
        district, make_app, order):
    base, pg = district
    # the world's people and curriculum go straight into the topology's database; tokens
    # are minted with the secret the gunicorn workers verify
    app = make_app(database_url=pg.url, JWT_SECRET_KEY=SECRET, SECRET_KEY=SECRET)
    world = World.build(app, standard_world(), school_name=f"Topology {'-'.join(order)}")
    http = RealHttp(base)
    try:
        run_scenario(world, http, order, now=int(time.time() * 1000),
                     tag=f"topo{len(order[0])}{order[0][:2]}",
                     photo=_photo((10 * len(order[0]), 120, 30)))  # one new photo per run
    finally:
        http.client.close()
