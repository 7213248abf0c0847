"""The resource checker's options (read through ``config``) turned into the shared
outbound guard's policy and the checker's settings."""
from __future__ import annotations

from typing import Optional
from urllib.parse import quote

import redis

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from .. import config, outbound
from .checker import Settings
from .limits import SharedHostLimiter

def user_agent() -> str:
    """Names the catalog, so that a host's operator knows who is asking and where
    (percent-encoded: a header carries no Thai letters)."""
    title = quote(tk.config.get("ckan.site_title") or "CKAN", safe=" -_.,()&'/")
    return "ckanext-mofcompliance-checker/1 (+%s; %s)" % (
        quote(tk.config.get("ckan.site_url") or "", safe=":/?&=#%"), title)


def _hosts(hosts: list[str]) -> frozenset:
    return frozenset(h.lower() for h in hosts)


def host_limiter() -> outbound.Limiter:
    """The per-host limits, shared through Redis by every checker process; held in this
    process alone when Redis cannot be reached (the command run by hand)."""
    connections = config.quality_connections_per_host()
    interval = config.quality_host_interval_ms() / 1000
    try:
        client = connect_to_redis()
        client.ping()
    except redis.exceptions.RedisError:
        return outbound.HostLimiter(connections, interval)
    return SharedHostLimiter(client, connections, interval,
                             prefix="%s:mofcompliance:quality:host:" % tk.config.get("ckan.site_id"))


def checker_settings(limiter: Optional[outbound.Limiter] = None) -> Settings:
    policy = outbound.Policy(
        allowed_hosts=_hosts(config.quality_allowed_hosts()),
        opted_out_hosts=_hosts(config.quality_opted_out_hosts()),
        connect_timeout=config.quality_connect_timeout(),
        read_timeout=config.quality_read_timeout(),
        total_timeout=config.quality_read_timeout() * 4,
        max_bytes=config.quality_max_mb() * 1024 * 1024,
        max_redirects=config.quality_max_redirects(), user_agent=user_agent(),
        limiter=limiter or host_limiter())
    return Settings(policy, max_rows=config.quality_max_rows())
