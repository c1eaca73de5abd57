"""Do suggestions fit what learners say about themselves? (issue 18 item 3)

Run: `.venv/bin/python bench/recommendation_fit_bench.py [--db PATH] [--seed N]`. Reads a copy
of the 150-learner school year of bench/first_sync_bench.py (`.cache/bench/first-sync-150/
year.db`, seeded by that benchmark's first run with backend/seed_year.py) and compares two
orders of the activities aligned to each learning target:

* playlist order: the teacher's playlist, as a learner without a profile sees it;
* preference-aware: the ranking of backend/services/recommendations.py with the learner's
  stated preferences (`stated_reasons`, `stated_score`: W_STATED and W_STATED_MORE), ties
  kept in playlist order. The history terms (what they finished, what worked for others)
  are left out: they would need the year replayed to each pick's day, and they are the
  same for both orders' comparison of stated preferences.

For every pick the learner finished ("done") in the year, on a target with at least two
aligned activities (a target with one has nothing to order), it reports: the share of picks
that met a stated preference, the share of the order's top suggestion that met one, the
mean rank (1 = first) the picked activity had in each order, and how often it was the top.

The synthetic year picks with `rng.choice` among a target's activities, blind to any
profile and to any order (backend/seed_year_plan.py `_pick`), and the year has no profiles.
So profiles are seeded here, two ways:

* independent: each learner states one "how I take in ideas" choice and one interest word,
  drawn at random (--seed): a control, picks and profile unrelated;
* self-aware: a learner states the choice (and a word) that fits the kind of activity they
  finished most in the first half of the year (by pick date), and the picks measured are
  their second half's: what a learner who knows themself would say, tested on later picks.

Not a test: nothing here passes or fails, it measures.
"""

import argparse
import random
import shutil
import statistics
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from backend import create_app  # noqa: E402
from backend.config import TestConfig  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.models import (  # noqa: E402
    Activity,
    ActivityTarget,
    Enrollment,
    Pick,
    Playlist,
    PlaylistItem,
)
from backend.services.recommendations import (  # noqa: E402
    LEARN_BY_KINDS,
    STATED_WORDS,
    stated_reasons,
    stated_score,
)
from bench.year_cache import catch_up  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / ".cache" / "bench" / "first-sync-150" / "year.db"
# a word a learner might write for each "how I take in ideas" choice (STATED_WORDS stems)
WORD_FOR = {"watching": "videos", "reading": "books", "doing": "building",
            "talking": "debating"}


def _choice_for(kind: str) -> str:
    return next(c for c, kinds in LEARN_BY_KINDS.items() if kind in kinds)


def _profile(choice: str) -> dict:
    word = WORD_FOR[choice]
    kinds = next(k for stems, k in STATED_WORDS if word.startswith(stems))
    return {"learn_by": [choice], "engage_by": [], "words": [(word, kinds)]}


def _load(app):
    """(activities by id, target → aligned activity ids, playlist slot per (class, activity),
    learner → class ids, done picks [(learner, activity, day)])."""
    with app.app_context():
        # three columns, not the model: a year seeded before a later column still reads
        activities = {i: SimpleNamespace(id=i, kind=k, modality=m) for i, k, m in
                      db.session.execute(select(Activity.id, Activity.kind, Activity.modality))}
        aligned = defaultdict(list)
        for target_id, activity_id in db.session.execute(
                select(ActivityTarget.target_id, ActivityTarget.activity_id)):
            aligned[target_id].append(activity_id)
        slots = {}
        for class_id, pid, position, activity_id in db.session.execute(
                select(Playlist.class_id, Playlist.id, PlaylistItem.position,
                       PlaylistItem.activity_id).join(
                    PlaylistItem, PlaylistItem.playlist_id == Playlist.id)
                .where(Playlist.class_id.is_not(None))):
            key = (class_id, activity_id)
            slots[key] = min(slots.get(key, (pid, position)), (pid, position))
        classes = defaultdict(set)
        for class_id, student_id in db.session.execute(
                select(Enrollment.class_id, Enrollment.student_id)):
            classes[student_id].add(class_id)
        picks = [(s, a, when.date()) for s, a, when in db.session.execute(
            select(Pick.student_id, Pick.activity_id, Pick.updated_at).where(
                Pick.status == "done", Pick.is_deleted.is_(False)).order_by(Pick.id))]
    return activities, aligned, slots, classes, picks


def _orders(candidates, learner_classes, slots, activities, stated):
    def slot(a):
        got = [slots[(c, a)] for c in learner_classes if (c, a) in slots]
        return min(got) if got else (10**9, 0)
    playlist = sorted(candidates, key=lambda a: (slot(a), a))
    aware = sorted(candidates, key=lambda a: (
        -stated_score(stated_reasons(activities[a], stated)), slot(a), a))
    return playlist, aware


def _measure(picks, profiles, activities, aligned, slots, classes):
    target_of = {a: t for t, ids in aligned.items() for a in ids}
    rows = {"playlist": defaultdict(list), "aware": defaultdict(list)}
    for learner, activity, _day in picks:
        stated = profiles.get(learner)
        candidates = aligned.get(target_of.get(activity), [])
        if stated is None or len(candidates) < 2:
            continue
        met = bool(stated_reasons(activities[activity], stated))
        playlist, aware = _orders(candidates, classes[learner], slots, activities, stated)
        for name, order in (("playlist", playlist), ("aware", aware)):
            r = rows[name]
            r["met"].append(met)
            r["top_met"].append(bool(stated_reasons(activities[order[0]], stated)))
            r["rank"].append(order.index(activity) + 1)
            r["top"].append(order[0] == activity)
            r["choices"].append(len(order))
    return rows


def _share(flags: list[bool]) -> str:
    return f"{100 * sum(flags) / len(flags):.1f}%"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not args.db.exists():
        sys.exit(f"{args.db} is missing: run bench/first_sync_bench.py --size 150 once first")
    work = Path(tempfile.mkdtemp(prefix="recfit-"))
    try:
        shutil.copy(args.db, work / "year.db")
        app = create_app(type("BenchConfig", (TestConfig,), {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'year.db'}"}))
        catch_up(app)
        activities, aligned, slots, classes, picks = _load(app)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    learners = sorted({p[0] for p in picks})
    rng = random.Random(args.seed)
    independent = {s: _profile(rng.choice(sorted(LEARN_BY_KINDS))) for s in learners}
    days = sorted(p[2] for p in picks)
    middle = days[len(days) // 2]
    first_half = defaultdict(Counter)
    for s, a, day in picks:
        if day < middle:
            first_half[s][activities[a].kind] += 1
    aware = {s: _profile(_choice_for(c.most_common(1)[0][0]))
             for s, c in first_half.items() if c}
    second = [p for p in picks if p[2] >= middle]
    print(f"year: {len(learners)} learners with finished picks, {len(picks)} finished picks, "
          f"{len(activities)} activities, {len(aligned)} targets with activities; "
          f"second half from {middle}")
    print()
    header = ("| profiles | picks measured | order | picked met a stated preference | "
              "top suggestion met one | mean rank of the picked (1 = first) | "
              "picked was the top | mean choices |")
    print(header)
    print("|" + "---|" * 8)
    for label, profiles, measured in (("independent (random)", independent, picks),
                                      ("self-aware (first half → second half)", aware,
                                       second)):
        rows = _measure(measured, profiles, activities, aligned, slots, classes)
        for name, order in (("playlist", "playlist order"), ("aware", "preference-aware")):
            r = rows[name]
            if not r["rank"]:
                print(f"| {label} | 0 | {order} | – | – | – | – | – |")
                continue
            print(f"| {label} | {len(r['rank'])} | {order} | {_share(r['met'])} | "
                  f"{_share(r['top_met'])} | {statistics.mean(r['rank']):.2f} | "
                  f"{_share(r['top'])} | {statistics.mean(r['choices']):.2f} |")

if __name__ == "__main__":
    main()
