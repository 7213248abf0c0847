"""The resource checker's options (declared in ``config_declaration.yaml``), read here
only, and turned into the shared outbound guard's policy."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

import ckan.plugins.toolkit as tk

from .. import outbound
from .checker import Settings

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


def settings(limiter: outbound.HostLimiter | None = None) -> Settings:
    policy = outbound.Policy(
        allowed_hosts=_hosts("allowed_hosts"), opted_out_hosts=_hosts("opted_out_hosts"),
        connect_timeout=float(_option("connect_timeout")),
        read_timeout=float(_option("read_timeout")),
        total_timeout=float(_option("read_timeout")) * 4,
        max_bytes=int(_option("max_mb")) * 1024 * 1024,
        max_redirects=int(_option("max_redirects")), user_agent=user_agent(),
        limiter=limiter or outbound.HostLimiter(
            int(_option("connections_per_host")), int(_option("host_interval_ms")) / 1000))
    return Settings(policy, max_rows=int(_option("max_rows")))
