"""Numbers and dates in the words families read, and the one rounding rule for levels."""

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

# Same table as backend.services.binder.level_words (a test keeps them equal); copied, not
# imported, because this package must stay free of Flask and the database.
LEVEL_WORDS = ((4.0, "advanced"), (3.0, "proficient"), (2.0, "developing"), (0.0, "emerging"))

SOURCE_WORDS = {"teacher": "teacher", "self": "self-assessment", "peer": "peer assessment"}


def level_words(level: float | None) -> str:
    """Plain words for a level, as learners and families say them."""
    if level is None:
        return "not yet assessed"
    return next(word for floor, word in LEVEL_WORDS if level >= floor)


def _clean(x: float) -> Decimal:
    # 0.35 * 2.5 + 2.6 is 3.4749999… in binary; nine decimals drop that noise so that a
    # hand calculation (3.475 → 3.48) and the machine agree.
    return Decimal(f"{x:.9f}")


def round_2dp(x: float) -> float:
    """Round to 2 decimals, halves up (3.475 → 3.48), as a hand calculation would."""
    return float(_clean(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def round_half_point(x: float) -> float:
    """Round to the nearest half point, quarters up (2.25 → 2.5, 2.24 → 2.0)."""
    return float((_clean(x) * 2).quantize(Decimal("1"), rounding=ROUND_HALF_UP) / 2)


def num(x: float) -> str:
    """A number without trailing zeros: 3, 2.5, 3.5275."""
    if math.isclose(x, round(x)):
        return str(round(x))
    return f"{x:.4f}".rstrip("0").rstrip(".")


def pct(w: float) -> str:
    """A weight as a percentage: 0.65 → 65%."""
    return f"{num(w * 100)}%"


def day(d: date) -> str:
    """A date as families write it: 12 Sep 2025."""
    return f"{d.day} {d:%b %Y}"
