"""A new device's first sync in phases: the current state first, then history behind it.

A device with no cursor asks for `phase=current`. The server reads its committed version
counter once, the **watermark** W, and sends, in pages, only what the device needs to be
usable, every row of it at a version ≤ W:

* every reference row (curriculum, activities, playlists, learner names; for staff their
  classes and groups);
* per learner (the caller, a guardian's children, a teacher's learners), the rows in
  `current_rule` below: a learner's current (not done) goals and open picks, open and
  recent evidence with their reviews, every self-assessment and rating register, open
  conflicts, recent events; for a teacher, the review queue (evidence waiting for review
  and its reviews), registers and open conflicts;
* the computed rows (`level`, `topic_progress`, a learner's `recommendation`) of every
  (learner, target) with an event, rating or conflict, stamped with the highest such
  version ≤ W.

The last current page answers the plain cursor `v1.<W>` (the device pulls changes after W
as usual from then on) and a history cursor `h1.<W>.<first learner>.<W + 1>`. History
pages bring **every** learner row at a version ≤ W, learner by learner (in id order), each
learner's newest first, whatever the current phase sent: a row the device already has comes
again at the same version.

Why nothing is skipped and nothing goes back: a row's version only grows and every change
gives it a new one. A row at a version ≤ W when a history page reads it has not changed
since W, so that page carries the row as it is now; a row changed after W is above W and
comes with the changes after `v1.<W>`. Every row therefore reaches the device, and the
device keeps, per (type, id), the row with the highest version it has seen (`DeviceRows`,
assets/sync/store.js), so pages may arrive in any order, interleaved with pushes and
with pulls of changes, and it still ends with the newest version of each row.

Cursors (opaque to devices): `c1.<W>.r<v>` (reference rows after version v),
`c1.<W>.l<id>` (learners after id), `h1.<W>.<learner>.<before>` (that learner's rows below
version `before`, then the next learners'). Versions come from one counter, so no two rows
share one and `version < before` is an exact keyset.
"""

from __future__ import annotations

from sync.errors import SyncError

CURRENT_PREFIX = "c1."
HISTORY_PREFIX = "h1."
# class, group, staff: a teacher's (an admin's) classes and groups with their learner ids, and
# the school's staff names (who rated each side of a conflict)
REFERENCE_TYPES = ("content_area", "topic", "target", "activity", "playlist", "learner", "class",
                   "group", "staff")
LEARNER_TYPES = ("goal", "pick", "evidence", "review", "self_assessment", "rating", "conflict",
                 "event", "history", "profile_section", "profile_entry", "profile_observation",
                 "suggestion_decline")
# the Personal Learner Profile: all of it is current for every reader (a few rows a learner)
PROFILE_RULE = {t: (lambda r: True) for t in ("profile_section", "profile_entry",
                                              "profile_observation")}
# "not for me" answers (issue 18): all current, so a new device hides them at once
PROFILE_RULE["suggestion_decline"] = lambda r: True
COMPUTED_TYPES = ("level", "topic_progress", "recommendation")
# the latest N rows per learner a learner's (or guardian's) current phase also carries
RECENT = {"evidence": 30, "event": 50}
STAFF_ROLES = ("teacher", "admin")


class BadCursor(SyncError):
    """A phase cursor this server never gave out ("cursor.unknown", "cursor.unknown_history")."""


def _int(text: str) -> int:
    if not text.isdigit():
        raise BadCursor("cursor.unknown")
    return int(text)


def current_cursor(watermark: int, stage: str, after: int) -> str:
    return f"{CURRENT_PREFIX}{watermark}.{stage}{after}"


def parse_current(cursor: str | None) -> tuple[int, str, int] | None:
    """(watermark, stage "r" | "l", after) of a current-phase cursor; None: the start."""
    if not cursor:
        return None
    parts = cursor.split(".")
    if len(parts) != 3 or f"{parts[0]}." != CURRENT_PREFIX or parts[2][:1] not in ("r", "l"):
        raise BadCursor("cursor.unknown")
    return _int(parts[1]), parts[2][0], _int(parts[2][1:])


def history_cursor(watermark: int, learner: int, before: int) -> str:
    return f"{HISTORY_PREFIX}{watermark}.{learner}.{before}"


def parse_history(cursor: str | None) -> tuple[int, int, int]:
    """(watermark, learner, before) of a history cursor (required: the current phase gives
    the first one)."""
    parts = (cursor or "").split(".")
    if len(parts) != 4 or f"{parts[0]}." != HISTORY_PREFIX:
        raise BadCursor("cursor.unknown_history")
    return _int(parts[1]), _int(parts[2]), _int(parts[3])


# --------------------------------------------------------------------------- the rule


def review_status(data: dict) -> str:
    """draft, submitted (waiting for review), approved or returned, from evidence data
    (= backend.sync_server.codecs.evidence_status, tested equal)."""
    reviewed = data.get("reviewed")
    if reviewed and not data.get("edited_after_review"):
        return reviewed["decision"]
    return "submitted" if data.get("submitted") else "draft"


def _live(row: dict) -> bool:
    return not row["deleted"]


def current_rule(role: str) -> dict:
    """Per learner row type: which rows the current phase sends (a predicate on one row), or
    "recent" (the latest RECENT[type] live rows per learner by version), or "evidence"
    (reviews of the evidence sent), or None (history only). Rows also "recent" are sent
    once."""
    if role in STAFF_ROLES:  # the review queue, the grid's registers, open conflicts
        return {
            "evidence": lambda r: _live(r) and review_status(r["data"]) == "submitted",
            "review": "evidence",
            "self_assessment": lambda r: True,
            "rating": lambda r: True,
            "conflict": lambda r: r["data"].get("status") == "open",
            **PROFILE_RULE,
        }
    return {  # a learner's or a guardian's binder
        # not done (active or dropped): exactly the goals screen's "current goals", so its
        # count is final when the current phase ends
        "goal": lambda r: _live(r) and r["data"].get("status") != "done",
        "pick": lambda r: _live(r) and r["data"].get("status") != "done",
        "evidence": lambda r: _live(r) and review_status(r["data"]) != "approved",
        "review": "evidence",
        "self_assessment": lambda r: True,
        "rating": lambda r: True,
        "conflict": lambda r: r["data"].get("status") == "open",
        "event": "recent",
        **PROFILE_RULE,
    }


def current_rows(rows: list[dict], role: str, watermark: int,
                 caller: object = None) -> list[dict]:
    """What the current phase sends of `rows` (everything one caller may read), reference
    rows included, computed rows excluded: the reference form of the backend's queries.
    A staff member's own binder (teacher microcredentials: rows whose student_id is
    `caller`) follows the binder's rule, as a learner's own does."""
    rule = current_rule(role)
    own_rule = current_rule("student")
    below = [r for r in rows if r["version"] <= watermark]
    out = {(r["type"], r["id"]): r for r in below if r["type"] in REFERENCE_TYPES}
    by_learner: dict[tuple[str, str], list[dict]] = {}
    for r in below:
        if r["type"] in LEARNER_TYPES and "student_id" in r["data"]:
            by_learner.setdefault((r["type"], str(r["data"]["student_id"])), []).append(r)
    for (row_type, learner), mine in by_learner.items():
        own = caller is not None and learner == str(caller)
        how = (own_rule if own else rule).get(row_type)
        if callable(how):
            out.update(((r["type"], r["id"]), r) for r in mine if how(r))
        if row_type in RECENT and (role not in STAFF_ROLES or own):
            live = sorted((r for r in mine if _live(r)), key=lambda r: -r["version"])
            out.update(((r["type"], r["id"]), r) for r in live[:RECENT[row_type]])
    sent_evidence = {rid for (t, rid) in out if t == "evidence"}
    if rule.get("review") == "evidence":  # (the binder's rule sends them alike)
        out.update(((r["type"], r["id"]), r) for r in below if r["type"] == "review"
                   and r["data"].get("evidence_id") in sent_evidence)
    return sorted(out.values(), key=lambda r: (r["version"], r["type"], str(r["id"])))


def history_order(rows: list[dict], watermark: int) -> list[dict]:
    """Every learner row at or below the watermark in the order history pages send them:
    learner by learner (ids as numbers when they are), each learner's newest first."""
    def learner(r):
        sid = r["data"].get("student_id")
        return (0, int(sid), "") if str(sid).isdigit() else (1, 0, str(sid))
    return sorted((r for r in rows if r["type"] in LEARNER_TYPES and r["version"] <= watermark),
                  key=lambda r: (learner(r), -r["version"]))


# --------------------------------------------------------------------------- the device


class DeviceRows:
    """What a device keeps of pulled rows: per (type, id), the highest version seen.

    A page's row at the same version replaces what is there (it is the same row); an older
    one is ignored. (= SyncStore._rebase in assets/sync/store.js.)
    """

    def __init__(self):
        self.rows: dict[tuple[str, str], dict] = {}

    def apply(self, changes: list[dict]) -> None:
        for row in changes:
            key = (row["type"], str(row["id"]))
            held = self.rows.get(key)
            if held is None or held["version"] <= row["version"]:
                self.rows[key] = row
