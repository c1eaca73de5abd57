"""The checker's devices: the real JS sync core in a bun process, and Python devices.

Both record the same history: every mutation written (client id, seq, stamp, name, args,
skew) and every answer the server gave to it, keyed by the stamp the device sent (a JS
device may renumber its pending seqs after a `seq_gap`; its stamps never change).
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from deploy.clients import Device, new_http
from sync.merge.profile import live_versions, profile_section_id
from sync.merge.project import ROW_TYPES

ROOT = Path(__file__).resolve().parents[2]
BUN = ROOT / ".tools" / "node_modules" / ".bin" / "bun"
DRIVER = Path(__file__).with_name("driver.js")


@dataclass
class History:
    """What one device did and was told."""

    name: str
    kind: str
    user: dict
    client_ids: set = field(default_factory=set)
    written: list = field(default_factory=list)  # {client_id, seq, hlc, name, args, skew_ms}
    answers: dict = field(default_factory=dict)  # hlc -> [result, …] in order received
    replica: dict | None = None  # (type, id) -> {version, deleted, data}
    local_left: int = 0  # rows still showing an unanswered local write at the end
    pending_left: int = 0
    drain: dict = field(default_factory=dict)  # live: {"healed": t, "drained": t | None}
    events: list = field(default_factory=list)  # raw lines (js), for the failure report
    deaths: int = 0
    error: str | None = None
    sync_error: str | None = None


def _replica_rows(rows) -> dict:
    return {
        (r["type"], str(r["id"])): {
            "version": r["version"],
            "deleted": bool(r["deleted"]),
            "data": r["data"],
        }
        for r in rows
        if r["type"] in ROW_TYPES
    }


class JsDevice:
    """Runs driver.js (possibly several times: a killed device starts again on its state)."""

    def __init__(self, name: str, base: str, token: str, user: dict, workdir: Path, skew_ms: int):
        self.base, self.token, self.user, self.skew = base, token, user, skew_ms
        self.state = workdir / f"{name}.idb.json"
        self.spec = workdir / f"{name}.spec.json"
        self.history = History(name, "js", user)
        self.proc: subprocess.Popen | None = None
        self.on_live = None  # callback when the device starts waiting for the network

    def start_from(self, template: Path) -> None:
        """Begin with an earlier device's database, as a new device: replica and cursor kept;
        client id, seqs, clock, outbox and server copies dropped (the next write makes them)."""
        if not template.exists():
            return
        saved = json.loads(template.read_text())
        keep = {"cursor", "first_sync", "last_synced_at"}
        saved["meta"] = [m for m in saved.get("meta", []) if m["key"] in keep]
        saved["outbox"], saved["shadow"] = [], []
        if any(r.get("local") for r in saved.get("rows", [])):
            return  # not a quiet replica: start empty instead
        self.state.write_text(json.dumps(saved))

    def run(self, ops: list[dict], timeout_ms: int = 5000) -> None:
        """Run `ops` to the end or to the device's death; record every event."""
        self.spec.write_text(
            json.dumps(
                {
                    "base": self.base,
                    "token": self.token,
                    "user": self.user,
                    "state": str(self.state),
                    "skew_ms": self.skew,
                    "ops": ops,
                    "timeout_ms": timeout_ms,
                    "name": "device",
                }
            )
        )
        self.proc = subprocess.Popen(
            [str(BUN), str(DRIVER), str(self.spec)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        for line in self.proc.stdout:
            self._event(json.loads(line))
        err = self.proc.stderr.read()
        code = self.proc.wait()
        if code == -9:
            self.history.deaths += 1
        elif code != 0:
            self.history.error = f"driver exited {code}: {err[-2000:]}"

    def tell(self, word: str) -> None:
        if self.proc and self.proc.poll() is None:
            try:
                self.proc.stdin.write(word + "\n")
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError):
                pass

    def _event(self, ev: dict) -> None:
        h = self.history
        h.events.append(ev)
        kind = ev["ev"]
        if kind == "start":
            h.client_ids.add(ev["client_id"])
            self.client_id = ev["client_id"]
        elif kind == "written":
            h.written.append(
                {
                    "client_id": self.client_id,
                    "seq": ev["seq"],
                    "hlc": ev["hlc"],
                    "name": ev["name"],
                    "args": ev["args"],
                    "skew_ms": ev["skew_ms"],
                }
            )
        elif kind == "results":
            for r in ev["results"]:
                h.answers.setdefault(r.get("hlc_sent"), []).append(r)
        elif kind == "live" and self.on_live:
            threading.Thread(target=self.on_live, daemon=True).start()
        elif kind == "push_attempt":
            h.drain.setdefault("attempts", []).append(ev["t"] / 1000)
        elif kind in ("drained", "not_drained"):
            h.drain["drained"] = ev["t"] / 1000 if kind == "drained" else None
        elif kind == "dump":
            ev.update(json.loads(Path(ev.pop("file")).read_text()))
            h.replica = _replica_rows([r for r in ev["rows"] if not r["local"]])
            h.local_left = sum(1 for r in ev["rows"] if r["local"])
            h.pending_left = sum(1 for e in ev["outbox"] if e["status"] == "pending")
            # the last dump speaks: it comes after every device drained (quiescence)
            h.sync_error = None if ev["drained"] else f"no whole sync at the end: {ev.get('error')}"


class PyDevice:
    """deploy.clients.Device with a history: it pushes what it queued, retrying until answered."""

    def __init__(
        self, name: str, base: str, token: str, user: dict, skew_ms: int, timeout_s: float = 5.0
    ):
        # a lost answer times out; the retry may overtake it
        http = new_http(keepalive=False, timeout=timeout_s)
        self.device = Device(base, token, user, http, skew_ms=skew_ms, deadline_s=180.0)
        self.history = History(name, "py", user, {self.device.client_id})
        self.queue: list[dict] = []
        self.replica_bases: dict = {}

    def write(self, op: dict, skew_ms: int | None = None) -> None:
        d = self.device
        args = dict(op["args"])
        if op.get("if_shown") and (op["if_shown"], str(args["id"])) not in d.replica:
            return  # a person answers only what their screen shows
        if op.get("base_from_replica"):
            versions = [
                r["version"]
                for (t, _), r in d.replica.items()
                if t == "rating"
                and str(r["data"].get("student_id")) == str(args["student_id"])
                and str(r["data"].get("target_id")) == str(args["target_id"])
            ]
            args["base_version"] = max(versions, default=0)
        if op.get("seen_from_replica"):  # the versions of the section this device shows
            shown = d.replica.get(("profile_section",
                                   profile_section_id(args["student_id"], args["section"])))
            args["seen"] = [v["hlc"] for v in live_versions(shown["data"] if shown else None)]
        saved = d.skew_ms
        if skew_ms is not None:
            d.skew_ms = skew_ms
        m = d.mutation(op["name"], args)
        d.skew_ms = saved
        self.queue.append(m)
        self.history.written.append(
            {
                "client_id": d.client_id,
                "seq": m["seq"],
                "hlc": m["hlc"],
                "name": m["name"],
                "args": args,
                "skew_ms": skew_ms if skew_ms is not None else saved,
            }
        )

    def flush(self) -> None:
        """Push everything queued (until answered), then pull."""
        if self.queue:
            by_seq = {m["seq"]: m for m in self.queue}
            for r in self.device.push(self.queue):
                m = by_seq.get(r["seq"])
                self.history.answers.setdefault(m["hlc"] if m else None, []).append(r)
            self.queue = []
        self.device.pull(computed=False)

    def final(self) -> None:
        self.flush()
        self.history.replica = _replica_rows(self.device.replica.values())


def now() -> float:
    return time.time()
