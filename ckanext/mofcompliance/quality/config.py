"""The resource checker's options (declared in ``config_declaration.yaml``), read here
only, and turned into the shared outbound guard's policy."""
from __future__ import annotations

from typing import Any, Optional
from urllib.parse import quote

import redis

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from .. import outbound
from .checker import Settings
from .limits import SharedHostLimiter

PREFIX = "ckanext.mofcompliance.quality."


def _option(name: str) -> Any:
    return tk.config.get(PREFIX + name)


def queue() -> str:
    """The job queue checks go to (``ckan jobs worker <queue>`` runs them)."""
    return _option("queue")


def stale_days() -> int:
    return int(_option("stale_days"))


def check_on_edit() -> bool:
    return tk.asbool(_option("check_on_edit"))


def threads() -> int:
    return max(1, int(_option("threads")))


def user_agent() -> str:
    """Names the catalog, so that a host's operator knows who is asking and where
    (percent-encoded: a header carries no Thai letters)."""
    title = quote(tk.config.get("ckan.site_title") or "CKAN", safe=" -_.,()&'/")
    return "ckanext-mofcompliance-checker/1 (+%s; %s)" % (
        quote(tk.config.get("ckan.site_url") or "", safe=":/?&=#%"), title)


def _hosts(name: str) -> frozenset:
    return frozenset(h.lower() for h in tk.aslist(_option(name)))


def host_limiter() -> outbound.Limiter:
    """The per-host limits, shared through Redis by every checker process; held in this
    process alone when Redis cannot be reached (the command run by hand)."""
    connections = int(_option("connections_per_host"))
    interval = int(_option("host_interval_ms")) / 1000
    try:
        client = connect_to_redis()
        client.ping()
    except redis.exceptions.RedisError:
        return outbound.HostLimiter(connections, interval)
    return SharedHostLimiter(client, connections, interval,
                             prefix="%s:mofcompliance:quality:host:" % tk.config.get("ckan.site_id"))


def settings(limiter: Optional[outbound.Limiter] = None) -> Settings:
    policy = outbound.Policy(
        allowed_hosts=_hosts("allowed_hosts"), opted_out_hosts=_hosts("opted_out_hosts"),
        connect_timeout=float(_option("connect_timeout")),
        read_timeout=float(_option("read_timeout")),
        total_timeout=float(_option("read_timeout")) * 4,
        max_bytes=int(_option("max_mb")) * 1024 * 1024,
        max_redirects=int(_option("max_redirects")), user_agent=user_agent(),
        limiter=limiter or host_limiter())
    return Settings(policy, max_rows=int(_option("max_rows")))
