"""Credit rules for a measurement topic: when it is complete, and what stands in the way."""

import pytest

from backend.mastery import MasteryError
from backend.services.credit import evaluate_credit


def targets(*levels):
    return [{"id": i, "code": f"M5.{i}", "level": lv} for i, lv in enumerate(levels, 1)]


def codes(result):
    return [b["code"] for b in result["blocking"]]


def test_no_targets_is_never_complete():
    """An empty topic grants nothing: not met, and it says why."""
    result = evaluate_credit([])
    assert result["is_met"] is False
    assert result["blocking"] == []
    assert "no learning targets yet" in " ".join(result["explanation"])


def test_exactly_80_percent_meets_the_rule():
    """4 of 5 at ≥ 3.0 is exactly 80%; the fifth at 2.5 ≥ 2.0 → met, nothing blocking."""
    result = evaluate_credit(targets(3, 3.5, 4, 3, 2.5))
    assert result["is_met"] is True
    assert result["proficient_needed"] == 4
    assert result["blocking"] == []


def test_just_under_80_percent():
    """3 of 5 = 60%: one more needed; both 2.5s are listed, either would do."""
    result = evaluate_credit(targets(3, 3, 3, 2.5, 2.5))
    assert result["is_met"] is False
    assert result["more_needed"] == 1
    assert codes(result) == ["M5.4", "M5.5"]
    assert "1 more to reach 3 — any 1 of these 2: M5.4, M5.5." in result["explanation"]
    assert result["blocking"][0]["missing"] == (
        "needs 3 to count as proficient; now 2.5 (developing)"
    )


def test_needed_rounds_up():
    """80% of 3 targets is 2.4, so 3 are needed (at least 80%): 2 of 3 is not enough."""
    assert evaluate_credit(targets(3, 3, 2))["proficient_needed"] == 3
    assert evaluate_credit(targets(3, 3, 2))["is_met"] is False


def test_a_target_below_2_blocks_even_at_100_percent_otherwise():
    """9 of 10 at 3+ (90% ≥ 80%) but one at 1.5 < 2.0: not met, that one target blocks."""
    result = evaluate_credit(targets(*[3] * 9, 1.5))
    assert result["is_met"] is False
    assert codes(result) == ["M5.10"]
    blocker = result["blocking"][0]
    assert blocker["is_required"] is True
    assert blocker["missing"] == (
        "needs at least 2 (developing), which every target must reach; now 1.5 (emerging)"
    )


def test_a_target_not_assessed_blocks():
    result = evaluate_credit(targets(3, 3, 3, 3, None))
    assert result["is_met"] is False
    assert result["blocking"][0]["missing"].endswith("not assessed yet")


def test_m_of_n():
    """2 of 4 proficient: met with 3.0 and 3.5, even though one target is at 1 (no floor)."""
    rule = {"kind": "m_of_n", "m": 2}
    assert evaluate_credit(targets(3, 3.5, 1, None), rule)["is_met"] is True
    short = evaluate_credit(targets(3, 2.5, 1, None), rule)
    assert short["is_met"] is False
    assert codes(short) == ["M5.2", "M5.3", "M5.4"]


def test_m_of_n_with_floor_and_more_than_the_topic_holds():
    assert (
        evaluate_credit(targets(3, 3, 1.5), {"kind": "m_of_n", "m": 2, "floor": 2})["is_met"]
        is False
    )
    result = evaluate_credit(targets(3, 3), {"kind": "m_of_n", "m": 3})
    assert result["is_met"] is False
    assert "The rule asks for 3 but the topic has only 2 targets." in result["explanation"]


def test_custom_percent_and_bar():
    """100% at ≥ 2.5: [2.5, 3] met; [2.5, 2] not."""
    rule = {"percent": 100, "proficient": 2.5, "floor": None}
    assert evaluate_credit(targets(2.5, 3), rule)["is_met"] is True
    assert evaluate_credit(targets(2.5, 2), rule)["is_met"] is False


def test_rule_in_words():
    assert evaluate_credit(targets(3))["rule_words"] == (
        "at least 80% of the targets at 3 or above, and every target at 2 or above"
    )


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"kind": "most"}, "unknown credit rule"),
        ({"percent": 0}, "percent must be above 0"),
        ({"percent": 120}, "percent must be above 0"),
        ({"kind": "m_of_n"}, "m must be a whole number"),
        ({"kind": "m_of_n", "m": 0}, "m must be a whole number"),
        ({"kind": "m_of_n", "m": 2, "percent": 80}, "does not take percent"),
        ({"proficient": 5}, "a level must be a number from 0 to 4"),
    ],
)
def test_bad_rules(rule, message):
    with pytest.raises(MasteryError, match=message):
        evaluate_credit(targets(3), rule)


def test_bad_target_level():
    with pytest.raises(MasteryError, match="target 1: a level must be"):
        evaluate_credit([{"id": 1, "level": "3"}])
