"""One pending "check now" sweep per organisation.

A sweep is recorded in Redis under the organisation (its start, how many resources it
queued, its job ids) while any of its jobs waits or runs; asking again then answers with
that sweep and queues nothing. Whether a sweep is still pending is read from its jobs, so
a sweep whose jobs finished, failed or were removed from the queue never blocks the next
one; the record also lapses after ``RECORD_TTL``. Two clicks at once are settled by
Redis (``SET NX``): one queues, the other is told the sweep is already queued.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Optional

from redis.exceptions import WatchError
from rq.job import Job

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

RECORD_TTL = 24 * 3600   # seconds: no sweep is remembered longer
CLAIM_TTL = 120          # seconds a sweep being queued holds the organisation
UNFINISHED = ("queued", "started", "deferred", "scheduled")
Sweep = dict[str, Any]   # {"since": ISO time, "queued": resources, "jobs": [job ids]}


def _key(org_id: str) -> str:
    return "%s:mofcompliance:sweep:%s" % (tk.config.get("ckan.site_id"), org_id)


def _still_pending(raw: Optional[bytes], redis: Any) -> Optional[Sweep]:
    if raw is None:
        return None
    sweep = json.loads(raw)
    if sweep.get("claimed"):
        return sweep
    jobs = Job.fetch_many(sweep["jobs"], connection=redis)
    if any(job is not None and job.get_status() in UNFINISHED for job in jobs):
        return sweep
    return None


def pending(org_id: str) -> Optional[Sweep]:
    """The organisation's sweep whose checks are still queued or running, if any."""
    redis = connect_to_redis()
    return _still_pending(redis.get(_key(org_id)), redis)


def _claim(org_id: str, since: str) -> Optional[Sweep]:
    """Hold the organisation for a new sweep; the pending sweep instead when there is one
    (or when another request claimed it meanwhile)."""
    redis, key = connect_to_redis(), _key(org_id)
    claim = {"since": since, "queued": 0, "jobs": [], "claimed": True}
    with redis.pipeline() as pipe:
        try:
            pipe.watch(key)
            earlier = _still_pending(pipe.get(key), redis)
            if earlier is not None:
                return earlier
            pipe.multi()
            pipe.set(key, json.dumps(claim), ex=CLAIM_TTL)
            pipe.execute()
        except WatchError:
            return pending(org_id) or claim
    return None


def start(org_id: str, since: str, queue: Callable[[], tuple[int, list[str]]]
          ) -> tuple[Sweep, bool]:
    """The organisation's pending sweep and True; else ``queue()`` runs (it returns how
    many resources it queued and the job ids), its sweep is recorded and returned with
    False. ``queue``'s errors reach the caller, with nothing recorded."""
    earlier = _claim(org_id, since)
    if earlier is not None:
        return earlier, True
    redis, key = connect_to_redis(), _key(org_id)
    try:
        queued, job_ids = queue()
    except Exception:
        redis.delete(key)
        raise
    sweep = {"since": since, "queued": queued, "jobs": job_ids}
    if job_ids:
        redis.set(key, json.dumps(sweep), ex=RECORD_TTL)
    else:
        redis.delete(key)
    return sweep, False
