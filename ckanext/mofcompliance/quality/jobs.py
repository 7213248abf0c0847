"""Checks as CKAN background jobs, queued when resources change and in bulk.

Jobs go to their own queue (``ckanext.mofcompliance.quality.queue``): start
``ckan jobs worker <queue>`` on as many machines as needed. A job carries the resources
it checks (id, URL, format…), so it needs no read of the dataset; results are written by
the job's own thread, checks run in ``threads`` threads under the per-host limits.

After its checks are stored, each dataset they belong to is indexed again in the same
transaction (``reindex``): its score row (the verified open level) and its NSO QC grade in
the search index follow the checks.

Queueing follows the database: a dataset change puts its new or re-pointed resources on
the session, and they are queued after the commit (a rolled-back edit queues nothing). A
queue that cannot be reached never breaks an edit: a warning is logged and the resource,
still unchecked, is found by the next ``ckan mofcompliance check-resources``. A resource
queued twice (an edit while a sweep waits) is fetched once (``claims.py``).
"""
from __future__ import annotations

import dataclasses
import logging
import re
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable, Iterator, Optional
from urllib.parse import urlsplit

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from .. import config
from . import checker, store
from .claims import asked_at, claimed
from .settings import checker_settings

log = logging.getLogger(__name__)

BATCH = 100          # resources per queued job
JOB_TIMEOUT = 3600   # seconds a check job may run (and a resource stays leased to it)
COMMIT_EVERY = 50
PENDING = "mofcompliance_quality_pending"
Progress = Callable[[int, int], None]
# A job queued this long ago and not started, on a queue no worker listens to, is said to
# wait for a worker (the page says how to start one).
UNATTENDED_AFTER = timedelta(minutes=1)
WORKER_COMMAND = "ckan -c ckan.ini mofcompliance worker"


def worker_queues() -> list[str]:
    """Every job queue the extension uses: CKAN's default one (rescore, Excel imports,
    summaries) and the checks' own (``ckanext.mofcompliance.quality.queue``)."""
    from ckan.lib.jobs import DEFAULT_QUEUE_NAME
    return list(dict.fromkeys([DEFAULT_QUEUE_NAME, config.quality_queue()]))


def has_worker(queue: str) -> bool:
    """Whether a worker listens to ``queue`` (a name without CKAN's prefix); True when Redis
    cannot be asked, so that no page claims what it cannot know."""
    import redis
    import rq
    from ckan.lib import jobs as ckan_jobs
    try:
        return rq.Worker.count(queue=ckan_jobs.get_queue(queue)) > 0
    except redis.exceptions.RedisError:
        return True


def unattended(queued_at: Optional[datetime], queue: str,
               now: Optional[datetime] = None) -> bool:
    """Whether work queued at ``queued_at`` has waited over ``UNATTENDED_AFTER`` on a queue
    that no worker listens to."""
    if queued_at is None:
        return False
    if queued_at.tzinfo is None:  # RQ keeps UTC without a zone
        queued_at = queued_at.replace(tzinfo=timezone.utc)
    waited = (now or datetime.now(timezone.utc)) - queued_at
    return waited > UNATTENDED_AFTER and not has_worker(queue)


def upload_path(resource: dict[str, Any]) -> Optional[str]:
    """Where CKAN's storage keeps an uploaded resource (None without storage); a link to
    another resource's upload (``as_read``) reads that one's file."""
    from ckan.lib import uploader

    if not tk.config.get("ckan.storage_path"):
        return None
    return uploader.get_resource_uploader(dict(resource)).get_path(
        resource.get(STORED_AS) or resource["id"])


# ---------------------------------------------------------------- links to the site itself

STORED_AS = "stored_as"   # the resource whose upload a link to this catalog serves
# CKAN's download address of a resource, with or without a language in front
DOWNLOAD = re.compile(r"^(?:/[a-z]{2}(?:[_-][A-Za-z]{2})?)?/dataset/[^/]+/resource/"
                      r"([^/]+)/download(?:/[^/]*)?$")


def own_path(url: str) -> Optional[str]:
    """The path of a link to this catalog's own address (``ckan.site_url``), else None."""
    site = (tk.config.get("ckan.site_url") or "").rstrip("/")
    if not site or not url.startswith(site + "/"):
        return None
    return urlsplit(url[len(site):]).path


def as_read(ref: dict[str, Any]) -> dict[str, Any]:
    """``ref`` as the checker is to read it. A link to one of this catalog's resources'
    download addresses is read where that address leads, not over HTTP: the other
    resource's upload in storage, or its link (checked as any link). Other links are as
    they are."""
    path = own_path(ref.get("url") or "") if ref.get("url_type") != "upload" else None
    match = DOWNLOAD.match(path) if path else None
    target = model.Resource.get(match[1]) if match else None
    if target is None or target.state != "active" or target.id == ref["id"]:
        return ref
    if target.url_type == "upload":
        return dict(ref, url_type="upload", **{STORED_AS: target.id})
    return dict(ref, url=target.url)


def _own_site_settings(settings: checker.Settings) -> checker.Settings:
    """The policy for links to the catalog's own pages and files: its host allowed however
    it resolves (a demo on 127.0.0.1, an intranet catalog), no redirect followed (one
    could lead anywhere on that host)."""
    host = (urlsplit(tk.config.get("ckan.site_url") or "").hostname or "").lower()
    policy = dataclasses.replace(settings.policy, max_redirects=0,
                                 allowed_hosts=settings.policy.allowed_hosts | {host})
    return dataclasses.replace(settings, policy=policy)


def _results(refs: list[dict[str, Any]], settings: checker.Settings
             ) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Each ref with its check: links to the catalog itself under their own policy; the
    result names the URL the resource has (which says when it changes)."""
    read = [(ref, as_read(ref)) for ref in refs]
    own = {ref["id"] for ref, target in read
           if target.get("url_type") != "upload" and own_path(target.get("url") or "")}
    originals = {ref["id"]: ref for ref in refs}
    threads = config.quality_threads()
    for group, policy in (([t for r, t in read if r["id"] not in own], settings),
                          ([t for r, t in read if r["id"] in own], _own_site_settings(settings))):
        for target, result in checker.checked(group, policy, threads, upload_path):
            original = originals[target["id"]]
            yield original, dict(result, url=original.get("url") or "")


# Sent (sender: the dataset's id; ``pkg_dict``) when a dataset's checks are stored but the
# search index could not be written, so no index hook scored it: the score store, which
# the plugin subscribes, scores it itself (the checker knows nothing of the score store).
not_indexed = tk.signals.ckanext.signal("mofcompliance_checked_not_indexed")


def reindex(package_ids: Iterable[str]) -> None:
    """Index these datasets again, in the caller's transaction, as CKAN does after an edit:
    the index hook rescores them (``scoring/store.py``'s ``on_dataset_index``) with their new checks.
    Datasets deleted or purged meanwhile are left alone. A search index that cannot be
    written (Solr down) leaves the scores right and the index behind until the next edit.

    Their rows are locked first (``FOR UPDATE``, in id order), as an edit's ``UPDATE``
    locks its dataset: an edit under way is waited for and read as committed, and an edit
    that comes after waits and then reads these checks. Without it, an edit scoring the
    dataset without these checks and this job scoring it from the dataset before the edit
    could both commit, and the stored score would miss one of the two."""
    from ckan.lib import search

    package = model.package_table
    active = model.Session.execute(sa.select(package.c.id).where(
        package.c.id.in_(list(package_ids)), package.c.state == "active")
        .order_by(package.c.id).with_for_update()).scalars().all()
    index = search.index_for(model.Package)
    context = {"ignore_auth": True, "validate": False, "use_cache": False}
    for package_id in active:
        pkg_dict = tk.get_action("package_show")(dict(context), {"id": package_id})
        try:
            index.update_dict(pkg_dict, defer_commit=True)
        except search.SearchIndexError as error:
            log.warning("dataset %s not indexed after its checks (%s)", package_id, error)
            not_indexed.send(package_id, pkg_dict=pkg_dict)


def _commit(checked_packages: set[str]) -> None:
    reindex(checked_packages)
    checked_packages.clear()
    model.Session.commit()


def _check(refs: list[dict[str, Any]], settings: checker.Settings,
           outcomes: dict[str, int], progress: Optional[Progress]) -> None:
    checked_packages: set[str] = set()
    for done, (ref, result) in enumerate(_results(refs, settings), start=1):
        store.save(ref, result)
        checked_packages.add(ref["package_id"])
        outcomes[result["outcome"]] = outcomes.get(result["outcome"], 0) + 1
        if done % COMMIT_EVERY == 0:
            _commit(checked_packages)
        if progress:
            progress(done, len(refs))
    _commit(checked_packages)


def check_many(refs: list[dict[str, Any]], progress: Optional[Progress] = None,
               settings: Optional[checker.Settings] = None) -> dict[str, int]:
    """Check ``refs`` and store each result as it comes, with the scores of their datasets;
    how many ended in each outcome. A resource is fetched once however often it was asked
    for (``claims.py``): those another process is checking are looked at again once these
    checks are stored."""
    outcomes: dict[str, int] = {}
    settings = settings or checker_settings()
    with claimed(refs, JOB_TIMEOUT) as (mine, others):
        _check(mine, settings, outcomes, progress)
    if others:
        with claimed(others, JOB_TIMEOUT) as (mine, _):
            _check(mine, settings, outcomes, progress)
    return outcomes


def check_job(refs: list[dict[str, Any]]) -> dict[str, int]:
    """``check_many`` as a background job: progress in the job's meta."""
    import rq
    job = rq.get_current_job()

    def progress(done: int, total: int) -> None:
        if job is not None and (done % 10 == 0 or done == total):
            job.meta.update(done=done, total=total)
            job.save_meta()

    return check_many(refs, progress)


def _batches(refs: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(refs), BATCH):
        yield refs[start:start + BATCH]


def _plain(ref: dict[str, Any]) -> dict[str, Any]:
    return {k: ref.get(k) for k in store.REF_COLUMNS + ("owner_org", "asked")}


def enqueue(refs: list[dict[str, Any]], title: str = "mofcompliance resource checks") -> list[str]:
    """Queue ``refs`` (asked for when ``claims.asked_at`` says) in jobs of ``BATCH``; the
    job ids. Raises Redis's errors."""
    return [tk.enqueue_job(check_job, [[_plain(r) for r in batch]], title=title,
                           queue=config.quality_queue(),
                           rq_kwargs={"timeout": JOB_TIMEOUT}).id
            for batch in _batches(refs)]


# ---------------------------------------------------------------- when a dataset changes

def on_dataset_saved(package_id: str) -> None:
    """Note the dataset's resources never checked or whose URL changed; they are queued
    when the session commits."""
    if not config.quality_check_on_edit():
        return
    model.Session.flush()
    changed = [r for r in store.refs_of_packages([package_id]) if r["checked_url"] != r["url"]]
    if changed:
        model.Session().info.setdefault(PENDING, {}).update((r["id"], r) for r in changed)


def _queue_pending(session: Any) -> None:
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    try:
        enqueue(asked_at(list(pending.values()), None))
    except Exception as error:  # noqa: BLE001 - no queue failure may break an edit
        log.warning("resource checks not queued (%s: %s); `ckan mofcompliance "
                    "check-resources` will find them unchecked", type(error).__name__, error)


def _forget_pending(session: Any, *args: Any) -> None:
    session.info.pop(PENDING, None)


def listen() -> None:
    """Queue noted resources after each commit; forget them on a rollback."""
    if not sa.event.contains(model.Session, "after_commit", _queue_pending):
        sa.event.listen(model.Session, "after_commit", _queue_pending)
        sa.event.listen(model.Session, "after_soft_rollback", _forget_pending)
