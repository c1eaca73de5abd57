"""Each calculation method against worked examples derived by hand from its definition."""

import pytest

from backend.mastery import calculate
from backend.mastery.words import round_2dp, round_half_point

from .helpers import series


def level(method, *scores, **params):
    return calculate(method, series(*scores), **params)["level"]


def test_most_recent():
    """Canvas "Most Recent Score": [3, 4, 2.5] → the last one assessed, 2.5."""
    assert level("most_recent", 3, 4, 2.5) == 2.5


def test_highest():
    """Canvas "Highest Score": [2, 3.5, 3] → 3.5."""
    assert level("highest", 2, 3.5, 3) == 3.5


def test_mean():
    """Average: [2, 3, 3.5] → (2 + 3 + 3.5) / 3 = 8.5 / 3 = 2.8333… → 2.83."""
    assert level("mean", 2, 3, 3.5) == 2.83


def test_decaying_average_default_weight():
    """Canvas decaying average, w = 0.65, over [2, 3, 4]:
    start 2 → 0.65·3 + 0.35·2 = 1.95 + 0.70 = 2.65
           → 0.65·4 + 0.35·2.65 = 2.60 + 0.9275 = 3.5275 → 3.53.
    Effective weights: 2 → 0.35² = 0.1225, 3 → 0.65·0.35 = 0.2275, 4 → 0.65.
    """
    result = calculate("decaying_average", series(2, 3, 4))
    assert result["level"] == 3.53
    assert [c["weight"] for c in result["counted"]] == [0.1225, 0.2275, 0.65]
    # worked-out values are written as the badge writes a level: 2.65 → 2.7, 3.5275 → 3.5
    assert "0.65 × 4 + 0.35 × 2.7 = 3.5." in " ".join(result["explanation"])


def test_jumprope_rolling_average_is_decaying_average_75():
    """JumpRope rolling average = decaying average with w = 0.75, over [1, 3, 2]:
    start 1 → 0.75·3 + 0.25·1 = 2.25 + 0.25 = 2.5
           → 0.75·2 + 0.25·2.5 = 1.5 + 0.625 = 2.125 → 2.13 (halves round up).
    """
    assert level("decaying_average", 1, 3, 2, weight=75) == 2.13


def test_weighted_average():
    """Canvas's older weighted average, w = 0.65, over [2, 3, 4]:
    earlier mean (2 + 3) / 2 = 2.5; 0.65·4 + 0.35·2.5 = 2.6 + 0.875 = 3.475 → 3.48.
    """
    assert level("weighted_average", 2, 3, 4) == 3.48


def test_weighted_average_differs_from_decaying():
    """Same scores [4, 1, 3], w = 0.5:
    weighted: 0.5·3 + 0.5·mean(4, 1) = 1.5 + 1.25 = 2.75;
    decaying: 4 → 0.5·1 + 0.5·4 = 2.5 → 0.5·3 + 0.5·2.5 = 2.75 — equal here by chance, so
    take [4, 1, 3, 2]: weighted 0.5·2 + 0.5·(8/3) = 1 + 1.3333 = 2.3333 → 2.33;
    decaying … 2.75 → 0.5·2 + 0.5·2.75 = 2.375 → 2.38.
    """
    assert level("weighted_average", 4, 1, 3, 2, weight=50) == 2.33
    assert level("decaying_average", 4, 1, 3, 2, weight=50) == 2.38


def test_n_mastery_met():
    """n = 3 at 3.0 over [3, 2, 4, 3.5]: 3, 4, 3.5 reach 3 → mean 10.5 / 3 = 3.5."""
    result = calculate("n_mastery", series(3, 2, 4, 3.5))
    assert result["level"] == 3.5
    assert [c["weight"] for c in result["counted"]] == [pytest.approx(1 / 3), 0.0] + [
        pytest.approx(1 / 3)
    ] * 2


def test_n_mastery_not_yet():
    """n = 3 at 3.0 over [3, 4, 2.5]: only 2 reach 3 → no level yet (not a low level)."""
    result = calculate("n_mastery", series(3, 4, 2.5))
    assert result["level"] is None
    assert result["level_words"] == "not yet: more evidence needed"


def test_n_mastery_custom():
    """n = 2 at 2.5 over [2.5, 1, 2.5]: two reach 2.5 → mean 2.5."""
    assert level("n_mastery", 2.5, 1, 2.5, n=2, threshold=2.5) == 2.5


def test_power_law_exact_curve():
    """[1, 2, 3, 4] lies on score = 1·x¹ exactly: the fit is a = 1, b = 1; at x = 4 → 4."""
    assert level("power_law", 1, 2, 3, 4) == 4.0


def test_power_law_worked():
    """Least squares on logs over [2, 2, 4] at x = 1, 2, 3:
    ln x = 0, 0.693147, 1.098612 (mean 0.597253);
    ln y = 0.693147, 0.693147, 1.386294 (mean 0.924196).
    Sxy = (−0.597253)(−0.231049) + (0.095894)(−0.231049) + (0.501359)(0.462098) = 0.347517
    Sxx = 0.356711 + 0.009196 + 0.251361 = 0.617268
    b = 0.347517 / 0.617268 = 0.562993; ln a = 0.924196 − b·0.597253 = 0.587949
    at x = 3: ln y = 0.587949 + b·1.098612 = 1.206461 → y = e^1.206461 = 3.3416 → 3.34.
    """
    assert level("power_law", 2, 2, 4) == 3.34


def test_power_law_edge_cases():
    """One score → that score; all equal → that value; a fit above every real score is
    brought back to the highest real score; zeros enter as 0.5 (and all zeros → 0).
    [1, 3, 3.5, 4]: the log fit at x = 4 is ≈ 4.62 → kept at 4.
    [4, 4, 4, 0]: with the 0 fitted as 0.5, b = −1.135 and at x = 4 the curve is ≈ 1.22.
    """
    assert level("power_law", 2.5) == 2.5
    assert level("power_law", 3, 3, 3) == 3.0
    assert level("power_law", 0, 0) == 0.0
    assert level("power_law", 1, 3, 3.5, 4) == 4.0
    assert level("power_law", 4, 4, 4, 0) == pytest.approx(1.22, abs=0.01)


def test_true_score_picks_the_best_fitting_model():
    """[2, 2, 4] (Empower: least total difference between the model and the scores):
    average 8/3 = 2.6667: off by 0.6667 + 0.6667 + 1.3333 = 2.6667;
    line: slope = Σ(x−2)(y−2.6667)/Σ(x−2)² = (0.6667 + 0 + 1.3333) / 2 = 1,
          intercept 2.6667 − 2 = 0.6667 → 1.6667, 2.6667, 3.6667: off by 1.3333;
    power curve (see test_power_law_worked): 1.8003, 2.6596, 3.3416: off by ≈ 1.5177.
    The line wins: 3.6667 → nearest half point 3.5.
    """
    result = calculate("true_score", series(2, 2, 4))
    assert result["level"] == 3.5
    assert "A straight line fits best: 3.7." in result["explanation"]


def test_true_score_no_trend_takes_the_average():
    """[3, 1, 3]: average 7/3 = 2.3333, off by 0.6667 + 1.3333 + 0.6667 = 2.6667;
    line: Σ(x−2)(y−2.3333) = −0.6667 + 0 + 0.6667 = 0 → slope 0: the same as the average,
    off by 2.6667 (a tie: the simpler reading, the average, wins);
    power curve on logs: ln y = 1.0986, 0, 1.0986 (mean 0.7324),
    Sxy = (−0.5973)(0.3662) + (0.0959)(−0.7324) + (0.5014)(0.3662) = −0.10535,
    b = −0.10535 / 0.61727 = −0.17067, ln a = 0.7324 + 0.17067·0.5973 = 0.83434
    → 2.3033, 2.0463, 1.9095, off by 0.6967 + 1.0463 + 1.0905 = 2.8335 (worse).
    The average, 2.3333 → nearest half point 2.5.
    """
    result = calculate("true_score", series(3, 1, 3))
    assert result["level"] == 2.5
    assert "The average fits best: 2.3." in result["explanation"]


def test_true_score_ties_go_to_the_simplest_model():
    """All equal [2.5, 2.5, 2.5]: every model is exact → 2.5."""
    result = calculate("true_score", series(2.5, 2.5, 2.5))
    assert result["level"] == 2.5


def test_true_score_two_scores_read_the_latest():
    """[2, 2.5]: a line through two points is exact (error 0) and reads 2.5 at x = 2."""
    assert level("true_score", 2, 2.5) == 2.5


def test_rounding_is_half_up():
    """2 decimals: 3.475 → 3.48, 2.125 → 2.13; half points: 2.25 → 2.5, 2.24 → 2, 3.75 → 4."""
    assert [round_2dp(x) for x in (3.475, 2.125, 0.35 * 2.5 + 2.6)] == [3.48, 2.13, 3.48]
    assert [round_half_point(x) for x in (2.25, 2.24, 3.75, 3.7)] == [2.5, 2.0, 4.0, 3.5]


@pytest.mark.parametrize(
    "method",
    [
        "most_recent",
        "highest",
        "mean",
        "decaying_average",
        "weighted_average",
        "power_law",
        "true_score",
    ],
)
def test_one_score_is_that_score(method):
    """With one counted score every method returns it (n_mastery: n = 1)."""
    assert level(method, 2.5) == 2.5
    assert level("n_mastery", 3.5, n=1) == 3.5


def test_result_shape():
    """The keys a UI needs, with plain-words labels."""
    result = calculate("decaying_average", series(2, 3))
    assert set(result) >= {
        "method",
        "method_label",
        "params",
        "level",
        "level_words",
        "explanation",
        "counted",
        "skipped",
    }
    assert result["method_label"] == "Decaying average (recent work counts most)"
    assert result["params"] == {"weight": 65, "count_sources": ["teacher"]}
    assert result["counted"][0] == {
        "score": 2.0,
        "assessed_on": "2025-09-01",
        "entered_at": None,
        "source": "teacher",
        "position": 1,
        "weight": 0.35,
    }
