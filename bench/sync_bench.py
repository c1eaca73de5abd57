"""Sync engine benchmark: a classroom burst, merge vs raw inserts, pull vs history size.

Run: `.venv/bin/python bench/sync_bench.py` (or `make bench`). Prints a table; results are
kept in docs/benchmarks.md with the machine they came from. Not a test: nothing here
passes or fails, it measures.
"""

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
from sqlalchemy import select, text  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from backend import create_app  # noqa: E402
from backend.config import TestConfig  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.models import Activity, LearningTarget, User  # noqa: E402


def _app(path: Path):
    cfg = type("BenchConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 30}},
        "LOGIN_RATE_LIMIT": "10000 per minute",
    })
    app = create_app(cfg)
    with app.app_context():
        db.create_all()
        db.session.execute(text("INSERT INTO version_counter (id, value) VALUES (1, 0)"))
        db.session.execute(text("PRAGMA journal_mode=WAL"))
        db.session.commit()
        from backend.seed import seed_demo

        seed_demo()
    return app


def _serve(path: Path, ready) -> None:
    """A threaded WSGI server over the benchmark's database, in a child process."""
    app = create_app(type("BenchServer", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 30}},
        "LOGIN_RATE_LIMIT": "10000 per minute"}))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    ready.put(server.server_port)
    server.serve_forever()


def _hlc(ms: int, counter: int, node: str) -> str:
    return f"{ms:013d}-{counter:04d}-{node}"


def _mutations(student_id: int, targets: list[int], activities: list[int], node: str, n: int):
    """A learner's lesson: goals, picks, self-assessments and evidence, edited as they go."""
    now = int(time.time() * 1000)
    goals = [str(uuid.uuid4()) for _ in range(5)]
    out = []
    for seq in range(1, n + 1):
        kind = seq % 4
        hlc = _hlc(now + seq, 0, node)
        if kind == 0:
            args = {"id": goals[seq % 5], "student_id": student_id, "title": f"Goal draft {seq}",
                    "target_ids": [targets[seq % len(targets)]]}
            name = "goal.put"
        elif kind == 1:
            args = {"id": str(uuid.uuid4()), "student_id": student_id,
                    "activity_id": activities[seq % len(activities)], "status": "picked"}
            name = "pick.put"
        elif kind == 2:
            args = {"student_id": student_id, "target_id": targets[seq % len(targets)],
                    "level": (seq % 9) / 2}
            name = "self_assessment.put"
        else:
            args = {"id": str(uuid.uuid4()), "student_id": student_id, "kind": "text",
                    "text": "I solved it two ways.", "caption": f"Work {seq}",
                    "target_ids": [targets[seq % len(targets)]], "submitted": True}
            name = "evidence.put"
        out.append({"seq": seq, "name": name, "args": args, "hlc": hlc})
    return out


def classroom_burst(tmp: Path, clients: int = 30, per_client: int = 200, batch: int = 100):
    """30 devices push 200 mutations each, all at once, over real HTTP, 100 per push (as
    the sync core sends them)."""
    app = _app(tmp / "burst.db")
    # the server runs in its own process so the 30 client threads do not share its GIL
    ready = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve, args=(tmp / "burst.db", ready), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{ready.get(timeout=60)}"
    with app.app_context():
        students = db.session.scalars(select(User).where(User.role == "student")).all()
        targets = list(db.session.scalars(select(LearningTarget.id)))
        activities = list(db.session.scalars(select(Activity.id)))
    tokens = {}
    for s in students:
        r = httpx.post(f"{base}/api/auth/login", json={"username": s.username,
                                                          "password": "waypoint"}, timeout=30)
        tokens[s.id] = r.json()["access_token"]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def device(i: int):
        student = students[i % len(students)]
        muts = _mutations(student.id, targets, activities, f"dev{i}", per_client)
        session = httpx.Client()
        headers = {"Authorization": f"Bearer {tokens[student.id]}"}
        client_id = f"bench-device-{i:04d}"
        for start in range(0, len(muts), batch):
            body = {"client_id": client_id, "mutations": muts[start:start + batch]}
            t0 = time.perf_counter()
            r = session.post(f"{base}/api/sync/push", json=body, headers=headers, timeout=120)
            took = time.perf_counter() - t0
            with lock:
                latencies.append(took)
                if r.status_code != 200:
                    errors.append(f"{r.status_code} {r.text[:100]}")

    threads = [threading.Thread(target=device, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    server.terminate()
    server.join()
    total = clients * per_client
    q = statistics.quantiles(latencies, n=100)
    return {"mutations": total, "seconds": wall, "rate": total / wall, "p50_ms": q[49] * 1000,
            "p95_ms": q[94] * 1000, "errors": len(errors), "batch": batch}


def merge_vs_raw(tmp: Path, n: int = 4000):
    """The merge path in-process vs a raw executemany of the same number of rows."""
    from backend.sync_server.push import push

    app = _app(tmp / "merge.db")
    with app.app_context():
        student = db.session.scalar(select(User).where(User.username == "student"))
        targets = list(db.session.scalars(select(LearningTarget.id)))
        activities = list(db.session.scalars(select(Activity.id)))
        muts = _mutations(student.id, targets, activities, "merge", n)
        t0 = time.perf_counter()
        for start in range(0, n, 100):
            push(db.session, student, "bench-merge-device", muts[start:start + 100])
        merged = time.perf_counter() - t0
        rows = [{"id": str(uuid.uuid4()), "s": student.id, "t": f"title {i}", "v": 10**9 + i}
                for i in range(n)]
        conn = db.session.connection()
        t0 = time.perf_counter()
        for start in range(0, n, 100):
            conn.execute(text(
                "INSERT INTO goals (id, student_id, title, target_ids, status, reflection, "
                "merge_meta, is_deleted, version, created_at, updated_at) VALUES "
                "(:id, :s, :t, '[]', 'active', '', '{}', 0, :v, CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP)"), rows[start:start + 100])
            db.session.commit()
            conn = db.session.connection()
        raw = time.perf_counter() - t0
    return {"n": n, "merge_rate": n / merged, "raw_rate": n / raw, "ratio": raw / merged}


def _pull_latest(app, before: int, changes: int = 100, repeats: int = 20) -> float:
    from backend.sync_server.pull import pull

    with app.app_context():
        teacher = db.session.scalar(select(User).where(User.username == "teacher"))
        cursor = f"v1.{before}"
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            page = pull(db.session, teacher, cursor, 500)
            times.append(time.perf_counter() - t0)
            db.session.rollback()
        assert len(page["changes"]) == changes, len(page["changes"])
    return statistics.median(times)


def _grow_history(app, total_events: int):
    """Append old assessment events in bulk (versions below the recent 100 changes)."""
    with app.app_context():
        student = db.session.scalar(select(User).where(User.username == "student"))
        target = db.session.scalar(select(LearningTarget.id))
        have = db.session.scalar(text("SELECT COUNT(*) FROM assessment_events"))
        conn = db.session.connection()
        batch = []
        for i in range(total_events - have):
            batch.append({"id": f"hist-{i}", "s": student.id, "t": target, "v": -i - 1})
            if len(batch) == 20000:
                _insert_events(conn, batch)
                batch = []
        if batch:
            _insert_events(conn, batch)
        db.session.commit()


def _insert_events(conn, batch):
    conn.execute(text(
        "INSERT INTO assessment_events (id, student_id, target_id, score, assessed_on, source, "
        "note, origin, version, created_at) VALUES (:id, :s, :t, 3.0, '2025-01-01', 'teacher',"
        " '', 'bench', :v, CURRENT_TIMESTAMP)"), batch)


def pull_vs_history(tmp: Path, small: int = 10_000, large: int = 1_000_000):
    """Pull the latest 100 changes with 10k vs 1M rows of history."""
    results = {}
    for label, size in (("small", small), ("large", large)):
        app = _app(tmp / f"pull-{label}.db")
        _grow_history(app, size)
        before = _touch_recent(app, 100)
        results[label] = _pull_latest(app, before)
    return {"small_rows": small, "large_rows": large, "small_ms": results["small"] * 1000,
            "large_ms": results["large"] * 1000, "ratio": results["large"] / results["small"]}


def _touch_recent(app, n: int) -> int:
    """Push n recent changes; returns the version just before them."""
    from backend.services.versions import current_version
    from backend.sync_server.push import push

    with app.app_context():
        before = current_version(db.session)
        student = db.session.scalar(select(User).where(User.username == "student"))
        targets = list(db.session.scalars(select(LearningTarget.id)))
        muts = [{"seq": i + 1, "name": "goal.put", "hlc": _hlc(int(time.time() * 1000) + i, 0,
                                                              "recent"),
                 "args": {"id": str(uuid.uuid4()), "student_id": student.id,
                          "title": f"Recent {i}", "target_ids": [targets[0]]}}
                for i in range(n)]
        push(db.session, student, "bench-recent-device", muts)
    return before


_ONE_MERGE = """
import sys, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import importlib.util
spec = importlib.util.spec_from_file_location("bench", sys.argv[1] + "/bench/sync_bench.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)
import time
import backend
import backend.sync_server.push as sync_push
assert backend.__file__.startswith(sys.argv[1]), backend.__file__
cpu = [0.0]
push = sync_push.push
def timed(session, user, client_id, *args, **kwargs):  # CPU time of the measured pushes
    if client_id != "bench-merge-device":
        return push(session, user, client_id, *args, **kwargs)
    start = time.process_time()
    try:
        return push(session, user, client_id, *args, **kwargs)
    finally:
        cpu[0] += time.process_time() - start
sync_push.push = timed
with tempfile.TemporaryDirectory() as tmp:
    r = bench.merge_vs_raw(Path(tmp), int(sys.argv[2]))
print("RESULT", r["merge_rate"], r["raw_rate"], r["ratio"], cpu[0] / r["n"] * 1e6)
"""


def merge_ab(roots: list[str], rounds: int, n: int = 4000) -> None:
    """(b) for several checkouts of this repository (e.g. git worktrees of a before and an
    after commit), interleaved: round 1 runs each tree once, then round 2, ...; each run a
    fresh process and database. On a shared VM single runs vary by ±30 %, so only runs
    taken side by side compare. Prints one row per run and the medians, with the CPU time
    of the measured pushes per mutation (less sensitive to other load than wall time)."""
    results: dict[str, list[tuple[float, ...]]] = {root: [] for root in roots}
    print("| round | tree | load average | merge/s | raw/s | ratio | merge CPU µs/mutation |\n"
          "|---|---|---|---:|---:|---:|---:|")
    for round_ in range(1, rounds + 1):
        for root in roots:
            load = os.getloadavg()[0]
            out = subprocess.run([sys.executable, "-c", _ONE_MERGE, root, str(n)], cwd=root,
                                 capture_output=True, text=True, check=True).stdout
            merge, raw, ratio, cpu = (float(x) for x in out.split("RESULT")[1].split())
            results[root].append((merge, raw, ratio, cpu))
            print(f"| {round_} | {root} | {load:.1f} | {merge:,.0f} | {raw:,.0f} | {ratio:.3f} "
                  f"| {cpu:.0f} |", flush=True)
    for root, runs in results.items():
        print(f"| median | {root} | | {statistics.median(r[0] for r in runs):,.0f} | "
              f"{statistics.median(r[1] for r in runs):,.0f} | "
              f"{statistics.median(r[2] for r in runs):.3f} | "
              f"{statistics.median(r[3] for r in runs):.0f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--merge-ab", nargs="+", metavar="ROOT",
                        help="only (b), interleaved over these checkouts (git worktrees)")
    parser.add_argument("--rounds", type=int, default=4, help="rounds of --merge-ab")
    args = parser.parse_args()
    if args.merge_ab:
        merge_ab([str(Path(r).resolve()) for r in args.merge_ab], args.rounds)
        return
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        if args.quick:
            burst = classroom_burst(tmp, clients=6, per_client=40)
            merge = merge_vs_raw(tmp, n=400)
            pulls = pull_vs_history(tmp, small=2_000, large=20_000)
        else:
            burst = classroom_burst(tmp)
            merge = merge_vs_raw(tmp)
            pulls = pull_vs_history(tmp)
    rows = [
        ("(a) classroom burst", f"{burst['mutations']} mutations, {burst['batch']}/push",
         f"{burst['rate']:.0f} mutations/s; push p50 {burst['p50_ms']:.0f} ms, "
         f"p95 {burst['p95_ms']:.0f} ms; errors {burst['errors']}", "≥ 2,000 mutations/s"),
        ("(b) merge vs raw executemany", f"{merge['n']} rows",
         f"merge {merge['merge_rate']:.0f}/s, raw {merge['raw_rate']:.0f}/s, "
         f"ratio {merge['ratio']:.3f}", "ratio ≥ 0.1"),
        ("(c) pull 100 changes", f"{pulls['small_rows']:,} vs {pulls['large_rows']:,} rows",
         f"{pulls['small_ms']:.1f} ms vs {pulls['large_ms']:.1f} ms, ratio "
         f"{pulls['ratio']:.2f}", "ratio ≤ 1.5"),
    ]
    print("| benchmark | size | result | target |\n|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print(f"\nmachine: {os.cpu_count()} cores; python {sys.version.split()[0]}; SQLite")


if __name__ == "__main__":
    main()
