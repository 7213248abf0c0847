"""A crowd of threads for the per-host limiter tests: each holds a slot of a host until
released, and the crowd counts how many are inside at once."""
from __future__ import annotations

import threading
from typing import Any, Sequence

HOST = "data.example.go.th"


class Crowd:
    def __init__(self, limit: int) -> None:
        self.limit, self.inside, self.most = limit, 0, 0
        self._lock = threading.Lock()
        self.full, self.release = threading.Event(), threading.Event()
        self._threads: list[threading.Thread] = []

    def _request(self, limiter: Any) -> None:
        with limiter.slot(HOST):
            with self._lock:
                self.inside += 1
                self.most = max(self.most, self.inside)
                if self.inside == self.limit:
                    self.full.set()
            self.release.wait(10)
            with self._lock:
                self.inside -= 1

    def start(self, limiters: Sequence[Any], requests: int) -> None:
        """``requests`` threads asking the limiters in turn for a slot of ``HOST``."""
        self._threads = [threading.Thread(target=self._request,
                                          args=(limiters[n % len(limiters)],))
                         for n in range(requests)]
        for thread in self._threads:
            thread.start()

    def finish(self) -> None:
        self.release.set()
        for thread in self._threads:
            thread.join(10)
