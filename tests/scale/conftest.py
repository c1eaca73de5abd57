"""Fixtures of the scale profile: real Redis, moto's S3 server and PostgreSQL on loopback.

Each is started once per session by deploy/topology.py and skipped (not failed) where the
machine lacks it, so `pytest tests/scale` works on a laptop with only some of them.
"""

import shutil

import pytest

from deploy.topology import PGBIN, MotoS3, Postgres, Redis


@pytest.fixture(scope="session")
def scale_state(tmp_path_factory):
    return tmp_path_factory.mktemp("scale")


@pytest.fixture(scope="session")
def redis_server(scale_state):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = Redis(scale_state).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def s3_server(scale_state):
    pytest.importorskip("moto")
    server = MotoS3(scale_state).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_server(scale_state):
    if not (PGBIN / "initdb").exists():
        pytest.skip("PostgreSQL server binaries are not installed")
    server = Postgres(scale_state, durable=False).start()
    yield server
    server.stop()
