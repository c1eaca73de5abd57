"""The calculation methods: counted events (oldest first) in, an unrounded level out.

Each method returns an Outcome: the level, each event's weight in it (None where a fitted
curve uses every score but no single weight can be named) and the steps in plain words.
Sources are in docs/mastery.md.
"""

from dataclasses import dataclass, field

from backend.mastery import steps as S
from backend.mastery.curves import ZERO_STAND_IN, clamp, linear_fit, power_fit
from backend.mastery.events import Event
from backend.mastery.steps import shown, step, steps_n, sum_text
from backend.mastery.words import num


@dataclass
class Outcome:
    level: float | None
    weights: list[float | None]
    steps: list[dict] = field(default_factory=list)  # step data (backend/mastery/steps.py)
    rounding: str = "2dp"  # "2dp" or "half" (nearest half point)


def _latest_of(events: list[Event], score: float) -> int:
    return max(i for i, e in enumerate(events) if e.score == score)


def most_recent(events: list[Event]) -> Outcome:
    """The latest score by date assessed (Canvas "Most Recent Score")."""
    last = events[-1]
    weights = [0.0] * (len(events) - 1) + [1.0]
    return Outcome(last.score, weights, [step(S.MOST_RECENT, **last.said())])


def highest(events: list[Event]) -> Outcome:
    """The highest score ever reached (Canvas "Highest Score")."""
    top = max(e.score for e in events)
    chosen = _latest_of(events, top)  # of equal highs, name the latest
    weights = [1.0 if i == chosen else 0.0 for i in range(len(events))]
    return Outcome(top, weights, [step(S.HIGHEST, **events[chosen].said())])


def mean(events: list[Event]) -> Outcome:
    """Every counted score weighs the same (Canvas "Average")."""
    scores = [e.score for e in events]
    level = sum(scores) / len(scores)
    line = steps_n(S.MEAN, len(scores), sum=sum_text(scores), level=shown(level))
    return Outcome(level, [1 / len(scores)] * len(scores), [line])


def decaying_average(events: list[Event], weight: float) -> Outcome:
    """Canvas "Decaying Average": level = w·score + (1−w)·level, oldest score first."""
    w = weight / 100
    level = events[0].score
    steps = [step(S.DECAY_START, **events[0].said())]
    for e in events[1:]:
        new = w * e.score + (1 - w) * level
        steps.append(step(S.DECAY_STEP, **e.said(), weight=num(weight), rest=num(100 - weight),
                          w=num(w), rest_w=num(1 - w), before=shown(level), level=shown(new)))
        level = new
    n = len(events)
    weights = [(1 - w) ** (n - 1)] + [w * (1 - w) ** (n - 1 - i) for i in range(1, n)]
    return Outcome(level, weights, steps)


def weighted_average(events: list[Event], weight: float) -> Outcome:
    """Canvas's older "Weighted Average": w·latest + (1−w)·mean of all earlier scores."""
    if len(events) == 1:
        return Outcome(events[0].score, [1.0], [step(S.ONLY_ONE, **events[0].said())])
    w = weight / 100
    last, earlier = events[-1], [e.score for e in events[:-1]]
    earlier_mean = sum(earlier) / len(earlier)
    level = w * last.score + (1 - w) * earlier_mean
    steps = [
        steps_n(S.EARLIER_MEAN, len(earlier), sum=sum_text(earlier), level=shown(earlier_mean)),
        step(S.LATEST_WEIGHT, **last.said(), weight=num(weight), rest=num(100 - weight),
             w=num(w), rest_w=num(1 - w), average=shown(earlier_mean), level=shown(level)),
    ]
    weights = [(1 - w) / len(earlier)] * len(earlier) + [w]
    return Outcome(level, weights, steps)


def n_mastery(events: list[Event], n: int, threshold: float) -> Outcome:
    """Canvas "n Number of Times": no level until n scores reach the threshold."""
    meeting = [e.score for e in events if e.score >= threshold]
    if len(meeting) < n:
        line = steps_n(S.TIMES_NOT_YET, n, count=len(meeting), threshold=num(threshold))
        return Outcome(None, [0.0] * len(events), [line])
    level = sum(meeting) / len(meeting)
    weights = [1 / len(meeting) if e.score >= threshold else 0.0 for e in events]
    line = steps_n(S.TIMES_MET, len(meeting), threshold=num(threshold), needed=n,
                   sum=sum_text(meeting), level=shown(level))
    return Outcome(level, weights, [line])


def _only_or_equal(events: list[Event]) -> Outcome | None:
    scores = {e.score for e in events}
    if len(events) == 1:
        return Outcome(events[0].score, [1.0], [step(S.ONLY_ONE, **events[0].said())])
    if len(scores) == 1:
        line = steps_n(S.ALL_SAME, len(events), score=num(events[0].score))
        return Outcome(events[0].score, [None] * len(events), [line])
    return None


def _zero_note(events: list[Event]) -> list[dict]:
    if any(e.score == 0 for e in events):
        return [step(S.ZERO, value=num(ZERO_STAND_IN))]
    return []


def _kept_within(value: float, events: list[Event], steps: list[dict]) -> float:
    low, high = min(e.score for e in events), max(e.score for e in events)
    kept = clamp(value, low, high)
    if kept != value:
        steps.append(step(S.KEPT, low=num(low), high=num(high), value=shown(value),
                          level=shown(kept)))
    return kept


def power_law(events: list[Event]) -> Outcome:
    """Marzano's power law: fit score = a·x^b to the scores in order; its value at the latest."""
    if trivial := _only_or_equal(events):
        return trivial
    n = len(events)
    predictions, a, b = power_fit([e.score for e in events])
    steps = _zero_note(events) + [
        steps_n(S.CURVE, n, a=num(a), b=num(b)),
        step(S.CURVE_NOW, x=n, a=num(a), b=num(b), level=shown(predictions[-1])),
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
        ("average", [average] * n),
        ("line", linear_fit(scores)[0]),
        ("curve", power_fit(scores)[0]),
    ]
    steps = _zero_note(events) + [step(S.TRIED)]
    best = None
    for name, predictions in models:
        error = sum(abs(p - s) for p, s in zip(predictions, scores, strict=True))
        steps.append(step(S.MODEL_LINES[name], level=shown(predictions[-1]), error=shown(error)))
        if best is None or error < best[2] - 1e-9:
            best = (name, predictions[-1], error)
    name, value, _ = best
    steps.append(step(S.MODEL_BEST[name], level=shown(value)))
    level = _kept_within(value, events, steps)
    return Outcome(level, [None] * n, steps, rounding="half")
