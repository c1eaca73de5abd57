"""Credentials benchmark: what issuing at read time, verifying and the CLR cost.

Run: `.venv/bin/python bench/credentials_bench.py [--learners 20] [--rounds 10]`. Seeds the
demo school into an in-memory SQLite database, makes the first N learners meet Fractions
(teacher scores of 4 on every target), then times `issue_missing` (first call: issues;
second: nothing new, which is what every credentials list pays), `verify` of every issued
credential (signature + the school's status list) `--rounds` times, and one signed CLR.
Prints a table (median and max, ms). Not a test: nothing here passes or fails, it measures.
"""

import argparse
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()

    from sqlalchemy import select

    from backend import create_app
    from backend.config import TestConfig
    from backend.credentials import clr, issue, verify
    from backend.extensions import db
    from backend.models import AssessmentEvent, MeasurementTopic, User
    from backend.seed import seed_demo

    app = create_app(TestConfig)
    with app.app_context():
        db.create_all()
        seed_demo()
        learners = db.session.scalars(select(User).where(User.role == "student")
                                      .order_by(User.id).limit(args.learners)).all()
        topic = db.session.scalar(select(MeasurementTopic)
                                  .where(MeasurementTopic.name == "Fractions"))
        for learner in learners:
            for target in topic.targets:
                for days in (3, 2, 1):
                    db.session.add(AssessmentEvent(
                        id=f"bench-{uuid.uuid4()}", student_id=learner.id, target_id=target.id,
                        score=4.0, assessed_on=date.today() - timedelta(days=days),
                        source="teacher", origin="bench"))
        db.session.commit()

        def timed(fn, arg):
            start = time.perf_counter()
            out = fn(arg)
            return out, time.perf_counter() - start

        first, again, checks, tokens = [], [], [], []
        for learner in learners:
            made, took = timed(issue.issue_missing, learner)
            first.append(took)
            tokens += [m.jwt for m in made]
        for learner in learners:
            made, took = timed(issue.issue_missing, learner)
            assert made == []
            again.append(took)
        for _ in range(args.rounds):
            for token in tokens:
                result, took = timed(verify.verify, token)
                assert result["verdict"] == "authentic"
                checks.append(took)
        bundle, clr_took = timed(clr.signed_clr, learners[0])

    def row(name, values):
        return (f"| {name} | {len(values)} | {statistics.median(values) * 1000:.1f} | "
                f"{max(values) * 1000:.1f} |")

    print(f"{len(tokens)} credentials issued for {len(learners)} learners")
    print("| what | n | median ms | max ms |\n| --- | --- | --- | --- |")
    print(row("issue_missing, first call (issues)", first))
    print(row("issue_missing, nothing new", again))
    print(row("verify (signature + status list)", checks))
    print(row("signed CLR, one learner", [clr_took]))
    print(f"sizes: one badge JWT {len(tokens[0])} bytes, the CLR JWT {len(bundle)} bytes")


if __name__ == "__main__":
    main()
