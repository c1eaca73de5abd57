"""backend/services/levels.py level_of keeps calculate's answer for its exact inputs: the
kept answer equals a fresh calculation, changes with any input, and a caller changing its
copy changes nothing for the next caller."""

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.mastery import calculate
from backend.services import levels
from backend.services.levels import DEFAULTS, level_of

score = st.one_of(st.none(), st.sampled_from([x / 2 for x in range(9)]))
event = st.fixed_dictionaries({
    "id": st.uuids().map(str),
    "score": score,
    "assessed_on": st.dates().map(lambda d: d.isoformat()),
    "source": st.sampled_from(["teacher", "self", "peer"]),
})
method = st.sampled_from([
    ("most_recent", {}), ("highest", {}), ("mean", {}),
    ("weighted_average", {"weight": 65}), ("decaying_average", {"weight": 65}),
])


def _settings(chosen, sources):
    name, params = chosen
    return {**DEFAULTS, "calculation_method": name, "method_params": params,
            "count_sources": sources}


@settings(max_examples=150, deadline=None)
@given(st.lists(event, max_size=6), method,
       st.sampled_from([["teacher"], ["teacher", "self"]]))
def test_a_kept_level_equals_a_fresh_calculation(events, chosen, sources):
    config = _settings(chosen, sources)
    fresh = calculate(config["calculation_method"], events, **config["method_params"],
                      count_sources=tuple(sources))
    first = level_of(events, config)
    again = level_of(events, config)  # the kept answer
    assert first == fresh and again == fresh


def test_each_caller_gets_its_own_copy_and_any_input_change_counts():
    levels._LEVELS.clear()
    events = [{"id": "e1", "score": 2.0, "assessed_on": "2026-10-01", "source": "teacher"},
              {"id": "e2", "score": 3.5, "assessed_on": "2026-10-08", "source": "teacher"}]
    config = _settings(("most_recent", {}), ["teacher"])
    first = level_of(events, config)
    assert first["level"] == 3.5
    first["level"] = 0.0
    first["steps"].clear()
    second = level_of(events, config)
    assert second["level"] == 3.5 and second["steps"]
    assert len(levels._LEVELS) == 1
    # a changed score, a changed method: new answers, not the kept one
    changed = [events[0], {**events[1], "score": 1.0}]
    assert level_of(changed, config)["level"] == 1.0
    assert level_of(events, _settings(("highest", {}), ["teacher"]))["level"] == 3.5
    assert level_of(events, _settings(("mean", {}), ["teacher"]))["level"] != 3.5
    assert len(levels._LEVELS) == 4
