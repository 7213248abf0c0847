"""The score store: each dataset's KPI results, written with the dataset, read back in bulk.

The bridge from CKAN to the standard: datasets are scored into the store, and the KPI's
other inputs (plans, use cases, GD Catalog registrations) are read from the database.

A dataset is scored when CKAN indexes it (``before_dataset_index``), which happens
before the commit of every dataset create, update and resource change, with Solr and
with ``mofcompliance_pgsearch`` alike: the score row commits or rolls back with the
dataset, so the dashboard is never behind the data.  ``rescore`` rebuilds the store
with set-based reads (a handful of queries per thousand datasets, no package_show).

Beside the level the steward declared, each row keeps the verified open level: the same
rules on the dataset as its resources' latest checks found it (``quality/verified_openness.py``).
It is recomputed when the dataset is written and when a check of one of its resources is
stored (``quality/jobs.py`` indexes the dataset again). With ``verify_openness`` the KPI
counts it (``dataset_results``). Written at the same moments, the row keeps the dataset's
NSO QC grade and when it would change by itself (``quality/grading.py``'s ``stored_form``
and ``changes_at``): an organisation's and the site's grades read it (``stored_grades``).
"""
from __future__ import annotations

import functools
import io
import json
import multiprocessing
import os
from collections import defaultdict, deque
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterable, Iterator, Mapping, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

import ckan.model as model
import ckan.plugins.toolkit as tk

from . import config
from .dashboard import kpi_cache
from .model import (dataset_score_table, plan_table, registration_table, snapshot_table,
                    use_case_table)
from .quality import grading
from .quality import store as check_store
from .quality.verified_openness import verified_package
from .standard import kpi
from .standard.completeness import metadata_complete
from .standard.inputs import openness_result_from_json
from .standard.openness import OpennessResult, open_level

BATCH_SIZE = 1000


@functools.lru_cache(maxsize=1)
def _profile_per_ruleset() -> dict[str, str]:
    """One profile for each open-characteristics ruleset: results differ only by ruleset."""
    chosen: dict[str, str] = {}
    for profile_id in kpi.profile_ids():
        chosen.setdefault(kpi.load_profile(profile_id).openness_rules, profile_id)
    return chosen


def ruleset_of(profile_id: str) -> str:
    return kpi.load_profile(profile_id).openness_rules


Checks = Mapping[str, Mapping[str, Any]]


def verified_openness(pkg_dict: dict[str, Any], checks: Checks,
                      results: Mapping[str, kpi.DatasetResult]) -> dict[str, OpennessResult]:
    """The verified open level under each ruleset: the declared one unless a check took a
    resource's claim away (a dead link, a contradicted format)."""
    if not any(res.get("id") in checks for res in pkg_dict.get("resources") or ()):
        return {ruleset: result.openness for ruleset, result in results.items()}  # unchecked
    verified = {}
    for ruleset, result in results.items():
        checked, demotions = verified_package(pkg_dict, checks, ruleset)
        verified[ruleset] = open_level(checked, ruleset) if demotions else result.openness
    return verified


def score_row(pkg_dict: dict[str, Any], checks: Optional[Checks] = None,
              now: Optional[datetime] = None) -> dict[str, Any]:
    """The score-store row of one package dict (as ``package_show`` returns it), with its
    resources' latest checks by resource id (``quality/store.py``'s ``latest``) and its NSO
    QC grade as of ``now`` (aware; default: now)."""
    now = now or datetime.now(timezone.utc)
    checks = checks or {}
    completeness = metadata_complete(pkg_dict)
    results = {ruleset: kpi.assess_dataset(pkg_dict, profile, completeness)
               for ruleset, profile in _profile_per_ruleset().items()}
    verified = verified_openness(pkg_dict, checks, results)
    main_ruleset = ruleset_of(config.default_profile())
    main = results[main_ruleset]
    grade = grading.grade_dataset(pkg_dict, checks, now)
    return {
        "package_id": pkg_dict["id"],
        "owner_org": pkg_dict.get("owner_org"),
        "metadata_complete": main.completeness.complete,
        "missing_items": list(main.completeness.missing_items),
        "open_level": main.openness.level,
        "verified_open_level": verified[main_ruleset].level,
        "results": results,  # NamedTuples: stored as JSON arrays
        "verified": verified,
        "scored_at": _naive_utc(now),
        "grade": grading.stored_form(grade),
        "grade_changes_at": _naive_utc(grading.changes_at(pkg_dict, grade)),
    }


def _naive_utc(moment: Optional[datetime]) -> Optional[datetime]:
    """An aware moment as the naive UTC the score store keeps (as CKAN keeps its times)."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment else None


def store_rows(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    statement = insert(dataset_score_table)
    model.Session.execute(statement.on_conflict_do_update(
        index_elements=["package_id"],
        set_={c: statement.excluded[c] for c in rows[0] if c != "package_id"}), rows)


def store_score(pkg_dict: dict[str, Any], checks: Optional[Checks] = None) -> dict[str, Any]:
    """Score one dataset into the store, in the caller's transaction; return the row.
    ``checks``: its resources' latest checks (read here when not given)."""
    if checks is None:
        checks = check_store.latest([pkg_dict["id"]])
    row = score_row(pkg_dict, checks)
    previous = model.Session.execute(sa.select(dataset_score_table.c.owner_org).where(
        dataset_score_table.c.package_id == row["package_id"])).scalar()
    store_rows([row])
    kpi_cache.invalidate({row["owner_org"] or "", previous or ""})
    return row


COMPLETE_FIELD = "mofcompliance_complete"
OPEN_LEVEL_FIELD = "mofcompliance_open_level"
GRADE_FIELD = "mofcompliance_qc_grade"
UNGRADED = "ungraded"


def grade_letter(row: Mapping[str, Any]) -> str:
    """The NSO QC letter the search index keeps of a score row (``UNGRADED`` before any
    check): the grade when the dataset or a check was last stored."""
    return row["grade"]["letter"] or UNGRADED


def on_dataset_index(index_dict: dict[str, Any]) -> dict[str, Any]:
    """``before_dataset_index``: score the dataset CKAN is indexing (its validated dict),
    and index the verdict so that search can filter and facet on it (Solr or PostgreSQL)."""
    validated = index_dict.get("validated_data_dict")
    pkg_dict = json.loads(validated) if validated else index_dict
    if pkg_dict.get("type", "dataset") == "dataset" and pkg_dict.get("id"):
        row = store_score(pkg_dict)
        index_dict[COMPLETE_FIELD] = "true" if row["metadata_complete"] else "false"
        index_dict[OPEN_LEVEL_FIELD] = str(row["open_level"])
        index_dict[GRADE_FIELD] = grade_letter(row)
    return index_dict


def badges(package_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The compact verdict of each dataset (no item names: anyone who sees it may read it)."""
    table = dataset_score_table
    rows = model.Session.execute(
        sa.select(table.c.package_id, table.c.metadata_complete, table.c.missing_items,
                  table.c.open_level).where(table.c.package_id.in_(list(package_ids))))
    return {r.package_id: {"complete": r.metadata_complete, "missing": len(r.missing_items),
                           "open_level": r.open_level} for r in rows}


def on_dataset_purged(sender: str, **kwargs: Any) -> None:
    """After ``dataset_purge`` (no package hook runs): drop scores of datasets that no
    longer exist and mark every summary stale."""
    package = model.package_table
    model.Session.execute(dataset_score_table.delete().where(
        dataset_score_table.c.package_id.not_in(sa.select(package.c.id))))
    kpi_cache.invalidate_all()
    model.Session.commit()


def remove_score(package_id: str) -> None:
    table = dataset_score_table
    owners = model.Session.execute(table.delete().where(table.c.package_id == package_id)
                                   .returning(table.c.owner_org)).scalars().all()
    kpi_cache.invalidate(o or "" for o in owners)


# ---------------------------------------------------------------- bulk reads

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


# ---------------------------------------------------------------- reading for the KPI

def organization_of(reference: str) -> dict[str, str]:
    """An active organisation by id or name (without counting its datasets, as
    organization_show would)."""
    group = model.Group.get(reference) if reference else None
    if group is None or not group.is_organization or group.state != "active":
        raise tk.ObjectNotFound("ไม่พบหน่วยงาน / organisation not found")
    return {"id": group.id, "name": group.name, "title": group.title}


def _scores(org_ids: Optional[Iterable[str]], public_only: bool, *columns: Any) -> Any:
    """``columns`` of the stored scores, read with the dataset's current state: deleted or
    purged datasets drop out, and ``public_only`` leaves private ones unread."""
    package, score = model.package_table, dataset_score_table
    query = (sa.select(package.c.owner_org, *columns)
             .join(package, package.c.id == score.c.package_id)
             .where(package.c.state == "active", package.c.type == "dataset"))
    if org_ids is not None:
        query = query.where(package.c.owner_org.in_(list(org_ids)))
    if public_only:
        query = query.where(package.c.private.is_(False))
    return model.Session.execute(query)


def stored_grades(org_id: Optional[str] = None) -> list[dict[str, Any]]:
    """The active datasets of an organisation (or of the site), by id, each with the grade
    stored with its score row (``grade``: None when not stored) and when it changes."""
    package, score = model.package_table, dataset_score_table
    query = (sa.select(package.c.id, package.c.name, package.c.title, package.c.private,
                       package.c.owner_org, score.c.grade, score.c.grade_changes_at)
             .outerjoin(score, score.c.package_id == package.c.id)
             .where(package.c.state == "active", package.c.type == "dataset")
             .order_by(package.c.id))
    if org_id:
        query = query.where(package.c.owner_org == org_id)
    return [dict(row._mapping) for row in model.Session.execute(query)]


def dataset_results(profile_id: str, org_ids: Optional[Iterable[str]] = None,
                    public_only: bool = False) -> dict[str, list[kpi.DatasetResult]]:
    """Stored results per organisation id, as the KPI counts them: with
    ``verify_openness``, each with its verified open level in place of the declared one."""
    ruleset = ruleset_of(profile_id)
    score = dataset_score_table
    verified = config.verify_openness()
    columns = [score.c.results[ruleset]] + ([score.c.verified[ruleset]] if verified else [])
    found: dict[str, list[kpi.DatasetResult]] = defaultdict(list)
    with kpi.gc_paused():
        for owner_org, result, *checked in _scores(org_ids, public_only, *columns):
            counted = kpi.dataset_result_from_json(result)
            if checked:
                counted = counted._replace(openness=openness_result_from_json(checked[0]))
            found[owner_org or ""].append(counted)
    return found


def open_levels(profile_id: str, org_ids: Optional[Iterable[str]] = None,
                public_only: bool = False) -> dict[str, dict[str, int]]:
    """Each dataset's declared and verified open level under the profile, by package id."""
    ruleset = ruleset_of(profile_id)
    score = dataset_score_table
    rows = _scores(org_ids, public_only, score.c.package_id,
                   score.c.results[ruleset][4][0], score.c.verified[ruleset][0])
    return {package_id: {"declared_open_level": int(declared),
                         "verified_open_level": int(verified)}
            for _owner, package_id, declared, verified in rows}


EMPTY_PLAN = {"focus_area": "", "issue": "", "intended_use": "",
              "expected_user_agencies": [], "catalog_url": ""}


def plan_of(owner: str) -> dict[str, Any]:
    row = model.Session.execute(sa.select(plan_table).where(plan_table.c.owner == owner)).first()
    return dict(row._mapping) if row else dict(EMPTY_PLAN, owner=owner)


def use_cases_of(owner: str) -> list[dict[str, Any]]:
    table = use_case_table
    rows = model.Session.execute(sa.select(table).where(table.c.owner == owner)
                                 .order_by(table.c.created))
    return [dict(r._mapping) for r in rows]


def kpi_inputs(owners: Iterable[str]) -> dict[str, dict[str, Any]]:
    """What the KPI reads besides the datasets, per owner: plan, use cases, catalog URL
    (two queries for any number of owners)."""
    owners = list(owners)
    plans = {r.owner: dict(r._mapping) for r in model.Session.execute(
        sa.select(plan_table).where(plan_table.c.owner.in_(owners)))}
    cases: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in model.Session.execute(sa.select(use_case_table).where(
            use_case_table.c.owner.in_(owners)).order_by(use_case_table.c.created)):
        cases[row.owner].append({k: getattr(row, k) for k in ("dataset", "link", "change",
                                                                "result")})
    inputs = {}
    for owner in owners:
        plan = plans.get(owner) or dict(EMPTY_PLAN, owner=owner)
        inputs[owner] = {"plan": plan, "use_cases": cases.get(owner, []),
                         "catalog_url": plan["catalog_url"] or None}
    return inputs


def registrations_for(dataset_names_or_ids: Iterable[str]) -> dict[str, str]:
    """Registration states keyed as asked (dataset name or id), for ``kpi.evaluate`` (FY2567
    counts registered datasets);
    datasets without a recorded state are left out."""
    wanted = set(dataset_names_or_ids)
    if not wanted:
        return {}
    package, reg = model.package_table, registration_table
    rows = model.Session.execute(
        sa.select(package.c.id, package.c.name, reg.c.state)
        .join(reg, reg.c.package_id == package.c.id)
        .where(sa.or_(package.c.id.in_(wanted), package.c.name.in_(wanted))))
    return {key: row.state for row in rows for key in (row.id, row.name) if key in wanted}


def evaluate(owner: str, profile_id: str | kpi.Profile, results: list[kpi.DatasetResult],
             registrations: Optional[dict[str, str]] = None,
             inputs: Optional[dict[str, Any]] = None, next_steps: bool = True) -> kpi.KpiResult:
    """The KPI of one organisation (or of the site, owner "") from stored results, with
    the datasets' GD Catalog registration states (FY2567)."""
    if registrations is None:
        registrations = registrations_for(r.name for r in results)
    return kpi.evaluate(profile_id, results, registrations=registrations,
                        next_steps=next_steps, **(inputs or kpi_inputs([owner])[owner]))


def take_snapshots(day: Optional[date] = None) -> int:
    """Today's score and level of every organisation and of the site, per profile
    (run daily by cron: ``ckan mofcompliance snapshot``); returns the rows written."""
    day = day or date.today()
    rows = []
    for profile_id in kpi.profile_ids():
        by_org = dataset_results(profile_id)
        everything = [r for results in by_org.values() for r in results]
        inputs = kpi_inputs(list(by_org) + [""])
        for owner, results in list(by_org.items()) + [("", everything)]:
            result = evaluate(owner, profile_id, results, inputs=inputs[owner], next_steps=False)
            rows.append({"owner": owner, "profile": profile_id, "day": day,
                         "score": result.score, "level": result.level,
                         "datasets": len(results),
                         "complete": sum(1 for r in results if r.completeness.complete)})
    if rows:
        statement = insert(snapshot_table).values(rows)
        model.Session.execute(statement.on_conflict_do_update(
            index_elements=["owner", "profile", "day"],
            set_={k: statement.excluded[k] for k in ("score", "level", "datasets", "complete")}))
    model.Session.commit()
    return len(rows)


def snapshots_of(owner: str, profile_id: str, limit: int = 60) -> list[dict[str, Any]]:
    table = snapshot_table
    rows = model.Session.execute(
        sa.select(table).where(table.c.owner == owner, table.c.profile == profile_id)
        .order_by(table.c.day.desc()).limit(limit))
    return [dict(r._mapping) for r in reversed(list(rows))]
