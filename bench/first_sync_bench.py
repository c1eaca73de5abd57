"""First-sync benchmark: a new device's time to a usable binder / review queue, on a school
year next to the demo school, measured in one run.

Run: `.venv/bin/python bench/first_sync_bench.py [--size 150|full|ci] [--db PATH]`. The first
run seeds the demo school and a school year (backend/seed_year.py; "150", the default, is
a year-shaped school whose teachers each have 150 learners) into one SQLite file (many
minutes; the file is kept and reused). Prints a table; the results are kept in
docs/benchmarks.md. Not a test: nothing here passes or fails, it measures.

"Usable" is the end of the current phase (phase=current pages with computed=1, as the JS
core asks them): the device has the binder (levels, open goals, recent evidence) or the
review queue and grid. History pages follow in the background and are timed apart. The old
way (plain v1 pull from no cursor, computed=1) is timed too, with a time limit, for the
ratio. In-process: the Flask test client, one page after another, page size 500.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_jwt_extended import create_access_token  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from backend import create_app  # noqa: E402
from backend.config import TestConfig  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.models import Enrollment, Goal, SchoolClass, User  # noqa: E402
from bench.year_cache import catch_up  # noqa: E402

LIMIT = 500
OLD_WAY_LIMIT_S = 120.0


def _sizes() -> dict:
    """seed-year's sizes, and "150": a year of 150 learners in 6 groups whose two teachers
    each teach all of them (full's 30 teachers have at most ~55 learners each), with the
    5,000-goal and 2,000-evidence learners."""
    from backend.seed_year import SIZES, Size

    return {**SIZES, "150": Size(learners=150, teachers=2, groups=6, heavy_goals=5000,
                                 heavy_evidence=2000)}


def _app(path: Path):
    return create_app(type("BenchConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 30}},
        "BLOB_STORE_URL": f"file://{path.parent / 'blobs'}"}))


def _seed(app, size: str) -> None:
    from backend.seed import seed_demo
    from backend.seed_year import seed_year

    with app.app_context():
        db.create_all()
        if db.session.execute(text("SELECT value FROM version_counter")).first() is None:
            db.session.execute(text("INSERT INTO version_counter (id, value) VALUES (1, 0)"))
        db.session.execute(text("PRAGMA journal_mode=WAL"))
        db.session.commit()
        seed_demo()
        db.session.commit()
        seed_year(seed=1, size=_sizes()[size],
                  progress=lambda m: print("  seed-year:", m, flush=True))
        db.session.commit()
        db.session.remove()


def _subjects(app) -> list[tuple[str, str]]:
    """(label, username): demo learner and teacher, a typical year learner, the year's
    5,000-goal learner, the year teacher with the most learners."""
    with app.app_context():
        def most(query):
            return db.session.scalars(query).first()
        heavy = most(select(User.username).join(Goal, Goal.student_id == User.id)
                     .group_by(User.id).order_by(func.count(Goal.id).desc()))
        typical = most(select(User.username).where(User.username.like("year-%"),
                                                   User.role == "student",
                                                   User.username != heavy).order_by(User.id)
                       .offset(10))
        teacher = db.session.execute(
            select(User.username, func.count(func.distinct(Enrollment.student_id)))
            .join(SchoolClass, SchoolClass.teacher_id == User.id)
            .join(Enrollment, Enrollment.class_id == SchoolClass.id)
            .where(User.username.like("year-%")).group_by(User.id)
            .order_by(func.count(func.distinct(Enrollment.student_id)).desc())).first()
        db.session.remove()
    return [("demo learner", "student"), ("year learner", typical),
            ("year learner with the most goals", heavy), ("demo teacher", "teacher"),
            (f"year teacher ({teacher[1]} learners)", teacher[0])]


def _headers(app, username: str) -> dict:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        token = create_access_token(user, additional_claims={"role": user.role,
                                                             "school_id": user.school_id})
        db.session.remove()
    return {"Authorization": f"Bearer {token}"}


def _pages(client, headers, first: dict, more, deadline: float | None = None):
    """Follow pages from `first` query while `more(page)` gives the next query: (seconds,
    pages, rows, last page, finished?)."""
    began, pages, rows, query, page = time.perf_counter(), 0, 0, first, None
    while query is not None:
        resp = client.get("/api/sync/pull", query_string=query, headers=headers)
        assert resp.status_code == 200, resp.get_json()
        page = resp.get_json()
        pages, rows = pages + 1, rows + len(page["changes"])
        query = more(page)
        if deadline is not None and time.perf_counter() - began > deadline and query:
            return time.perf_counter() - began, pages, rows, page, False
    return time.perf_counter() - began, pages, rows, page, True


def measure(app, username: str) -> dict:
    client, headers = app.test_client(), _headers(app, username)
    current = _pages(client, headers, {"phase": "current", "computed": 1, "limit": LIMIT},
                     lambda p: {"phase": "current", "computed": 1, "limit": LIMIT,
                                "cursor": p["cursor"]} if p["has_more"] else None)
    last = current[3]
    history_cursor = last["history"]["cursor"]
    history = _pages(client, headers, {"phase": "history", "limit": LIMIT,
                                       "cursor": history_cursor},
                     lambda p: {"phase": "history", "limit": LIMIT, "cursor": p["cursor"]}
                     if p["cursor"] else None) if history_cursor else (0.0, 0, 0, None, True)
    old = _pages(client, headers, {"computed": 1, "limit": LIMIT},
                 lambda p: {"computed": 1, "limit": LIMIT, "cursor": p["cursor"]}
                 if p["has_more"] else None, deadline=OLD_WAY_LIMIT_S)
    return {"usable_s": current[0], "current_pages": current[1], "current_rows": current[2],
            "history_s": history[0], "history_pages": history[1], "history_rows": history[2],
            "old_s": old[0], "old_pages": old[1], "old_done": old[4]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="150", choices=["150", "full", "ci"])
    parser.add_argument("--db", type=Path, default=None,
                        help="SQLite file (default .cache/bench/first-sync-<size>/year.db)")
    args = parser.parse_args()
    path = args.db or Path(__file__).resolve().parent.parent / ".cache" / "bench" / (
        f"first-sync-{args.size}") / "year.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    app = _app(path)
    fresh = not path.exists() or path.stat().st_size == 0
    if fresh:
        print(f"Seeding the demo school and a {args.size} school year into {path} …")
        began = time.perf_counter()
        _seed(app, args.size)
        print(f"  seeded in {time.perf_counter() - began:.0f} s", flush=True)
    elif added := catch_up(app):
        print(f"The cached year predates {len(added)} columns or tables; added: "
              + ", ".join(added[:8]) + (" …" if len(added) > 8 else ""), flush=True)
    subjects = _subjects(app)
    for _label, username in subjects[:1] + subjects[3:4]:  # warm up: statements, caches
        client, headers = app.test_client(), _headers(app, username)
        client.get("/api/sync/pull", query_string={"phase": "current", "computed": 1},
                   headers=headers)
    results = {}
    for label, username in subjects:
        results[label] = measure(app, username)
        print(f"  measured {label}", flush=True)
    demo = {"learner": results["demo learner"], "teacher": results["demo teacher"]}
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nFirst sync of a new device, {args.size} school year vs demo school "
          f"(in-process, SQLite, pages of {LIMIT}; load average {load:.1f} on "
          f"{os.cpu_count()} cores):\n")
    print("| who | usable (current phase) | pages, rows | × demo | history in background "
          "| pages, rows | old way (plain pull from no cursor) |")
    print("|---|---|---|---|---|---|---|")
    for label, r in results.items():
        base = demo["teacher" if "teacher" in label else "learner"]["usable_s"]
        old = f"{r['old_s']:.2f} s, {r['old_pages']} pages" + (
            "" if r["old_done"] else f" (stopped after {OLD_WAY_LIMIT_S:.0f} s)")
        print(f"| {label} | {r['usable_s']:.2f} s | {r['current_pages']}, "
              f"{r['current_rows']} | {r['usable_s'] / base:.1f}× | {r['history_s']:.2f} s | "
              f"{r['history_pages']}, {r['history_rows']} | {old} |")


if __name__ == "__main__":
    main()
