"""Side by side: our sync core and PouchDB replication, same machine, same run (issue 16).

    .venv/bin/python bench/pouch_compare/compare.py      # or: make bench-pouch

Ours: the real JS sync core (assets/sync) under bun against the Flask API over HTTP on a
SQLite file (the embedded default's database; served by werkzeug's threaded server in a
process of its own, as bench/sync_bench.py serves it). The peer: PouchDB 9 (pouchdb-node,
LevelDB) replicating to express-pouchdb 4.2 (LevelDB) on loopback, its server in a process
of its own, under node. Two workloads, each `--reps` times, medians compared:

- push: a device's 500-change offline backlog (goals edited as they go, picks,
  self-assessments, text evidence: bench/sync_bench.py's lesson) sent to the server;
- pull: a new device's initial pull of a learner with 10,000 rows.

Not a test: it measures. Prints a table of ratios (ours / PouchDB; below 1 is faster).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sync_bench import _mutations  # noqa: E402

from tests.consistency.server import Server, fresh_database, make_pristine  # noqa: E402
from tests.consistency.workload import World  # noqa: E402

BUN = ROOT / ".tools" / "node_modules" / ".bin" / "bun"
HERE = Path(__file__).resolve().parent


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _login(base: str, username: str) -> tuple[str, dict]:
    body = httpx.post(
        f"{base}/api/auth/login", json={"username": username, "password": "waypoint"}, timeout=30
    ).json()
    return body["access_token"], body["user"]


def _fill_pull_learner(base: str, token: str, student_id: int, rows: int) -> None:
    """`rows` finished goals for one learner, pushed 500 at a time (setup, not timed)."""
    now = int(time.time() * 1000)
    client = f"bench-fill-{uuid.uuid4().hex[:12]}"
    with httpx.Client(timeout=120, headers={"Authorization": f"Bearer {token}"}) as http:
        for start in range(0, rows, 500):
            muts = [
                {
                    "seq": s + 1,
                    "name": "goal.put",
                    "hlc": f"{now + s:013d}-0000-fill",
                    "args": {
                        "id": str(uuid.uuid4()),
                        "student_id": student_id,
                        "title": f"Goal {s}",
                        "status": "done",
                        "target_ids": [],
                    },
                }
                for s in range(start, min(rows, start + 500))
            ]
            r = http.post(f"{base}/api/sync/push", json={"client_id": client, "mutations": muts})
            r.raise_for_status()
            bad = [x for x in r.json()["results"] if x["status"] != "applied"]
            if bad:
                raise SystemExit(f"filling the pull learner: {bad[:2]}")


def _as_docs(mutations: list[dict]) -> list[dict]:
    """The same changes as PouchDB documents: one document per row, updated in turn."""
    docs = []
    for m in mutations:
        args = dict(m["args"])
        kind = m["name"].split(".")[0]
        if kind == "self_assessment":
            doc_id = f"self_assessment-{args['student_id']}-{args['target_id']}"
        else:
            doc_id = f"{kind}-{args.pop('id')}"
        docs.append({"_id": doc_id, "type": kind, "hlc": m["hlc"], **args})
    return docs


def _node_json(argv: list[str], spec: dict, path: Path) -> dict:
    path.write_text(json.dumps(spec))
    done = subprocess.run(
        [*argv, str(path)], cwd=ROOT, capture_output=True, text=True, timeout=1800
    )
    if done.returncode:
        raise SystemExit(f"{argv[-1]} failed: {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(reps: int, pull_rows: int, work: Path) -> dict:
    """Both servers up, then the runs alternate (ours, PouchDB, ours, …) so both sides meet
    the same load on a shared machine."""
    pristine = work / "pristine.db"
    make_pristine(pristine)
    db = fresh_database(pristine, work / "waypoint.db")
    server = Server(db.resolve(), _port(), work / "server.log").start()
    world = World.read(pristine)
    pouch_dir = work / "pouch"
    (pouch_dir / "remote").mkdir(parents=True)
    peer = subprocess.Popen(
        ["node", str(HERE / "pouch_server.mjs"), str(pouch_dir / "remote")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    ours = {"push_ms": [], "pull_ms": [], "pulled_rows": [], "push_wait_ms": []}
    pouch = {"push_ms": [], "pull_ms": [], "pulled_rows": []}
    loads = []
    try:
        peer_base = f"http://127.0.0.1:{peer.stdout.readline().split()[1]}"
        token, user = _login(server.url, "student2")
        _fill_pull_learner(server.url, token, user["id"], pull_rows)
        pull_doc = {
            "type": "goal",
            "student_id": user["id"],
            "target_ids": [],
            "due_on": None,
            "status": "done",
            "reflection": "",
        }
        for rep in range(reps):
            # a learner per run: 500 changes hold 125 new evidence, the daily cap is 200
            pusher = _login(server.url, f"student{3 + rep}")
            backlog = _mutations(pusher[1]["id"], world.targets, world.activities, f"b{rep}", 500)
            loads.append(os.getloadavg()[0])
            spec = {
                "base": server.url,
                "push": [{"token": pusher[0], "user": pusher[1], "mutations": backlog}],
                "pull": [{"token": token, "user": user}],
            }
            got = _node_json([str(BUN), str(HERE / "ours.mjs")], spec, work / "ours.json")
            spec = {
                "base": peer_base,
                "dir": str(pouch_dir),
                "rep": rep,
                "push": _as_docs(backlog),
                "pull": True,
                "pull_rows": pull_rows,
                "pull_doc": pull_doc,
            }
            peer_got = _node_json(
                ["node", str(HERE / "pouch_client.mjs")], spec, work / "pouch.json"
            )
            for key in ours:
                ours[key] += got[key]
            for key in pouch:
                pouch[key] += peer_got[key]
    finally:
        server.stop()
        peer.terminate()
        peer.wait(10)
    return {"ours": ours, "pouch": pouch, "load": loads}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--pull-rows", type=int, default=10_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pouch-compare-"))
    try:
        result = run(args.reps, args.pull_rows, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ours, pouch = result["ours"], result["pouch"]
    med = statistics.median
    bun = subprocess.run([str(BUN), "--version"], capture_output=True, text=True).stdout.strip()
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    load = statistics.median(result["load"])
    print(
        f"\nside by side, {os.cpu_count()} cores (1-minute load average {load:.1f} at the runs' "
        f"starts), {args.reps} runs each, alternating, medians (bun {bun}, node {node})"
    )
    print("| workload | ours (ms) | PouchDB (ms) | ratio ours / PouchDB |")
    print("|---|---|---|---|")
    for label, key in (
        ("push: 500-change offline backlog", "push_ms"),
        (f"pull: initial, {args.pull_rows:,}-row learner", "pull_ms"),
    ):
        a, b = med(ours[key]), med(pouch[key])
        print(f"| {label} | {a:,.0f} | {b:,.0f} | **{a / b:.2f}** |")
    print(
        f"\nall runs (ms): ours push {[round(x) for x in ours['push_ms']]}, pull "
        f"{[round(x) for x in ours['pull_ms']]} ({ours['pulled_rows'][0]:,} rows on the "
        f"device, reference and computed rows included; of each push, waiting on the server's "
        f"answers: {[round(x) for x in ours['push_wait_ms']]}); PouchDB push "
        f"{[round(x) for x in pouch['push_ms']]}, pull "
        f"{[round(x) for x in pouch['pull_ms']]} ({pouch['pulled_rows'][0]:,} documents)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
