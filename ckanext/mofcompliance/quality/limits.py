"""Per-host limits shared by every checker process, on every machine, through Redis.

``outbound.HostLimiter`` holds the limits within one process; workers on several
machines each holding ``connections_per_host`` would multiply them. Here a host's open
requests are leases in a Redis sorted set, taken and counted in one Lua script with
Redis's own clock (no clock of a worker machine involved). A lease is scored with the
moment it lapses: its request's deadline (``outbound.request`` passes how long the
request can last, the deadline plus a grace), so a lease never lapses while its request
still runs, and one not returned (a worker killed mid-request) lapses soon after the
deadline. The starts of two requests to a host are ``interval`` apart through a key that
lives that long. The key is the host name (``outbound.limit_key``: every port of a name
shares the limit).
"""
from __future__ import annotations

import math
import random
import time
import uuid
from contextlib import contextmanager
from typing import Any, Iterator

TAKE = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local hold = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', t)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], t + hold, ARGV[3])
  if redis.call('TTL', KEYS[1]) < hold then
    redis.call('EXPIRE', KEYS[1], math.ceil(hold))
  end
  return 1
end
return 0
"""
WAIT = 0.02  # seconds between two tries for a busy host (plus up to as much again)
HOLD = 300.0  # a slot taken without saying how long its request lasts


class SharedHostLimiter:
    """At most ``connections`` requests at a time per host across all processes that
    share the Redis, starts ``interval`` seconds apart."""

    def __init__(self, redis: Any, connections: int, interval: float = 0.0,
                 prefix: str = "mofcompliance:quality:host:") -> None:
        self.redis, self.connections = redis, max(1, connections)
        self.interval, self.prefix = max(0.0, interval), prefix
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
    def slot(self, host: str, hold: float = HOLD) -> Iterator[None]:
        """A lease of ``host`` that lapses ``hold`` seconds after it is taken (the
        request's deadline), or when the request ends, whichever comes first."""
        key, lease = self.prefix + host, uuid.uuid4().hex
        hold = max(1, math.ceil(hold))
        while not self._take(keys=[key], args=[self.connections, hold, lease]):
            self._pause()
        try:
            self._wait_for_turn(host)
            yield
        finally:
            self.redis.zrem(key, lease)
