"""`make scale-demo`: the district topology on this machine, on loopback; `make scale-demo-stop`.

    python deploy/scale_demo.py up      # PostgreSQL, Redis, S3 (moto), gunicorn x N,
                                        # Reflex backend x 2, nginx; seeds; prints the URL
    python deploy/scale_demo.py down    # stops exactly what `up` started
    python deploy/scale_demo.py status

Knobs (environment): SCALE_DEMO_PORT (8080), SCALE_DEMO_WORKERS (gunicorn, 4),
SCALE_DEMO_REFLEX (Reflex backends, 2). State, logs and pids: instance/scale-demo/.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy.topology import (  # noqa: E402
    ROOT,
    VENV_BIN,
    Gunicorn,
    MotoS3,
    Nginx,
    Postgres,
    Redis,
    ReflexBackend,
    app_env,
    free_port,
    migrate_and_seed,
    stop_pid,
)

STATE = ROOT / "instance" / "scale-demo"
ORDER = ("nginx", "reflex-1", "reflex-0", "gunicorn", "s3", "redis")  # stop order


def _say(line: str) -> None:
    print(f"scale-demo: {line}", flush=True)


def _export_frontend(public_url: str) -> Path:
    """`reflex export` the static app, pointed at nginx's URL for its event socket."""
    env = {**os.environ, "REFLEX_API_URL": public_url, "WAYPOINT_STARTUP_CHECKS": "0",
           "REFLEX_TELEMETRY_ENABLED": "false"}
    log = STATE / "export.log"
    with open(log, "wb") as out:
        done = subprocess.run([str(VENV_BIN / "reflex"), "export", "--frontend-only",
                               "--no-zip", "--env", "prod"], cwd=ROOT, env=env, stdout=out,
                              stderr=subprocess.STDOUT)
    if done.returncode != 0:
        raise RuntimeError(f"reflex export failed; see {log}")
    static = STATE / "static"
    shutil.rmtree(static, ignore_errors=True)
    shutil.copytree(ROOT / ".web" / "build" / "client", static)  # a later `make run` can't
    return static                                                # change what nginx serves


def _smoke(url: str) -> None:
    """Sign in through nginx, push a goal, pull it back, upload a photo: the path works."""
    import io
    import uuid

    from PIL import Image

    from deploy.clients import Device, login, new_http

    http = new_http()
    token, user = login(http, url, "student")
    device = Device(url, token, user, http)
    device.pull()
    target = int(device.references("target")[0]["id"])
    goal = {"id": str(uuid.uuid4()), "student_id": user["id"], "title": "Scale demo goal",
            "target_ids": [target]}
    results = device.push([device.mutation("goal.put", goal)])
    assert results[0]["status"] == "applied", results
    device.pull()
    assert ("goal", goal["id"]) in device.replica
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (13, 148, 136)).save(buf, "JPEG")
    sha = device.upload(buf.getvalue(), chunk=1024)
    assert http.get(f"{url}/api/blobs/{sha}", headers=device.headers).status_code == 200
    page = http.get(f"{url}/login")
    assert page.status_code == 200 and "<html" in page.text.lower()


def _track(started: list, service):
    started.append(service)
    return service


def up() -> int:
    if (STATE / "demo.json").exists():
        _say(f"already running (see {STATE / 'demo.json'}); `make scale-demo-stop` first")
        return 1
    STATE.mkdir(parents=True, exist_ok=True)
    port = int(os.environ.get("SCALE_DEMO_PORT", 8080))
    workers = int(os.environ.get("SCALE_DEMO_WORKERS", 4))
    reflex_count = int(os.environ.get("SCALE_DEMO_REFLEX", 2))
    url = f"http://127.0.0.1:{port}"
    started: list = []
    try:
        _say("PostgreSQL (throwaway cluster), Redis, S3 (moto) ...")
        # each is listed before it starts, so a failure stops whatever got half-way up
        pg = _track(started, Postgres(STATE)).start()
        redis = _track(started, Redis(STATE)).start()
        s3 = _track(started, MotoS3(STATE)).start()
        env = app_env(pg, redis, s3, STATE, secrets.token_hex(32))
        env["TRUSTED_PROXIES"] = "1"  # nginx in front
        (STATE / "env").write_text("".join(f"{k}={v}\n" for k, v in sorted(env.items())))
        _say("migrating and seeding the demo school ...")
        migrate_and_seed(env)
        _say(f"exporting the static frontend for {url} ...")
        static = _export_frontend(url)
        api = _track(started, Gunicorn(STATE, env, workers=workers)).start()
        _say(f"gunicorn x {workers} on :{api.port}")
        reflex_ports = [free_port() for _ in range(reflex_count)]
        for index, reflex_port in enumerate(reflex_ports):
            _track(started, ReflexBackend(STATE, env, reflex_port, index)).start()
            _say(f"Reflex backend {index + 1} on :{reflex_port}")
        _track(started, Nginx(STATE, port, api.port, reflex_ports, static)).start()
        (STATE / "demo.json").write_text(json.dumps({
            "url": url, "api": api.url, "reflex_ports": reflex_ports, "postgres": pg.url,
            "redis": redis.url, "s3": s3.endpoint}, indent=2))
        _say("smoke check through nginx (sign in, push, pull, upload) ...")
        _smoke(url)
    except BaseException as exc:
        _say(f"failed: {exc}")
        for item in reversed(started):
            item.stop()
        (STATE / "demo.json").unlink(missing_ok=True)
        return 1
    _say(f"up: {url}  (accounts: admin, teacher, teacher2, student, student2, guardian; "
         "password: waypoint)")
    _say(f"logs: {STATE}/*.log; stop with `make scale-demo-stop`")
    return 0


def down() -> int:
    stopped = []
    for name in ORDER:
        pidfile = STATE / f"{name}.pid"
        if pidfile.exists():
            stop_pid(int(pidfile.read_text()))
            pidfile.unlink(missing_ok=True)
            stopped.append(name)
    for pidfile in STATE.glob("*.pid"):  # any other Reflex backend (SCALE_DEMO_REFLEX > 2)
        if pidfile.name != "nginx.pid":
            stop_pid(int(pidfile.read_text()))
            pidfile.unlink(missing_ok=True)
            stopped.append(pidfile.stem)
    if (STATE / "pg.path").exists():
        Postgres(STATE).stop()
        stopped.append("postgresql")
    (STATE / "demo.json").unlink(missing_ok=True)
    _say(f"stopped: {', '.join(stopped) or 'nothing was running'}")
    return 0


def status() -> int:
    info = STATE / "demo.json"
    if not info.exists():
        _say("not running")
        return 1
    print(info.read_text())
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "up"
    sys.exit({"up": up, "down": down, "status": status}[command]())

