"""Scripted sync clients over HTTP, as a device's sync core behaves: number mutations, push
them until the server answers, pull into a local replica, upload photos resumably.

Shared by the load test (bench/load_test.py), the fault harness (tests/scale/) and the
scale demo's smoke check. Plain httpx, one short connection per request when asked (so a
proxy in between can cut or repeat any one exchange).
"""

from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass, field

import httpx

from sync import project_rows
from sync.merge.project import ROW_TYPES

PUSH = "/api/sync/push"
PULL = "/api/sync/pull"
OCTETS = "application/offset+octet-stream"
RETRYABLE = (httpx.TransportError,)


class GaveUp(RuntimeError):
    """The server did not answer usefully within the client's retry budget."""


def login(http: httpx.Client, base: str, username: str, password: str = "waypoint",
          attempts: int = 20) -> tuple[str, dict]:
    """Sign in; returns (access token, user)."""
    for _ in range(attempts):
        try:
            resp = http.post(f"{base}/api/auth/login",
                             json={"username": username, "password": password})
        except RETRYABLE:
            time.sleep(0.2)
            continue
        if resp.status_code == 200:
            body = resp.json()
            return body["access_token"], body["user"]
        if resp.status_code < 500 and resp.status_code != 429:
            raise GaveUp(f"login {username}: {resp.status_code} {resp.text[:200]}")
        time.sleep(0.3)
    raise GaveUp(f"login {username}: no answer")


@dataclass
class Timing:
    """Latencies (seconds) per operation, and errors, of one client."""

    samples: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    causes: dict[str, int] = field(default_factory=dict)  # "push 502", "pull ReadTimeout"
    retries: int = 0

    def add(self, op: str, seconds: float) -> None:
        self.samples.setdefault(op, []).append(seconds)

    def error(self, op: str, cause: str | None = None) -> None:
        self.errors[op] = self.errors.get(op, 0) + 1
        if cause:
            key = f"{op} {cause}"
            self.causes[key] = self.causes.get(key, 0) + 1


@dataclass
class Device:
    """One browser profile of one signed-in user: client id, seq, outbox, replica, cursor."""

    base: str
    token: str
    user: dict
    http: httpx.Client
    skew_ms: int = 0  # how wrong this device's wall clock is
    client_id: str = field(default_factory=lambda: f"dev-{uuid.uuid4().hex[:20]}")
    seq: int = 0
    cursor: str | None = None
    replica: dict = field(default_factory=dict)
    acknowledged: dict = field(default_factory=dict)  # seq -> (mutation, status)
    timing: Timing = field(default_factory=Timing)
    deadline_s: float = 120.0  # give up retrying one request after this long
    counter: int = 0

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}", "X-Client-Id": self.client_id}

    def hlc(self) -> str:
        self.counter += 1
        wall = int(time.time() * 1000) + self.skew_ms
        return f"{wall:013d}-{self.counter:04d}-{self.client_id[-8:]}"

    def mutation(self, name: str, args: dict) -> dict:
        self.seq += 1
        return {"seq": self.seq, "name": name, "args": args, "hlc": self.hlc()}

    # ------------------------------------------------------------------ HTTP with retries

    def _request(self, op: str, method: str, path: str, **kwargs) -> httpx.Response:
        """Retry on a dropped connection or a 5xx, as the sync core does, until the deadline."""
        give_up = time.monotonic() + self.deadline_s
        delay = 0.05
        headers = {**self.headers, **kwargs.pop("headers", {})}
        while True:
            started = time.perf_counter()
            try:
                resp = self.http.request(method, f"{self.base}{path}", headers=headers,
                                         **kwargs)
                if resp.status_code < 500 and resp.status_code != 429:
                    self.timing.add(op, time.perf_counter() - started)
                    return resp
                self.timing.error(op, str(resp.status_code))
            except RETRYABLE as error:
                self.timing.error(op, type(error).__name__)
            self.timing.retries += 1
            if time.monotonic() > give_up:
                raise GaveUp(f"{op} {path}: no answer within {self.deadline_s}s")
            time.sleep(delay)
            delay = min(delay * 2, 1.0)

    def push(self, mutations: list[dict], op: str = "push") -> list[dict]:
        """Push a batch until answered; record every acknowledged mutation."""
        resp = self._request(op, "POST", PUSH,
                             json={"client_id": self.client_id, "mutations": mutations})
        if resp.status_code != 200:
            raise GaveUp(f"push: {resp.status_code} {resp.text[:300]}")
        body = resp.json()
        by_seq = {m["seq"]: m for m in mutations}
        for result in body["results"]:
            self.acknowledged[result["seq"]] = (by_seq[result["seq"]], result["status"])
        return body["results"]

    def pull(self, limit: int = 500, op: str = "pull", computed: bool = False) -> int:
        """Pull every page since the cursor into the replica; returns how many changes came."""
        count = 0
        while True:
            params = {"limit": limit}
            if computed:  # levels, topic progress, suggestions: what the JS core asks for
                params["computed"] = 1
            if self.cursor:
                params["cursor"] = self.cursor
            resp = self._request(op, "GET", PULL, params=params)
            if resp.status_code != 200:
                raise GaveUp(f"pull: {resp.status_code} {resp.text[:300]}")
            body = resp.json()
            for change in body["changes"]:
                self.replica[(change["type"], change["id"])] = change
            count += len(body["changes"])
            self.cursor = body["cursor"]
            if not body["has_more"]:
                return count

    def projection(self) -> dict:
        """The replica in sync.project_rows form (sync rows only, no reference rows)."""
        return project_rows([r for r in self.replica.values() if r["type"] in ROW_TYPES])

    def references(self, row_type: str) -> list[dict]:
        return [r for r in self.replica.values() if r["type"] == row_type and not r["deleted"]]

    # ------------------------------------------------------------------ blobs

    def upload(self, data: bytes, chunk: int = 16 * 1024, cut=None) -> str:
        """Upload resumably. `cut(offset, size) -> bytes to send before the line drops | None`."""
        sha = hashlib.sha256(data).hexdigest()
        while True:
            head = self._request("blob", "HEAD", f"/api/blobs/{sha}")
            if head.status_code == 200:
                return sha
            offset = int(head.headers.get("Upload-Offset", 0)) if head.status_code == 204 else 0
            piece = data[offset:offset + chunk]
            headers = {"Content-Type": OCTETS, "Upload-Offset": str(offset),
                       "Tus-Resumable": "1.0.0"}
            if offset == 0:
                headers["Upload-Length"] = str(len(data))
            partial = cut(offset, len(piece)) if cut else None
            if partial is not None:
                self._send_cut(sha, headers, piece, partial)
                continue
            resp = self._request("blob", "PATCH", f"/api/blobs/{sha}", content=piece,
                                 headers=headers)
            if resp.status_code not in (204, 409):
                raise GaveUp(f"upload: {resp.status_code} {resp.text[:300]}")

    def _send_cut(self, sha: str, headers: dict, piece: bytes, sent: int) -> None:
        """Send the headers and only `sent` bytes of the body, then drop the connection."""
        import socket
        from urllib.parse import urlsplit

        url = urlsplit(self.base)
        lines = [f"PATCH /api/blobs/{sha} HTTP/1.1", f"Host: {url.netloc}",
                 f"Content-Length: {len(piece)}", "Connection: close",
                 *(f"{k}: {v}" for k, v in {**self.headers, **headers}.items())]
        with socket.create_connection((url.hostname, url.port), timeout=5) as sock:
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + piece[:sent])
            sock.shutdown(socket.SHUT_RDWR)


def new_http(keepalive: bool = True, timeout: float = 30.0) -> httpx.Client:
    """An HTTP client; keepalive=False opens one connection per request."""
    limits = httpx.Limits(max_keepalive_connections=20 if keepalive else 0)
    headers = {} if keepalive else {"Connection": "close"}
    return httpx.Client(timeout=timeout, limits=limits, headers=headers)


def learner_lesson(device: Device, count: int, targets: list[int], activities: list[int],
                   start: int = 0) -> list[dict]:
    """`count` mutations of a learner's lesson: goals, picks, self-assessments, evidence."""
    sid = device.user["id"]
    out = []
    for i in range(start, start + count):
        kind = i % 4
        if kind == 0:
            args = {"id": str(uuid.uuid4()), "student_id": sid, "title": f"Goal {i}",
                    "target_ids": [targets[i % len(targets)]]}
            out.append(device.mutation("goal.put", args))
        elif kind == 1:
            args = {"id": str(uuid.uuid4()), "student_id": sid,
                    "activity_id": activities[i % len(activities)], "status": "picked"}
            out.append(device.mutation("pick.put", args))
        elif kind == 2:
            args = {"student_id": sid, "target_id": targets[i % len(targets)],
                    "level": float((i % 9) / 2)}
            out.append(device.mutation("self_assessment.put", args))
        else:
            args = {"id": str(uuid.uuid4()), "student_id": sid, "kind": "text",
                    "text": "I solved it two ways.", "caption": f"Work {i}",
                    "target_ids": [targets[i % len(targets)]], "submitted": True}
            out.append(device.mutation("evidence.put", args))
    return out
