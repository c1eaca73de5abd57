"""What teacher microcredentials cost a non-assessor teacher's pull: A/B in one process.

Run: `.venv/bin/python bench/microcredentials_pull_bench.py [--rounds 30]`. Seeds the demo
school into an in-memory SQLite database and times the full pull (every page, `limit`
1000) of the demo teacher (not an assessor) two ways, interleaved round by round (the
order alternating, after one warm-up pull):

* **before**: the binder rows read for the learners the teacher teaches only (what the pull
  read before teacher microcredentials);
* **after**: the same plus the teacher's own binder (`binder_owners`: one more id in the
  same `student_id IN (…)` list), as the pull runs now.

It prints the rows and the median / p90 ms of each, and the query plans of the evidence
statement both ways (the same index either way). Not a test: it measures.

`--db PATH --user NAME`: the same on a copy of an existing SQLite database instead of the
demo, e.g. the ci school year the backend tests cache
(`.cache/year/ci-seed1-…/year.db`, user `year-teacher1`).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--db", help="a copy of this SQLite database instead of the demo")
    parser.add_argument("--user", default="teacher")
    args = parser.parse_args()

    from sqlalchemy import select, text

    import backend.sync_server.pull as pull_module
    from backend import create_app
    from backend.auth import learner_ids_for
    from backend.config import TestConfig
    from backend.extensions import db
    from backend.models import User
    from backend.seed import seed_demo
    from backend.sync_server.pull import pull
    from backend.sync_server.visibility import binder_owners

    if args.db:
        import shutil
        import tempfile

        copy = Path(tempfile.mkdtemp()) / "bench.db"
        shutil.copyfile(args.db, copy)

        class Config(TestConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{copy}"

        app = create_app(Config)
    else:
        app = create_app(TestConfig)
    with app.app_context():
        if not args.db:
            db.create_all()
            seed_demo()
        teacher = db.session.scalar(select(User).where(User.username == args.user))
        assert not teacher.is_assessor

        def full_pull() -> int:
            rows, cursor = 0, None
            while True:
                page = pull(db.session, teacher, cursor, 1000)
                rows += len(page["changes"])
                cursor = page["cursor"]
                if not page["has_more"]:
                    return rows

        ways = {"before": lambda user, learners=None: set(
                    learner_ids_for(user) if learners is None else learners),
                "after": binder_owners}
        times: dict[str, list[float]] = {k: [] for k in ways}
        counts: dict[str, int] = {}
        full_pull()  # warm up (statements built, caches filled) before timing either way
        db.session.rollback()
        for n in range(args.rounds):
            order = list(ways.items())
            for name, owners in (order if n % 2 == 0 else order[::-1]):  # no order bias
                pull_module.binder_owners = owners
                start = time.perf_counter()
                counts[name] = full_pull()
                times[name].append((time.perf_counter() - start) * 1000)
                db.session.rollback()
        pull_module.binder_owners = binder_owners

        print(f"| full pull of {args.user} (non-assessor) | rows | median ms | p90 ms |")
        print("| --- | --- | --- | --- |")
        for name, values in times.items():
            values.sort()
            p90 = values[int(len(values) * 0.9) - 1]
            print(f"| {name} | {counts[name]} | {statistics.median(values):.1f} | "
                  f"{p90:.1f} |")
        learners = sorted(learner_ids_for(teacher))
        # the statements that changed, alone (no row building): every binder table's rows
        # of the owners, before and after, interleaved
        from sqlalchemy import func

        from backend.sync_server.codecs import CODECS

        owner_sets = {"before": learners, "after": sorted({*learners, teacher.id})}
        sql_times: dict[str, list[float]] = {k: [] for k in owner_sets}
        for n in range(args.rounds * 5):
            order = list(owner_sets.items())
            for name, ids in (order if n % 2 == 0 else order[::-1]):
                start = time.perf_counter()
                for codec in CODECS.values():
                    model = codec.model
                    db.session.scalar(select(func.count()).select_from(model).where(
                        model.student_id.in_(ids), model.version > 0))
                sql_times[name].append((time.perf_counter() - start) * 1000)
        print("| binder statements alone (count of every table) | median ms | p90 ms |")
        print("| --- | --- | --- |")
        for name, values in sql_times.items():
            values.sort()
            print(f"| {name} | {statistics.median(values):.2f} | "
                  f"{values[int(len(values) * 0.9) - 1]:.2f} |")
        for name, ids in owner_sets.items():
            listed = ",".join(str(i) for i in ids)
            plan = db.session.execute(text(
                f"EXPLAIN QUERY PLAN SELECT * FROM evidence WHERE student_id IN ({listed}) "
                "AND version > 0 AND version <= 999999999 ORDER BY version")).all()
            print(f"plan {name}:", "; ".join(row[-1] for row in plan))


if __name__ == "__main__":
    main()
