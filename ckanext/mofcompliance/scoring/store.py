"""The score store: each dataset's KPI results, written with the dataset (read back in bulk
by ``reads``, rebuilt in bulk by ``rebuild``).

The bridge from CKAN to the standard: datasets are scored into the store.

A dataset is scored when CKAN indexes it (``before_dataset_index``), which happens
before the commit of every dataset create, update and resource change, with Solr and
with ``mofcompliance_pgsearch`` alike: the score row commits or rolls back with the
dataset, so the dashboard is never behind the data.  ``rebuild.rescore`` rebuilds the
store.

Beside the level the steward declared, each row keeps the verified open level: the same
rules on the dataset as its resources' latest checks found it (``quality/verified_openness.py``).
It is recomputed when the dataset is written and when a check of one of its resources is
stored (``quality/jobs.py`` indexes the dataset again). With ``verify_openness`` the KPI
counts it (``reads.dataset_results``). Written at the same moments, the row keeps the dataset's
NSO QC grade and when it would change by itself (``quality/stored_grade.py``'s ``stored_form``
and ``changes_at``): an organisation's and the site's grades read it (``quality.store.stored_grades``).
"""
from __future__ import annotations

import functools
import json
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

import ckan.model as model

from .. import config
from . import kpi_cache
from ..model import (dataset_score_table)
from ..quality import grading, stored_grade
from ..quality import store as check_store
from ..quality.verified_openness import verified_package
from ..kpi import evaluation as kpi
from ..standard.completeness import metadata_complete
from ..standard.openness import OpennessResult, open_level



@functools.lru_cache(maxsize=1)
def _rulesets() -> tuple[str, ...]:
    """The open-characteristics rulesets of the loaded profiles: results differ only by
    ruleset, so a row keeps one result per ruleset, not per profile."""
    return tuple(dict.fromkeys(kpi.load_profile(p).openness_rules for p in kpi.profile_ids()))


def ruleset_of(profile_id: str) -> str:
    return kpi.load_profile(profile_id).openness_rules


Checks = Mapping[str, Mapping[str, Any]]


def verified_openness(pkg_dict: dict[str, Any], checks: Checks,
                      results: Mapping[str, kpi.DatasetResult]) -> dict[str, OpennessResult]:
    """The verified open level under each ruleset where a check took a resource's claim
    away (a dead link, a contradicted format); under the others it is the declared one
    (``verified_under``). Only these are stored: most datasets have none, and writing
    the declared result twice was a sixth of a rescore's bytes."""
    if not any(res.get("id") in checks for res in pkg_dict.get("resources") or ()):
        return {}  # unchecked
    verified = {}
    for ruleset in results:
        checked, demotions = verified_package(pkg_dict, checks, ruleset)
        if demotions:
            verified[ruleset] = open_level(checked, ruleset)
    return verified


def verified_under(row: Mapping[str, Any], ruleset: str) -> Any:
    """A score row's verified open-characteristics result under the ruleset (a stored
    row's JSON form, or the ``OpennessResult`` of a row just scored)."""
    verified = row["verified"].get(ruleset)
    return row["results"][ruleset][4] if verified is None else verified


def score_row(pkg_dict: dict[str, Any], checks: Optional[Checks] = None,
              now: Optional[datetime] = None) -> dict[str, Any]:
    """The score-store row of one package dict (as ``package_show`` returns it), with its
    resources' latest checks by resource id (``quality/store.py``'s ``latest``) and its NSO
    QC grade as of ``now`` (aware; default: now)."""
    now = now or datetime.now(timezone.utc)
    checks = checks or {}
    completeness = metadata_complete(pkg_dict)
    results = kpi.assess_under_rulesets(pkg_dict, _rulesets(), completeness)
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
        "verified_open_level": verified.get(main_ruleset, main.openness).level,
        "results": results,  # NamedTuples: stored as JSON arrays
        "verified": verified,
        "scored_at": _naive_utc(now),
        "grade": stored_grade.stored_form(grade),
        "grade_changes_at": _naive_utc(stored_grade.changes_at(pkg_dict, grade)),
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


def on_checked_not_indexed(package_id: str, pkg_dict: dict[str, Any], **_: Any) -> None:
    """``quality.jobs.not_indexed``: a dataset's checks are stored and the search index could
    not be written (Solr down): score it here, as the index hook would have."""
    store_score(pkg_dict)


_BADGES = sa.select(
    dataset_score_table.c.package_id, dataset_score_table.c.metadata_complete,
    sa.func.jsonb_array_length(dataset_score_table.c.missing_items).label("missing"),
    dataset_score_table.c.open_level,
).where(dataset_score_table.c.package_id.in_(sa.bindparam("ids", expanding=True)))


def badges(package_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The compact verdict of each dataset (no item names: anyone who sees it may read it).

    Every search asks (``facets.after_search``): one statement built once, counting the
    missing items in PostgreSQL rather than sending their names (0.1 ms of CPU a search
    of 20 datasets, 0.3 ms when built and decoded each time)."""
    ids = list(package_ids)
    if not ids:  # a search for counts only (rows=0): no statement
        return {}
    rows = model.Session.execute(_BADGES, {"ids": ids})
    return {r.package_id: {"complete": r.metadata_complete, "missing": r.missing,
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
