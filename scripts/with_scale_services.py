#!/usr/bin/env python3
"""Run a command against the scale profile's services, then stop and remove them.

    .venv/bin/python scripts/with_scale_services.py .venv/bin/pytest tests/backend

Starts, on free loopback ports in a temp dir (deploy/topology.py's classes, the same ones
`make scale-demo` and the fault harness use):

* a throwaway PostgreSQL cluster (durability off) with the database `waypoint`,
* a throwaway redis-server (no persistence),
* moto's standalone S3-compatible server with the bucket `waypoint-evidence`,

exports the scale profile's variables (deploy/topology.py `app_env`: DATABASE_URL,
REDIS_URL, BLOB_STORE_URL=s3://waypoint-evidence, S3_ENDPOINT_URL and the AWS_*
credentials, WAYPOINT_INSTANCE in the temp dir; plus PGHOST/PGPORT/PGUSER/PGDATABASE like
scripts/with_postgres.sh), runs the command, and on exit (normal, failure or signal) stops
exactly the processes it started and deletes the directory. The command's exit code is
this script's exit code.

Run it with the venv's python: moto's server is started with the same interpreter.
tests/conftest.py reads these variables and gives each test's database its own key prefix
in the bucket and a clean Redis.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.topology import MotoS3, Postgres, Redis, app_env  # noqa: E402


class _Stop(Exception):
    """A signal asked us to stop: forwarded to the command, then everything is stopped."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _raise_stop(signum, _frame):
    raise _Stop(signum)


def main(argv: list[str]) -> int:
    if not argv:
        print(f"usage: {sys.argv[0]} COMMAND [ARGS...]", file=sys.stderr)
        return 2
    try:
        import moto  # noqa: F401  (the S3 server runs under this same interpreter)
    except ImportError:
        print(f"{sys.argv[0]}: moto is not importable: run it with the venv's python "
              "(.venv/bin/python)", file=sys.stderr)
        return 2
    state = Path(tempfile.mkdtemp(prefix="waypoint-services."))
    services: list = []
    child: subprocess.Popen | None = None
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    try:
        started = time.monotonic()
        pg = Postgres(state, durable=False)
        services.append(pg)
        pg.start()
        redis = Redis(state)
        services.append(redis)
        redis.start()
        s3 = MotoS3(state)
        services.append(s3)
        s3.start()
        env = {**os.environ, **app_env(pg, redis, s3, state, secrets.token_hex(32)),
               "PGHOST": str(pg.sock), "PGPORT": str(pg.port), "PGUSER": "postgres",
               "PGDATABASE": "waypoint"}
        print(f"scale services up in {time.monotonic() - started:.1f}s: PostgreSQL :{pg.port}, "
              f"Redis :{redis.port}, S3 (moto) :{s3.port}", file=sys.stderr, flush=True)
        child = subprocess.Popen(argv, env=env)
        return child.wait()
    except _Stop as stop:
        if child is not None and child.poll() is None:
            child.send_signal(stop.signum)
            try:
                child.wait(30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        return 128 + stop.signum
    except RuntimeError as err:  # a service did not start: its log tail is in the message
        print(f"{sys.argv[0]}: {err}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for service in reversed(services):
            try:
                service.stop()
            except Exception as err:  # keep stopping the others
                print(f"stopping {type(service).__name__}: {err}", file=sys.stderr)
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
