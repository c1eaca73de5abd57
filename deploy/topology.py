"""The district topology on one machine, on loopback: PostgreSQL, Redis, an S3-compatible
server (moto), gunicorn, Reflex backends and nginx — each a small start/stop class.

Used by `make scale-demo` (deploy/scale_demo.py), the fault harness (tests/scale/) and the
load test (bench/load_test.py). Every process is started by us, in its own session, and
recorded with its pid, so stopping ends exactly those processes and nothing else.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))
PG_SYSTEM_USER = os.environ.get("PGUSER_SYSTEM", "postgres")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, what: str, timeout: float = 30.0, proc: subprocess.Popen | None = None,
             log: Path | None = None) -> None:
    """Poll `check()` until it is truthy; fail with the process's log if it died or timed out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
    raise RuntimeError(f"{what} did not start\n{tail}")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def http_ok(url: str) -> bool:
    """Any HTTP answer below 500 counts: the server is up and routing."""
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status < 500
    except urllib.error.HTTPError as err:
        return err.code < 500


class Process:
    """One child process in its own session, with a log file and a pid file."""

    def __init__(self, name: str, argv: list[str], state: Path, env: dict | None = None,
                 cwd: Path | None = None):
        self.name = name
        self.argv = argv
        self.state = state
        self.env = {**os.environ, **(env or {})}
        self.cwd = cwd or ROOT
        self.log = state / f"{name}.log"
        self.pidfile = state / f"{name}.pid"
        self.proc: subprocess.Popen | None = None

    def start(self) -> Process:
        self.state.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, env=self.env, cwd=self.cwd,
                                         start_new_session=True)
        self.pidfile.write_text(str(self.proc.pid))
        return self

    @property
    def pid(self) -> int | None:
        if self.proc is not None:
            return self.proc.pid
        return int(self.pidfile.read_text()) if self.pidfile.exists() else None

    def stop(self, timeout: float = 15.0) -> None:
        stop_pid(self.pid, timeout)
        if self.proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout)
        self.pidfile.unlink(missing_ok=True)


def stop_pid(pid: int | None, timeout: float = 15.0) -> None:
    """SIGTERM the process group we started (its leader is `pid`), SIGKILL it if it lingers."""
    if not pid:
        return
    try:
        os.killpg(pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


# --------------------------------------------------------------------------- PostgreSQL


class Postgres:
    """A throwaway cluster in `state/pg`, run as the postgres user when we are root."""

    def __init__(self, state: Path, port: int | None = None, durable: bool = True):
        self.state = state
        # the postgres user must reach the cluster: a fresh 0755 folder in /tmp, not one under
        # a root-only tree; state/pg.path remembers it for `stop` from another process
        record = state / "pg.path"
        if record.exists():
            self.dir = Path(record.read_text().strip())
        else:
            state.mkdir(parents=True, exist_ok=True)
            self.dir = Path(tempfile.mkdtemp(prefix="waypoint-pg."))
            self.dir.chmod(0o755)
            record.write_text(str(self.dir))
        port_file = self.dir / "port"
        if port is None and port_file.exists():
            port = int(port_file.read_text())
        self.data = self.dir / "data"
        self.sock = self.dir / "sock"
        self.port = port or free_port()
        self.durable = durable
        self.log = self.dir / "server.log"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/waypoint"

    def _as_owner(self, argv: list[str]) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", PG_SYSTEM_USER, "--", *argv]
        return argv

    def _run(self, argv: list[str]) -> None:
        out = subprocess.run(self._as_owner(argv), cwd=self.dir, capture_output=True, text=True)
        if out.returncode != 0:
            log = self.log.read_text(errors="replace")[-1500:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(argv[:2])} failed: {out.stderr[-1500:]}\n{log}")

    def _options(self) -> str:
        opts = (f"-k {self.sock} -p {self.port} -c listen_addresses=127.0.0.1 "
                "-c max_connections=300 -c shared_buffers=128MB")
        if not self.durable:  # a test cluster: deleted at the end anyway
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        return opts

    def start(self) -> Postgres:
        if not (PGBIN / "initdb").exists():
            raise RuntimeError(f"PostgreSQL server binaries not found in {PGBIN} (set PGBIN)")
        fresh = not self.data.exists()
        self.sock.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.dir, PG_SYSTEM_USER)
            shutil.chown(self.sock, PG_SYSTEM_USER)
        (self.dir / "port").write_text(str(self.port))
        if fresh:
            self._run([str(PGBIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                       "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"])
        self._run([str(PGBIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                   "-o", self._options(), "-w", "-t", "60", "start"])
        if fresh:
            subprocess.run([str(PGBIN / "createdb"), "-h", str(self.sock), "-p", str(self.port),
                            "-U", "postgres", "waypoint"], check=True)
        return self

    def restart(self, mode: str = "fast") -> None:
        """What a district's failover or a package upgrade does: every connection drops."""
        self._run([str(PGBIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-m", mode,
                   "-w", "-t", "60", "-o", self._options(), "restart"])

    def stop(self, remove: bool = True) -> None:
        """Stop the server; with `remove`, delete the cluster (it was a throwaway)."""
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError):
                self._run([str(PGBIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w",
                           "stop"])
        if remove:
            shutil.rmtree(self.dir, ignore_errors=True)
            (self.state / "pg.path").unlink(missing_ok=True)


# --------------------------------------------------------------------------- Redis, S3


class Redis(Process):
    def __init__(self, state: Path, port: int | None = None):
        self.port = port or free_port()
        super().__init__("redis", ["redis-server", "--port", str(self.port), "--bind",
                                   "127.0.0.1", "--save", "", "--appendonly", "no",
                                   "--dir", str(state)], state)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> Redis:
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server not found: apt-get install redis-server")
        super().start()
        wait_for(lambda: port_open(self.port), "redis-server", proc=self.proc, log=self.log)
        return self


class MotoS3(Process):
    """moto's standalone server: an S3-compatible endpoint in memory, for demos and tests."""

    BUCKET = "waypoint-evidence"

    def __init__(self, state: Path, port: int | None = None):
        self.port = port or free_port()
        super().__init__("s3", [str(VENV_BIN / "python"), "-m", "moto.server", "-H",
                                "127.0.0.1", "-p", str(self.port)], state)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="demo", aws_secret_access_key="demo")

    def start(self, bucket: str | None = BUCKET) -> MotoS3:
        super().start()
        wait_for(lambda: http_ok(self.endpoint), "moto S3 server", proc=self.proc, log=self.log)
        if bucket:
            self.client().create_bucket(Bucket=bucket)
        return self


S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "demo", "AWS_SECRET_ACCESS_KEY": "demo",
                  "AWS_DEFAULT_REGION": "us-east-1"}


# --------------------------------------------------------------------------- app servers


class Gunicorn(Process):
    """`backend:create_app()` under gunicorn with deploy/gunicorn.conf.py."""

    def __init__(self, state: Path, env: dict, port: int | None = None, workers: int = 4,
                 name: str = "gunicorn"):
        self.port = port or free_port()
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}",
               "WEB_CONCURRENCY": str(workers)}
        super().__init__(name, [str(VENV_BIN / "gunicorn"), "-c",
                                str(ROOT / "deploy" / "gunicorn.conf.py"), "backend:create_app()"],
                         state, env)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Gunicorn:
        super().start()
        wait_for(lambda: http_ok(f"{self.url}/api/auth/me"), "gunicorn", timeout=60,
                 proc=self.proc, log=self.log)
        return self

    def worker_pids(self) -> list[int]:
        """The master's children: the workers that serve requests."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []

    def wait_workers(self, count: int, timeout: float = 30.0) -> None:
        wait_for(lambda: len(self.worker_pids()) >= count, f"{count} gunicorn workers",
                 timeout=timeout, proc=self.proc, log=self.log)


class ReflexBackend(Process):
    """One Reflex backend process (state in Redis, so any of them can take any event)."""

    def __init__(self, state: Path, env: dict, port: int, index: int):
        self.port = port
        # rxconfig.py names port 3000 for `make run`; a backend-only process must not
        env = {**env, "REFLEX_FRONTEND_PORT": "0"}
        super().__init__(f"reflex-{index}", [str(VENV_BIN / "reflex"), "run", "--env", "prod",
                                             "--backend-only", "--backend-host", "127.0.0.1",
                                             "--backend-port", str(port)], state, env)

    def start(self) -> ReflexBackend:
        super().start()
        wait_for(lambda: http_ok(f"http://127.0.0.1:{self.port}/ping"), self.name, timeout=180,
                 proc=self.proc, log=self.log)
        return self


class Nginx(Process):
    """Debian's nginx in the foreground with our config rendered from deploy/nginx.conf."""

    MODULES = Path("/usr/lib/nginx/modules")

    def __init__(self, state: Path, port: int, api_port: int, reflex_ports: list[int],
                 static_root: Path):
        self.port = port
        self.conf = state / "nginx.conf"
        has_brotli = (self.MODULES / "ngx_http_brotli_filter_module.so").exists() and (
            self.MODULES / "ngx_http_brotli_static_module.so").exists()
        values = {
            "LISTEN_PORT": port, "STATE_DIR": state, "API_PORT": api_port,
            "STATIC_ROOT": static_root, "DEPLOY_DIR": ROOT / "deploy",
            "REFLEX_SERVERS": " ".join(f"server 127.0.0.1:{p};" for p in reflex_ports),
            # as root, workers would drop to `nobody`, who cannot read a root-owned checkout
            "USER_LINE": "user root root;" if os.geteuid() == 0 else "",
            "LOAD_MODULES": "\n".join(
                f"load_module {self.MODULES}/ngx_http_brotli_{kind}_module.so;"
                for kind in ("filter", "static")) if has_brotli else "",
            "BROTLI": ("brotli on; brotli_comp_level 5; brotli_types application/json "
                       "application/javascript text/css text/plain image/svg+xml "
                       "application/manifest+json;") if has_brotli else "",
            "BROTLI_STATIC": "brotli_static on;" if has_brotli else "",
        }
        template = (ROOT / "deploy" / "nginx.conf").read_text()
        for key, value in values.items():
            template = template.replace(f"@{key}@", str(value))
        (state / "nginx-tmp").mkdir(parents=True, exist_ok=True)
        self.conf.write_text(template)
        super().__init__("nginx", ["nginx", "-c", str(self.conf), "-p", str(state),
                                   "-g", "daemon off;"], state)

    def start(self) -> Nginx:
        if shutil.which("nginx") is None:
            raise RuntimeError("nginx not found: apt-get install nginx")
        check = subprocess.run(["nginx", "-t", "-c", str(self.conf), "-p", str(self.state)],
                               capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx config: {check.stderr}")
        super().start()
        wait_for(lambda: port_open(self.port), "nginx", proc=self.proc, log=self.log)
        return self


def app_env(pg: Postgres, redis: Redis | None, s3: MotoS3 | None, state: Path,
            secret: str) -> dict:
    """The scale profile: nothing but environment variables."""
    env = {"DATABASE_URL": pg.url, "SECRET_KEY": secret, "JWT_SECRET_KEY": secret,
           "WAYPOINT_INSTANCE": str(state / "instance"), "FLASK_APP": "backend",
           "PYTHONUNBUFFERED": "1", "WAYPOINT_ENV": "production"}
    if redis is not None:
        env["REDIS_URL"] = redis.url
    if s3 is not None:
        env.update(BLOB_STORE_URL=f"s3://{MotoS3.BUCKET}", S3_ENDPOINT_URL=s3.endpoint,
                   **S3_CREDENTIALS)
    return env


def migrate_and_seed(env: dict, seed: bool = True) -> None:
    """`flask db upgrade` (and the demo school) against the profile's database."""
    full = {**os.environ, **env}
    flask = str(VENV_BIN / "flask")
    subprocess.run([flask, "db", "upgrade"], env=full, cwd=ROOT, check=True,
                   capture_output=True)
    if seed:
        subprocess.run([flask, "seed-demo"], env=full, cwd=ROOT, check=True,
                       capture_output=True)
