"""Caps: the most one learner may have, or one device may send, at once.

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

The numbers live here only: `python -m sync.spec_js` writes them into assets/sync/spec.js (the
JS core imports that file) and tests/sync/test_spec_js.py fails if the file is stale. Their
reason codes ("cap.*") and words are in sync/reasons.py with every other code.
Callers pass a `Caps` (default `DEFAULT_CAPS`); nothing reads Flask config.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    profile_seen: int = 50  # versions one profile.section.put may say it saw (sync/PROTOCOL.md)
    highlights: int = 12  # evidence one learner stars to show at their conference (issue 18)


DEFAULT_CAPS = Caps()

class CapExceeded(InvalidMutation):
    """A mutation over a cap: `code` is one of the "cap.*" codes of sync/reasons.py."""


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


def stars_highlight(prior: dict | None, args: dict) -> bool:
    """Would this evidence.put add one to the learner's highlights (work starred to show at
    their conference)? Only a put that sets highlight on evidence not starred already."""
    if args.get("highlight") is not True:
        return False
    return not (prior and not prior.get("deleted") and prior["data"].get("highlight"))


def count_cap(name: str, args: dict, prior: dict | None, counts: dict,
              caps: Caps = DEFAULT_CAPS) -> CapExceeded | None:
    """The count cap this mutation would break, or None.

    `prior` is the stored row the mutation names (None: new); `counts` the learner's
    {"active_goals", "open_evidence", "evidence_today", "highlights"} before it.
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
    if name == "evidence.put" and stars_highlight(prior, args):
        held = counts.get("highlights", 0)
        if held >= caps.highlights:
            return CapExceeded("cap.highlights", count=held, limit=caps.highlights)
    return None
