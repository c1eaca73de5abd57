"""Run seeded histories against the real server, check them, shrink a failure.

    python -m tests.consistency --seeds 100 --jobs 3   # CI size (make test-consistency)
    python -m tests.consistency --seeds 1000 --size large   # by hand (make consistency)
    python -m tests.consistency --replay .cache/consistency/failures/seed-17.json

Each lane has one database and one API process (forked from the lane's zygote, again after
a kill -9; a fresh copy of the seeded database every `--block` runs); a lane's runs go one
after another, so "after quiescence" is true when a run ends.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

from deploy.clients import Device, login, new_http
from tests.consistency.checks import check, why
from tests.consistency.clients import JsDevice, PyDevice, _replica_rows
from tests.consistency.proxy import CheckerProxy, wait_push_in_flight
from tests.consistency.server import Server, fresh_database, make_pristine
from tests.consistency.workload import DAY_MS, OFFLINE_DAYS, Plan, World, make_plan

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "consistency"
# every fault kind of issue 16 item 2, as counted by run_plan (clock skew checked apart)
REQUIRED_FAULTS = (
    "proxy drop_request",
    "proxy drop_response",
    "proxy duplicate_request",
    "proxy duplicate_response",
    "proxy delay_request",
    "proxy delay_response",
    "proxy delay past the timeout (retry overtakes: reordered)",
    "server killed mid-push (kill -9)",
    "partitioned client",
    "device killed between its write and its push",
    "30 days offline",
)
FINAL = [{"op": "final", "max_ms": 120_000}, {"op": "wait"}, {"op": "final", "max_ms": 120_000}]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Session:
    """The server, the world and the sign-ins shared by the runs of one block."""

    def __init__(self, workdir: Path):
        CACHE.mkdir(parents=True, exist_ok=True)
        # made again whenever the models or the demo seed change
        digest = hashlib.sha256(
            b"".join(
                p.read_bytes()
                for p in sorted([*ROOT.glob("backend/models/*.py"), ROOT / "backend/seed.py"])
            )
        )
        self.pristine = CACHE / f"pristine-{digest.hexdigest()[:12]}.db"
        if not self.pristine.exists():
            for old in CACHE.glob("pristine*.db*"):
                old.unlink()
            make_pristine(self.pristine.resolve())
        self.workdir = workdir
        self.world = World.read(self.pristine)
        self.server: Server | None = None
        self.tokens: dict[str, tuple[str, dict]] = {}
        self.totals: Counter = Counter()

    def fresh_server(self) -> None:
        """A fresh copy of the pristine database, served by a new API process (forked from
        the lane's zygote: the database path stays the same)."""
        if self.server:
            self.server.stop()
        db = fresh_database(self.pristine, self.workdir / "waypoint.db")
        if not self.server:
            self.server = Server(db.resolve(), _free_port(), self.workdir / "server.log")
        self.server.start()
        self.tokens = {}
        self.forget()

    def forget(self) -> None:
        """Drop what runs carry over: device templates and the observers' replicas."""
        for path in self.workdir.glob("template-*.json"):
            path.unlink()
        self.py_templates: dict[str, tuple] = {}
        self.observers: dict[str, Device] = {}

    def sign_in(self, username: str) -> tuple[str, dict]:
        if username not in self.tokens:
            with httpx.Client(timeout=30) as http:
                self.tokens[username] = login(http, self.server.url, username)
        return self.tokens[username]

    def close(self) -> None:
        if self.server:
            self.server.close()


def _js_ops(plan_client) -> list[list[dict]]:
    """The ops of a JS device, split into the lives of its process (a kill starts another)."""
    ops = []
    for op in plan_client.ops:
        op = dict(op)
        if op["op"] == "mutate" and plan_client.offline30:
            op["skew_ms"] = -OFFLINE_DAYS * DAY_MS
        ops.append(op)
    waits = (
        [{"op": "live", "max_ms": 60_000}]
        if plan_client.partition_s or plan_client.offline30
        else []
    )
    if plan_client.die_after is None:
        return [ops + waits + FINAL]
    cut = plan_client.die_after + 1
    return [ops[:cut] + [{"op": "die"}], ops[cut:] + waits + FINAL]


def run_plan(session: Session, plan: Plan) -> tuple[list[str], list, Counter]:
    """Run one plan; returns (anomalies, histories, faults injected)."""
    faults: Counter = Counter()
    workdir = Path(tempfile.mkdtemp(prefix=f"seed{plan.seed}-", dir=session.workdir))
    server = session.server
    proxies, devices, threads = [], [], []
    barrier = threading.Barrier(len(plan.clients))
    for i, pc in enumerate(plan.clients):
        proxy = CheckerProxy(
            server.port, plan.rates, seed=plan.seed * 1000 + i, client_timeout=plan.timeout_s
        )
        proxy.__enter__()
        proxies.append(proxy)
        token, user = session.sign_in(pc.username)
        base = f"http://127.0.0.1:{proxy.port}"
        cut_off = bool(pc.partition_s or pc.offline30)
        if pc.skew_ms:
            faults[f"clock skew {pc.skew_ms // 3_600_000:+d} h"] += 1
        if pc.offline30:
            faults["30 days offline"] += 1
        if pc.partition_s:
            faults["partitioned client"] += 1
        if pc.kind == "js":
            dev = JsDevice(pc.name, base, token, user, workdir, pc.skew_ms)
            # a device of this account from an earlier run, as a new device: same replica
            # and cursor, new client id (so a run does not wait for a whole first sync)
            dev.start_from(session.workdir / f"template-{pc.username}.json")

            def healed(dev=dev, proxy=proxy, pc=pc):
                time.sleep(pc.partition_s or 0.5)
                dev.history.drain["healed"] = time.time()
                dev.history.drain["notice"] = pc.notice
                proxy.partitioned = False
                proxy.enabled = False  # healed: a working network, so the drain is the engine's
                if pc.notice:
                    dev.tell("online")

            dev.on_live = healed if cut_off else None

            def body(dev=dev, pc=pc, proxy=proxy, cut_off=cut_off):
                proxy.partitioned = cut_off
                lives = _js_ops(pc)
                first_dump = {"done": False}
                original = dev._event

                def on_event(ev):
                    original(ev)
                    if ev["ev"] == "dump" and not first_dump["done"]:
                        first_dump["done"] = True
                        barrier.wait(timeout=300)
                        dev.tell("go")

                dev._event = on_event
                try:
                    for k, ops in enumerate(lives):
                        if k:
                            faults["device killed between its write and its push"] += 1
                        dev.run(ops, timeout_ms=int(plan.timeout_s * 1000))
                except Exception as error:  # noqa: BLE001 - recorded as an anomaly, with the seed
                    dev.history.error = f"{type(error).__name__}: {error}"
                if not first_dump["done"]:  # it failed before its dump: do not hold the others
                    barrier.abort()
        else:
            dev = PyDevice(pc.name, base, token, user, pc.skew_ms, plan.timeout_s)
            if pc.username in session.py_templates:
                dev.device.cursor, replica = session.py_templates[pc.username]
                dev.device.replica = dict(replica)

            def body(dev=dev, pc=pc, proxy=proxy, cut_off=cut_off):
                try:
                    proxy.partitioned = cut_off
                    for op in pc.ops:
                        if op["op"] == "mutate":
                            dev.write(op, -OFFLINE_DAYS * DAY_MS if pc.offline30 else None)
                        elif op["op"] == "flush" and not cut_off:
                            dev.flush()
                    if cut_off:
                        time.sleep(pc.partition_s or 0.5)
                        proxy.partitioned = False
                    dev.flush()
                    barrier.wait(timeout=300)
                    dev.final()
                except Exception as error:  # noqa: BLE001 - recorded as an anomaly, with the seed
                    dev.history.error = f"{type(error).__name__}: {error}"
                    barrier.abort()

        dev.history.user = {**user, "username": pc.username}
        devices.append(dev)
        threads.append(threading.Thread(target=body, daemon=True))
    for t in threads:
        t.start()
    server_back = 0.0
    if plan.kill_server and wait_push_in_flight(
        proxies, timeout=60, done=lambda: not any(t.is_alive() for t in threads)
    ):
        server.kill9()
        faults["server killed mid-push (kill -9)"] += 1
        server.start()
        server_back = time.time()
    for t in threads:
        t.join(timeout=600)
    for dev in devices:  # a network that healed while the server was restarting: from then
        if "healed" in dev.history.drain:
            dev.history.drain["healed"] = max(dev.history.drain["healed"], server_back)
    for p in proxies:
        for mode, n in p.counts.items():
            if mode not in ("pass", "upstream_error"):
                faults[f"proxy {mode}"] += n
        p.__exit__()
    histories = [d.history for d in devices]
    pulls = {}
    for username in {h.user["username"] for h in histories}:
        # the server's truth: an observer per account pulling straight from the server (no
        # proxy, no faults); the first of a block pulls from the start
        if username not in session.observers:
            token, user = session.sign_in(username)
            session.observers[username] = Device(server.url, token, user, new_http(timeout=60))
        observer = session.observers[username]
        observer.pull(limit=1000)
        pulls[username] = _replica_rows(observer.replica.values())
    truth = {}
    for rows in pulls.values():
        truth.update(rows)
    anomalies = check(histories, truth, pulls)
    if not anomalies:  # the next run of these accounts starts from where this one ended
        for dev in devices:
            name = dev.history.user["username"]
            if isinstance(dev, JsDevice) and dev.state.exists():
                shutil.copyfile(dev.state, session.workdir / f"template-{name}.json")
            elif isinstance(dev, PyDevice):
                session.py_templates[name] = (dev.device.cursor, dict(dev.device.replica))
    else:
        session.forget()
    shutil.rmtree(workdir, ignore_errors=True)
    return anomalies, histories, faults


def shrink(session: Session, plan: Plan, budget_s: float = 180.0) -> Plan:
    """Drop faults, then operations, one at a time, keeping each drop that still fails."""
    give_up = time.monotonic() + budget_s

    def fails(candidate: Plan) -> bool:
        candidate = copy.deepcopy(candidate)
        return bool(run_plan(session, candidate)[0])

    best = copy.deepcopy(plan)
    steps = [("kill_server", None)] + [
        (i, f)
        for i in range(len(best.clients))
        for f in ("die_after", "partition_s", "offline30", "skew_ms")
    ]
    for who, what in steps:
        if time.monotonic() > give_up:
            return best
        trial = copy.deepcopy(best)
        if who == "kill_server":
            if not trial.kill_server:
                continue
            trial.kill_server = False
        else:
            c = trial.clients[who]
            if not getattr(c, what):
                continue
            setattr(c, what, None if what == "die_after" else type(getattr(c, what))())
        if fails(trial):
            best = trial
    for rates in ({},):
        trial = copy.deepcopy(best)
        trial.rates = rates
        if time.monotonic() < give_up and fails(trial):
            best = trial
    for ci in range(len(best.clients)):
        i = 0
        while i < len(best.clients[ci].ops) and time.monotonic() < give_up:
            trial = copy.deepcopy(best)
            c = trial.clients[ci]
            del c.ops[i]
            if c.die_after is not None:
                writes = [k for k, op in enumerate(c.ops) if op["op"] == "mutate"]
                c.die_after = (
                    None if not writes else (c.die_after if c.die_after < i else c.die_after - 1)
                )
                if c.die_after is not None and c.die_after not in writes:
                    c.die_after = None
            if fails(trial):
                best = trial
            else:
                i += 1
    return best


def report_failure(session: Session, plan: Plan, anomalies: list[str], do_shrink: bool) -> Path:
    print(f"\nFAIL seed {plan.seed}: {len(anomalies)} anomalies")
    for a in anomalies[:20]:
        print("  -", a)
    minimal = shrink(session, plan) if do_shrink else plan
    again, histories, _ = run_plan(session, copy.deepcopy(minimal))
    out = CACHE / "failures" / f"seed-{plan.seed}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps({"plan": minimal.describe(), "anomalies": again or anomalies}, indent=1)
    )
    print(
        f"minimal history (seed {plan.seed}; "
        f"{'still fails' if again else 'did not fail this time'}):"
    )
    for h in histories:
        for m in h.written:
            ans = h.answers.get(m["hlc"], [{}])[0]
            print(
                f"  {h.name} ({h.user['username']}, {h.kind}) seq {m['seq']} {m['name']} "
                f"{json.dumps(m['args'])}"
                f" skew {m['skew_ms']:+d} -> {ans.get('status')} {why(ans)}"
            )
    for a in again[:20]:
        print("  -", a)
    print(f"replay: .venv/bin/python -m tests.consistency --replay {out.relative_to(ROOT)}")
    return out


def plan_from_file(path: Path, world: World) -> Plan:
    from tests.consistency.workload import Client

    saved = json.loads(Path(path).read_text())["plan"]
    plan = make_plan(saved["seed"], world, saved.get("size", "ci"))
    plan.kill_server = saved["kill_server"]
    plan.clients = [Client(**c) for c in saved["clients"]]
    return plan


class Tally:
    """What every lane ran, injected and found (lanes report here under one lock)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.failed: list[int] = []
        self.written = self.answered = self.checked = 0
        self.faults: Counter = Counter()
        self.kinds: Counter = Counter()  # mutations written, by name
        self.drains: list[float] = []
        self.retries: list[float] = []
        self.seconds: list[tuple[float, int]] = []  # (wall time, seed) of every run
        self.stopped = False  # --stop-after: some seeds were not started

    def add(
        self, seed: int, anomalies: list, histories: list, injected: Counter, took: float
    ) -> None:
        with self.lock:
            self.seconds.append((took, seed))
            self.faults += injected
            self.checked += 1
            self.written += sum(len(h.written) for h in histories)
            self.kinds.update(m["name"] for h in histories for m in h.written)
            self.answered += sum(1 for h in histories for m in h.written if h.answers.get(m["hlc"]))
            for h in histories:
                if h.drain.get("seconds") is not None:
                    self.drains.append(h.drain["seconds"])
                if h.drain.get("retry_seconds") is not None:
                    self.retries.append(h.drain["retry_seconds"])
            if anomalies:
                self.failed.append(seed)


def _lane(args, seeds: list[int], workdir: Path, tally: Tally, started: float) -> None:
    """One server and database; its seeds one after another (quiescence between runs)."""
    session = Session(workdir)
    try:
        for n, seed in enumerate(seeds):
            if args.stop_after and time.monotonic() - started > args.stop_after:
                tally.stopped = True
                break
            if n % args.block == 0:
                session.fresh_server()
            if args.replay:
                plan = plan_from_file(args.replay, session.world)
            else:
                salt = int.from_bytes(os.urandom(16), "big")
                plan = make_plan(
                    seed, session.world, args.size, salt, not args.skip_silent_partitions
                )
            began = time.monotonic()
            anomalies, histories, injected = run_plan(session, plan)
            tally.add(seed, anomalies, histories, injected, time.monotonic() - began)
            if anomalies:
                with tally.lock:  # one report at a time, whole
                    report_failure(session, plan, anomalies, not args.no_shrink and not args.replay)
                session.fresh_server()
            if tally.checked % 10 == 0:
                took = time.monotonic() - started
                print(
                    f"  {tally.checked} runs, {len(tally.failed)} failing, {took:.0f} s", flush=True
                )
    finally:
        session.close()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m tests.consistency",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--seeds", type=int, default=100, help="how many seeded runs")
    parser.add_argument("--first", type=int, default=1, help="first seed")
    parser.add_argument("--seed", type=int, help="run only this seed")
    parser.add_argument("--size", choices=("ci", "large"), default="ci")
    parser.add_argument(
        "--jobs", type=int, default=1, help="lanes: each its own server and database"
    )
    parser.add_argument("--block", type=int, default=50, help="runs per fresh database")
    parser.add_argument("--replay", type=Path, help="a saved minimal history")
    parser.add_argument("--no-shrink", action="store_true")
    parser.add_argument(
        "--stop-after",
        type=float,
        help="by hand: start no new seed after this many seconds, report the seeds that ran",
    )
    parser.add_argument(
        "--skip-silent-partitions",
        action="store_true",
        help="every partition ends with an online event (known anomaly A1, docs/benchmarks.md)",
    )
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="consistency-"))
    Session(workdir)  # the pristine database, once, before the lanes start
    started = time.monotonic()
    if args.replay:
        seeds = [json.loads(args.replay.read_text())["plan"]["seed"]]
    elif args.seed is not None:
        seeds = [args.seed]
    else:
        seeds = list(range(args.first, args.first + args.seeds))
    tally = Tally()
    jobs = max(1, min(args.jobs, len(seeds)))
    lanes = [
        threading.Thread(
            target=_lane, args=(args, seeds[i::jobs], workdir / f"lane{i}", tally, started)
        )
        for i in range(jobs)
    ]
    for i, lane in enumerate(lanes):
        (workdir / f"lane{i}").mkdir()
        lane.start()
    for lane in lanes:
        lane.join()
    shutil.rmtree(workdir, ignore_errors=True)
    took = time.monotonic() - started
    failed = sorted(tally.failed)
    ran = sorted(seed for _, seed in tally.seconds)
    if tally.stopped:
        print(f"\n--stop-after {args.stop_after:.0f} s: {len(ran)} of {len(seeds)} seeds ran")
    print(
        f"\nconsistency: {tally.checked} seeded runs ({args.size}, seeds {_ranges(ran)}, "
        f"{jobs} lanes) in {took:.0f} s; {tally.written} mutations written, {tally.answered} "
        f"answered; runs with anomalies: {len(failed)}" + (f" (seeds {failed})" if failed else "")
    )
    print("faults injected: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.faults.items())))
    print("mutations by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.kinds.items())))
    if tally.seconds:
        runs = sorted(tally.seconds)
        print(
            f"a run's wall time: median {runs[len(runs) // 2][0]:.1f} s, max {runs[-1][0]:.1f} s"
            f" (seed {runs[-1][1]})"
        )
    missing = []
    if len(ran) >= 100 and not args.replay:
        # the CI size must exercise every fault the issue names, or it proves nothing of it
        missing = [k for k in REQUIRED_FAULTS if not tally.faults.get(k)]
        if not any(k.startswith("clock skew") for k in tally.faults):
            missing.append("clock skew")
        for k in missing:
            print(f"FAIL: fault never injected in {len(ran)} runs: {k}")
    if tally.drains:
        drains, retries = sorted(tally.drains), sorted(tally.retries) or [float("nan")]
        print(
            f"after a partition healed ({len(drains)} times): first push try median "
            f"{retries[len(retries) // 2]:.1f} s, max {retries[-1]:.1f} s (limit 10 s); outbox "
            f"empty median {drains[len(drains) // 2]:.1f} s, max {drains[-1]:.1f} s"
        )
    return 1 if failed or missing or (tally.checked < len(seeds) and not tally.stopped) else 0


def _ranges(seeds: list[int]) -> str:
    """[1, 2, 3, 7, 9, 10] -> '1-3, 7, 9-10'."""
    spans: list[list[int]] = []
    for s in seeds:
        if spans and s == spans[-1][1] + 1:
            spans[-1][1] = s
        else:
            spans.append([s, s])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans) or "none"
