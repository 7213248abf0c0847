"""KPI summaries of each organisation and of the site, read through the KPI cache.

A read takes the cached summaries that are fresh and computes the others from the
score store without writing anything; it then queues ``refresh_job`` (once per set
of summaries, however many readers ask meanwhile), which stores them for the next
readers. With no job queue (Redis down) reads stay correct, only slower.
"""
from __future__ import annotations

import hashlib
import logging
from typing import Any, Iterable, Optional

import redis

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from ..scoring import reads
from ..scoring import kpi_cache
from ..kpi import evaluation as kpi

log = logging.getLogger(__name__)

QUEUED_FOR_SECONDS = 600  # a queued refresh not run by then may be queued again


def _summary(result: kpi.KpiResult, results: list[kpi.DatasetResult]) -> dict[str, Any]:
    return {
        "datasets": len(results),
        "complete": sum(1 for r in results if r.completeness.complete),
        "score": result.score, "level": result.level,
        "criteria": [{"id": c.id, "met": c.met, "points": c.points,
                      "max_points": c.max_points} for c in result.criteria],
    }


def _site_summary(profile: str, results: list[kpi.DatasetResult],
                  inputs: dict[str, Any]) -> dict[str, Any]:
    """The site's summary with its criteria in full (label, level, evidence, note), as the
    organisation page shows its own: the dashboards render one criterion shape."""
    site = reads.evaluate("", profile, results, inputs=inputs)
    return dict(_summary(site, results), **site.to_dict())


def compute(owners: list[str], profile: str, public_only: bool) -> dict[str, Any]:
    """The summaries of ``owners``, reading only the datasets they need."""
    whole = kpi_cache.SITE in owners
    by_org = reads.dataset_results(profile, None if whole else owners, public_only)
    inputs = reads.kpi_inputs(owners)
    payloads = {}
    for owner in owners:
        if owner == kpi_cache.SITE:
            everything = [r for results in by_org.values() for r in results]
            payloads[owner] = _site_summary(profile, everything, inputs[owner])
        else:
            results = by_org.get(owner, [])
            payloads[owner] = _summary(reads.evaluate(
                owner, profile, results, inputs=inputs[owner], next_steps=False), results)
    return payloads


def site_of(profile: str, org_ids: Optional[Iterable[str]], public_only: bool) -> dict[str, Any]:
    """The site's summary over some organisations only (a member's view; not cached)."""
    by_org = reads.dataset_results(profile, org_ids, public_only)
    return _site_summary(profile, [r for rs in by_org.values() for r in rs],
                         reads.kpi_inputs([kpi_cache.SITE])[kpi_cache.SITE])


def cached(owners: list[str], profile: str, public_only: bool) -> dict[str, Any]:
    """The summaries of ``owners``: fresh ones from the cache, the others computed now
    and queued for storing. Writes nothing."""
    found = kpi_cache.fresh(owners, profile, public_only)
    missing = [o for o in owners if o not in found]
    if missing:
        found.update(compute(missing, profile, public_only))
        _queue_refresh(missing, profile, public_only)
    return found


def _queued_key(owners: list[str], profile: str, public_only: bool) -> str:
    digest = hashlib.sha1("|".join([kpi_cache.profile_key(profile), str(public_only),
                                    *sorted(owners)])
                          .encode("utf-8")).hexdigest()
    return "ckanext-mofcompliance:kpi-refresh:%s" % digest


def _queue_refresh(owners: list[str], profile: str, public_only: bool) -> None:
    key = _queued_key(owners, profile, public_only)
    try:
        if connect_to_redis().set(key, "1", nx=True, ex=QUEUED_FOR_SECONDS):
            tk.enqueue_job(refresh_job, [owners, profile, public_only],
                           title="mofcompliance KPI cache refresh")
    except redis.exceptions.RedisError:
        log.warning("Redis is unreachable: KPI summaries are computed on each read")


def refresh_job(owners: list[str], profile: str, public_only: bool) -> int:
    """Background job: store the summaries of ``owners`` still missing or stale, in the
    job's own transaction; returns how many were stored."""
    try:
        fresh = kpi_cache.fresh(owners, profile, public_only)
        missing = [o for o in owners if o not in fresh]
        kpi_cache.store(compute(missing, profile, public_only) if missing else {},
                        profile, public_only)
        model.Session.commit()
        return len(missing)
    finally:
        connect_to_redis().delete(_queued_key(owners, profile, public_only))
