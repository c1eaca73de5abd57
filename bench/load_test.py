"""Load test: 200 devices push 50 mutations each and pull, while 20 teachers review.

Run: `.venv/bin/python bench/load_test.py` (or `make load-test`). Starts each profile on
loopback, seeds the demo school, runs the same bounded workload against it, prints a table
per profile and stops what it started. Results are kept in docs/benchmarks.md.

Profiles
    scale     PostgreSQL + Redis + S3 (moto) + gunicorn x WORKERS behind nginx
    embedded  the default: one Reflex backend process (the ASGI server with the Flask API
              mounted at /api, as `make run` serves it) on SQLite and a local folder

Workload (bounded: a fixed number of requests, and a deadline)
    devices   200 device sessions, one per learner: the demo school's 24 and 176 more
              added for the run in the added teachers' classes (--learners; one
              sign-in per learner, one client id per device). Each behaves as the JS sync core
              does in a lesson. Before the lesson (not timed as part of it), each device
              pulls everything it may read once, one device at a time ("first pull":
              yesterday's sync; --fresh moves these heaviest requests into the lesson).
              In the lesson it wakes within the first --ramp (30) seconds and pulls what
              changed; then,
              5 times, the learner makes 10 changes (goals, picks, self-assessments, text
              evidence), the core pushes them and pulls with computed rows (levels, topic
              progress, suggestions — as the JS core does), and the learner works
              for a think time drawn from [think/2, 3*think/2] before the next changes.
    teachers  20 teachers, one session each: the demo school's 2 (their 24 learners, with
              8 weeks of history) and 18 more, each with a class of the added learners: a
              first pull before the lesson, then 10 rounds of: read the review queue from
              the device's own replica (submitted, unreviewed evidence, as the JS core's
              teacher_queue.js does since issue 14), push up to 5 evidence.review approvals
              with a level, pull, think.
    pace      --think 10 (default) is a compressed lesson: 50 changes per learner in about
              a minute, about 15 pushes and 15 pulls a second from 200 devices — several
              times what a real class sends (the core pushes 300 ms after a tap and every
              20 s). --think 0 is the stress mode: every session sends its next request as
              soon as the last is answered (closed loop), which measures capacity, not
              latency at a realistic rate.
Client processes share the machine with the server: the figures are a floor, not a ceiling.
--pin puts the servers on one core and the client processes on the other(s), so the load
generator (200 devices' worth of HTTP clients, which no real school runs on its server) does
not take the server's CPU; docs/benchmarks.md gives figures both ways.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy.clients import Device, GaveUp, learner_lesson, login, new_http  # noqa: E402
from deploy.topology import (  # noqa: E402
    Gunicorn,
    MotoS3,
    Nginx,
    Postgres,
    Redis,
    ReflexBackend,
    app_env,
    free_port,
    migrate_and_seed,
)

# --pin: the servers on one core, the load generator on the other (set in main)
CLIENT_CPUS: set[int] = set()
DEMO_LEARNERS = ["student"] + [f"student{i}" for i in range(2, 25)]
DEMO_TEACHERS = ["teacher", "teacher2"]


# --------------------------------------------------------------------------- profiles


def add_people(env: dict, learners: int, teachers: int) -> None:
    """Grow the demo school for the run, in a process of its own against its database:
    `teachers` more teachers (loadteacher00, …) with a class each, and `learners` more
    learners (load000, …) enrolled round-robin in those classes (password waypoint)."""
    if learners > 0 or teachers > 0:
        subprocess.run([sys.executable, __file__, "--add-people", str(max(learners, 0)),
                        str(max(teachers, 0))],
                       env={**os.environ, **env}, check=True, capture_output=True)


def _add_people_here(learners: int, teachers: int) -> None:
    from backend import create_app
    from backend.auth import hash_password
    from backend.extensions import db
    from backend.models import Enrollment, SchoolClass, User

    app = create_app()
    with app.app_context():
        classes = db.session.query(SchoolClass).order_by(SchoolClass.id).all()
        school_id, password = classes[0].school_id, hash_password("waypoint")

        def person(role: str, username: str, name: str) -> User:
            user = User(school_id=school_id, username=username, password_hash=password,
                        role=role, display_name=name)
            db.session.add(user)
            db.session.flush()
            return user

        if teachers:
            classes = [SchoolClass(school_id=school_id, name=f"Load class {i:02d}",
                                   teacher_id=person("teacher", f"loadteacher{i:02d}",
                                                     f"Load Teacher {i:02d}").id)
                       for i in range(teachers)]
            db.session.add_all(classes)
            db.session.flush()
        for i in range(learners):
            learner = person("student", f"load{i:03d}", f"Load Learner {i:03d}")
            db.session.add(Enrollment(class_id=classes[i % len(classes)].id,
                                      student_id=learner.id))
        db.session.commit()


def learner_names(count: int) -> list[str]:
    return DEMO_LEARNERS[:count] + [f"load{i:03d}" for i in range(count - len(DEMO_LEARNERS))]


def teacher_names(count: int) -> list[str]:
    return DEMO_TEACHERS[:count] + [f"loadteacher{i:02d}"
                                    for i in range(count - len(DEMO_TEACHERS))]


def start_scale(state: Path, workers: int, learners: int, teachers: int, threads: int = 4
                ) -> tuple[str, str, list]:
    pg = Postgres(state).start()
    redis = Redis(state).start()
    s3 = MotoS3(state).start()
    env = app_env(pg, redis, s3, state, secrets.token_hex(32))
    env.update(TRUSTED_PROXIES="1", LOGIN_RATE_LIMIT="1000 per minute",
               DB_POOL_SIZE="8", DB_MAX_OVERFLOW="8", GUNICORN_THREADS=str(threads))
    migrate_and_seed(env)
    add_people(env, learners - len(DEMO_LEARNERS), teachers - len(DEMO_TEACHERS))
    api = Gunicorn(state, env, workers=workers).start()
    static = state / "static"
    static.mkdir(exist_ok=True)
    nginx = Nginx(state, free_port(), api.port, [free_port()], static).start()
    # sign-ins go straight to gunicorn: nginx's per-address sign-in limit is for people
    return f"http://127.0.0.1:{nginx.port}", api.url, [nginx, api, s3, redis, pg]


def start_embedded(state: Path, learners: int, teachers: int) -> tuple[str, str, list]:
    env = {"DATABASE_URL": f"sqlite:///{state / 'waypoint.db'}",
           "BLOB_STORE_URL": f"file://{state / 'blobs'}", "WAYPOINT_INSTANCE": str(state),
           "LOGIN_RATE_LIMIT": "1000 per minute", "FLASK_APP": "backend",
           "SECRET_KEY": secrets.token_hex(32)}
    migrate_and_seed(env)
    add_people(env, learners - len(DEMO_LEARNERS), teachers - len(DEMO_TEACHERS))
    backend = ReflexBackend(state, env, free_port(), 0).start()
    url = f"http://127.0.0.1:{backend.port}"
    return url, url, [backend]


# --------------------------------------------------------------------------- workload


def _think(rng: random.Random, think: float) -> None:
    """The person works for a while between syncs: uniform in [think/2, 3*think/2]."""
    if think > 0:
        time.sleep(rng.uniform(think / 2, think * 1.5))


def _resume(base: str, token: str, user: dict, http, known: dict | None) -> Device:
    """The device as it was after its first pull (known), or a fresh one."""
    device = Device(base, token, user, http, deadline_s=60)
    if known:
        device.client_id, device.cursor = known["client_id"], known["cursor"]
    return device


def _device_run(base: str, token: str, user: dict, targets, activities, pushes: int,
                batch: int, seed: int, think: float, ramp: float, known: dict | None) -> dict:
    rng = random.Random(seed)
    time.sleep(rng.uniform(0, ramp))  # devices wake up over the ramp, not in one instant
    http = new_http()
    device = _resume(base, token, user, http, known)
    try:
        # what changed since yesterday (or, on a fresh device, everything)
        device.pull(op="pull" if known else "first pull", computed=True)
        for round_ in range(pushes):
            results = device.push(learner_lesson(device, batch, targets, activities,
                                                 round_ * batch))
            for result in results:
                if result["status"] not in ("applied", "duplicate"):
                    device.timing.error(f"push {result['status']}")
            device.pull(computed=True)
            if round_ < pushes - 1:
                _think(rng, think)
    except GaveUp:
        device.timing.error("gave up")
    finally:
        http.close()
    return _report(device)


def _teacher_run(base: str, token: str, user: dict, rounds: int, seed: int, think: float,
                 ramp: float, known: dict | None) -> dict:
    rng = random.Random(seed)
    time.sleep(rng.uniform(0, ramp))
    http = new_http()
    device = _resume(base, token, user, http, known)
    reviewed = 0
    try:
        device.pull(op="teacher pull" if known else "teacher first pull", computed=True)
        for _ in range(rounds):
            # the review queue is read from the device's own store (issue 14: the JS core's
            # teacher_queue.js; GET /api/review-queue is gone): submitted, unreviewed evidence
            items = [r for r in device.references("evidence")
                     if r["data"].get("submitted") and not r["data"].get("reviewed")]
            items.sort(key=lambda r: r["version"], reverse=rng.choice([True, False]))
            picks = rng.sample(items[:50], min(5, len(items[:50])))
            mutations = []
            for item in picks:
                args = {"evidence_id": item["id"], "decision": "approved"}
                if item["data"].get("target_ids"):
                    args.update(level=3.0, target_id=item["data"]["target_ids"][0])
                mutations.append(device.mutation("evidence.review", args))
            if mutations:
                results = device.push(mutations, op="teacher push")
                reviewed += sum(r["status"] in ("applied", "duplicate", "conflict")
                                for r in results)
                for result in results:
                    if result["status"] == "rejected":
                        # two reviewers raced for one item: an answer, not a server error
                        device.timing.error("review rejected (race)")
            device.pull(op="teacher pull", computed=True)
            _think(rng, think)
    except GaveUp:
        device.timing.error("gave up")
    finally:
        http.close()
    return _report(device, reviewed=reviewed)


def _report(device: Device, **extra) -> dict:
    """What one session measured, for the parent process to add up."""
    return {"samples": device.timing.samples, "errors": device.timing.errors,
            "causes": device.timing.causes, "mutations": len(device.acknowledged), **extra}


def _worker(job: tuple) -> list[dict]:
    """One client process: its share of the sessions, one thread each."""
    kind_jobs = job
    out: list[dict] = []
    lock = threading.Lock()

    def run(fn, args):
        result = fn(*args)
        with lock:
            out.append(result)

    threads = [threading.Thread(target=run, args=(_device_run if kind == "device"
                                                  else _teacher_run, args))
               for kind, args in kind_jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=900)
    return out


def _first_pulls(base: str, http, sessions: list[tuple[str, str, dict]]) -> tuple[list, dict]:
    """Before the lesson, one device at a time: each pulls everything once (yesterday)."""
    known, samples = [], {}
    for kind, token, user in sessions:
        device = Device(base, token, user, http, deadline_s=60)
        device.pull(op=f"{'teacher ' if kind == 'teacher' else ''}first pull", computed=True)
        known.append({"client_id": device.client_id, "cursor": device.cursor})
        for op, values in device.timing.samples.items():
            samples.setdefault(op, []).extend(values)
    return known, samples


def run_workload(base: str, login_base: str, devices: int, teachers: int, pushes: int, batch: int,
                 rounds: int, procs: int, think: float = 0.0, ramp: float = 2.0,
                 learners: int = len(DEMO_LEARNERS), fresh: bool = False) -> dict:
    http = new_http()
    names, staff = learner_names(learners), teacher_names(max(1, teachers))
    tokens = {name: login(http, login_base, name) for name in names + staff}
    first = Device(base, *tokens["student"], http)
    first.pull()
    targets = sorted(int(r["id"]) for r in first.references("target"))
    activities = sorted(int(r["id"]) for r in first.references("activity"))
    sessions = ([("device", *tokens[names[i % len(names)]]) for i in range(devices)]
                + [("teacher", *tokens[staff[i % len(staff)]]) for i in range(teachers)])
    known, setup = ([None] * len(sessions), {}) if fresh else _first_pulls(base, http, sessions)
    jobs = [("device", (base, *tokens[names[i % len(names)]], targets, activities,
                        pushes, batch, i, think, ramp, known[i])) for i in range(devices)]
    jobs += [("teacher", (base, *tokens[staff[i % len(staff)]], rounds, 1000 + i,
                          think, ramp, known[devices + i])) for i in range(teachers)]
    random.Random(5).shuffle(jobs)
    shares = [jobs[i::procs] for i in range(procs)]
    started = time.perf_counter()
    if CLIENT_CPUS:
        os.sched_setaffinity(0, CLIENT_CPUS)  # the client processes forked below inherit it
    with multiprocessing.get_context("fork").Pool(procs) as pool:
        results = [r for share in pool.map(_worker, shares) for r in share]
    wall = time.perf_counter() - started
    samples: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    causes: dict[str, int] = {}
    for r in results:
        for cause, count in r["causes"].items():
            causes[cause] = causes.get(cause, 0) + count
        for op, values in r["samples"].items():
            samples.setdefault(op, []).extend(values)
        for op, count in r["errors"].items():
            errors[op] = errors.get(op, 0) + count
    return {"wall": wall, "samples": samples, "errors": errors, "causes": causes, "setup": setup,
            "mutations": sum(r["mutations"] for r in results),
            "reviewed": sum(r.get("reviewed", 0) for r in results)}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def print_table(profile: str, result: dict) -> None:
    total = sum(len(v) for v in result["samples"].values())
    print(f"\n{profile}: {result['wall']:.1f} s, {total} requests "
          f"({total / result['wall']:.0f}/s), {result['mutations']} mutations acknowledged "
          f"({result['mutations'] / result['wall']:.0f}/s), {result['reviewed']} reviews")
    print("| operation | requests | req/s | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for op in sorted(result["samples"]):
        values = result["samples"][op]
        print(f"| {op} | {len(values)} | {len(values) / result['wall']:.0f} | "
              f"{statistics.median(values) * 1000:.0f} | {_pct(values, 0.95):.0f} | "
              f"{_pct(values, 0.99):.0f} | {result['errors'].get(op, 0)} |")
    for op, values in sorted(result["setup"].items()):
        print(f"| {op} (before the lesson, one at a time) | {len(values)} | – | "
              f"{statistics.median(values) * 1000:.0f} | {_pct(values, 0.95):.0f} | "
              f"{_pct(values, 0.99):.0f} | 0 |")
    others = {k: v for k, v in result["errors"].items() if k not in result["samples"]}
    print(f"errors (5xx/transport retried, or not applied): "
          f"{sum(result['errors'].values())} {others or ''}")
    if result["causes"]:
        print(f"causes: {dict(sorted(result['causes'].items()))}")


def server_errors(state: Path) -> None:
    """What the servers logged as errors during the run (first lines of each kind)."""
    for log in sorted(state.glob("*.log")):
        lines = [line for line in log.read_text(errors="replace").splitlines()
                 if "Error" in line or "ERROR" in line or "Traceback" in line
                 or "[error]" in line]
        if lines:
            print(f"{log.name}: {len(lines)} error lines, e.g.")
            for line in list(dict.fromkeys(lines))[:8]:
                print(f"    {line[:240]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profile", choices=["scale", "embedded", "both"], default="both")
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--teachers", type=int, default=20)
    parser.add_argument("--pushes", type=int, default=5, help="pushes per device")
    parser.add_argument("--batch", type=int, default=10, help="mutations per push")
    parser.add_argument("--rounds", type=int, default=10, help="review rounds per teacher")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (scale)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per gunicorn worker (1: no GIL hand-offs while a push "
                             "holds the version counter)")
    parser.add_argument("--procs", type=int, default=4, help="client processes")
    parser.add_argument("--think", type=float, default=10.0,
                        help="mean seconds a person works between syncs (0: stress mode)")
    parser.add_argument("--ramp", type=float, default=30.0,
                        help="sessions start within this many seconds")
    parser.add_argument("--learners", type=int, default=200,
                        help="learners the devices belong to (the demo school's 24, then more "
                             "enrolled for the run); 200 devices on 200 learners: one each")
    parser.add_argument("--fresh", action="store_true",
                        help="fresh devices: every first pull (everything) inside the lesson, "
                             "instead of one device at a time before it")
    parser.add_argument("--pin", action="store_true",
                        help="run the servers on one core and the 200 devices' client "
                             "processes on the others, so the load generator does not take "
                             "the server's CPU (on a 2-core box: one core each)")
    parser.add_argument("--add-people", type=int, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.add_people is not None:
        _add_people_here(*args.add_people)
        return 0
    args.learners = max(1, min(args.learners, args.devices))
    profiles = ["scale", "embedded"] if args.profile == "both" else [args.profile]
    print(f"load test: {args.devices} devices x {args.pushes * args.batch} mutations, "
          f"{args.teachers} teachers x {args.rounds} rounds; think {args.think:g} s, ramp "
          f"{args.ramp:g} s; {os.cpu_count()} cores shared by clients and servers")
    everything = os.sched_getaffinity(0)
    if args.pin:
        if len(everything) < 2:
            parser.error("--pin needs two cores")
        server_cpu = min(everything)
        CLIENT_CPUS.update(everything - {server_cpu})
        print(f"pinned: servers on core {server_cpu}, clients on cores {sorted(CLIENT_CPUS)}")
    for profile in profiles:
        # every server started below inherits this process's cores
        os.sched_setaffinity(0, {min(everything)} if args.pin else everything)
        state = Path(tempfile.mkdtemp(prefix=f"waypoint-load-{profile}."))
        services: list = []
        try:
            if profile == "scale":
                base, login_base, services = start_scale(state, args.workers, args.learners,
                                                         args.teachers, args.threads)
            else:
                base, login_base, services = start_embedded(state, args.learners, args.teachers)
            result = run_workload(base, login_base, args.devices, args.teachers, args.pushes,
                                  args.batch, args.rounds, args.procs, args.think, args.ramp,
                                  args.learners, args.fresh)
            print_table(profile, result)
            server_errors(state)
        finally:
            for service in services:
                service.stop()
            shutil.rmtree(state, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
