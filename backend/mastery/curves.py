"""Trend lines through scores in order (x = 1, 2, … n): a straight line and a power curve.

Both are ordinary least squares, small enough for the standard library. Each returns its
prediction at every x, so callers can evaluate at x = n and measure the fit's error.
"""

import math

# A power curve a·x^b is fitted on logarithms and log 0 does not exist. A score of 0 is a
# real judgement (not missing work), so it is not dropped: it enters the fit as 0.5, the
# lowest score above zero on the scale. Dropping it instead would let [4, 4, 4, 0] come
# out as 4. The result is still clamped to the learner's real scores.
ZERO_STAND_IN = 0.5


def _least_squares(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Intercept and slope of the least-squares line through (xs, ys)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx if sxx else 0.0
    return my - slope * mx, slope


def linear_fit(scores: list[float]) -> tuple[list[float], float, float]:
    """Predictions of score = c + m·x at x = 1..n, with (c, m)."""
    xs = [float(x) for x in range(1, len(scores) + 1)]
    c, m = _least_squares(xs, scores)
    return [c + m * x for x in xs], c, m


def power_fit(scores: list[float]) -> tuple[list[float], float, float]:
    """Predictions of score = a·x^b at x = 1..n, with (a, b): least squares on logarithms.

    One score gives b = 0 and a = that score; equal scores give the same. Zeros enter as
    ZERO_STAND_IN (see above).
    """
    xs = range(1, len(scores) + 1)
    log_x = [math.log(x) for x in xs]
    log_y = [math.log(max(s, ZERO_STAND_IN)) for s in scores]
    log_a, b = _least_squares(log_x, log_y)
    a = math.exp(log_a)
    return [a * x**b for x in xs], a, b


def clamp(value: float, low: float, high: float) -> float:
    """Keep a fitted value inside [low, high]."""
    return min(max(value, low), high)
