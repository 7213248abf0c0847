"""Per-host limits shared by every checker process, on every machine, through Redis.

``outbound.HostLimiter`` holds the limits within one process; workers on several
machines each holding ``connections_per_host`` would multiply them. Here a host's open
requests are leases in a Redis sorted set, taken and counted in one Lua script with
Redis's own clock (no clock of a worker machine involved); a lease not returned (a worker
killed mid-request) lapses after ``lease_seconds``. The starts of two requests to a host
are ``interval`` apart through a key that lives that long.
"""
from __future__ import annotations

import random
import time
import uuid
from contextlib import contextmanager
from typing import Any, Iterator

TAKE = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', t - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], t, ARGV[3])
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0
"""
WAIT = 0.02  # seconds between two tries for a busy host (plus up to as much again)


class SharedHostLimiter:
    """At most ``connections`` requests at a time per host across all processes that
    share the Redis, starts ``interval`` seconds apart."""

    def __init__(self, redis: Any, connections: int, interval: float = 0.0,
                 prefix: str = "mofcompliance:quality:host:", lease_seconds: int = 300) -> None:
        self.redis, self.connections = redis, max(1, connections)
        self.interval, self.prefix, self.lease_seconds = max(0.0, interval), prefix, lease_seconds
        self._take = redis.register_script(TAKE)

    def _pause(self) -> None:
        time.sleep(WAIT * (1 + random.random()))

    def _wait_for_turn(self, host: str) -> None:
        if not self.interval:
            return
        key = self.prefix + host + ":next"
        while not self.redis.set(key, 1, nx=True, px=max(1, int(self.interval * 1000))):
            self._pause()

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        key, lease = self.prefix + host, uuid.uuid4().hex
        while not self._take(keys=[key], args=[self.connections, self.lease_seconds, lease]):
            self._pause()
        try:
            self._wait_for_turn(host)
            yield
        finally:
            self.redis.zrem(key, lease)
