"""Canonical, comparable form of a server's rows, for vectors and convergence tests."""

from __future__ import annotations

import json

from sync.merge.ratings import shown_rating

ROW_TYPES = (
    "goal",
    "pick",
    "evidence",
    "review",
    "self_assessment",
    "rating",
    "conflict",
    "event",
    "history",
    "profile_section",
    "profile_entry",
    "profile_observation",
    "suggestion_decline",
)
KEYED_BY_DATA = {"self_assessment", "rating"}  # their ids derive from API ids, so drop them
# Not comparable across servers: which value a loser lost to depends on arrival order, and
# base_version is a server version number.
DROPPED = {"history": ("winner_hlc",), "rating": ("base_version",)}
SECTIONS = {t: t if t in ("evidence", "history") else f"{t}s" for t in ROW_TYPES}
SECTIONS["profile_entry"] = "profile_entries"
# the profile's sections appear only when there is something in them, so the projection of
# a state without a profile (every vector older than issue 18) is what it always was
OPTIONAL = ("profile_sections", "profile_entries", "profile_observations",
            "suggestion_declines")
KEYED_BY_DATA.add("profile_section")  # its id derives from (learner, section)
KEYED_BY_DATA.add("suggestion_decline")  # its id derives from (learner, activity)


def state_rows(state: dict) -> list[dict]:
    """Every stored row of an in-memory state, in the shape GET /api/sync/pull returns."""
    rows = [r for by_id in state["rows"].values() for r in by_id.values()]
    return sorted(rows, key=lambda r: (r["type"], r["id"]))


def _canonical(entry: dict) -> str:
    return json.dumps(entry, sort_keys=True, default=str)


def project_rows(rows: list[dict]) -> dict:
    """Project rows {"type", "id", "deleted", "data", ...} to a sorted dict without bookkeeping.

    Dropped: versions, keys of data starting with "_", ids of registers (rating and
    self_assessment ids derive from API ids), history's winner_hlc, rating's base_version.
    Added: "shown", the teacher level shown per (learner, target) (see shown_rating).
    """
    out: dict[str, list] = {section: [] for section in SECTIONS.values()}
    by_pair: dict[tuple, dict] = {}
    for r in rows:
        data = {k: v for k, v in r["data"].items() if not k.startswith("_")}
        for key in DROPPED.get(r["type"], ()):
            data.pop(key, None)
        entry = {"deleted": r["deleted"], **data}
        if r["type"] not in KEYED_BY_DATA:
            entry["id"] = r["id"]
        out[SECTIONS[r["type"]]].append(entry)
        if r["type"] in ("rating", "conflict"):
            pair = (str(r["data"]["student_id"]), str(r["data"]["target_id"]))
            slot = by_pair.setdefault(pair, {"rating": [], "conflict": [], "ids": r["data"]})
            slot[r["type"]].append(r)
    for key in out:
        out[key].sort(key=_canonical)
    shown = []
    for slot in by_pair.values():
        level = shown_rating(slot["rating"], slot["conflict"])
        if level is not None:
            ids = {"student_id": slot["ids"]["student_id"], "target_id": slot["ids"]["target_id"]}
            shown.append({**ids, **level})
    out["shown"] = sorted(shown, key=_canonical)
    for key in OPTIONAL:
        if not out[key]:
            del out[key]
    return out


def project(state: dict) -> dict:
    """project_rows over an in-memory state."""
    return project_rows(state_rows(state))
