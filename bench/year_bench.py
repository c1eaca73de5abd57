"""Class report PDF on a school year vs the demo week, measured side by side in one run.

Run: `.venv/bin/python bench/year_bench.py --year-db /tmp/yfull/year.db
--year-blobs file:///tmp/yfull/blobs` (a database seeded by `flask seed-year --size full`),
or `.venv/bin/python bench/year_bench.py --size ci` to seed a year here first (timed).
Each class's progress reports are made exactly as the batch job makes them
(backend/reports/batch.py: a worker process, each learner under its time limit). Prints a
table; results are kept in docs/benchmarks.md. Not a test: it measures.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, text  # noqa: E402

from backend import create_app  # noqa: E402
from backend.config import TestConfig  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.models import Enrollment, Evidence, Goal, SchoolClass, User  # noqa: E402
from backend.reports.batch import make_batch  # noqa: E402

BUDGET_S = 60.0


def _app(db_path: Path, blobs: str, limit: float):
    return create_app(type("BenchConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "SQLALCHEMY_ENGINE_OPTIONS": {},
        "BLOB_STORE_URL": blobs, "REPORT_LEARNER_SECONDS": limit}))


def _fresh(db_path: Path, blobs: str, limit: float, seed) -> tuple:
    app = _app(db_path, blobs, limit)
    with app.app_context():
        db.create_all()
        db.session.execute(text("INSERT INTO version_counter (id, value) VALUES (1, 0)"))
        db.session.commit()
        began = time.monotonic()
        seed()
        took = time.monotonic() - began
        db.session.remove()
    return app, took


def _class_learners(app, name: str | None) -> tuple[str, list[tuple[int, str]], dict]:
    """The named class (default: the largest) with its learners and their year's size."""
    with app.app_context():
        query = select(SchoolClass.id, SchoolClass.name, func.count(Enrollment.id)).join(
            Enrollment).group_by(SchoolClass.id)
        if name:
            query = query.where(SchoolClass.name == name)
        class_id, class_name, _n = sorted(db.session.execute(query).all(),
                                          key=lambda r: (-r[2], r[0]))[0]
        learners = db.session.execute(select(User.id, User.display_name).join(
            Enrollment, Enrollment.student_id == User.id).where(
            Enrollment.class_id == class_id).order_by(User.display_name, User.id)).all()
        ids = [i for i, _ in learners]
        size = {"goals": db.session.scalar(select(func.count()).select_from(Goal).where(
                    Goal.student_id.in_(ids))),
                "evidence": db.session.scalar(select(func.count()).select_from(Evidence).where(
                    Evidence.student_id.in_(ids)))}
        db.session.remove()
    return class_name, [(i, n) for i, n in learners], size


def _measure(app, learners) -> tuple[float, float, int, list]:
    began = time.monotonic()
    with app.app_context():
        result = make_batch(app, "progress", learners, lambda *_a: None)
    return time.monotonic() - began, result.cpu_seconds, result.made, result.failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year-db", type=Path, help="a database seeded by flask seed-year")
    parser.add_argument("--year-blobs", help="its blob store URL (file:///…)")
    parser.add_argument("--size", default="ci", help="seed a year of this size when no "
                        "--year-db is given (full, ci, demo)")
    parser.add_argument("--year-class", help="class name (default: the largest)")
    parser.add_argument("--limit", type=float, default=20.0, help="seconds per learner")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="year-bench-"))
    from backend.seed import seed_demo
    from backend.seed_year import seed_year

    demo_app, demo_seed_s = _fresh(work / "demo.db", f"file://{work / 'demo-blobs'}",
                                   args.limit, seed_demo)
    if args.year_db:
        year_app, year_seed_s = _app(args.year_db, args.year_blobs, args.limit), None
        year_label = f"year ({args.year_db.name})"
    else:
        year_app, year_seed_s = _fresh(work / "year.db", f"file://{work / 'year-blobs'}",
                                       args.limit, lambda: seed_year(1, args.size, lambda m: None))
        year_label = f"year (--size {args.size})"
    rows = []
    for label, app, seed_s, class_name in (("demo week", demo_app, demo_seed_s, None),
                                           (year_label, year_app, year_seed_s,
                                            args.year_class)):
        name, learners, size = _class_learners(app, class_name)
        seconds, cpu, made, failures = _measure(app, learners)
        rows.append((label, name, len(learners), size, seconds, cpu, made, failures, seed_s))
    print(f"\nClass progress-report PDF (budget: 30 learners of a year <= {BUDGET_S:.0f} s; "
          f"{args.limit:g} s per learner)\n")
    print(f"{'data':<22} {'class':<20} {'learners':>8} {'goals':>7} {'evidence':>8} "
          f"{'PDF s':>7} {'CPU s':>6} {'s/learner':>9} {'made':>5} {'left out':>8} "
          f"{'seed s':>7}")
    for label, name, n, size, seconds, cpu, made, failures, seed_s in rows:
        print(f"{label:<22} {name[:20]:<20} {n:>8} {size['goals']:>7} {size['evidence']:>8} "
              f"{seconds:>7.1f} {cpu:>6.1f} {seconds / max(n, 1):>9.2f} {made:>5} "
              f"{len(failures):>8} {'' if seed_s is None else f'{seed_s:.0f}':>7}")
    ratio = rows[1][4] / rows[0][4]
    print(f"\nyear / demo (whole PDF): {ratio:.2f}x; per learner: "
          f"{(rows[1][4] / rows[1][2]) / (rows[0][4] / rows[0][2]):.2f}x; worker CPU per "
          f"learner: {(rows[1][5] / rows[1][2]) / (rows[0][5] / rows[0][2]):.2f}x")
    for label, *_rest, failures, _s in rows:
        for failure in failures:
            print(f"  {label}: left out {failure['name']}: {failure['reason']}")


if __name__ == "__main__":
    main()
