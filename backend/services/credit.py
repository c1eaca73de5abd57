"""Credit rules: when a measurement topic counts as complete, and what still stands in the way.

Pure, like backend.mastery: the caller passes each learning target's current level (from
`backend.mastery.calculate`) and the rule from the school's or the topic's settings.

Rules (`rule["kind"]`):

* `"percent"` (default): at least `percent`% of the topic's targets at `proficient` (3.0)
  or above, and every target at `floor` (2.0) or above. Defaults: 80, 3.0, 2.0.
  "At least" includes the boundary: 4 of 5 targets is exactly 80% and meets the rule.
* `"m_of_n"`: at least `m` of the topic's targets at `proficient` or above (no floor
  unless `floor` is given).

A topic with no learning targets is never complete: there is nothing to show, and an
empty topic silently granting credit would be worse than one that asks for targets.
A target with no level yet counts as below every bar.
"""

from fractions import Fraction
from typing import Any

from backend.mastery import MasteryError, level_words
from backend.mastery.words import num, reaches

DEFAULT_RULE = {"kind": "percent", "percent": 80, "proficient": 3.0, "floor": 2.0}


def _level(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 4:
        raise MasteryError(f"{where}: a level must be a number from 0 to 4, got {value!r}")
    return float(value)


def check_rule(rule: dict | None) -> dict:
    """The rule with defaults filled in; MasteryError if it cannot be applied."""
    rule = dict(rule or DEFAULT_RULE)
    kind = rule.get("kind", "percent")
    allowed = {
        "percent": {"kind", "percent", "proficient", "floor"},
        "m_of_n": {"kind", "m", "proficient", "floor"},
    }
    if kind not in allowed:
        raise MasteryError(f"unknown credit rule {kind!r}; choose percent or m_of_n")
    unknown = sorted(set(rule) - allowed[kind])
    if unknown:
        raise MasteryError(f"the {kind} credit rule does not take {', '.join(unknown)}")
    out = {"kind": kind, "proficient": _level(rule.get("proficient", 3.0), "proficient")}
    floor = rule.get("floor", 2.0 if kind == "percent" else None)
    out["floor"] = _level(floor, "floor")
    if out["proficient"] is None:
        raise MasteryError("proficient must be a level from 0 to 4")
    if kind == "percent":
        p = rule.get("percent", 80)
        if isinstance(p, bool) or not isinstance(p, int | float) or not 0 < p <= 100:
            raise MasteryError(f"percent must be above 0 and at most 100, got {p!r}")
        out["percent"] = p
    else:
        m = rule.get("m")
        if isinstance(m, bool) or not isinstance(m, int) or m < 1:
            raise MasteryError(f"m must be a whole number of targets, at least 1, got {m!r}")
        out["m"] = m
    return out


def _rule_words(rule: dict) -> str:
    bar = num(rule["proficient"])
    if rule["kind"] == "percent":
        words = f"at least {num(rule['percent'])}% of the targets at {bar} or above"
    else:
        words = f"at least {rule['m']} of the targets at {bar} or above"
    if rule["floor"] is not None:
        words += f", and every target at {num(rule['floor'])} or above"
    return words


def _now(level: float | None) -> str:
    return "not assessed yet" if level is None else f"now {num(level)} ({level_words(level)})"


def _names(rows: list[dict]) -> str:
    return ", ".join(str(r.get("code") or r.get("title") or r.get("id")) for r in rows)


def evaluate_credit(targets: list[dict], rule: dict | None = None) -> dict:
    """Whether a measurement topic is complete, and which targets stand in the way.

    `targets`: one dict per learning target of the topic with `id`, `level` (float or
    None) and optionally `code` and `title`. Returns `is_met`, the rule in words,
    the counts, and `blocking`: the targets still short, each with what is missing.
    """
    rule = check_rule(rule)
    bar, floor = rule["proficient"], rule["floor"]
    rows = [
        {k: t.get(k) for k in ("id", "code", "title")}
        | {"level": _level(t.get("level"), f"target {t.get('id')}")}
        for t in targets
    ]
    count = len(rows)
    # read from the number shown (one decimal, halves up), as every screen reads it: a 2.98
    # shows "3.0 · proficient" and counts (docs/mastery.md, "Showing a level")
    proficient = [r for r in rows if reaches(r["level"], bar)]
    if rule["kind"] == "percent":
        needed = -(-Fraction(rule["percent"]) * count // 100)  # ceiling: 80% of 5 = 4
    else:
        needed = rule["m"]
    short = max(int(needed) - len(proficient), 0)

    blocking = []
    for r in rows:
        below_floor = floor is not None and not reaches(r["level"], floor)
        below_bar = not reaches(r["level"], bar)
        if below_floor:
            missing = (
                f"needs at least {num(floor)} ({level_words(floor)}), which every target "
                f"must reach; {_now(r['level'])}"
            )
        elif below_bar and short:
            missing = f"needs {num(bar)} to count as proficient; {_now(r['level'])}"
        else:
            continue
        blocking.append(r | {"missing": missing, "is_required": below_floor})

    explanation = [f"To complete this topic: {_rule_words(rule)}."]
    if count == 0:
        explanation.append("This topic has no learning targets yet, so it cannot be completed.")
    else:
        explanation.append(
            f"{len(proficient)} of {count} targets are at {num(bar)} or above "
            f"({int(needed)} needed)."
        )
    if short and count:
        candidates = count - len(proficient)
        which = f"any {short} of these {candidates}" if short < candidates else "these"
        explanation.append(f"{short} more to reach {num(bar)} — {which}: {_names(blocking)}.")
    if needed > count and count:
        explanation.append(
            f"The rule asks for {int(needed)} but the topic has only {count} targets."
        )
    required = sum(1 for b in blocking if b["is_required"])
    if required:
        explanation.append(
            f"{required} target{'s' if required > 1 else ''} must first reach {num(floor)}."
        )
    is_met = count > 0 and short == 0 and required == 0
    explanation.append("Complete." if is_met else "Not complete yet.")
    return {
        "is_met": is_met,
        "rule": rule,
        "rule_words": _rule_words(rule),
        "target_count": count,
        "proficient_count": len(proficient),
        "proficient_needed": int(needed),
        "more_needed": short,
        "blocking": blocking,
        "explanation": explanation,
    }
