"""Formative rules (what counts, in which order) and bad input."""

import pytest

from backend.mastery import METHODS, MasteryError, calculate

from .helpers import ev, series


def test_missing_work_is_not_a_zero():
    """[3, missing, 3] averages to 3, not (3 + 0 + 3) / 3 = 2."""
    result = calculate("mean", [ev(3, 0), ev(None, 1), ev(3, 2)])
    assert result["level"] == 3.0
    assert result["skipped"] == [
        {
            "score": None,
            "assessed_on": "2025-09-02",
            "entered_at": None,
            "source": "teacher",
            "reason": "missing/excused: not a zero",
        }
    ]


def test_a_zero_is_a_real_score():
    """A teacher's 0 ("even with help, no success") is counted: [3, 0] → mean 1.5."""
    assert calculate("mean", series(3, 0))["level"] == 1.5


def test_self_and_peer_shown_not_counted_by_default():
    """Self 4 and peer 4 are listed as skipped; the teacher's 2 alone makes the level."""
    result = calculate("mean", [ev(2, 0), ev(4, 1, source="self"), ev(4, 2, source="peer")])
    assert result["level"] == 2.0
    assert [s["reason"] for s in result["skipped"]] == [
        "self-assessment: shown, not counted",
        "peer assessment: shown, not counted",
    ]


def test_school_can_count_self_assessment():
    """count_sources=("teacher", "self"): (2 + 4) / 2 = 3; peer still skipped."""
    events = [ev(2, 0), ev(4, 1, source="self"), ev(4, 2, source="peer")]
    result = calculate("mean", events, count_sources=("teacher", "self"))
    assert result["level"] == 3.0
    assert len(result["skipped"]) == 1


def test_do_over_is_a_new_event_not_averaged_away():
    """A re-assessment on a later day is one more event: most recent 3.5 after a 2, and the
    decaying average moves toward it (2 → 0.65·3.5 + 0.35·2 = 2.275 + 0.7 = 2.975 → 2.98)."""
    events = [ev(2, 0, id="first"), ev(3.5, 5, id="do-over")]
    assert calculate("most_recent", events)["level"] == 3.5
    assert calculate("decaying_average", events)["level"] == 2.98
    assert len(calculate("mean", events)["counted"]) == 2


def test_order_is_date_assessed_not_date_entered():
    """Entered late (back-dated), the 1 assessed on day 0 is the oldest: most recent is 3."""
    events = [
        ev(3, 5, entered_at="2025-09-06T09:00:00"),
        ev(1, 0, entered_at="2025-09-20T09:00:00"),
    ]
    assert calculate("most_recent", events)["level"] == 3.0
    assert [c["score"] for c in calculate("mean", events)["counted"]] == [1.0, 3.0]


def test_same_day_ties_broken_by_entered_at_then_id_then_score():
    """Same date: the later entry is more recent; without entry times, the larger id; then the
    higher score (documented stable key, so database row order never matters)."""
    by_time = [
        ev(2, 0, entered_at="2025-09-01T15:00:00+00:00"),
        ev(4, 0, entered_at="2025-09-01T09:00:00+00:00"),
    ]
    assert calculate("most_recent", by_time)["level"] == 2.0
    by_id = [ev(2, 0, id="b"), ev(4, 0, id="a")]
    assert calculate("most_recent", by_id)["level"] == 2.0
    by_score = [ev(4, 0), ev(2, 0)]
    assert calculate("most_recent", by_score)["level"] == 4.0
    no_time_first = [ev(2, 0, entered_at="2025-09-01T08:00:00"), ev(4, 0)]
    assert calculate("most_recent", no_time_first)["level"] == 2.0


def test_entered_at_accepts_datetimes_and_offsets():
    """ISO strings with and without offsets and datetime objects compare on one clock
    (naive = UTC): 10:00+02:00 is 08:00 UTC, before 09:00 UTC."""
    from datetime import datetime

    events = [
        ev(4, 0, entered_at="2025-09-01T10:00:00+02:00"),
        ev(2, 0, entered_at=datetime(2025, 9, 1, 9, 0)),
    ]
    assert calculate("most_recent", events)["level"] == 2.0


def test_no_counted_events_gives_no_level():
    result = calculate("decaying_average", [ev(None, 0), ev(3, 1, source="self")])
    assert result["level"] is None
    assert result["level_words"] == "not yet assessed"
    assert result["counted"] == []
    assert calculate("mean", [])["level"] is None


def test_level_words_come_from_the_shown_level():
    """One table (backend/mastery/words.py; tests/backend/mastery/test_words_scale.py keeps the
    copies gone): the words of a result are the words of its number at one decimal."""
    assert calculate("mean", series(2, 2.5))["level_words"] == "developing"
    result = calculate("mean", series(3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2.5))  # 2.958…
    assert result["level"] == 2.96
    assert result["level_words"] == "proficient"
    # the math writes every worked-out value as the badge shows a level (backend/mastery/
    # steps.py), never "2.9583" or "2.96" beside a 3.0 badge
    assert result["explanation"][-2:] == [
        "All 12 scores count the same: (3 + 3 + 3 + 3 + 3 + 3 + 3 + 3 + 3 + 3 + 3 + 2.5) ÷ 12 "
        "= 3.0.", "Level: 3.0 (proficient)."]


def test_explanation_reads_in_plain_words():
    result = calculate("decaying_average", [ev(2, 0), ev(None, 3), ev(3, 4), ev(4, 6, "self")])
    text = result["explanation"]
    assert text[0] == "Method: Decaying average (recent work counts most) (weight 65%)."
    assert "Not counted: no score on Sep 4, 2025 (missing or excused, not a zero)." in text
    assert "Not counted: 4 on Sep 7, 2025 (a self-assessment is shown, not counted)." in text
    assert text[-2:] == [
        "Then 3 on Sep 5, 2025 counts 65% and the level so far 35%: 0.65 × 3 + 0.35 × 2.0 = 2.7.",
        "Level: 2.7 (developing)."]


@pytest.mark.parametrize(
    ("method", "params", "message"),
    [
        ("median", {}, "unknown calculation method 'median'"),
        ("decaying_average", {"weight": 0}, "weight must be a number from 1 to 99"),
        ("decaying_average", {"weight": 100}, "weight must be a number from 1 to 99"),
        ("weighted_average", {"weight": "65"}, "weight must be a number from 1 to 99"),
        ("n_mastery", {"n": 0}, "n must be at least 1"),
        ("n_mastery", {"n": 2.5}, "n must be a whole number"),
        ("n_mastery", {"threshold": 5}, "threshold must be a level above 0"),
        ("mean", {"weight": 65}, "mean does not take weight"),
        ("mean", {"count_sources": ()}, "count_sources is empty"),
        ("mean", {"count_sources": "teacher"}, "count_sources must be a list"),
        ("mean", {"count_sources": ["parent"]}, "not ['parent']"),
    ],
)
def test_bad_settings(method, params, message):
    with pytest.raises(MasteryError, match=message.replace("[", r"\[").replace("]", r"\]")):
        calculate(method, series(3), **params)


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"score": 5, "assessed_on": "2025-09-01", "source": "teacher"}, "outside the 0–4"),
        ({"score": -0.5, "assessed_on": "2025-09-01", "source": "teacher"}, "outside the 0–4"),
        ({"score": 2.3, "assessed_on": "2025-09-01", "source": "teacher"}, "half points"),
        ({"score": "3", "assessed_on": "2025-09-01", "source": "teacher"}, "must be a number"),
        ({"score": True, "assessed_on": "2025-09-01", "source": "teacher"}, "must be a number"),
        ({"score": float("nan"), "assessed_on": "2025-09-01", "source": "teacher"}, "outside"),
        ({"score": 3, "source": "teacher"}, "has no date assessed"),
        ({"score": 3, "assessed_on": "", "source": "teacher"}, "has no date assessed"),
        ({"score": 3, "assessed_on": "12/09/2025", "source": "teacher"}, "not a date"),
        ({"score": 3, "assessed_on": "2025-09-01"}, "source must be teacher, self or peer"),
        (
            {"score": 3, "assessed_on": "2025-09-01", "source": "teacher", "entered_at": "soon"},
            "entry time",
        ),
        ("3 on Monday", "not a record"),
    ],
)
def test_bad_events(event, message):
    """Bad data anywhere — even in an event that would be skipped — means no level."""
    with pytest.raises(MasteryError, match=message):
        calculate("most_recent", [ev(3, 0), event])


def test_bad_event_message_names_the_event():
    with pytest.raises(MasteryError, match=r"event 2 \(id 17\): the score 4.5 is outside"):
        calculate("mean", [ev(3, 0), ev(4.5, 1, id=17)])


def test_bad_events_container():
    with pytest.raises(MasteryError, match="events must be a list"):
        calculate("mean", {"score": 3})


def test_mastery_error_is_a_value_error():
    assert issubclass(MasteryError, ValueError)
    assert set(METHODS) == {
        "most_recent",
        "highest",
        "mean",
        "decaying_average",
        "weighted_average",
        "n_mastery",
        "power_law",
        "true_score",
    }
