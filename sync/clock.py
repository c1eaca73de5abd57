"""Hybrid logical clock: totally ordered stamps "<wall ms:13>-<counter:4>-<node>"."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from sync.errors import ClockError
from sync.reasons import json_type, shown

MAX_AHEAD_MS = 300_000  # a client stamp more than 5 minutes ahead is clamped
# A client stamp more than 400 days behind the server is clamped up to server time: a school
# year and the summer after it fit in 400 days, so a device offline for a month (or a
# whole summer) keeps its own stamps, while a clock reset to 1970 (a flat RTC battery, a
# factory reset) cannot date a learner's record before the school existed. Clamping, not
# refusing: the write is recent (the device is merely wrong about the date), so nothing
# the learner did is thrown away, and server time is the best date it can have.
MAX_BEHIND_MS = 400 * 24 * 3600 * 1000
MAX_COUNTER = 9999  # four digits keep string order equal to tuple order
_PARSED: dict[str, HLC] = {}  # HLC.parse's recent answers (speed only)
_PARSED_MAX = 8192
_STAMP = re.compile(r"^(\d{13})-(\d{4})-([A-Za-z0-9._:-]{1,64})$")
_NODE = re.compile(r"[A-Za-z0-9._:-]{1,64}")


@dataclass(frozen=True, order=True)
class HLC:
    """One stamp; field order makes the dataclass ordering the protocol's total order."""

    wall: int
    counter: int
    node: str

    def __post_init__(self):
        if not 0 <= self.wall < 10**13:
            raise ClockError("clock.bad_wall", value=shown(self.wall))
        if not 0 <= self.counter <= MAX_COUNTER:
            raise ClockError("clock.bad_counter", max=MAX_COUNTER, value=shown(self.counter))
        if not _NODE.fullmatch(self.node or ""):
            raise ClockError("clock.bad_node", value=shown(self.node))

    @classmethod
    def parse(cls, stamp: object) -> HLC:
        """Parse a stamp string; anything malformed raises ClockError."""
        if isinstance(stamp, HLC):
            return stamp
        parsed = _PARSED.get(stamp) if isinstance(stamp, str) else None
        if parsed is not None:  # stamps are immutable: a merge parses the same ones often
            return parsed
        if not isinstance(stamp, str):
            raise ClockError("clock.not_text", type=json_type(stamp))
        match = _STAMP.match(stamp)
        if not match:
            raise ClockError("clock.bad_stamp", value=shown(stamp))
        parsed = cls(int(match[1]), int(match[2]), match[3])
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[stamp] = parsed
        return parsed

    def __str__(self) -> str:
        return f"{self.wall:013d}-{self.counter:04d}-{self.node}"


def _wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class Clock:
    """A node's hybrid logical clock; `now_ms` is injectable so tests control time."""

    def __init__(
        self, node: str, now_ms: Callable[[], int] = _wall_clock_ms, last: HLC | None = None
    ):
        self.node = node
        self.now_ms = now_ms
        self.last = last or HLC(0, 0, node)

    def _advance(self, wall: int, counter: int) -> HLC:
        if counter > MAX_COUNTER:  # borrow a millisecond rather than widen the format
            wall, counter = wall + 1, 0
        self.last = HLC(wall, counter, self.node)
        return self.last

    def send(self) -> HLC:
        """Stamp a local event."""
        wall = max(self.last.wall, self.now_ms())
        counter = self.last.counter + 1 if wall == self.last.wall else 0
        return self._advance(wall, counter)

    tick = send

    def receive(self, remote: HLC | str) -> HLC:
        """Merge a remote stamp so that later local stamps order after it."""
        remote = HLC.parse(remote)
        last = self.last
        wall = max(last.wall, remote.wall, self.now_ms())
        if wall == last.wall == remote.wall:
            counter = max(last.counter, remote.counter) + 1
        elif wall == last.wall:
            counter = last.counter + 1
        elif wall == remote.wall:
            counter = remote.counter + 1
        else:
            counter = 0
        return self._advance(wall, counter)


def clamp(
    stamp: HLC | str,
    server_now_ms: int,
    max_ahead_ms: int = MAX_AHEAD_MS,
    max_behind_ms: int = MAX_BEHIND_MS,
) -> tuple[HLC, bool]:
    """Clamp a stamp more than `max_ahead_ms` ahead of the server, or more than
    `max_behind_ms` behind it, to server time.

    The counter and node are kept so that two clamped stamps still differ.
    Returns the stamp to use and whether it was clamped.
    """
    hlc = HLC.parse(stamp)
    if hlc.wall > server_now_ms + max_ahead_ms or hlc.wall < server_now_ms - max_behind_ms:
        return HLC(server_now_ms, hlc.counter, hlc.node), True
    return hlc, False
