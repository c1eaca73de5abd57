"""The plain sentence that opens "How this level was worked out" (backend/mastery/sentence.py).

tests/vectors/level_sentences.json holds hand-checked cases; the device renders the same data
(tests/js/sentence.test.js), so a family reads the same sentence online and offline.
"""

import json
import re
from pathlib import Path

import pytest

from backend.mastery import METHODS, calculate
from backend.mastery.sentence import render
from backend.mastery.words import level_text

VECTOR = json.loads((Path(__file__).resolve().parents[2] / "vectors" /
                     "level_sentences.json").read_text())
CASES = VECTOR["cases"]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['method']}-{i}" for i, c in enumerate(CASES)])
def test_each_case_chooses_its_sentence_and_reads_as_written(case):
    result = calculate(case["method"], [dict(e) for e in case["events"]], **case["params"])
    assert result["sentence"] == case["sentence"]
    assert level_text(result["level"]) == case["level_text"]
    assert render(result["sentence"]) == case["text"]


def test_every_calculation_method_has_a_case():
    assert {c["method"] for c in CASES} >= set(METHODS)


def test_a_sentence_leaves_no_placeholder_unfilled():
    for case in CASES:
        assert not re.search(r"\{\w+\}", case["text"]), case["text"]


@pytest.mark.parametrize("method", ["mean", "power_law", "true_score"])
def test_the_level_in_the_sentence_is_the_number_on_the_badge(method):
    # 2, 3, 3, 3 → mean 2.75 shows 2.8; the sentence must say 2.8, never 2.75
    events = [{"score": s, "assessed_on": f"2026-10-0{i + 1}", "source": "teacher"}
              for i, s in enumerate([2, 3, 3, 3])]
    result = calculate(method, events)
    assert result["sentence"]["params"]["level"] == level_text(result["level"])
    assert f"at {level_text(result['level'])}" in render(result["sentence"]) or \
        f"average {level_text(result['level'])}" in render(result["sentence"])


def test_dates_are_read_in_the_one_date_format():
    case = next(c for c in CASES if c["method"] == "decaying_average" and
                "earlier_on" in c["sentence"]["params"])
    assert case["sentence"]["params"]["score_on"] == "2026-11-08"
    assert "Nov 8, 2026" in render(case["sentence"])
