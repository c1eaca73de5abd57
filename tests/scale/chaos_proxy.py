"""A small loopback TCP proxy that loses and repeats HTTP exchanges on purpose.

One request per connection (the clients send `Connection: close`). Per connection it picks:

* pass — forward the request, return the answer;
* drop_response — forward the request, let the server act on it, then hang up without
  an answer (the device cannot know its push was applied);
* duplicate_request — send the same request to the server twice, return the second answer
  (what a retrying middlebox does);
* duplicate_response — return the answer twice on the connection (the client must read
  exactly one).
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
from collections import Counter

MODES = ("pass", "drop_response", "duplicate_request", "duplicate_response")


def _read_request(conn: socket.socket) -> tuple[bytes, bool]:
    """The request's bytes, and whether all of them came (a cut upload sends fewer)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data, False
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body, len(body) >= length


def _close_header(request: bytes) -> bytes:
    """Make the upstream close after its answer, so 'read to EOF' is one whole response."""
    head, _, body = request.partition(b"\r\n\r\n")
    lines = [ln for ln in head.split(b"\r\n") if not ln.lower().startswith(b"connection:")]
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body


class ChaosProxy:
    """Listen on a free loopback port; forward to `upstream_port` with faults at `rates`."""

    def __init__(self, upstream_port: int, rates: dict[str, float], seed: int = 7):
        self.upstream = ("127.0.0.1", upstream_port)
        self.rates = rates
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.enabled = True
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(256)
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> ChaosProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self.sock.close()
        self._thread.join(timeout=5)

    def _mode(self) -> str:
        with self.lock:
            if not self.enabled:
                return "pass"
            roll = self.rng.random()
            for mode in MODES[1:]:
                roll -= self.rates.get(mode, 0.0)
                if roll < 0:
                    return mode
            return "pass"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _exchange(self, request: bytes, complete: bool = True) -> bytes:
        with socket.create_connection(self.upstream, timeout=120) as up:
            up.sendall(request)
            if not complete:  # the client hung up mid-body: so does the proxy, upstream
                up.shutdown(socket.SHUT_WR)
            chunks = []
            while chunk := up.recv(65536):
                chunks.append(chunk)
            return b"".join(chunks)

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(120)
            try:
                request, complete = _read_request(conn)
                if not request:
                    return
                request = _close_header(request)
                if not complete:
                    self._exchange(request, complete=False)
                    with self.lock:
                        self.counts["cut_request"] += 1
                    return
                mode = self._mode()
                response = self._exchange(request)
                if mode == "duplicate_request":
                    response = self._exchange(request)
                with self.lock:
                    self.counts[mode] += 1
                if mode == "drop_response":
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                    b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST, not FIN
                    return
                conn.sendall(response * (2 if mode == "duplicate_response" else 1))
            except OSError:
                with self.lock:
                    self.counts["upstream_error"] += 1
