"""Hybrid logical clock: parsing, ordering, send/receive and clamping."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync import HLC, Clock, ClockError, clamp

stamps = st.builds(
    HLC,
    st.integers(0, 10**13 - 1),
    st.integers(0, 9999),
    st.from_regex(r"[A-Za-z0-9._:-]{1,12}", fullmatch=True),
)


def test_round_trip_and_padding():
    hlc = HLC.parse("0000000000042-0007-node-1")
    assert hlc == HLC(42, 7, "node-1")
    assert str(hlc) == "0000000000042-0007-node-1"


@pytest.mark.parametrize(
    "bad", ["", "42-7-n", "1700000000000-0000-", "1700000000000-00000-n", "x-y-z", 17, None]
)
def test_malformed_stamps_raise_clock_error(bad):
    with pytest.raises(ClockError):
        HLC.parse(bad)


@given(stamps, stamps)
def test_string_order_is_tuple_order(a, b):
    assert (a < b) == ((a.wall, a.counter, a.node) < (b.wall, b.counter, b.node))
    assert HLC.parse(str(a)) == a
    if a.node == b.node or a.wall != b.wall or a.counter != b.counter:
        assert (str(a) < str(b)) == (a < b)


def test_send_is_monotonic_even_when_wall_clock_goes_back():
    now = [1000]
    clock = Clock("a", lambda: now[0])
    first = clock.send()
    now[0] = 500
    second = clock.send()
    assert second > first and second.wall == 1000 and second.counter == 1


def test_counter_overflow_borrows_a_millisecond():
    clock = Clock("a", lambda: 1000, HLC(1000, 9999, "a"))
    assert clock.tick() == HLC(1001, 0, "a")


def test_receive_orders_after_remote():
    clock = Clock("a", lambda: 1000)
    remote = HLC(5000, 3, "b")
    got = clock.receive(str(remote))
    assert got > remote and got.wall == 5000 and got.counter == 4
    assert clock.send() > got


@given(st.lists(stamps, max_size=20), st.integers(0, 10**12))
def test_receive_is_after_everything_seen(remotes, now):
    clock = Clock("me", lambda: now)
    for remote in remotes:
        if remote.wall >= 10**13 - 2:
            continue
        assert clock.receive(remote) > remote


def test_clamp():
    now = 1_700_000_000_000
    far = HLC(now + 300_001, 5, "d")
    assert clamp(far, now) == (HLC(now, 5, "d"), True)
    near = HLC(now + 300_000, 5, "d")
    assert clamp(str(near), now) == (near, False)
    past = HLC(now - 86_400_000, 0, "d")
    assert clamp(past, now) == (past, False)
    with pytest.raises(ClockError):
        clamp("soon", now)
