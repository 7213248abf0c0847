"""One wall-clock deadline over a whole HTTP exchange (every hop and phase), enforced by one
watchdog thread that shuts the connection's socket when it passes: a socket time-out bounds
each read, not the sum of them. Used by ``outbound``."""
from __future__ import annotations

import heapq
import itertools
import os
import socket
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator, Optional

import urllib3.connection


class Watchdog:
    """One thread that shuts a connection's socket when its deadline passes: a socket
    time-out bounds each read, not the sum of them (a server dripping its headers or
    its body a byte at a time would hold the request for ever)."""

    def __init__(self) -> None:
        self._count = itertools.count()
        self.reset()

    def reset(self) -> None:
        """Start afresh: in a forked child (a job worker's work horse) the parent's
        thread does not run and its lock may be held."""
        self._due: list[tuple[float, int]] = []
        self._expire: dict[int, Callable[[], None]] = {}
        self._wake = threading.Condition()
        self._thread: Optional[threading.Thread] = None

    def watch(self, deadline: float, expire: Callable[[], None]) -> int:
        with self._wake:
            ticket = next(self._count)
            heapq.heappush(self._due, (deadline, ticket))
            self._expire[ticket] = expire
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, daemon=True,
                                                name="outbound-deadlines")
                self._thread.start()
            self._wake.notify()
            return ticket

    def cancel(self, ticket: int) -> None:
        """Forget ``ticket``; the queue is compacted when mostly forgotten ones."""
        with self._wake:
            self._expire.pop(ticket, None)
            if len(self._due) > 2 * len(self._expire) + 1000:
                self._due = [due for due in self._due if due[1] in self._expire]
                heapq.heapify(self._due)

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._due or self._due[0][0] > time.monotonic():
                    self._wake.wait(self._due[0][0] - time.monotonic() if self._due else None)
                _deadline, ticket = heapq.heappop(self._due)
                expire = self._expire.pop(ticket, None)
            if expire is not None:
                expire()


WATCHDOG = Watchdog()
os.register_at_fork(after_in_child=WATCHDOG.reset)


class Deadline:
    """The one wall-clock deadline of a request, over every hop and every phase."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.passed = False
        # the hop's socket: http.client lets go of it when the answer ends with the
        # connection (no Content-Length), while the body is still being read from it
        self.sock: Optional[socket.socket] = None

    def left(self) -> float:
        return self.at - time.monotonic()

    def check(self) -> None:
        if self.passed or self.left() <= 0:
            self.passed = True
            raise socket.timeout("the whole answer took too long")

    @contextmanager
    def guarding(self, connection: urllib3.connection.HTTPConnection,
                 strict: bool = True) -> Iterator[None]:
        """Shut ``connection``'s socket at the deadline; a read it cuts short is then
        reported as the time-out it is, never as a short answer (``strict``; else the
        caller takes the cut read's error as the end of what it may read)."""
        def expire() -> None:
            self.passed = True
            sock = connection.sock or self.sock
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # already closed
        ticket = WATCHDOG.watch(self.at, expire)
        try:
            yield
            if strict:
                self.check()
        finally:
            WATCHDOG.cancel(ticket)
