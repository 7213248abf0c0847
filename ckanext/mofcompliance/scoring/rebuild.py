"""The bulk rebuild of the score store: every dataset (of an organisation or of the site)
read as ``package_show`` shapes it, with set-based reads (a handful of queries per thousand
datasets, no package_show), scored by ``store.score_row`` and written with one COPY per
batch (from ``PARALLEL_FROM`` datasets, forked processes score the batches); ``rescore_job``
runs it in the background, then takes the snapshots.
"""
from __future__ import annotations

import io
import json
import multiprocessing
import os
from collections import deque
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator, Optional

import sqlalchemy as sa

import ckan.model as model

from ..model import dataset_score_table
from ..quality import store as check_store
from . import kpi_cache
from .reads import take_snapshots
from .store import BATCH_SIZE, Checks, score_row


def _active_packages(org_id: Optional[str]) -> sa.sql.Select:
    package = model.package_table
    query = sa.select(package).where(package.c.state == "active", package.c.type == "dataset")
    if org_id:
        query = query.where(package.c.owner_org == org_id)
    return query.order_by(package.c.id)


_CHILDREN = {
    "extras": """
        SELECT e.package_id, json_object_agg(e.key, e.value) AS children
        FROM package_extra e JOIN chosen ON chosen.id = e.package_id
        WHERE e.state = 'active' GROUP BY e.package_id""",
    "tags": """
        SELECT pt.package_id, json_agg(json_build_object('name', t.name)) AS children
        FROM package_tag pt JOIN tag t ON t.id = pt.tag_id JOIN chosen ON chosen.id = pt.package_id
        WHERE pt.state = 'active' AND t.vocabulary_id IS NULL GROUP BY pt.package_id""",
    "resources": """
        SELECT r.package_id, json_agg(r ORDER BY r.position) AS children
        FROM resource r JOIN chosen ON chosen.id = r.package_id
        WHERE r.state = 'active' GROUP BY r.package_id""",
}


def _package_rows(org_id: Optional[str], extras_column: bool,
                  package_ids: Optional[list[str]] = None) -> sa.sql.expression.TextClause:
    """The datasets ``_active_packages`` selects (of them, ``package_ids`` when given),
    each with its extras, tags and resources gathered by PostgreSQL into JSON (one row per
    dataset, one pass over each table). CKAN 2.12 keeps extras in a column of ``package``."""
    children = [c for c in _CHILDREN if not (c == "extras" and extras_column)]
    with_clauses = ",\n".join("%s AS (%s)" % (c, _CHILDREN[c]) for c in children)
    columns = ", ".join("%s.children AS _%s" % (c, c) for c in children)
    joins = " ".join("LEFT JOIN %s ON %s.package_id = package.id" % (c, c) for c in children)
    return sa.text("""
        WITH chosen AS (
            SELECT id FROM package WHERE state = 'active' AND type = 'dataset'
            AND (CAST(:org_id AS text) IS NULL OR owner_org = :org_id)
            AND (CAST(:ids AS text[]) IS NULL OR id = ANY(CAST(:ids AS text[])))),
        %s
        SELECT package.*, %s FROM package JOIN chosen ON chosen.id = package.id %s
        ORDER BY package.id""" % (with_clauses, columns, joins)).bindparams(
        org_id=org_id, ids=package_ids)


def _resource_dict(resource: dict[str, Any]) -> dict[str, Any]:
    """A resource row as package_show shows it: its extras at the top level."""
    extras = resource.pop("extras", None)
    resource.update(json.loads(extras) if isinstance(extras, str) else extras or {})
    return resource


def package_dicts(org_id: Optional[str] = None, batch_size: int = BATCH_SIZE,
                  package_ids: Optional[list[str]] = None) -> Iterator[list[dict[str, Any]]]:
    """Package dicts shaped as ``package_show`` returns them (extras at the top level,
    tags, resources with their extras), a batch at a time, from one query. (Looking up
    each batch's child rows by id instead made PostgreSQL scan ``resource``, which has
    no index on ``package_id``, once per batch, and Python build a row object for each
    of the ~16 child rows per dataset.)"""
    extras_column = "extras" in model.package_table.c
    rows = model.Session.execute(
        _package_rows(org_id, extras_column, package_ids),
        execution_options={"stream_results": True, "yield_per": batch_size})
    for partition in rows.partitions(batch_size):
        batch = []
        for row in partition:
            package = dict(row._mapping)
            package.update(package.pop("extras" if extras_column else "_extras") or {})
            package["tags"] = package.pop("_tags") or []
            package["resources"] = [_resource_dict(r) for r in package.pop("_resources") or []]
            batch.append(package)
        yield batch


def rescore(org_id: Optional[str] = None,
            progress: Optional[Callable[[int, int], None]] = None,
            processes: Optional[int] = None) -> int:
    """Rebuild the score store (for one organisation or all) in the caller's transaction,
    which the caller commits: readers see the old rows until the new ones are all
    written. ``processes``: how many score the datasets (default: one per core from
    ``PARALLEL_FROM`` datasets on, else this process alone)."""
    total = model.Session.execute(
        sa.select(sa.func.count()).select_from(_active_packages(org_id).subquery())).scalar()
    table = dataset_score_table
    delete = table.delete()
    if org_id:
        delete = delete.where(table.c.owner_org == org_id)
    model.Session.execute(delete)
    kpi_cache.invalidate_all()
    done = 0
    if processes is None:
        processes = (os.cpu_count() or 1) if total >= PARALLEL_FROM else 1
    for count, text in _scored_batches(package_dicts(org_id), processes):
        _copy_text(text)
        done += count
        if progress:
            progress(done, total)
    return done


# ---------------------------------------------------------------- rescoring in parallel

# From this many datasets a rescore forks scorers: below it, the fork costs more than it saves.
PARALLEL_FROM = 5000
ScoringTask = tuple[list[dict[str, Any]], Checks, datetime]


def _score_batch(task: ScoringTask) -> tuple[int, str]:
    """A batch's score rows as COPY text (in a scoring process: the text is smaller to
    send back than the rows)."""
    batch, checks, now = task
    return len(batch), _copy_lines([score_row(p, checks, now) for p in batch])


def _forget_connections() -> None:
    """In a forked scorer: never use, nor close, the parent's database connections."""
    model.meta.engine.dispose(close=False)


def _scored_batches(batches: Iterable[list[dict[str, Any]]], processes: int
                    ) -> Iterator[tuple[int, str]]:
    """Each batch's size and COPY text, in order. With several ``processes`` they score
    while this process reads the next batches and writes the scored ones (profile of a
    full rescore in one process: scoring half of its time, reading and writing the rest);
    every database read and write stays in this process and its transaction."""
    now = datetime.now(timezone.utc)
    tasks = ((batch, check_store.latest([p["id"] for p in batch]), now) for batch in batches)
    if processes <= 1:
        yield from map(_score_batch, tasks)
        return
    with multiprocessing.get_context("fork").Pool(
            processes, initializer=_forget_connections) as pool:
        pending: deque[Any] = deque()
        for task in tasks:
            pending.append(pool.apply_async(_score_batch, (task,)))
            if len(pending) > 2 * processes:  # bounded: a few batches in flight
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def _copy_value(value: Any) -> str:
    """A value in PostgreSQL's COPY text format (``str.replace`` four times: a
    ``str.translate`` table was a fifth of a rescore)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value).replace("\\", "\\\\")  # JSON escapes the rest itself
    if isinstance(value, datetime):
        return value.isoformat()
    return (str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def _copy_lines(rows: list[dict[str, Any]]) -> str:
    columns = [c.name for c in dataset_score_table.c]
    return "".join("\t".join(_copy_value(row[c]) for c in columns) + "\n" for row in rows)


def _copy_text(text: str) -> None:
    """Insert new score rows (``_copy_lines``) with one COPY, in the session's transaction
    (an INSERT of many rows bound each value of each row through SQLAlchemy, a third more
    of this process's time)."""
    columns = [c.name for c in dataset_score_table.c]
    cursor = model.Session.connection().connection.cursor()
    try:
        cursor.copy_expert("COPY %s (%s) FROM STDIN" % (dataset_score_table.name,
                                                     ", ".join(columns)), io.StringIO(text))
    finally:
        cursor.close()


def rescore_job(org_id: Optional[str] = None) -> int:
    """``rescore`` as a CKAN background job: progress in the job's meta, then snapshots."""
    import rq
    job = rq.get_current_job()

    def progress(done: int, total: int) -> None:
        if job is not None:
            job.meta.update(done=done, total=total)
            job.save_meta()

    count = rescore(org_id, progress)
    model.Session.commit()
    take_snapshots()
    return count
