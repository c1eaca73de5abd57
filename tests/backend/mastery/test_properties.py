"""Properties every method keeps, whatever the scores (hypothesis)."""

import random
from datetime import date, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from backend.mastery import METHODS, calculate

halves = st.integers(0, 8).map(lambda k: k / 2)
sources = st.sampled_from(["teacher", "teacher", "teacher", "self", "peer"])
PARAMS = {"n_mastery": {"n": 1}}  # n = 1 so it gives a level whenever a score reaches 3


@st.composite
def event_lists(draw, min_size=1):
    """Events on distinct days, some missing, some self/peer, in arbitrary entry order."""
    days = draw(st.lists(st.integers(0, 365), min_size=min_size, max_size=12, unique=True))
    events = [
        {
            "score": draw(st.one_of(halves, halves, halves, st.none())),
            "assessed_on": (date(2025, 8, 1) + timedelta(days=d)).isoformat(),
            "source": draw(sources),
        }
        for d in days
    ]
    return events


def counted_scores(result):
    return [c["score"] for c in result["counted"]]


@settings(max_examples=200)
@given(events=event_lists(), method=st.sampled_from(sorted(METHODS)))
def test_level_within_counted_scores(events, method):
    """A level is never below the lowest nor above the highest score it was made from."""
    result = calculate(method, events, **PARAMS.get(method, {}))
    if result["level"] is not None:
        scores = counted_scores(result)
        assert min(scores) <= result["level"] <= max(scores)
        assert all(s is not None for s in scores)


@settings(max_examples=200)
@given(events=event_lists(), method=st.sampled_from(sorted(METHODS)), seed=st.randoms())
def test_entry_order_does_not_matter(events, method, seed):
    """Only the date assessed orders events: shuffling the list changes no level."""
    shuffled = events[:]
    seed.shuffle(shuffled)
    params = PARAMS.get(method, {})
    assert calculate(method, shuffled, **params) == calculate(method, events, **params)


@settings(max_examples=200)
@given(
    scores=st.lists(halves, min_size=1, max_size=8),
    method=st.sampled_from(sorted(METHODS)),
    data=st.data(),
)
def test_same_day_ties_do_not_depend_on_entry_order(scores, method, data):
    """All on one date with distinct entry times (or none, with ids): order is fixed by
    entered_at, then id, so any permutation gives the same result."""
    with_times = data.draw(st.booleans())
    events = [
        {"score": s, "assessed_on": "2025-09-01", "source": "teacher", "id": i}
        | ({"entered_at": f"2025-09-01T{i:02d}:00:00"} if with_times else {})
        for i, s in enumerate(scores)
    ]
    shuffled = events[:]
    random.Random(data.draw(st.integers())).shuffle(shuffled)
    params = PARAMS.get(method, {})
    assert (
        calculate(method, shuffled, **params)["level"]
        == calculate(method, events, **params)["level"]
    )


@given(events=event_lists(), new=halves)
def test_a_higher_latest_score_never_lowers_most_recent(events, new):
    """A teacher score after all others, at or above the current level, never lowers it."""
    before = calculate("most_recent", events)["level"]
    last = max(date.fromisoformat(e["assessed_on"]) for e in events)
    later = {
        "score": new,
        "assessed_on": (last + timedelta(days=1)).isoformat(),
        "source": "teacher",
    }
    assume(before is None or new >= before)
    after = calculate("most_recent", [*events, later])["level"]
    assert after == new
    assert before is None or after >= before


@given(events=event_lists(), method=st.sampled_from(sorted(METHODS)))
def test_skipped_events_never_change_the_level(events, method):
    """Dropping every missing, self and peer event leaves the level as it was."""
    params = PARAMS.get(method, {})
    kept = [e for e in events if e["score"] is not None and e["source"] == "teacher"]
    assert (
        calculate(method, kept, **params)["level"] == calculate(method, events, **params)["level"]
    )


@given(events=event_lists(), weight=st.integers(1, 99))
def test_weights_sum_to_one(events, weight):
    """Averaging methods account for every counted score: their weights add up to 1."""
    for method in ("mean", "decaying_average", "weighted_average"):
        result = calculate(method, events, **({} if method == "mean" else {"weight": weight}))
        if result["counted"]:
            assert abs(sum(c["weight"] for c in result["counted"]) - 1) < 1e-4


@given(events=event_lists())
def test_true_score_is_in_half_points(events):
    level = calculate("true_score", events)["level"]
    assert level is None or level * 2 == int(level * 2)
