"""What the KPI reads from the database: the stored results (as the KPI counts them), the
stored grades, an agency's plan and use cases, the GD Catalog registrations; an
organisation's KPI from them (``evaluate``) and the daily snapshots of it.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any, Iterable, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

import ckan.model as model

from .. import config
from ..model import (dataset_score_table, plan_table, registration_table, snapshot_table,
                     use_case_table)
from ..kpi import evaluation as kpi
from ..kpi.inputs import openness_result_from_json

from .store import ruleset_of


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


def _counted(result: Any, checked: Any) -> kpi.DatasetResult:
    """A stored result as the KPI counts it: ``checked``, the verified openness (None, or
    not read, without ``verify_openness``), in place of the declared one where stored (where
    a check demoted it)."""
    counted = kpi.dataset_result_from_json(result)
    if checked is not None:
        counted = counted._replace(openness=openness_result_from_json(checked))
    return counted


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
            found[owner_org or ""].append(_counted(result, checked[0] if checked else None))
    return found


def results_and_levels(profile_id: str, org_ids: Optional[Iterable[str]] = None,
                       public_only: bool = False
                       ) -> tuple[dict[str, list[kpi.DatasetResult]], dict[str, dict[str, int]]]:
    """``dataset_results``, with each dataset's declared and verified open level under the
    profile by package id, from one read of the rows."""
    ruleset = ruleset_of(profile_id)
    score = dataset_score_table
    verify = config.verify_openness()
    found: dict[str, list[kpi.DatasetResult]] = defaultdict(list)
    levels: dict[str, dict[str, int]] = {}
    with kpi.gc_paused():
        for owner_org, result, checked in _scores(org_ids, public_only, score.c.results[ruleset],
                                                  score.c.verified[ruleset]):
            counted = _counted(result, checked if verify else None)
            declared = result[4][0]
            levels[counted.id] = {"declared_open_level": declared,
                                  "verified_open_level": declared if checked is None
                                  else checked[0]}
            found[owner_org or ""].append(counted)
    return found, levels


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
