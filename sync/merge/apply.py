"""One mutation end to end (clamp, validate, authorize, merge) and the in-memory push driver."""

from __future__ import annotations

import copy
from typing import Protocol

from sync.clock import HLC, MAX_AHEAD_MS, MAX_BEHIND_MS, Clock, clamp
from sync.errors import ClockError, InvalidMutation, SeqGap
from sync.merge.common import Actor, Context, Outcome, self_assessment_id
from sync.merge.declines import merge_suggestion_decline, suggestion_decline_id
from sync.merge.evidence import merge_evidence_delete, merge_evidence_put, merge_evidence_review
from sync.merge.goals import merge_goal_delete, merge_goal_put, merge_pick_delete, merge_pick_put
from sync.merge.profile import (
    merge_observation_put,
    merge_observation_respond,
    merge_profile_section_put,
    profile_section_id,
)
from sync.merge.ratings import merge_conflict_resolve, merge_rating_put, merge_self_assessment_put
from sync.protocol import Mutation, parse_seq, validate_args

SERVER_NODE = "server"


class Store(Protocol):
    """The rows a merge may need; the backend implements this over its database."""

    def get(self, row_type: str, row_id: str) -> dict | None:
        """The stored row {"type", "id", "version", "deleted", "data"}, or None."""

    def ratings(self, student_id: object, target_id: object) -> list[dict]:
        """Every stored rating row of (learner, learning target), with versions."""


def merge(store: Store, name: str, args: dict, ctx: Context) -> Outcome:
    """Load exactly the rows mutation `name` touches and run its merge rule."""
    if name == "self_assessment.put":
        sid = self_assessment_id(args["student_id"], args["target_id"])
        return merge_self_assessment_put(store.get("self_assessment", sid), args, ctx)
    if name == "rating.put":
        return merge_rating_put(store.ratings(args["student_id"], args["target_id"]), args, ctx)
    if name == "evidence.review":
        return merge_evidence_review(store.get("evidence", args["evidence_id"]), args, ctx)
    if name == "conflict.resolve":
        return merge_conflict_resolve(store.get("conflict", args["conflict_id"]), args, ctx)
    if name == "profile.section.put":
        sid = profile_section_id(args["student_id"], args["section"])
        return merge_profile_section_put(store.get("profile_section", sid), args, ctx)
    if name in _PROFILE_RULES:
        return _PROFILE_RULES[name](store.get("profile_observation", args["id"]), args, ctx)
    if name == "suggestion.decline":
        did = suggestion_decline_id(args["student_id"], args["activity_id"])
        return merge_suggestion_decline(store.get("suggestion_decline", did), args, ctx)
    row_type, _ = name.split(".")
    rule = _ROW_RULES[name]
    return rule(store.get(row_type, args["id"]), args, ctx)


_PROFILE_RULES = {
    "profile.observation.put": merge_observation_put,
    "profile.observation.respond": merge_observation_respond,
}
_ROW_RULES = {
    "goal.put": merge_goal_put,
    "goal.delete": merge_goal_delete,
    "pick.put": merge_pick_put,
    "pick.delete": merge_pick_delete,
    "evidence.put": merge_evidence_put,
    "evidence.delete": merge_evidence_delete,
}


def apply_mutation(
    store: Store,
    raw: dict,
    client_id: str,
    actor: Actor,
    server_now_ms: int,
    max_ahead_ms: int = MAX_AHEAD_MS,
    last_hlc: str | None = None,
    max_behind_ms: int = MAX_BEHIND_MS,
) -> tuple[dict, list[dict], HLC | None, dict | None]:
    """Clamp, validate, authorize and merge one raw mutation; nothing is written here.

    `last_hlc` is the stamp this client's previous mutation used (stored with its last_seq):
    a clamped stamp is lifted just above it, so that successive clamped writes of one
    device stay distinct and in seq order instead of collapsing onto one stamp.
    Returns (result, rows to upsert, the stamp used or None if the stamp was unusable, the
    arguments as validated and normalized or None if they were refused: the server's count
    caps read them without validating again).
    The caller gives each row the next version and writes them in one savepoint.
    """
    seq = parse_seq(raw)
    clamped = False
    hlc = args = None
    try:
        mutation = Mutation.from_dict(raw)
        hlc, clamped = clamp(mutation.hlc, server_now_ms, max_ahead_ms, max_behind_ms)
        if clamped and last_hlc is not None and hlc <= HLC.parse(last_hlc):
            hlc = Clock(hlc.node, lambda: 0, HLC.parse(last_hlc)).send()
        args = validate_args(mutation.name, mutation.args)
        outcome = merge(store, mutation.name, args, Context(actor, client_id, seq, str(hlc)))
    except (InvalidMutation, ClockError) as error:
        outcome = Outcome(status="rejected", code=error.code, params=error.params)
    result = outcome.result(seq)
    if clamped:
        result.update(clamped=True, hlc=str(hlc))
    return result, outcome.rows, hlc, args


def new_state(server_node: str = SERVER_NODE) -> dict:
    """An empty in-memory server: rows by type and id, version counter, clients, clock."""
    return {"version": 0, "rows": {}, "clients": {}, "clock": str(HLC(0, 0, server_node))}


class MemoryStore:
    """Store over an in-memory state, for tests and conformance vectors."""

    def __init__(self, state: dict):
        self.state = state

    def get(self, row_type: str, row_id: str) -> dict | None:
        return self.state["rows"].get(row_type, {}).get(row_id)

    def ratings(self, student_id: object, target_id: object) -> list[dict]:
        rows = self.state["rows"].get("rating", {}).values()
        return [
            r
            for r in rows
            if str(r["data"]["student_id"]) == str(student_id)
            and str(r["data"]["target_id"]) == str(target_id)
        ]

    def write(self, rows: list[dict]) -> None:
        """Upsert rows, each with the next version."""
        for new in rows:
            self.state["version"] += 1
            stored = {**copy.deepcopy(new), "version": self.state["version"]}
            self.state["rows"].setdefault(new["type"], {})[new["id"]] = stored


def plan_seqs(last_seq: int, seqs: list[int]) -> None:
    """Refuse a batch that skips a seq (SeqGap with the expected seq) before anything applies."""
    expected = last_seq + 1
    for seq in sorted(seqs):
        if seq == expected:
            expected += 1
        elif seq > expected:
            raise SeqGap(expected, seq)


def apply_batch(
    state: dict, client_id: str, mutations: list, actor: Actor, server_now_ms: int
) -> tuple[list[dict], int]:
    """Push semantics of DESIGN §3 in memory; returns (results in seq order, last_seq).

    A seq <= last_seq is a duplicate and gets the first answer again, unchanged.
    """
    if not isinstance(mutations, list):
        raise InvalidMutation("batch.not_list")
    client = state["clients"].setdefault(
        client_id, {"last_seq": 0, "last_hlc": None, "results": {}}
    )
    seqs = [parse_seq(m) for m in mutations]
    plan_seqs(client["last_seq"], seqs)
    store = MemoryStore(state)
    server = Clock(HLC.parse(state["clock"]).node, lambda: server_now_ms, HLC.parse(state["clock"]))
    results = []
    for seq, raw in sorted(zip(seqs, mutations, strict=True), key=lambda pair: pair[0]):
        if seq <= client["last_seq"]:
            first = client["results"].get(seq, {"seq": seq, "status": "duplicate"})
            results.append(copy.deepcopy(first))
            continue
        last_hlc = client.get("last_hlc")
        result, rows, hlc, _args = apply_mutation(
            store, raw, client_id, actor, server_now_ms, last_hlc=last_hlc
        )
        store.write(rows)
        if hlc is not None:
            client["last_hlc"] = str(max(hlc, HLC.parse(last_hlc))) if last_hlc else str(hlc)
        if hlc is not None and result["status"] != "rejected":
            server.receive(hlc)
        client["results"][seq] = copy.deepcopy(result)
        client["last_seq"] = seq
        results.append(result)
    state["clock"] = str(server.last)
    return results, client["last_seq"]
