"""The real Flask API over HTTP on a SQLite file, in a child process the checker can kill -9.

Why a child process: the checker's faults include `kill -9` of the server mid-push and a
restart on the same database file, which only a separate process can suffer. The app is
`create_app` with the test configuration (fixed signing key, so tokens outlive a restart)
pointed at a file database in WAL mode, served by werkzeug's threaded server, as the sync
benchmark serves it. A pristine seeded database is made once and copied for each block of
runs, so a run never waits for migrations or the demo seed. The API process is forked from
a zygote that built the app once (see `Server`), so a restart costs a fork, not an import.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
PR_SET_PDEATHSIG = 1  # linux/prctl.h


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


def zygote(path: Path) -> None:
    """Zygote body: build the app for `path` once, then fork one API process per line
    `<port> <log>` read on stdin, answering with its pid. The app has touched neither the
    database nor any thread here (create_app opens no connection), so a fork is clean."""
    from werkzeug.serving import make_server

    from backend import create_app

    app = create_app(_config(path))
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children reaped by the kernel
    for line in sys.stdin:
        port, log = line.split(maxsplit=1)
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            # die with the zygote (which ends when the checker's pipe closes): a checker
            # killed mid-run leaves no API process behind
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
            fd = os.open(log.strip(), os.O_WRONLY | os.O_CREAT | os.O_APPEND)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            os.close(fd)
            sys.stdin.close()
            try:
                server = make_server("127.0.0.1", int(port), app, threaded=True)
                server.serve_forever()
            finally:
                os._exit(1)
        print(pid, flush=True)


class Server:
    """One API process over one database file; `kill9()` then `start()` keeps the file.

    The API process is forked from a zygote (a process of this module that has imported the
    app and built it for this database file once), so a start or a restart after `kill -9`
    costs a fork, not the 1.5–4 s of importing and building the app; the process that is
    killed is still the one serving, with its own connections and threads. Each lane (one
    database path) has its own zygote; `close()` ends it.
    """

    def __init__(self, db_path: Path, port: int, log: Path):
        self.db_path, self.port, self.log = db_path, port, log
        self.pid: int | None = None
        self.kills = 0
        self.zygote: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _alive(self) -> bool:
        if self.pid is None:
            return False
        try:
            os.kill(self.pid, 0)  # the zygote reaps its children: a dead one is gone
        except ProcessLookupError:
            return False
        return True

    def start(self, timeout: float = 90.0) -> Server:
        if self.zygote is None or self.zygote.poll() is not None:
            with open(self.log, "ab") as log:
                self.zygote = subprocess.Popen(
                    [sys.executable, "-m", "tests.consistency.server", str(self.db_path)],
                    cwd=ROOT,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    text=True,
                    bufsize=1,
                )
        self.zygote.stdin.write(f"{self.port} {self.log}\n")
        self.zygote.stdin.flush()
        line = self.zygote.stdout.readline()
        if not line.strip().isdigit():
            raise RuntimeError(f"the API zygote did not fork ({line!r}); see {self.log}")
        self.pid = int(line)
        give_up = time.monotonic() + timeout
        while time.monotonic() < give_up:
            if not self._alive():
                raise RuntimeError(f"the API process exited; see {self.log}")
            try:
                if httpx.get(f"{self.url}/api/sync/pull", timeout=2).status_code < 500:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"the API did not answer within {timeout:.0f} s; see {self.log}")

    def _wait_gone(self, timeout: float) -> bool:
        give_up = time.monotonic() + timeout
        while self._alive():
            if time.monotonic() > give_up:
                return False
            time.sleep(0.005)
        return True

    def kill9(self) -> None:
        """SIGKILL: no shutdown, no flush; whatever SQLite committed is what survives."""
        if self._alive():
            os.kill(self.pid, signal.SIGKILL)
            self._wait_gone(30)
            self.kills += 1

    def stop(self) -> None:
        if self._alive():
            os.kill(self.pid, signal.SIGTERM)
            if not self._wait_gone(10):
                self.kill9()

    def close(self) -> None:
        """Stop the API process and its zygote."""
        self.stop()
        if self.zygote and self.zygote.poll() is None:
            self.zygote.stdin.close()
            try:
                self.zygote.wait(10)
            except subprocess.TimeoutExpired:
                self.zygote.kill()
                self.zygote.wait()


def fresh_database(pristine: Path, dest: Path) -> Path:
    """A copy of the pristine database (and its WAL files, if any) at `dest`."""
    for suffix in ("", "-wal", "-shm"):
        target = Path(f"{dest}{suffix}")
        target.unlink(missing_ok=True)
        source = Path(f"{pristine}{suffix}")
        try:
            shutil.copyfile(source, target)
        except FileNotFoundError:  # no WAL left: everything is in the main file
            if not suffix:
                raise
    return dest


if __name__ == "__main__":
    zygote(Path(sys.argv[1]))
