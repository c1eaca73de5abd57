"""Mastery science: how a learner's assessment events become a level on one learning target.

Pure: plain data in, plain data out (no Flask, no database). The one entry point is
`calculate(method, events, **params)`; methods, sources and worked examples are in
docs/mastery.md.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from backend.i18n import N_
from backend.mastery import methods as m
from backend.mastery import steps as S
from backend.mastery.errors import MasteryError
from backend.mastery.events import DEFAULT_COUNT_SOURCES, check_sources, sort_out
from backend.mastery.sentence import plain_sentence, render
from backend.mastery.steps import step, steps_n
from backend.mastery.words import (
    level_text,
    level_words,
    num,
    round_2dp,
    round_half_point,
)

__all__ = ["METHODS", "MasteryError", "calculate", "check_params", "level_words"]


def _weight(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= 99:
        raise MasteryError(f"weight must be a number from 1 to 99 (percent), got {value!r}")
    return value


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise MasteryError(f"n must be a whole number of scores, got {value!r}")
    if value < 1:
        raise MasteryError(f"n must be at least 1 score, got {value!r}")
    return int(value)


def _threshold(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 4:
        raise MasteryError(f"threshold must be a level above 0 and at most 4, got {value!r}")
    return float(value)


@dataclass(frozen=True)
class Method:
    """A calculation method: its function, its label in plain words, its parameters."""

    run: Callable[..., m.Outcome]
    label: str  # a msgid (N_): screens show gettext(label) / t(label)
    params: dict[str, tuple[Any, Callable[[Any], Any]]]  # name -> (default, checker)


METHODS: dict[str, Method] = {
    "most_recent": Method(m.most_recent, N_("Most recent score"), {}),
    "highest": Method(m.highest, N_("Highest score"), {}),
    "mean": Method(m.mean, N_("Average of all scores"), {}),
    "decaying_average": Method(
        m.decaying_average, N_("Decaying average (recent work counts most)"),
        {"weight": (65, _weight)},
    ),
    "weighted_average": Method(
        m.weighted_average,
        N_("Weighted average (latest score against the average of the earlier ones)"),
        {"weight": (65, _weight)},
    ),
    "n_mastery": Method(
        m.n_mastery,
        N_("Number of times (proficient often enough)"),
        {"n": (3, _count), "threshold": (3.0, _threshold)},
    ),
    "power_law": Method(m.power_law, N_("Power law (the learning curve, where it is now)"), {}),
    "true_score": Method(
        m.true_score, N_("True score estimate (best-fitting trend, to the nearest half point)"),
        {},
    ),
}


def check_params(method: str, params: dict) -> tuple[Method, dict]:
    """The method and its parameters with defaults filled in; MasteryError if either is bad."""
    spec = METHODS.get(method)
    if spec is None:
        known = ", ".join(METHODS)
        raise MasteryError(f"unknown calculation method {method!r}; choose one of {known}")
    unknown = sorted(set(params) - set(spec.params))
    if unknown:
        takes = ", ".join(spec.params) or "no settings"
        raise MasteryError(f"{method} does not take {', '.join(unknown)} (it takes {takes})")
    checked = {
        name: check(params[name]) if name in params else default
        for name, (default, check) in spec.params.items()
    }
    return spec, checked


def _method_step(method: str, params: dict) -> dict:
    if method == "n_mastery":
        return steps_n(S.METHOD_TIMES, params["n"], method_label=METHODS[method].label,
                       threshold=num(params["threshold"]))
    if "weight" in params:
        return step(S.METHOD_WEIGHT, method_label=METHODS[method].label,
                    weight=num(params["weight"]))
    return step(S.METHOD, method_label=METHODS[method].label)


def _skipped_step(event: dict) -> dict:
    key = None if event["score"] is None else event["source"]
    params = {"score_on": event["assessed_on"]}
    if key is not None:
        params["score"] = num(event["score"])
    return step(S.NOT_COUNTED[key], **params)


def _counted_step(event, weight) -> dict:
    if weight is None:
        return step(S.COUNTED_CURVE, **event.said())
    return step(S.COUNTED_WEIGHT, **event.said(), weight=num(round(weight * 100, 2)))


def calculate(method: str, events: list[dict], **params) -> dict:
    """The level one learner has on one learning target, with how it was worked out.

    `events`: dicts with `score` (0–4 in halves, or None for missing/excused), `assessed_on`
    (ISO date), `source` (teacher, self, peer) and optionally `entered_at` and `id`.
    `params`: the method's settings (`weight`, `n`, `threshold`) and `count_sources`.
    Raises MasteryError on an unknown method, a bad setting or a bad event.
    """
    count_sources = check_sources(params.pop("count_sources", DEFAULT_COUNT_SOURCES))
    spec, method_params = check_params(method, params)
    counted, skipped = sort_out(events, count_sources)

    steps = [_method_step(method, method_params)]
    steps += [_skipped_step(e) for e in skipped]
    if not counted:
        steps.append(step(S.NO_COUNTED))
        outcome = m.Outcome(None, [])
    else:
        outcome = spec.run(counted, **method_params)
        steps += [_counted_step(e, w) for e, w in zip(counted, outcome.weights, strict=True)]
        steps += outcome.steps

    level = outcome.level
    if level is not None:
        rounded = round_half_point(level) if outcome.rounding == "half" else round_2dp(level)
        if outcome.rounding == "half" and rounded != level:
            steps.append(step(S.HALF_POINT, level=level_text(rounded)))
        # every worked-out value in the steps is written as the badge writes a level (one
        # decimal, halves up): never "2.33" beside a 2.3 badge (docs/mastery.md)
        steps.append(step(S.LEVEL, level=level_text(rounded), words_label=level_words(rounded)))
        level = rounded
    words = level_words(level)
    if level is None and counted:
        words = "not yet: more evidence needed"

    return {
        "method": method,
        "method_label": spec.label,
        "params": method_params | {"count_sources": list(count_sources)},
        "level": level,
        "level_words": words,
        # the steps as data, each side renders them in its reader's language
        # (sentence.render / renderSentence); "explanation" is them in English (exports)
        "steps": steps,
        "explanation": [render(s, "en") for s in steps],
        "sentence": plain_sentence(method, counted, level, method_params),
        "counted": [
            e.public(position=i + 1, weight=None if w is None else round(w, 6))
            for i, (e, w) in enumerate(zip(counted, outcome.weights, strict=True))
        ],
        "skipped": skipped,
    }
