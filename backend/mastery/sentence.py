"""The one plain sentence that opens "How this level was worked out", per calculation method.

Why: a parent should not have to read "0.65 × 2.5 + 0.35 × 2 = 2.325" to learn that recent work
counts most. `plain_sentence` decides WHICH sentence and its values, here only; it returns data,
not text: `{"msgid", "plural"?, "n"?, "params"}`. The msgids are catalog entries (N_ marks them
for extraction); numbers are already written here (scores as halves, levels with the badge's
rule, `level_text`), and dates stay ISO in params whose names end in `_on`, so each reader's side
writes them in its locale's one date format. `render` (Python) and `renderSentence`
(assets/ui/sentence.js, the learner's offline target screen) turn that data into words the same
way; tests/vectors/level_sentences.json holds hand-written cases both test suites check.
"""

from __future__ import annotations

from datetime import date

from backend.i18n import N_, gettext, ngettext
from backend.mastery.events import Event
from backend.mastery.words import day, level_text, num

ONLY_ONE = N_("There is only one score so far: the {score} on {score_on}.")
NONE_YET = N_("There is no level yet: no score counts so far.")
# plural pairs: N_(one, other), rendered with ngettext (n is never 1 in English here, but
# other languages choose among their own forms)
ALL_EQUAL = N_("The only score, {score}, is the level.",
               "All {n} scores are {score}, so that is the level.")
SENTENCES = {
    "most_recent": N_("The most recent work is what counts: the {score} on {score_on} "
                      "replaces the {earlier} from {earlier_on}."),
    "highest": N_("The best work counts: the {score} on {score_on} is the highest score.",
                  "The best work counts: the {score} on {score_on} is the highest of {n} "
                  "scores."),
    "mean": N_("Every score counts the same: the {n} score averages {level}.",
               "Every score counts the same: the {n} scores average {level}."),
    "decaying_average": N_("The most recent work counts most: the {score} on {score_on} "
                           "outweighs the {earlier} from {earlier_on}."),
    # the latest equals the one before: nothing is outweighed, the recent work confirms it
    "decaying_same": N_("The most recent work counts most: the {score} on {score_on} "
                        "confirms the {earlier} from {earlier_on}."),
    "weighted_average": N_("The most recent work counts most: the {score} on {score_on} "
                           "counts {weight}%, and the earlier scores together {rest}%."),
    "n_mastery": (N_("The level is the average of the scores at {threshold} or above "
                     "(reached: {count}; needed: {n}).",
                     "The level is the average of the scores at {threshold} or above "
                     "(reached: {count}; needed: {n})."),
                  N_("Not yet a level: one score at {threshold} or above is needed "
                     "(so far: {count}).",
                     "Not yet a level: {n} scores at {threshold} or above are needed "
                     "(so far: {count}).")),
    "power_law": N_("The learning curve counts: drawn through the {n} score in order, it is "
                    "at {level} now.",
                    "The learning curve counts: drawn through the {n} scores in order, it is "
                    "at {level} now."),
    "true_score": N_("The trend counts: of three ways of reading the {n} score, the closest "
                     "one puts the level at {level}, to the nearest half point.",
                     "The trend counts: of three ways of reading the {n} scores, the closest "
                     "one puts the level at {level}, to the nearest half point."),
}


def _one(msgid: str, **params) -> dict:
    return {"msgid": msgid, "params": params}


def _many(forms: tuple[str, str], n: int, **params) -> dict:
    return {"msgid": forms[0], "plural": forms[1], "n": n, "params": params}


def _iso(d: date) -> str:
    return d.isoformat()


def plain_sentence(method: str, counted: list[Event], level: float | None,
                   params: dict) -> dict:
    """Which sentence explains this level, with its values (see the module docstring)."""
    if not counted:
        return _one(NONE_YET)
    last = counted[-1]
    if method == "n_mastery":
        meeting = sum(1 for e in counted if e.score >= params["threshold"])
        met, not_yet = SENTENCES["n_mastery"]
        return _many(met if level is not None else not_yet, params["n"], count=meeting,
                     threshold=num(params["threshold"]))
    if len(counted) == 1:
        return _one(ONLY_ONE, score=num(last.score), score_on=_iso(last.assessed_on))
    if method in ("power_law", "true_score") and len({e.score for e in counted}) == 1:
        return _many(ALL_EQUAL, len(counted), score=num(last.score))
    earlier = counted[-2]
    if method in ("most_recent", "decaying_average"):
        same = method == "decaying_average" and last.score == earlier.score
        return _one(SENTENCES["decaying_same" if same else method], score=num(last.score),
                    score_on=_iso(last.assessed_on), earlier=num(earlier.score),
                    earlier_on=_iso(earlier.assessed_on))
    if method == "highest":
        top = max(range(len(counted)), key=lambda i: (counted[i].score, i))
        return _many(SENTENCES["highest"], len(counted), score=num(counted[top].score),
                     score_on=_iso(counted[top].assessed_on))
    if method == "weighted_average":
        return _one(SENTENCES[method], score=num(last.score), score_on=_iso(last.assessed_on),
                    weight=num(params["weight"]), rest=num(100 - params["weight"]))
    return _many(SENTENCES[method], len(counted), level=level_text(level))


def _param(key: str, value, locale: str | None):
    if key.endswith("_on"):
        return day(date.fromisoformat(value), locale)
    if key.endswith("_label"):  # a msgid itself: a method's name, a level's words
        return gettext(value, locale=locale)
    return value


def render(sentence: dict, locale: str | None = None) -> str:
    """The sentence (or a step, backend/mastery/steps.py) in `locale`'s words: dates (params
    ending `_on`) in its one date format, msgids (params ending `_label`) translated."""
    params = {k: _param(k, v, locale) for k, v in sentence["params"].items()}
    if "plural" in sentence:
        return ngettext(sentence["msgid"], sentence["plural"], sentence["n"], locale=locale,
                        **params)
    return gettext(sentence["msgid"], locale=locale, **params)
