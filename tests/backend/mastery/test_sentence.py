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


@pytest.mark.parametrize("case", CASES, ids=[f"{c['method']}-{i}" for i, c in enumerate(CASES)])
def test_each_case_has_its_steps_as_data_and_reads_as_written(case):
    # the steps behind "Show the math" (backend/mastery/steps.py): data both sides render
    result = calculate(case["method"], [dict(e) for e in case["events"]], **case["params"])
    assert result["steps"] == case["steps"]
    assert [render(s) for s in result["steps"]] == case["steps_text"]
    assert result["explanation"] == case["steps_text"]  # the English steps for exports
    assert not any(re.search(r"\{\w+\}", line) for line in case["steps_text"])


def test_every_worked_out_value_in_the_steps_is_written_as_the_badge_writes_it():
    # 2, 3, 2.5 decaying: 2.65 then 2.5525 — the math says 2.7 and 2.6, never 2.5525
    case = next(c for c in CASES if c["method"] == "decaying_average" and len(c["events"]) == 3)
    text = " ".join(case["steps_text"])
    assert "= 2.7." in text and "= 2.6." in text and "Level: 2.6 (developing)." in text
    assert not re.search(r"\d\.\d\d", text.replace("0.65", "").replace("0.35", "")
                         .replace("12.25", "").replace("22.75", ""))


def test_the_steps_read_in_spanish_with_spanish_dates_and_level_words():
    case = next(c for c in CASES if c["method"] == "decaying_average" and len(c["events"]) == 3)
    spanish = [render(s, "es") for s in case["steps"]]
    assert spanish[0] == "Método: Promedio decreciente (el trabajo más reciente cuenta más) " \
                         "(peso 65 %)."
    assert spanish[4] == "Se empieza por la calificación más antigua: 2 el 22 oct 2026."
    assert spanish[-1] == "Nivel: 2.6 (en desarrollo)."
    # every step is in the catalog: none reads as its English self
    assert all(es != en for es, en in zip(spanish, case["steps_text"], strict=True))


@pytest.mark.parametrize("locale", ["es", "ar", "vi", "zh-Hans"])
def test_every_step_of_every_case_is_translated(locale):
    for case in CASES:
        for step, english in zip(case["steps"], case["steps_text"], strict=True):
            text = render(step, locale)
            assert text != english, (locale, english)
            assert not re.search(r"\{\w+\}", text), (locale, text)
