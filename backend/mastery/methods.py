"""The calculation methods: counted events (oldest first) in, an unrounded level out.

Each method returns an Outcome: the level, each event's weight in it (None where a fitted
curve uses every score but no single weight can be named) and the steps in plain words.
Sources are in docs/mastery.md.
"""

from dataclasses import dataclass, field

from backend.mastery.curves import ZERO_STAND_IN, clamp, linear_fit, power_fit
from backend.mastery.events import Event
from backend.mastery.words import num, pct


@dataclass
class Outcome:
    level: float | None
    weights: list[float | None]
    steps: list[str] = field(default_factory=list)
    rounding: str = "2dp"  # "2dp" or "half" (nearest half point)


def _sum_words(scores: list[float]) -> str:
    return f"({' + '.join(num(s) for s in scores)}) ÷ {len(scores)}"


def _latest_of(events: list[Event], score: float) -> int:
    return max(i for i, e in enumerate(events) if e.score == score)


def most_recent(events: list[Event]) -> Outcome:
    """The latest score by date assessed (Canvas "Most Recent Score")."""
    last = events[-1]
    weights = [0.0] * (len(events) - 1) + [1.0]
    return Outcome(last.score, weights, [f"The most recent score counts: {last.words()}."])


def highest(events: list[Event]) -> Outcome:
    """The highest score ever reached (Canvas "Highest Score")."""
    top = max(e.score for e in events)
    chosen = _latest_of(events, top)  # of equal highs, name the latest
    weights = [1.0 if i == chosen else 0.0 for i in range(len(events))]
    return Outcome(top, weights, [f"The highest score counts: {events[chosen].words()}."])


def mean(events: list[Event]) -> Outcome:
    """Every counted score weighs the same (Canvas "Average")."""
    scores = [e.score for e in events]
    level = sum(scores) / len(scores)
    step = f"All {len(scores)} scores count the same: {_sum_words(scores)} = {num(level)}."
    return Outcome(level, [1 / len(scores)] * len(scores), [step])


def decaying_average(events: list[Event], weight: float) -> Outcome:
    """Canvas "Decaying Average": level = w·score + (1−w)·level, oldest score first."""
    w = weight / 100
    level = events[0].score
    steps = [f"Start from the oldest score: {events[0].words()}."]
    for e in events[1:]:
        new = w * e.score + (1 - w) * level
        steps.append(
            f"Then {e.words()} counts {pct(w)} and the level so far {pct(1 - w)}: "
            f"{num(w)} × {num(e.score)} + {num(1 - w)} × {num(level)} = {num(new)}."
        )
        level = new
    n = len(events)
    weights = [(1 - w) ** (n - 1)] + [w * (1 - w) ** (n - 1 - i) for i in range(1, n)]
    return Outcome(level, weights, steps)


def weighted_average(events: list[Event], weight: float) -> Outcome:
    """Canvas's older "Weighted Average": w·latest + (1−w)·mean of all earlier scores."""
    if len(events) == 1:
        return Outcome(events[0].score, [1.0], [f"Only one score so far: {events[0].words()}."])
    w = weight / 100
    last, earlier = events[-1], [e.score for e in events[:-1]]
    earlier_mean = sum(earlier) / len(earlier)
    level = w * last.score + (1 - w) * earlier_mean
    steps = [
        f"The average of the {len(earlier)} earlier scores: "
        f"{_sum_words(earlier)} = {num(earlier_mean)}.",
        f"The most recent score, {last.words()}, counts {pct(w)} and that average "
        f"{pct(1 - w)}: {num(w)} × {num(last.score)} + {num(1 - w)} × {num(earlier_mean)} "
        f"= {num(level)}.",
    ]
    weights = [(1 - w) / len(earlier)] * len(earlier) + [w]
    return Outcome(level, weights, steps)


def n_mastery(events: list[Event], n: int, threshold: float) -> Outcome:
    """Canvas "n Number of Times": no level until n scores reach the threshold."""
    meeting = [e.score for e in events if e.score >= threshold]
    if len(meeting) < n:
        step = (
            f"Not yet: {len(meeting)} of the {n} scores needed at {num(threshold)} or above, "
            "so there is no level yet."
        )
        return Outcome(None, [0.0] * len(events), [step])
    level = sum(meeting) / len(meeting)
    weights = [1 / len(meeting) if e.score >= threshold else 0.0 for e in events]
    step = (
        f"{len(meeting)} scores reached {num(threshold)} or above ({n} needed); "
        f"their average: {_sum_words(meeting)} = {num(level)}."
    )
    return Outcome(level, weights, [step])


def _only_or_equal(events: list[Event]) -> Outcome | None:
    scores = {e.score for e in events}
    if len(events) == 1:
        return Outcome(events[0].score, [1.0], [f"Only one score so far: {events[0].words()}."])
    if len(scores) == 1:
        step = f"All {len(events)} scores are {num(events[0].score)}, so the level is that score."
        return Outcome(events[0].score, [None] * len(events), [step])
    return None


def _zero_note(events: list[Event]) -> list[str]:
    if any(e.score == 0 for e in events):
        return [
            f"A 0 enters the curve as {num(ZERO_STAND_IN)}, since a power curve never reaches 0."
        ]
    return []


def _kept_within(value: float, events: list[Event], steps: list[str]) -> float:
    low, high = min(e.score for e in events), max(e.score for e in events)
    kept = clamp(value, low, high)
    if kept != value:
        steps.append(
            f"A level is never outside the learner's own scores ({num(low)} to {num(high)}), "
            f"so {num(value)} becomes {num(kept)}."
        )
    return kept


def power_law(events: list[Event]) -> Outcome:
    """Marzano's power law: fit score = a·x^b to the scores in order; its value at the latest."""
    if trivial := _only_or_equal(events):
        return trivial
    n = len(events)
    predictions, a, b = power_fit([e.score for e in events])
    steps = _zero_note(events) + [
        f"A learning curve score = a × x^b is drawn through the {n} scores in the order "
        f"they were assessed (x = 1 to {n}): a = {num(a)}, b = {num(b)}.",
        f"Its value at the latest score (x = {n}): {num(a)} × {n}^{num(b)} = "
        f"{num(predictions[-1])}.",
    ]
    level = _kept_within(predictions[-1], events, steps)
    return Outcome(level, [None] * n, steps)


def true_score(events: list[Event]) -> Outcome:
    """Empower's true-score estimator: best of line, power curve and average; nearest 0.5."""
    if trivial := _only_or_equal(events):
        trivial.rounding = "half"
        return trivial
    scores = [e.score for e in events]
    n = len(scores)
    average = sum(scores) / n
    models = [  # simplest first: on equal error the simpler reading wins
        ("The average", [average] * n),
        ("A straight line", linear_fit(scores)[0]),
        ("A power curve", power_fit(scores)[0]),
    ]
    steps = _zero_note(events) + [
        "Three ways of reading the scores were tried; the one whose line comes closest to "
        "the actual scores (least total difference) is used:"
    ]
    best = None
    for name, predictions in models:
        error = sum(abs(p - s) for p, s in zip(predictions, scores, strict=True))
        steps.append(f"{name}: {num(predictions[-1])} now, off by {num(error)} in total.")
        if best is None or error < best[2] - 1e-9:
            best = (name, predictions[-1], error)
    name, value, _ = best
    steps.append(f"{name} fits best: {num(value)}.")
    level = _kept_within(value, events, steps)
    return Outcome(level, [None] * n, steps, rounding="half")
