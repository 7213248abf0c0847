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
from sqlalchemy.dialects.postgresql import JSONB

import ckan.model as model

from ..dataset.rows import package_dict, package_rows
from ..model import dataset_score_table
from ..quality import store as check_store
from . import kpi_cache
from .reads import take_snapshots
from .store import Checks, score_row


def _active_packages(org_id: Optional[str]) -> sa.sql.Select:
    package = model.package_table
    query = sa.select(package).where(package.c.state == "active", package.c.type == "dataset")
    if org_id:
        query = query.where(package.c.owner_org == org_id)
    return query.order_by(package.c.id)


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
    for count, text in _scored_batches(package_rows(org_id), processes):
        _copy_text(text)
        done += count
        if progress:
            progress(done, total)
    return done


# ---------------------------------------------------------------- rescoring in parallel

# From this many datasets a rescore forks scorers: below it, the fork costs more than it saves.
PARALLEL_FROM = 5000
ScoringTask = tuple[list[tuple[str, str]], Checks, datetime]


def _score_batch(task: ScoringTask) -> tuple[int, str]:
    """A batch's datasets (``rows.package_rows``: ids and JSON texts) parsed and scored,
    their score rows as COPY text (in a scoring process: texts cost little to send
    either way, where pickling the parsed dicts and the rows cost more than parsing)."""
    batch, checks, now = task
    return len(batch), _copy_lines([score_row(package_dict(dataset), checks, now)
                                    for _id, dataset in batch])


def _forget_connections() -> None:
    """In a forked scorer: never use, nor close, the parent's database connections."""
    model.meta.engine.dispose(close=False)


def _scored_batches(batches: Iterable[list[tuple[str, str]]], processes: int
                    ) -> Iterator[tuple[int, str]]:
    """Each batch's size and COPY text, in order. With several ``processes`` they score
    while this process reads the next batches and writes the scored ones (profile of a
    full rescore in one process: scoring half of its time, reading and writing the rest);
    every database read and write stays in this process and its transaction."""
    now = datetime.now(timezone.utc)
    tasks = ((batch, check_store.latest([id_ for id_, _dataset in batch]), now)
             for batch in batches)
    if processes <= 1:
        yield from map(_score_batch, tasks)
        return
    pool = multiprocessing.get_context("fork").Pool(processes,
                                                    initializer=_forget_connections)
    try:
        pending: deque[Any] = deque()
        for task in tasks:
            pending.append(pool.apply_async(_score_batch, (task,)))
            if len(pending) > 2 * processes:  # bounded: a few batches in flight
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
    finally:
        # Ended by the queue, not by signals: ``Pool.terminate()`` (what ``with`` does)
        # hung for good once, joining a scorer that waited for the task queue's lock.
        pool.close()
        pool.join()


def _copy_text_value(value: Any) -> str:
    """Text in PostgreSQL's COPY text format (``str.replace`` four times: a
    ``str.translate`` table was a fifth of a rescore)."""
    return (str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


# Compact UTF-8 JSON (not \u escapes: Thai text is half the bytes for PostgreSQL to
# parse); JSON escapes control characters itself, COPY needs its backslashes doubled.
_json = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":")).encode


def _copy_writer(column: sa.Column) -> Callable[[Any], str]:
    """How a value of the column is written in COPY text format (chosen once per column,
    not by testing each value's type); None as NULL where the column may hold it."""
    write = _typed_writer(column.type)
    if not column.nullable:
        return write
    return lambda value: "\\N" if value is None else write(value)


def _typed_writer(column_type: Any) -> Callable[[Any], str]:
    if isinstance(column_type, sa.Boolean):
        return lambda value: "t" if value else "f"
    if isinstance(column_type, JSONB):
        return lambda value: _json(value).replace("\\", "\\\\")
    if isinstance(column_type, sa.DateTime):
        return lambda value: value.isoformat()
    if isinstance(column_type, sa.Integer):
        return str
    return _copy_text_value


def _copy_lines(rows: list[dict[str, Any]]) -> str:
    writers = [(c.name, _copy_writer(c)) for c in dataset_score_table.c]
    return "".join("\t".join([write(row[name]) for name, write in writers]) + "\n"
                   for row in rows)


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
