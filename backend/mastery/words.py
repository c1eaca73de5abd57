"""Numbers and dates in the words families read, the scale's words and colours, and the one
rounding rule for showing a level.

The scale (`LEVEL_WORDS`, `LEVEL_COLORS`) and the display rule (`shown_tenths`) live here
only: `python -m backend.mastery.words_js` writes assets/ui/levels.js from them for the
learner's offline screens, and tests/backend/mastery/test_words_scale.py fails if that file is
stale. This module must stay free of Flask and the database.

**The display rule.** A level is shown at one decimal, halves up (2.95 → 3.0, 2.949999 → 2.9),
and its words, its colour and whether it counts as proficient are all read from that shown
number, never from the unrounded one: a 2.98 reads "3.0 · proficient" and counts towards the
topic, so the number, the words and the counts on one screen never disagree (docs/mastery.md,
"Showing a level"). The arithmetic is integer after one multiplication, so Python and JS give
the same answer bit for bit.
"""

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from backend.i18n import N_

# (lowest shown level, words), highest first. Colour is never the only cue: words are shown.
# The words are English keys (colours are looked up by them); N_ puts them in the catalog,
# and each screen shows them translated: gettext(words) / t(words) (docs/glossary.md).
LEVEL_WORDS = ((4.0, N_("advanced")), (3.0, N_("proficient")), (2.0, N_("developing")),
               (0.0, N_("emerging")))
NOT_ASSESSED = N_("not yet assessed")
# Radix colour of each level's badge; anything else (no level, "not yet: more evidence
# needed", "not counted") is grey.
LEVEL_COLORS = {
    "emerging": "tomato",
    "developing": "amber",
    "proficient": "grass",
    "advanced": "indigo",
    NOT_ASSESSED: "gray",
}
DEFAULT_COLOR = "gray"
# the other words a badge may show (screens show t(words) / gettext(words))
_CATALOG = (N_("not yet: more evidence needed"), N_("not counted"))
PROFICIENT = 3.0  # the scale's own "proficient" (a school's credit rule may set its own bar)

_NANO = 1_000_000_000  # levels are cleaned of binary noise at nine decimals first
_TENTH = _NANO // 10


def shown_tenths(level: float) -> int:
    """A level as a whole number of tenths, rounded halves up: 2.95 → 30, 2.949999 → 29.

    The same steps as `shownTenths` in assets/ui/levels.js: one float multiplication, then
    integers only, so both sides agree on every input.
    """
    nano = math.floor(float(level) * _NANO + 0.5)
    return (nano + _TENTH // 2) // _TENTH


def shown_level(level: float | None) -> float | None:
    """The level a screen shows (one decimal, halves up); None stays None."""
    return None if level is None else shown_tenths(level) / 10


def level_text(level: float | None) -> str:
    """The number on a badge: "3.0", "2.5"; "" for no level."""
    if level is None:
        return ""
    tenths = shown_tenths(level)
    return f"{tenths // 10}.{tenths % 10}"


def level_words(level: float | None) -> str:
    """Plain words for a level, read from the number shown (2.98 shows 3.0: proficient)."""
    if level is None:
        return NOT_ASSESSED
    tenths = shown_tenths(level)
    return next((word for floor, word in LEVEL_WORDS if tenths >= round(floor * 10)),
                LEVEL_WORDS[-1][1])


def raw_level_words(level: float) -> str:
    """The words the unrounded level would have (only to say when the shown number crosses)."""
    return next((word for floor, word in LEVEL_WORDS if level >= floor), LEVEL_WORDS[-1][1])


def level_color(level: float | None) -> str:
    """The badge colour of a level, from its words."""
    return color_of(level_words(level))


def color_of(words: str) -> str:
    """The badge colour of a level's words (grey for anything not on the scale)."""
    return LEVEL_COLORS.get(words, DEFAULT_COLOR)


def reaches(level: float | None, bar: float) -> bool:
    """Does this level count as at `bar` or above? Read from the shown number, as screens are."""
    return level is not None and shown_tenths(level) >= shown_tenths(bar)


SOURCE_WORDS = {"teacher": "teacher", "self": "self-assessment", "peer": "peer assessment"}


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


def day(d: date, locale: str | None = None) -> str:
    """A date in the reader's locale's one date format ("Sep 12, 2025", "12 sept 2025"):
    backend/i18n.py `format_date`, the same as assets/ui/i18n.js `formatDate` on a device."""
    from backend.i18n import format_date  # Babel, no Flask: this module stays pure

    return format_date(d, "date", locale)
