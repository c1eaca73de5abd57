"""Runs a conformance vector against the pure library; the backend's runner mirrors this."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from sync import Actor, SeqGap, apply_batch, new_state, project, state_rows

VECTORS = Path(__file__).resolve().parents[2] / "sync" / "vectors"
DEFAULT_NOW = 1_700_000_600_000


def load_vectors() -> list[dict]:
    """Every vector file, sorted by name."""
    return [json.loads(p.read_text()) for p in sorted(VECTORS.glob("*.json"))]


def actors(world: dict) -> dict[str, Actor]:
    """Symbolic users -> Actor (the backend runner maps them to real accounts). An assessor
    ("assessor": true, a teacher or an admin) assesses every other teacher and admin."""
    users = world["users"]
    staff = {key for key, user in users.items() if user["role"] in ("teacher", "admin")}
    return {
        key: Actor(key, user["role"], frozenset(user.get("learners", [])),
                   frozenset(staff - {key}) if user.get("assessor") else frozenset())
        for key, user in users.items()
    }


def rating_versions(state: dict) -> dict[tuple[str, str], int]:
    """Max rating version per (learner, target): what "$seen" resolves to."""
    seen: dict[tuple[str, str], int] = {}
    for r in state_rows(state):
        if r["type"] == "rating":
            key = (str(r["data"]["student_id"]), str(r["data"]["target_id"]))
            seen[key] = max(seen.get(key, 0), r["version"])
    return seen


def resolve(mutations: list, snapshots: dict) -> list:
    """Replace {"$seen": label} base versions with the version seen after that step."""
    out = copy.deepcopy(mutations)
    for m in out:
        args = m.get("args") if isinstance(m, dict) else None
        base = args.get("base_version") if isinstance(args, dict) else None
        if isinstance(base, dict) and "$seen" in base:
            key = (str(args["student_id"]), str(args["target_id"]))
            args["base_version"] = snapshots[base["$seen"]].get(key, 0)
    return out


def matches(actual: dict, expected: dict) -> bool:
    """Exact match, `code` and `params` included; the words (`reason`) are not compared: they
    are the code's English template filled, and each side may render them its own way."""
    got = {k: v for k, v in actual.items() if k != "reason"}
    return got == expected


def run_step(state: dict, step: dict, who: dict, snapshots: dict, now: int) -> dict:
    """Push one step; returns {"results", "last_seq"} or {"error": {"gap": n}}."""
    mutations = resolve(step["mutations"], snapshots)
    try:
        results, last_seq = apply_batch(
            state, step["client"], mutations, who[step["user"]], step.get("server_now_ms", now)
        )
    except SeqGap as gap:
        outcome = {"error": {"gap": gap.expected_seq}}
    else:
        outcome = {"results": results, "last_seq": last_seq}
    if "label" in step:
        snapshots[step["label"]] = rating_versions(state)
    return outcome


def run_vector(vector: dict) -> tuple[dict, list[str]]:
    """Run every step; returns (final state, list of mismatches)."""
    state, snapshots, problems = new_state(), {}, []
    who = actors(vector["world"])
    now = vector.get("server_now_ms", DEFAULT_NOW)
    for step in vector.get("initial", []):
        run_step(state, step, who, snapshots, now)
    for index, step in enumerate(vector["steps"]):
        outcome = run_step(state, step, who, snapshots, now)
        expect = step.get("expect")
        if expect is None:
            continue
        where = f"step {index} ({step.get('label', step['client'])})"
        if "error" in expect or "error" in outcome:
            if outcome.get("error") != expect.get("error"):
                problems.append(f"{where}: expected {expect}, got {outcome}")
            continue
        if outcome["last_seq"] != expect["last_seq"]:
            problems.append(f"{where}: last_seq {outcome['last_seq']} != {expect['last_seq']}")
        if len(outcome["results"]) != len(expect["results"]) or not all(
            matches(a, e) for a, e in zip(outcome["results"], expect["results"], strict=False)
        ):
            problems.append(f"{where}: expected {expect['results']}, got {outcome['results']}")
    return state, problems


def check_vector(vector: dict) -> list[str]:
    """Mismatches of a vector's steps and of its final projection."""
    state, problems = run_vector(vector)
    final = json.loads(json.dumps(project(state)))
    if final != vector["final"]:
        problems.append(f"final state differs:\n{json.dumps(final, indent=1, sort_keys=True)}")
    return problems
