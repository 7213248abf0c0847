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
still unchecked, is found by the next ``ckan mofcompliance check-resources``.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from .. import config, score_store
from . import checker, store
from .settings import checker_settings

log = logging.getLogger(__name__)

BATCH = 100          # resources per queued job
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
    """Where CKAN's storage keeps an uploaded resource (None without storage)."""
    from ckan.lib import uploader

    if not tk.config.get("ckan.storage_path"):
        return None
    return uploader.get_resource_uploader(dict(resource)).get_path(resource["id"])


def reindex(package_ids: Iterable[str]) -> None:
    """Index these datasets again, in the caller's transaction, as CKAN does after an edit:
    the index hook rescores them (``score_store.on_dataset_index``) with their new checks.
    Datasets deleted or purged meanwhile are left alone. A search index that cannot be
    written (Solr down) leaves the scores right and the index behind until the next edit."""
    from ckan.lib import search

    package = model.package_table
    active = model.Session.execute(sa.select(package.c.id).where(
        package.c.id.in_(list(package_ids)), package.c.state == "active")
        .order_by(package.c.id)).scalars().all()
    index = search.index_for(model.Package)
    context = {"ignore_auth": True, "validate": False, "use_cache": False}
    for package_id in active:
        pkg_dict = tk.get_action("package_show")(dict(context), {"id": package_id})
        try:
            index.update_dict(pkg_dict, defer_commit=True)
        except search.SearchIndexError as error:
            log.warning("dataset %s not indexed after its checks (%s)", package_id, error)
            score_store.store_score(pkg_dict)


def _commit(checked_packages: set[str]) -> None:
    reindex(checked_packages)
    checked_packages.clear()
    model.Session.commit()


def check_many(refs: list[dict[str, Any]], progress: Optional[Progress] = None,
               settings: Optional[checker.Settings] = None) -> dict[str, int]:
    """Check ``refs`` and store each result as it comes, with the scores of their datasets;
    how many ended in each outcome."""
    outcomes: dict[str, int] = {}
    checked_packages: set[str] = set()
    results = checker.checked(refs, settings or checker_settings(), config.quality_threads(),
                              upload_path)
    for done, (ref, result) in enumerate(results, start=1):
        store.save(ref, result)
        checked_packages.add(ref["package_id"])
        outcomes[result["outcome"]] = outcomes.get(result["outcome"], 0) + 1
        if done % COMMIT_EVERY == 0:
            _commit(checked_packages)
        if progress:
            progress(done, len(refs))
    _commit(checked_packages)
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
    return {k: ref.get(k) for k in store.REF_COLUMNS + ("owner_org",)}


def enqueue(refs: list[dict[str, Any]], title: str = "mofcompliance resource checks") -> list[str]:
    """Queue ``refs`` in jobs of ``BATCH``; the job ids. Raises Redis's errors."""
    return [tk.enqueue_job(check_job, [[_plain(r) for r in batch]], title=title,
                           queue=config.quality_queue(), rq_kwargs={"timeout": 3600}).id
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
        enqueue(list(pending.values()))
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
