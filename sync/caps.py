"""Caps: the most one learner may have, or one device may send, at once — and the one table
of reason codes a refusal carries.

A cap refuses absurd input (a runaway script, a stuck button) with words a learner can act
on; it never touches what is already stored: a capped mutation is rejected on its own (the
rest of its batch still applies) and a re-sent duplicate seq still gets its first answer.

Two kinds:

* **Shape caps** (text lengths, target_ids per goal or evidence): checked by the argument
  validators (sync/fields.py) on the server and on the device alike, so the conformance
  vectors hold them.
* **Count caps** (active goals, open evidence, new evidence per day): they need the
  learner's stored rows, so the backend adapter checks them (`count_cap`) with counts from
  its database, and the device warns before queueing with the counts of its own store.

The numbers live here only: `python -m sync.caps_js` writes assets/sync/caps.js from them (the
JS core imports that file) and tests/sync/test_caps.py fails if the file is stale.
Callers pass a `Caps` (default `DEFAULT_CAPS`); nothing reads Flask config.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from sync.errors import InvalidMutation


@dataclass(frozen=True)
class Caps:
    active_goals: int = 500  # goals of one learner with status "active" (not deleted)
    open_evidence: int = 500  # evidence of one learner still a draft or waiting for review
    evidence_per_day: int = 200  # evidence one learner adds in one (server, UTC) day
    batch: int = 500  # mutations in one push
    title: int = 200  # characters of a goal's title
    text: int = 4000  # characters of a caption, comment, reflection, note or text
    url: int = 2000  # characters of a link
    target_ids: int = 50  # learning targets one goal or piece of evidence names


DEFAULT_CAPS = Caps()

# Every reason code a refusal may carry, with its plain-English message. The braces name the
# result's `params`, so a translation catalog can word the same numbers its own way.
REASONS: dict[str, str] = {
    "cap.active_goals": ("You have {count} active goals — finish or archive some first "
                         "(at most {limit} at once)."),
    "cap.open_evidence": ("You have {count} pieces of evidence that are drafts or waiting for "
                          "review — finish or delete some first (at most {limit} at once)."),
    "cap.evidence_per_day": ("You have added {count} pieces of evidence today, the most for "
                             "one day — add more tomorrow."),
    "cap.batch": "Send at most {limit} changes at a time.",
    # the validators' long-standing wording (the vectors match it)
    "cap.text_length": "{field} must be at most {limit} characters (got {count})",
    "cap.target_ids": "{field} may name at most {limit} learning targets",
}


def reason(code: str, **params) -> str:
    """The plain-English message of a reason code."""
    return REASONS[code].format(**params)


class CapExceeded(InvalidMutation):
    """A mutation over a cap: `reason_code` (a key of REASONS) and its `params`."""

    code = "cap_exceeded"

    def __init__(self, reason_code: str, **params):
        super().__init__(reason(reason_code, **params))
        self.reason_code = reason_code
        self.params = params

    def result(self, seq: int) -> dict:
        """The push answer: rejected, with the message, the code and its numbers."""
        return {"seq": seq, "status": "rejected", "reason": self.message,
                "code": self.reason_code, "params": dict(self.params)}


# ----------------------------------------------------------------------------- count caps

OPEN_EVIDENCE = ("draft", "submitted")  # review statuses that count as open


def activates_goal(prior: dict | None, args: dict) -> bool:
    """Would this goal.put add one to the learner's active goals?

    A new goal is active unless it says otherwise; a stored goal becomes active when the put
    sets status "active" on a goal that is done, dropped or deleted. (If the put then loses
    the status field to a newer stamp it was refused a little early; nothing is lost.)
    """
    if prior is None:
        return args.get("status", "active") == "active"
    is_active = prior["data"].get("status") == "active" and not prior.get("deleted")
    return not is_active and args.get("status") == "active"


def count_cap(name: str, args: dict, prior: dict | None, counts: dict,
              caps: Caps = DEFAULT_CAPS) -> CapExceeded | None:
    """The count cap this mutation would break, or None.

    `prior` is the stored row the mutation names (None: new); `counts` the learner's
    {"active_goals", "open_evidence", "evidence_today"} before it.
    """
    if name == "goal.put" and activates_goal(prior, args):
        if counts["active_goals"] >= caps.active_goals:
            return CapExceeded("cap.active_goals", count=counts["active_goals"],
                               limit=caps.active_goals)
    elif name == "evidence.put" and prior is None:
        if counts["evidence_today"] >= caps.evidence_per_day:
            return CapExceeded("cap.evidence_per_day", count=counts["evidence_today"],
                               limit=caps.evidence_per_day)
        if counts["open_evidence"] >= caps.open_evidence:
            return CapExceeded("cap.open_evidence", count=counts["open_evidence"],
                               limit=caps.open_evidence)
    return None


# ----------------------------------------------------------------------------- the JS copy

JS_PATH = Path(__file__).resolve().parents[1] / "assets" / "sync" / "caps.js"


def render_js(caps: Caps = DEFAULT_CAPS) -> str:
    """assets/sync/caps.js: the same numbers and reason table for the device."""
    return (
        "/** GENERATED by `python -m sync.caps_js` from sync/caps.py: do not edit (tests/sync/"
        "test_caps.py checks it). */\n\n"
        f"export const CAPS = Object.freeze({json.dumps(asdict(caps), indent=2)});\n\n"
        "export const REASONS = Object.freeze("
        f"{json.dumps(REASONS, indent=2, ensure_ascii=False)});\n\n"
        f"export const OPEN_EVIDENCE = Object.freeze({json.dumps(list(OPEN_EVIDENCE))});\n"
    )
