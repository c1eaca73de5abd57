"""The project's chaos proxy (tests/scale/chaos_proxy.py) plus what the checker also needs.

Added here, not there, so the fault harness keeps its numbers: a request can be *delayed*
before it is forwarded (a client that gives up and retries then sees its retry overtake
the original: reordered requests), *dropped* before the server sees it, or its answer
delayed; and a proxy can be *partitioned* (every connection refused at once, as an
unreachable server looks) and healed. Each client gets a proxy of its own, so one client
can be cut off while the others carry on. `in_flight_pushes` lets the fault injector kill
the server while a push is inside it.
"""

from __future__ import annotations

import contextlib
import socket
import time

from tests.scale.chaos_proxy import ChaosProxy, _close_header, _read_request

MODES = (
    "pass",
    "drop_response",
    "duplicate_request",
    "duplicate_response",
    "drop_request",
    "delay_request",
    "delay_response",
)


class CheckerProxy(ChaosProxy):
    """A ChaosProxy with delays, dropped requests, a partition switch and a push counter."""

    def __init__(
        self,
        upstream_port: int,
        rates: dict[str, float],
        seed: int,
        max_delay: float = 1.0,
        client_timeout: float = 5.0,
    ):
        super().__init__(upstream_port, rates, seed)
        self.max_delay = max_delay
        self.long_delay = client_timeout + 1.0  # > the devices' request timeout
        self.partitioned = False
        self.in_flight_pushes = 0
        self.pushes_seen = 0

    def __exit__(self, *exc) -> None:
        """Stop at once: on Linux closing a listening socket does not wake a thread blocked
        in accept(), so the base class waited its whole 5 s join timeout (10–15 s a run);
        shutdown() does wake it."""
        self._stop.set()
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
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

    def _delay(self) -> float:
        """Mostly short; one in five outlasts the client's timeout, so its retry overtakes it."""
        with self.lock:
            if self.rng.random() < 0.2:
                self.counts["delay past the timeout (retry overtakes: reordered)"] += 1
                return self.long_delay
            return self.rng.uniform(0.05, self.max_delay)

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            if self.partitioned:  # unreachable: the connection opens and dies at once
                conn.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
                with self.lock:
                    self.counts["partitioned"] += 1
                return
            conn.settimeout(120)
            push = False
            try:
                request, complete = _read_request(conn)
                if not request:
                    return
                request = _close_header(request)
                push = request.startswith(b"POST /api/sync/push")
                mode = self._mode() if complete else "pass"
                with self.lock:
                    self.counts[mode] += 1
                    if push:
                        self.in_flight_pushes += 1
                        self.pushes_seen += 1
                if mode == "drop_request":
                    return
                if mode == "delay_request":
                    time.sleep(self._delay())
                response = self._exchange(request, complete)
                if mode == "duplicate_request":
                    response = self._exchange(request)
                if mode == "drop_response":
                    conn.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                    )
                    return
                if mode == "delay_response":
                    time.sleep(self._delay())
                conn.sendall(response * (2 if mode == "duplicate_response" else 1))
            except OSError:
                with self.lock:
                    self.counts["upstream_error"] += 1
            finally:
                if push:
                    with self.lock:
                        self.in_flight_pushes -= 1


def serve_proxy(upstream_port: int, rates: dict[str, float], seed: int) -> CheckerProxy:
    proxy = CheckerProxy(upstream_port, rates, seed)
    proxy.__enter__()
    return proxy


def wait_push_in_flight(proxies: list[CheckerProxy], timeout: float, done=lambda: False) -> bool:
    """True as soon as some push is inside the server (through any proxy); False at timeout
    or once `done()` (every device finished: no push will come)."""
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up and not done():
        if any(p.in_flight_pushes for p in proxies):
            return True
        time.sleep(0.002)
    return False
