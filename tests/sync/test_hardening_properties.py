"""Property tests of issue 13's sync items: base_version beyond current (9a), the past's
lower bound on clock stamps (9c). The conformance vectors hold the same rules for JS."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sync import HLC, MAX_AHEAD_MS, MAX_BEHIND_MS, Actor, clamp
from sync.merge.common import Context
from sync.merge.ratings import merge_rating_put

SETTINGS = settings(max_examples=300, deadline=None)
DAY = 86_400_000
NOW = 1_780_000_000_000  # 2026-05-28
TEACHER = Actor("t1", "teacher", frozenset({"s1"}))
BEYOND = "rating.base_unknown"  # sync/reasons.py

registers = st.lists(
    st.builds(
        lambda teacher, version, deleted, ms: {
            "type": "rating", "id": f"r-{teacher}", "version": version, "deleted": deleted,
            "data": {"student_id": "s1", "target_id": "lt1", "teacher_id": teacher,
                     "level": 2.0, "note": "", "hlc": str(HLC(NOW - ms, 0, teacher)),
                     "base_version": 0}},
        st.sampled_from(["t1", "t2", "t3"]), st.integers(1, 10**6), st.booleans(),
        st.integers(1, 10**6)),
    max_size=3, unique_by=lambda r: r["data"]["teacher_id"])


def _rate(regs: list[dict], base: int):
    args = {"student_id": "s1", "target_id": "lt1", "level": 3.0, "base_version": base}
    return merge_rating_put(regs, args, Context(TEACHER, "c1", 1, str(HLC(NOW, 0, "t1"))))


@SETTINGS
@given(regs=registers, base=st.integers(0, 2 * 10**6))
def test_a_base_version_beyond_every_rating_is_refused_and_no_other(regs, base):
    newest = max((r["version"] for r in regs), default=0)
    outcome = _rate(regs, base)
    refused = outcome.status == "rejected" and outcome.code == BEYOND
    assert refused == (base > newest)
    if refused:
        assert outcome.rows == []  # nothing is written


@SETTINGS
@given(regs=registers, data=st.data())
def test_within_range_a_rival_newer_than_the_base_still_opens_a_conflict(regs, data):
    newest = max((r["version"] for r in regs), default=0)
    base = data.draw(st.integers(0, newest))
    outcome = _rate(regs, base)
    rivals = [r for r in regs if r["data"]["teacher_id"] != "t1" and not r["deleted"]
              and r["version"] > base]
    own = next((r for r in regs if r["data"]["teacher_id"] == "t1"), None)
    own_is_newer = own is not None and HLC.parse(own["data"]["hlc"]) >= HLC(NOW, 0, "t1")
    assert outcome.status == ("conflict" if rivals and not own_is_newer else "applied")


@SETTINGS
@given(now=st.integers(400 * DAY, 10**13 - MAX_AHEAD_MS - 1), wall=st.integers(0, 10**13 - 1))
def test_a_clamped_stamp_lies_within_the_window_and_an_unclamped_one_is_untouched(now, wall):
    stamp = HLC(wall, 7, "d1")
    used, clamped = clamp(stamp, now)
    assert clamped == (wall > now + MAX_AHEAD_MS or wall < now - MAX_BEHIND_MS)
    if clamped:
        assert used == HLC(now, 7, "d1")
    else:
        assert used == stamp
    assert now - MAX_BEHIND_MS <= used.wall <= now + MAX_AHEAD_MS


@SETTINGS
@given(now=st.integers(400 * DAY, 10**13 - MAX_AHEAD_MS - 1), behind=st.integers(0, 30 * DAY))
def test_a_device_offline_for_30_days_is_never_clamped_or_refused(now, behind):
    assert clamp(HLC(now - behind, 0, "d1"), now) == (HLC(now - behind, 0, "d1"), False)


def test_a_clock_reset_to_1970_is_clamped_up_to_server_time():
    assert clamp("0000000000000-0003-d1", NOW) == (HLC(NOW, 3, "d1"), True)
