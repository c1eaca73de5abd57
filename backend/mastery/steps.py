"""The steps behind "Show the math", as data: one whole-sentence catalog msgid per step.

Why: the steps were English text built here, so a Spanish family read its plain sentence in
Spanish and the arithmetic in English. Each step is now `{"msgid", "plural"?, "n"?, "params"}`,
the same shape as the plain sentence (backend/mastery/sentence.py), rendered by
`sentence.render` on the server and `renderSentence` (assets/ui/sentence.js) on a device.
Param conventions, shared by both renderers: names ending `_on` are ISO dates (written in the
locale's one date format); names ending `_label` are msgids themselves (a method's name, a
level's words), translated when rendered. Levels and values worked out from scores are written
with the badge's rule (`level_text`: one decimal, halves up), so the math never names a 2.33
beside a 2.3 badge; the inputs (scores in halves, weights) are exact.
"""

from __future__ import annotations

from backend.i18n import N_
from backend.mastery.words import level_text, num

METHOD = N_("Method: {method_label}.")
METHOD_WEIGHT = N_("Method: {method_label} (weight {weight}%).")
METHOD_TIMES = N_("Method: {method_label} (once, at {threshold} or above).",
                  "Method: {method_label} ({n} times, at {threshold} or above).")
NOT_COUNTED = {
    None: N_("Not counted: no score on {score_on} (missing or excused, not a zero)."),
    "self": N_("Not counted: {score} on {score_on} (a self-assessment is shown, not counted)."),
    "peer": N_("Not counted: {score} on {score_on} (a peer assessment is shown, not "
               "counted)."),
}
COUNTED_WEIGHT = N_("Counted: {score} on {score_on}, weight {weight}%.")
COUNTED_CURVE = N_("Counted: {score} on {score_on}, which shapes the curve.")
NO_COUNTED = N_("No counted scores yet, so there is no level yet.")
HALF_POINT = N_("Rounded to the nearest half point: {level}.")
LEVEL = N_("Level: {level} ({words_label}).")

MOST_RECENT = N_("The most recent score counts: {score} on {score_on}.")
HIGHEST = N_("The highest score counts: {score} on {score_on}.")
MEAN = N_("The only score counts: ({sum}) ÷ {n} = {level}.",
          "All {n} scores count the same: ({sum}) ÷ {n} = {level}.")
DECAY_START = N_("Start from the oldest score: {score} on {score_on}.")
DECAY_STEP = N_("Then {score} on {score_on} counts {weight}% and the level so far {rest}%: "
                "{w} × {score} + {rest_w} × {before} = {level}.")
ONLY_ONE = N_("Only one score so far: {score} on {score_on}.")
EARLIER_MEAN = N_("The average of the {n} earlier score: ({sum}) ÷ {n} = {level}.",
                  "The average of the {n} earlier scores: ({sum}) ÷ {n} = {level}.")
LATEST_WEIGHT = N_("The most recent score, {score} on {score_on}, counts {weight}% and that "
                   "average {rest}%: {w} × {score} + {rest_w} × {average} = {level}.")
TIMES_NOT_YET = N_("Not yet: {count} of the {n} score needed at {threshold} or above, so "
                   "there is no level yet.",
                   "Not yet: {count} of the {n} scores needed at {threshold} or above, so "
                   "there is no level yet.")
TIMES_MET = N_("{n} score reached {threshold} or above ({needed} needed); its average: "
               "({sum}) ÷ {n} = {level}.",
               "{n} scores reached {threshold} or above ({needed} needed); their average: "
               "({sum}) ÷ {n} = {level}.")
ALL_SAME = N_("The only score is {score}, so the level is that score.",
              "All {n} scores are {score}, so the level is that score.")
ZERO = N_("A 0 enters the curve as {value}, since a power curve never reaches 0.")
KEPT = N_("A level is never outside the learner's own scores ({low} to {high}), so {value} "
          "becomes {level}.")
CURVE = N_("A learning curve score = a × x^b is drawn through the {n} score in the order it "
           "was assessed (x = 1 to {n}): a = {a}, b = {b}.",
           "A learning curve score = a × x^b is drawn through the {n} scores in the order "
           "they were assessed (x = 1 to {n}): a = {a}, b = {b}.")
CURVE_NOW = N_("Its value at the latest score (x = {x}): {a} × {x}^{b} = {level}.")
TRIED = N_("Three ways of reading the scores were tried; the one whose line comes closest to "
           "the actual scores (least total difference) is used:")
MODEL_LINES = {
    "average": N_("The average: {level} now, off by {error} in total."),
    "line": N_("A straight line: {level} now, off by {error} in total."),
    "curve": N_("A power curve: {level} now, off by {error} in total."),
}
MODEL_BEST = {
    "average": N_("The average fits best: {level}."),
    "line": N_("A straight line fits best: {level}."),
    "curve": N_("A power curve fits best: {level}."),
}


def step(msgid: str, **params) -> dict:
    """One step as data (see the module docstring)."""
    return {"msgid": msgid, "params": params}


def steps_n(forms: tuple[str, str], n: int, **params) -> dict:
    """One step with plural forms chosen by `n` (also filled in as {n})."""
    return {"msgid": forms[0], "plural": forms[1], "n": n, "params": params}


def shown(x: float) -> str:
    """A worked-out value as the badge writes a level: one decimal, halves up."""
    return level_text(x)


def sum_text(scores: list[float]) -> str:
    """"2 + 3 + 2.5": the scores added, numbers only (the same in every language)."""
    return " + ".join(num(s) for s in scores)
