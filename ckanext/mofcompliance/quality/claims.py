"""One check per request: a resource asked for twice is fetched once.

A resource's check is asked for by an edit (a new or re-pointed URL), by "check now" and
by the bulk sweep, and the same resource can be asked for again before the first check
ran (an edit while the organisation's sweep waits in the queue) or while another job
worker is checking it. Each ref says when it was asked for (``asked``: an ISO time, or
``store.ANY`` when any check of its URL answers it, as for an edit of a resource whose URL was
never checked). Before fetching, a process:

- leases each resource and URL in Redis (``SET NX``), so two processes never check the
  same one at once; a lease lasts as long as a check job may run, so one left by a worker
  killed mid-job lapses, and it is returned once the process has stored its checks;
- keeps, of those it leased, the ones no stored check answers (``store.answered``: a check
  of the same URL made since it was asked for).

A resource another process holds is looked at again once this process's own checks are
stored (``jobs.check_many``): by then the other's check is usually stored and answers it.
A ref without ``asked`` (a job queued before this module existed) is always checked.
Without Redis (the command run by hand) every resource is leased to the process.
"""
from __future__ import annotations

import hashlib
import uuid
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Iterator, Optional

import redis

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from . import store

Ref = dict[str, Any]
RETURN = """
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return 0
"""


def asked_at(refs: list[Ref], moment: Optional[datetime]) -> list[Ref]:
    """``refs`` asked for at ``moment`` (None: answered by any check of their URL)."""
    stamp = moment.isoformat() if moment else store.ANY
    return [dict(ref, asked=stamp) for ref in refs]


def _key(ref: Ref) -> str:
    url = hashlib.sha256((ref.get("url") or "").encode()).hexdigest()[:16]
    return "%s:mofcompliance:checking:%s:%s" % (tk.config.get("ckan.site_id"), ref["id"], url)


def _take(client: Any, keys: list[str], token: str, seconds: int) -> list[bool]:
    with client.pipeline(transaction=False) as pipe:
        for key in keys:
            pipe.set(key, token, nx=True, ex=seconds)
        return [bool(taken) for taken in pipe.execute()]


@contextmanager
def claimed(refs: list[Ref], seconds: int) -> Iterator[tuple[list[Ref], list[Ref]]]:
    """(the refs this process is to check, the refs another process holds); the first are
    leased for ``seconds`` and returned on leaving. Refs a stored check answers are in
    neither."""
    try:
        client = connect_to_redis()
        token = uuid.uuid4().hex
        keys = [_key(ref) for ref in refs]
        taken = _take(client, keys, token, seconds) if refs else []
    except redis.exceptions.RedisError:
        yield _unanswered(refs), []
        return
    leased = [ref for ref, ok in zip(refs, taken) if ok]
    try:
        yield _unanswered(leased), [ref for ref, ok in zip(refs, taken) if not ok]
    finally:
        held = [key for key, ok in zip(keys, taken) if ok]
        if held:
            client.eval(RETURN, len(held), *held, token)


def _unanswered(refs: list[Ref]) -> list[Ref]:
    answered = store.answered(refs)
    return [ref for ref in refs if ref["id"] not in answered]
