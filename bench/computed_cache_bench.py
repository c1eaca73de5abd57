"""Computed rows cache benchmark (issue 16): a repeat first sync with the cache on and off.

Run: `.venv/bin/python bench/computed_cache_bench.py [--db PATH] [--runs N]`. Reads a copy of
the 150-learner school year of bench/first_sync_bench.py (`.cache/bench/first-sync-150/
year.db`, seeded by that benchmark's first run; the copy goes to a temporary folder, since a
pull writes the device's bookkeeping). For the year teacher of 150 learners and a typical
year learner it times the current phase of a new device's first sync (`phase=current`,
`computed=1`, pages of 500, as the JS core asks), in-process with the Flask test client:

* cold: the cache empty (the first device after a restart);
* repeat, cache off (`COMPUTED_CACHE_LEARNERS=0`: every level worked out on every pull, as
  before the cache);
* repeat, cache on (a second device, or the same one again, with nothing changed);
* after one new event of one learner, cache on (only that learner worked out again).

Prints a table (median of --runs) with the topics worked out and served from the cache.
Not a test: nothing here passes or fails, it measures.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from datetime import date
from pathlib import Path
from uuid import uuid4

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from backend.extensions import db  # noqa: E402
from backend.models import AssessmentEvent, Enrollment, SchoolClass, User  # noqa: E402
from backend.sync_server.computed_cache import ComputedCache  # noqa: E402
from bench.first_sync_bench import LIMIT, _app, _headers, _pages, _subjects  # noqa: E402
from bench.year_cache import catch_up  # noqa: E402


def _current(app, headers) -> float:
    client = app.test_client()
    seconds, _pages_n, _rows, _last, _done = _pages(
        client, headers, {"phase": "current", "computed": 1, "limit": LIMIT},
        lambda p: {"phase": "current", "computed": 1, "limit": LIMIT,
                   "cursor": p["cursor"]} if p["has_more"] else None)
    return seconds


def _set_cache(app, size: int) -> ComputedCache:
    store = ComputedCache(size)
    app.extensions["computed_rows_cache"] = store
    return store


def _new_event(app, username: str) -> None:
    """One teacher score for one of the user's learners (the user themself if a learner)."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        learner = user.id if user.role == "student" else db.session.scalar(
            select(Enrollment.student_id).join(
                SchoolClass, SchoolClass.id == Enrollment.class_id)
            .where(SchoolClass.teacher_id == user.id).order_by(Enrollment.student_id).limit(1))
        target = db.session.scalar(select(AssessmentEvent.target_id).where(
            AssessmentEvent.student_id == learner).limit(1))
        db.session.add(AssessmentEvent(id=str(uuid4()), student_id=learner, target_id=target,
                                       score=3.0, assessed_on=date.today(), source="teacher"))
        db.session.commit()
        db.session.remove()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path(__file__).resolve().parent.parent
                        / ".cache" / "bench" / "first-sync-150" / "year.db")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="computed-cache-bench-"))
    try:
        shutil.copy(args.db, work / "year.db")
        app = _app(work / "year.db")
        catch_up(app)
        subjects = _subjects(app)
        chosen = [s for s in subjects if s[0].startswith("year teacher")] + [
            s for s in subjects if s[0] == "year learner"]
        # warm up: statements built, the database in the page cache
        for _label, username in chosen:
            _set_cache(app, 0)
            _current(app, _headers(app, username))
        rows = []
        for label, username in chosen:
            headers = _headers(app, username)
            cold, off, on, event = [], [], [], []
            counts = {}
            for _ in range(args.runs):
                _set_cache(app, 0)
                off.append(_current(app, headers))
                store = _set_cache(app, 4000)
                cold.append(_current(app, headers))
                counts["cold"] = (store.computed, store.served)
                before = (store.computed, store.served)
                on.append(_current(app, headers))
                counts["on"] = (store.computed - before[0], store.served - before[1])
                _new_event(app, username)
                before = (store.computed, store.served)
                event.append(_current(app, headers))
                counts["event"] = (store.computed - before[0], store.served - before[1])
            rows.append((label, statistics.median(off), statistics.median(cold),
                         statistics.median(on), statistics.median(event), counts))
            print(f"  measured {label}", flush=True)
        load = os.getloadavg()[0]
        print(f"\nComputed rows cache: a new device's current phase (computed=1, pages of "
              f"{LIMIT}), 150-learner year, in-process SQLite, median of {args.runs}; load "
              f"average {load:.1f} on {os.cpu_count()} cores:\n")
        print("| who | repeat, cache off (before) | cold (cache empty) | repeat, cache on "
              "| after one new event, cache on | worked out / served (cold; repeat; "
              "after the event) |")
        print("|---|---|---|---|---|---|")
        for label, off, cold, on, event, c in rows:
            print(f"| {label} | {off:.2f} s | {cold:.2f} s | {on:.2f} s ({off / on:.1f}× "
                  f"faster) | {event:.2f} s | {c['cold'][0]}/{c['cold'][1]}; "
                  f"{c['on'][0]}/{c['on'][1]}; {c['event'][0]}/{c['event'][1]} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
