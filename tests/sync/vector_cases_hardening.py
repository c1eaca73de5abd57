"""Conformance vectors of issue 13's sync items: a base_version never handed out (9a) and
clock stamps from long before the server's time (9c)."""

from __future__ import annotations

from tests.sync.vector_cases import DEFAULT_NOW_MS, goal, h, no, ok, rate, step

DAY_MS = 24 * 3600 * 1000


def hardening_cases() -> list[dict]:
    return [*_base_version_cases(), *_past_clock_cases()]


def _base_version_cases() -> list[dict]:
    return [
        {
            "name": "rating_base_version_beyond_current",
            "description": "A rating.put whose base_version is beyond every version the "
            "server gave the ratings of that learner and target is refused with a reason "
            "(it would otherwise hide a rival rating from conflict detection); the newest "
            "version itself ($seen) is accepted, and with no rating yet only 0 is.",
            "steps": [
                step(4, "t2", [rate(1, h(900, "t2p"), 2, 5, target="lt2")],
                     [no(1, "rating.base_unknown", base_version=5, newest=0)]),
                step(3, "t1", [rate(1, h(1000, "t1p"), 2, 0)], [ok(1)], label="t1_first"),
                step(4, "t2", [rate(2, h(2000, "t2p"), 3, 10**12)],
                     [no(2, "rating.base_unknown", base_version=10**12, newest=1)]),
                step(4, "t2", [rate(3, h(2100, "t2p"), 3, {"$seen": "t1_first"})], [ok(3)]),
            ],
        },
    ]


def _past_clock_cases() -> list[dict]:
    thirty_days_ago = DEFAULT_NOW_MS - 30 * DAY_MS
    epoch = 0
    return [
        {
            "name": "clock_far_past_clamped",
            "description": "A stamp more than 400 days behind the server (a clock reset to "
            "1970) is clamped up to server time and flagged, so it cannot date a record "
            "before the school existed and nothing is refused; a device offline for 30 days "
            "keeps its own stamps, and so does one 399 days behind.",
            "steps": [
                step(1, "s1", [goal(1, f"{epoch:013d}-0002-d1", "Battery went flat")],
                     [ok(1, clamped=True, hlc=f"{DEFAULT_NOW_MS:013d}-0002-d1")]),
                step(2, "s1", [goal(1, f"{thirty_days_ago:013d}-0000-d2", "Offline a month",
                                    gid="0190a0a1-0000-7000-8000-000000000002")],
                     [ok(1)]),
                step(3, "s1", [goal(1, f"{DEFAULT_NOW_MS - 399 * DAY_MS:013d}-0000-d3",
                                    "Offline all year",
                                    gid="0190a0a1-0000-7000-8000-000000000003")],
                     [ok(1)]),
            ],
        },
    ]
