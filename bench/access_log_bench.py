"""Access log benchmark: what recording a read costs the read, measured side by side.

Run: `.venv/bin/python bench/access_log_bench.py [--reads 300] [--db PATH]`. Seeds the demo
school into a SQLite file (kept and reused), then times the same requests with the access
log on and off (record_read replaced by a no-op), interleaved so both see the same cache
and disk: a teacher's binder read (one learner, one upsert + commit), a teacher's
incremental sync pull, and the review queue (a page of learners). Prints medians and
p95 in ms, their ratio, and the rows the log holds afterwards (coalesced: one per reader ×
learner × kind × period). Not a test: nothing here passes or fails, it measures.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_jwt_extended import create_access_token  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from backend import create_app  # noqa: E402
from backend.config import TestConfig  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.models import AccessEntry, User  # noqa: E402
from backend.services import access_log  # noqa: E402


def _app(path: Path):
    return create_app(type("BenchConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 30}},
        "BLOB_STORE_URL": f"file://{path.parent / 'blobs'}"}))


def _seed(app) -> None:
    from backend.seed import seed_demo

    with app.app_context():
        db.create_all()
        if db.session.execute(text("SELECT value FROM version_counter")).first() is None:
            db.session.execute(text("INSERT INTO version_counter (id, value) VALUES (1, 0)"))
            db.session.commit()
            seed_demo()
        db.session.remove()


def _token(app, username: str) -> str:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        token = create_access_token(user, additional_claims={"role": user.role,
                                                             "school_id": user.school_id})
        db.session.remove()
    return token


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=300)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    path = args.db or Path(tempfile.gettempdir()) / "waypoint-access-log-bench.db"
    app = _app(path)
    _seed(app)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {_token(app, 'teacher')}"}
    with app.app_context():
        maya = db.session.scalar(select(User.id).where(User.username == "student"))
    cursor = client.get("/api/sync/pull", headers=headers).get_json()["cursor"]
    paths = {
        "binder (1 learner)": f"/api/learners/{maya}/binder",
        "sync pull, nothing new": f"/api/sync/pull?cursor={cursor}",
        "review queue (a page)": "/api/review-queue",
    }
    real = access_log.record_read
    table = []
    for name, url in paths.items():
        timings: dict[bool, list[float]] = {True: [], False: []}
        for n in range(args.reads * 2):
            is_on = n % 2 == 0
            access_log.record_read = real if is_on else (lambda *a, **k: None)
            _patch_callers(access_log.record_read)
            start = time.perf_counter()
            response = client.get(url, headers=headers)
            timings[is_on].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.get_json()
        access_log.record_read = real
        _patch_callers(real)
        off, on = timings[False], timings[True]
        table.append((name, statistics.median(off), statistics.median(on),
                      _percentile(off, 0.95), _percentile(on, 0.95)))
    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(AccessEntry))
        reads = db.session.scalar(select(func.sum(AccessEntry.times)))
    print(f"SQLite, demo school, {args.reads} requests each way, interleaved (ms)")
    print(f"{'request':26} {'off p50':>8} {'on p50':>8} {'ratio':>6} {'off p95':>8} "
          f"{'on p95':>8}")
    for name, off50, on50, off95, on95 in table:
        print(f"{name:26} {off50:8.2f} {on50:8.2f} {on50 / off50:6.2f} {off95:8.2f} "
              f"{on95:8.2f}")
    print(f"access_log rows afterwards: {rows} (for {reads} recorded learner reads)")


def _patch_callers(function) -> None:
    """The routes imported record_read by name: point them at the same function."""
    from backend.api.binder import resources as binder
    from backend.api.sync import resources as sync
    from backend.api.teaching import resources as teaching

    for module in (binder, sync, teaching):
        module.record_read = function


if __name__ == "__main__":
    main()
