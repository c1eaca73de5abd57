"""The rule of 'waiting for review' the JS store indexes (assets/sync/store.js waitsForReview)
is the server's (sync.phases.review_status on a live row): both sides check these cases."""

import json
from pathlib import Path

from sync.phases import review_status

CASES = json.loads((Path(__file__).parent / "waiting_cases.json").read_text())["cases"]


def test_waiting_cases_follow_review_status():
    for case in CASES:
        waits = not case["deleted"] and review_status(case["data"]) == "submitted"
        assert waits is case["waits"], case
