"""The one level scale (backend/mastery/words.py): the number shown and the words shown always
agree, counts follow the number shown, the JS copy is generated and current, and no other copy
of the table is left in the code."""

import json
import re
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from backend.mastery.words import (
    LEVEL_COLORS,
    LEVEL_WORDS,
    level_color,
    level_text,
    level_words,
    reaches,
    shown_level,
)
from backend.mastery.words_js import JS_PATH, render_js
from backend.services.credit import evaluate_credit

ROOT = Path(__file__).resolve().parents[3]
VECTOR = json.loads((ROOT / "tests" / "vectors" / "level_display.json").read_text())
SAMPLES = [level for level, _, _ in VECTOR["cases"]]


def words_of_number(text: str) -> str:
    """What a reader of the scale says for a number on the screen (3.0 means proficient)."""
    shown = Decimal(text)
    return next(word for floor, word in LEVEL_WORDS if shown >= Decimal(str(floor)))


levels = st.one_of(
    st.floats(min_value=0, max_value=4, allow_nan=False),
    st.integers(0, 400).map(lambda n: n / 100),  # what calculate() returns: 2 decimals
    st.integers(0, 8).map(lambda n: n / 2),  # scores: half points
    st.sampled_from(SAMPLES),
)


@given(levels)
@example(2.949999)
@example(2.95)
@example(2.98)
@example(3.96)
@example(3.999)
def test_the_number_shown_and_the_words_shown_agree(level):
    text = level_text(level)
    assert re.fullmatch(r"[0-4]\.\d", text)
    assert level_words(level) == words_of_number(text)
    assert level_color(level) == LEVEL_COLORS[words_of_number(text)]
    assert float(text) == shown_level(level)
    assert abs(float(text) - level) <= 0.05 + 1e-9
    # a level counts as proficient exactly when the number shown is 3.0 or more
    assert reaches(level, 3.0) == (Decimal(text) >= 3)


@given(st.integers(0, 400))
def test_two_decimal_levels_round_halves_up(hundredths):
    level = hundredths / 100
    expected = (Decimal(hundredths) / 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert level_text(level) == str(expected)


def test_the_vector_cases_worked_out_by_hand():
    for level, text, words in VECTOR["cases"]:
        assert (level_text(level), level_words(level)) == (text, words), level


def test_no_level_reads_not_yet_assessed():
    assert (level_text(None), level_words(None), level_color(None)) == (
        "", "not yet assessed", "gray")


def test_a_topic_counts_what_it_shows():
    """A 2.98 shows "3.0 · proficient", so the topic counts it; a 2.94 shows 2.9 and does not."""
    targets = [{"id": i, "level": lv} for i, lv in enumerate([2.98, 2.95, 3.0, 3.96, 2.94])]
    credit = evaluate_credit(targets, {"kind": "percent", "percent": 100, "proficient": 3.0,
                                       "floor": 2.0})
    assert credit["proficient_count"] == 4
    assert [b["id"] for b in credit["blocking"]] == [4]
    # the floor too: a 1.95 shows 2.0 (developing) and meets a floor of 2
    floor = evaluate_credit([{"id": 1, "level": 1.95}], {"kind": "m_of_n", "m": 1,
                                                         "proficient": 1.5, "floor": 2.0})
    assert floor["is_met"] and floor["blocking"] == []


def test_the_js_table_is_generated_and_current():
    assert JS_PATH.read_text(encoding="utf-8") == render_js(), (
        "assets/ui/levels.js is stale: run `python -m backend.mastery.words_js`")


# the table or its colours written out again, or a level rounded on its own (a scale level,
# a whole-number setting of the target, may keep its own formatting)
COPIES = re.compile(r'"advanced"\]|\(4\.0, "advanced"\)|emerging: "tomato"|"emerging": "tomato"|'
                    r'(?<!scale_)level[^\n]*(:\.1f\}|\.toFixed\(1\))')
HOME = {"backend/mastery/words.py", "backend/mastery/words_js.py", "assets/ui/levels.js"}


def test_no_other_copy_of_the_table_or_the_rounding():
    """The four old copies (binder.py, teacher_views.py, views.js, views.py's colours) are gone,
    and no screen rounds a level on its own with .1f / toFixed(1)."""
    files = subprocess.run(
        ["git", "ls-files", "backend", "app", "assets/ui", "assets/sync", "sync"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    found = []
    for name in files:
        if name in HOME or not name.endswith((".py", ".js")):
            continue
        for n, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), 1):
            if COPIES.search(line):
                found.append(f"{name}:{n}: {line.strip()}")
    assert not found, "copies of the level scale or its rounding:\n" + "\n".join(found)


def test_the_next_target_skips_one_shown_as_proficient():
    """A learner's "next target" is the first one not yet shown at the bar: never a 2.98."""
    from types import SimpleNamespace

    from backend.services.recommendations import _next_target

    targets = [SimpleNamespace(id=i, scale_level=3.0, position=i) for i in range(3)]
    topic = SimpleNamespace(targets=targets)
    levels = {0: {"level": 2.98}, 1: {"level": 2.94}, 2: {"level": None}}
    assert _next_target(topic, levels, 3.0).id == 1
