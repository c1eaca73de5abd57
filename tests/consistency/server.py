"""The real Flask API over HTTP on a SQLite file, in a child process the checker can kill -9.

Why a child process: the checker's faults include `kill -9` of the server mid-push and a
restart on the same database file, which only a separate process can suffer. The app is
`create_app` with the test configuration (fixed signing key, so tokens outlive a restart)
pointed at a file database in WAL mode, served by werkzeug's threaded server, as the sync
benchmark serves it. A pristine seeded database is made once and copied for each block of
runs, so a run never waits for migrations or the demo seed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def _config(path: Path):
    from backend.config import TestConfig

    return type(
        "ConsistencyServer",
        (TestConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 30}},
            "LOGIN_RATE_LIMIT": "100000 per minute",
        },
    )


def make_pristine(path: Path) -> None:
    """Create the schema, the version counter and the demo school in `path` (once)."""
    from sqlalchemy import text

    from backend import create_app
    from backend.extensions import db
    from backend.seed import seed_demo

    app = create_app(_config(path))
    with app.app_context():
        db.create_all()
        db.session.execute(text("INSERT INTO version_counter (id, value) VALUES (1, 0)"))
        db.session.execute(text("PRAGMA journal_mode=WAL"))
        db.session.commit()
        seed_demo()
        db.session.remove()
        db.engine.dispose()


def serve(path: Path, port: int) -> None:
    """Child process body: serve the API on 127.0.0.1:`port` until killed."""
    from werkzeug.serving import make_server

    from backend import create_app

    app = create_app(_config(path))
    server = make_server("127.0.0.1", port, app, threaded=True)
    print("ready", flush=True)
    server.serve_forever()


class Server:
    """One API process over one database file; `kill9()` then `start()` keeps the file."""

    def __init__(self, db_path: Path, port: int, log: Path):
        self.db_path, self.port, self.log = db_path, port, log
        self.proc: subprocess.Popen | None = None
        self.kills = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90.0) -> Server:
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.consistency.server",
                    str(self.db_path),
                    str(self.port),
                ],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        give_up = time.monotonic() + timeout
        while time.monotonic() < give_up:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"the API process exited ({self.proc.returncode}); see {self.log}"
                )
            try:
                if httpx.get(f"{self.url}/api/sync/pull", timeout=2).status_code < 500:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the API did not answer within {timeout:.0f} s; see {self.log}")

    def kill9(self) -> None:
        """SIGKILL: no shutdown, no flush; whatever SQLite committed is what survives."""
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            self.kills += 1

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill9()


def fresh_database(pristine: Path, dest: Path) -> Path:
    """A copy of the pristine database (and its WAL files, if any) at `dest`."""
    for suffix in ("", "-wal", "-shm"):
        target = Path(f"{dest}{suffix}")
        target.unlink(missing_ok=True)
        source = Path(f"{pristine}{suffix}")
        if source.exists():
            shutil.copyfile(source, target)
    return dest


if __name__ == "__main__":
    serve(Path(sys.argv[1]), int(sys.argv[2]))
