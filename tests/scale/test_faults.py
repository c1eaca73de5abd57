"""Fault harness: scripted devices push and pull through gunicorn + PostgreSQL while things
break, then the books must balance.

Faults, all while clients are pushing: (a) `kill -9` of an API worker with a push in flight,
(b) a PostgreSQL restart, (c) responses dropped and requests/responses duplicated by our own
TCP proxy (tests/scale/chaos_proxy.py), (d) device clocks ±24 h off, (e) blob uploads cut
at random offsets. After quiescence: every acknowledged mutation is in the database exactly
once, every replica equals a fresh pull of the server, and no partial blob was ever served.

Small in CI (`make test-faults`, ~1 minute); by hand: `FAULTS_SIZE=large make test-faults`.
"""

import io
import os
import random
import signal
import threading
import time
from collections import Counter

import pytest
from PIL import Image
from sqlalchemy import create_engine, text

from deploy.clients import Device, learner_lesson, login, new_http
from deploy.topology import Gunicorn, app_env, migrate_and_seed
from sync.merge.common import event_id
from tests.scale.chaos_proxy import ChaosProxy

pytestmark = [pytest.mark.faults]

SIZES = {
    "small": {"devices": 8, "mutations": 40, "batch": 5, "uploads": 3, "kills": 2},
    "large": {"devices": 48, "mutations": 200, "batch": 10, "uploads": 16, "kills": 6},
}
SIZE = SIZES[os.environ.get("FAULTS_SIZE", "small")]
PROXY_RATES = {"drop_response": 0.08, "duplicate_request": 0.08, "duplicate_response": 0.05}
DAY_MS = 24 * 3600 * 1000
WORKERS = 3


@pytest.fixture(scope="module")
def topology(scale_state, pg_server, redis_server, s3_server):
    env = app_env(pg_server, redis_server, s3_server, scale_state, "fault-harness-" + "k" * 32)
    env.update(LOGIN_RATE_LIMIT="10000 per minute", GUNICORN_TIMEOUT="30", DB_POOL_TIMEOUT="5")
    migrate_and_seed(env)
    api = Gunicorn(scale_state, env, workers=WORKERS, name="gunicorn-faults").start()
    api.wait_workers(WORKERS)
    yield {"api": api, "pg": pg_server, "s3": s3_server}
    api.stop()


def _photo(rng: random.Random) -> bytes:
    """A noisy JPEG (~40-70 KB): several chunks, and a type the server accepts."""
    image = Image.frombytes("RGB", (200, 150), rng.randbytes(200 * 150 * 3))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=85)
    return buf.getvalue()


class Faults:
    """What was injected; the test's assertions are what 'survived' means."""

    def __init__(self):
        self.counts: Counter[str] = Counter()
        self.in_flight = 0
        self.lock = threading.Lock()

    def push_started(self):
        with self.lock:
            self.in_flight += 1

    def push_ended(self):
        with self.lock:
            self.in_flight -= 1


def _injector(topology, faults: Faults, stop: threading.Event, rng: random.Random):
    """Kill a worker mid-push now and then; restart PostgreSQL once, halfway."""
    api, pg = topology["api"], topology["pg"]
    kills, restarted = 0, False
    while not stop.is_set():
        time.sleep(rng.uniform(0.5, 1.5))
        if kills < SIZE["kills"] and faults.in_flight > 0:
            workers = api.worker_pids()
            if workers:
                try:
                    os.kill(rng.choice(workers), signal.SIGKILL)
                    faults.counts["worker killed mid-push (kill -9)"] += 1
                    kills += 1
                except ProcessLookupError:
                    pass
        if not restarted and kills >= SIZE["kills"] // 2 and faults.in_flight > 0:
            pg.restart("fast")
            faults.counts["PostgreSQL restarted"] += 1
            restarted = True


def _learner_run(device: Device, targets, activities, faults: Faults):
    total, batch = SIZE["mutations"], SIZE["batch"]
    for start in range(0, total, batch):
        mutations = learner_lesson(device, min(batch, total - start), targets, activities, start)
        faults.push_started()
        try:
            device.push(mutations)
        finally:
            faults.push_ended()
        if (start // batch) % 2:
            device.pull()


def _uploader(device: Device, data: bytes, rng: random.Random, faults: Faults, seen: list):
    """Upload with the line cut at random offsets while a watcher tries to read the blob."""
    cuts = {"left": 2}

    def cut(offset, size):
        if cuts["left"] and size > 1 and rng.random() < 0.5:
            cuts["left"] -= 1
            faults.counts["blob upload cut mid-chunk"] += 1
            return rng.randrange(1, size)
        return None

    done = threading.Event()
    import hashlib

    sha = hashlib.sha256(data).hexdigest()

    def watch():
        http = new_http()
        while not done.is_set():
            try:
                resp = http.get(f"{device.base}/api/blobs/{sha}", headers=device.headers)
                seen.append((sha, resp.status_code, resp.content if resp.status_code == 200
                             else b""))
            except Exception:  # noqa: BLE001 — a killed worker mid-read; try again
                pass
            time.sleep(0.02)
        http.close()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        device.upload(data, chunk=8 * 1024, cut=cut)
    finally:
        done.set()
        watcher.join(5)
    return sha


def test_nothing_acknowledged_is_lost_and_replicas_converge(topology, capsys):
    started = time.monotonic()
    rng = random.Random(20240601)
    api = topology["api"]
    faults = Faults()
    with ChaosProxy(api.port, PROXY_RATES, seed=11) as proxy:
        base = f"http://127.0.0.1:{proxy.port}"
        direct = new_http()
        devices: list[Device] = []
        for i in range(SIZE["devices"]):
            username = "student" if i == 0 else f"student{2 + i % 23}"
            token, user = login(direct, api.url, username)
            skew = (0, DAY_MS, -DAY_MS)[i % 3]
            if skew:
                faults.counts["device clock skewed ±24 h"] += 1
            devices.append(Device(base, token, user, new_http(keepalive=False), skew_ms=skew))
        devices[0].pull()
        targets = sorted(int(r["id"]) for r in devices[0].references("target"))
        activities = sorted(int(r["id"]) for r in devices[0].references("activity"))
        assert targets and activities
        with create_engine(topology["pg"].url).connect() as conn:
            self_events_before = conn.execute(text(
                "SELECT count(*) FROM assessment_events WHERE source = 'self'")).scalar()

        stop = threading.Event()
        injector = threading.Thread(target=_injector, args=(topology, faults, stop, rng),
                                    daemon=True)
        errors: list[BaseException] = []

        def guarded(fn, *args):
            try:
                fn(*args)
            except BaseException as exc:  # noqa: BLE001 — reported by the main thread
                errors.append(exc)

        seen: list = []
        shas: list[str] = []
        threads = [threading.Thread(target=guarded, args=(_learner_run, d, targets,
                                                          activities, faults))
                   for d in devices]
        threads += [threading.Thread(target=guarded, args=(
            lambda d, data: shas.append((_uploader(d, data, rng, faults, seen), d)),
            devices[i % len(devices)], _photo(rng))) for i in range(SIZE["uploads"])]
        injector.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        stop.set()
        injector.join(timeout=120)
        assert not errors, errors
        # upstream_error is a consequence (a killed worker's connections), not an injection
        faults.counts.update({f"proxy: {k}": v for k, v in proxy.counts.items()
                              if k not in ("pass", "cut_request", "upstream_error")})
        lost_upstream = proxy.counts["upstream_error"]

        # quiescence: no more faults, everyone pulls to the end
        proxy.enabled = False
        for device in devices:
            device.pull()

    # (1) every mutation was acknowledged, and applied (never rejected for the faults)
    statuses = Counter(status for d in devices for _m, status in d.acknowledged.values())
    assert sum(statuses.values()) == SIZE["devices"] * SIZE["mutations"], statuses
    assert set(statuses) <= {"applied", "duplicate"}, statuses
    # ... and is in the database exactly once
    by_type: dict[str, dict] = {"goal.put": {}, "pick.put": {}, "evidence.put": {}}
    expected_events = []
    for d in devices:
        for seq, (mutation, _status) in d.acknowledged.items():
            if mutation["name"] in by_type:
                by_type[mutation["name"]][mutation["args"]["id"]] = mutation["args"]
            else:
                expected_events.append(event_id(d.client_id, seq))
    with create_engine(topology["pg"].url).connect() as conn:
        for name, table, column in (("goal.put", "goals", "title"),
                                    ("pick.put", "picks", "status"),
                                    ("evidence.put", "evidence", "caption")):
            rows = dict(conn.execute(text(f"SELECT id, {column} FROM {table} WHERE id = ANY(:ids)"),
                                     {"ids": list(by_type[name])}).all())
            want = {k: v[{"goals": "title", "picks": "status", "evidence": "caption"}[table]]
                    for k, v in by_type[name].items()}
            assert rows == want, name
        found = conn.execute(text("SELECT count(*) FROM assessment_events WHERE id = ANY(:ids)"),
                             {"ids": expected_events}).scalar()
        assert found == len(expected_events)
        self_events = conn.execute(text(
            "SELECT count(*) FROM assessment_events WHERE source = 'self'")).scalar()
        assert self_events - self_events_before == len(expected_events)  # none twice
        recorded = conn.execute(text("SELECT count(*) FROM sync_mutations WHERE client_id = "
                                     "ANY(:ids)"), {"ids": [d.client_id for d in devices]}).scalar()
        assert recorded == SIZE["devices"] * SIZE["mutations"]

    # (2) every replica equals a fresh pull of the server, for its user
    for d in devices:
        fresh = Device(api.url, d.token, d.user, direct, client_id=d.client_id)
        fresh.pull()
        assert d.projection() == fresh.projection(), d.user["username"]

    # (3) no partial blob was ever served; every finished one is whole
    assert len(shas) == SIZE["uploads"]
    finals = {}
    for sha, uploader in shas:
        resp = direct.get(f"{api.url}/api/blobs/{sha}", headers=uploader.headers)
        assert resp.status_code == 200
        Image.open(io.BytesIO(resp.content)).load()
        finals[sha] = resp.content
    served = [(sha, body) for sha, status, body in seen if status == 200]
    assert all(body == finals[sha] for sha, body in served)
    # while a worker is killed or PostgreSQL restarts a read may fail (5xx); never a partial
    assert {status for _s, status, _b in seen if status < 500} <= {200, 404}
    leftovers = topology["s3"].client().list_objects_v2(Bucket=topology["s3"].BUCKET,
                                                        Prefix="partial/")
    assert leftovers.get("KeyCount", 0) == 0, [(o["Key"], o["Size"]) for o in
                                                leftovers.get("Contents", [])]

    retries = sum(d.timing.retries for d in devices)
    with capsys.disabled():  # the tally is the point of a by-hand run: always show it
        print(f"\nfault harness ({os.environ.get('FAULTS_SIZE', 'small')}): "
              f"{SIZE['devices']} devices x {SIZE['mutations']} mutations, "
              f"{SIZE['uploads']} uploads; client retries {retries}; "
              f"{time.monotonic() - started:.0f} s")
        for name, count in sorted(faults.counts.items()):
            print(f"  {name:<40} injected {count:>4}  survived {count:>4}")
        print(f"  blob reads during uploads: {len(seen)} (200 only when whole: "
              f"{len(served)}); connections lost upstream: {lost_upstream}")
