"""API actions of the ``mofcompliance`` plugin."""
from __future__ import annotations

import dataclasses
import logging
import uuid
from datetime import datetime
from typing import Any

import redis
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

import ckan.model as model
import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
from ckan.logic import validate  # not in the toolkit before CKAN 2.11

from .. import config
from ..dataset import evidence_activity
from ..scoring import store as score_store
from ..scoring import rebuild
from ..scoring import reads
from ..scoring import kpi_cache
from ..dashboard import summaries
from ..helpers import site_schema_gaps
from ..model import plan_table, use_case_table
from ..standard import definition as std
from ..kpi import evaluation as kpi
from ..kpi import profiles as kpi_profiles
from ..standard.json_schema import package_json_schema
from ..standard.labels import field_title
from ..access.private_resources import package_search
from ..quality import store as quality_store
from ..access.scope import dashboard_scope, organization_of
from ..model import commit_unless_deferred
from . import schema, validators

__all__ = [
    "mofcompliance_standard_show", "mofcompliance_site_kpi", "mofcompliance_org_kpi",
    "mofcompliance_dataset_report", "mofcompliance_plan_update",
    "mofcompliance_use_case_create", "mofcompliance_use_case_delete", "mofcompliance_rescore",
    # CKAN's own, overridden: thai_gdc's private resources withheld from readers
    "package_search",
]

log = logging.getLogger(__name__)


def registered() -> dict[str, Any]:
    """The actions the plugin registers: ``__all__``, and the activity lists that keep the
    KPI's evidence to its readers while CKAN's activity plugin is loaded."""
    actions = {name: globals()[name] for name in __all__}
    if plugins.plugin_loaded("activity"):
        actions.update(evidence_activity.STREAM_ACTIONS)
    return actions


def _item_summary(item: std.Item) -> dict[str, Any]:
    return {
        "number": item.number,
        "label_th": item.label_th,
        "label_en": item.label_en,
        "fields": [{"number": p.number, "field": p.field, "counts": p.counts}
                   for p in item.parts],
    }


@tk.side_effect_free
@validate(schema.standard_show_schema)
def mofcompliance_standard_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    """The DGA standard this catalog enforces: the 14 items, the enforcement mode and the
    JSON Schema of a dataset (as ``package_show`` returns it) and of a resource. With
    ``dataset_schema`` ``site``, the site's own schema validates: ``not_enforced`` lists the
    items it does not enforce, and ``enforcement`` and ``licence_rule`` do not apply.

    :param scope: ``dataset`` (default) or ``resource`` for the JSON Schema
    """
    tk.check_access("mofcompliance_standard_show", context, data_dict)
    return {
        "dataset_schema": config.dataset_schema(),
        "not_enforced": [dataclasses.asdict(gap) for gap in site_schema_gaps()],
        "enforcement": "strict" if validators.is_strict() else "advisory",
        "licence_rule": validators.licence_rule(),
        "items": [_item_summary(item) for item in std.items()],
        "field_titles": {f.name: dict(zip(("th", "en"), field_title(f)))
                         for f in std.dataset_fields()},
        "json_schema": package_json_schema(data_dict["scope"], validators.licence_rule()),
    }


def _organizations(org_ids: Any) -> list[dict[str, Any]]:
    group = model.group_table
    query = sa.select(group.c.id, group.c.name, group.c.title).where(
        group.c.is_organization.is_(True), group.c.state == "active").order_by(group.c.title)
    if org_ids is not None:
        query = query.where(group.c.id.in_(list(org_ids)))
    return [dict(r._mapping) for r in model.Session.execute(query)]


@tk.side_effect_free
@validate(schema.site_kpi_schema)
def mofcompliance_site_kpi(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    """The KPI of the whole catalog and of each organisation the user may see.

    Summaries come from a cache that every change marks stale in its own transaction,
    so they are always current without recomputing the catalog on every view; a stale
    one is computed here and stored by a background job (this action never writes).

    :param profile: a loaded profile's id (default: the site's)
    """
    tk.check_access("mofcompliance_site_kpi", context, data_dict)
    profile = data_dict["profile"]
    scope = dashboard_scope(context)
    orgs = _organizations(scope.org_ids)
    whole_catalog = scope.org_ids is None
    owners = [o["id"] for o in orgs] + ([kpi_cache.SITE] if whole_catalog else [])
    found = summaries.cached(owners, profile, scope.public_only)
    if whole_catalog:
        site = found[kpi_cache.SITE]
    else:  # a member's view of the site: their organisations only, not cached
        site = summaries.site_of(profile, scope.org_ids, scope.public_only)
    return {"profile": profile, **_profile_facts(profile),
            "public_only": scope.public_only, "site": site,
            "organizations": [dict(org, **found[org["id"]]) for org in orgs]}


def _profile_facts(profile_id: str) -> dict[str, Any]:
    """The profile's version, and whether the operator's folder supplied it."""
    return {"profile_version": kpi.load_profile(profile_id).version,
            "site_profile": kpi_profiles.is_site_profile(profile_id)}


@tk.side_effect_free
@validate(schema.org_kpi_schema)
def mofcompliance_org_kpi(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    """One organisation's KPI with every criterion's evidence, its datasets' results,
    the next steps, its plan and its use cases. Each dataset's ``open_level`` is the one
    the KPI counts (the verified one with ``verify_openness``), beside its
    ``declared_open_level`` and ``verified_open_level``.

    :param id: the organisation's id or name
    :param profile: the fiscal-year profile (default: the site's)
    """
    tk.check_access("mofcompliance_org_kpi", context, data_dict)
    profile = data_dict["profile"]
    org = organization_of(data_dict.get("id"))
    scope = dashboard_scope(context)
    by_org, levels = reads.results_and_levels(profile, [org["id"]], scope.public_only)
    results = by_org.get(org["id"], [])
    visible = {r.name for r in results}
    return {
        "profile": profile, **_profile_facts(profile), "public_only": scope.public_only,
        "organization": org, "verify_openness": config.verify_openness(),
        "kpi": reads.evaluate(org["id"], profile, results).to_dict(),
        "datasets": [dict(r.to_dict(), **levels.get(r.id, {}))
                     for r in sorted(results, key=lambda r: r.title)],
        "plan": {k: v for k, v in reads.plan_of(org["id"]).items() if k != "modified"},
        "use_cases": [dict(u, created=u["created"].isoformat())
                      for u in reads.use_cases_of(org["id"]) if u["dataset"] in visible],
    }


@validate(schema.dataset_report_schema)
def mofcompliance_dataset_report(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    """A dataset's 14-item checklist and open-characteristics levels, with what to do;
    ``waits_for_work_process``: the profile's score may not count it until it is tied to a
    work process (so filling its items alone may not move the score).

    :param id: the dataset's id or name
    :param profile: the fiscal-year profile (default: the site's)
    """
    tk.check_access("mofcompliance_dataset_report", context, data_dict)
    profile = data_dict["profile"]
    pkg = tk.get_action("package_show")(dict(context), {"id": data_dict["id"]})
    result = kpi.assess_dataset(pkg, profile)
    report = result.to_dict()
    report["checklist"] = [
        {"number": part.number, "field": part.field,
         "label_th": part.label_th, "label_en": part.label_en,
         "filled": part.field not in result.completeness.missing_items}
        for item in std.items() for part in item.parts if part.counts]
    report["profile"] = profile
    report.update(_verified_level(pkg, profile, result))
    report["waits_for_work_process"] = kpi.waits_for_work_process(profile, result)
    return report


def _verified_level(pkg: dict[str, Any], profile: str, result: kpi.DatasetResult
                    ) -> dict[str, Any]:
    """The open level the resources' latest checks confirm, beside the declared one."""
    checks = quality_store.latest([pkg["id"]])
    ruleset = score_store.ruleset_of(profile)
    verified = score_store.verified_openness(pkg, checks, {ruleset: result})
    return {"verified_open_level": verified.get(ruleset, result.openness).level,
            "resources_checked": sum(1 for r in pkg.get("resources") or ()
                                     if r.get("id") in checks)}


PLAN_FIELDS = ("focus_area", "issue", "intended_use", "expected_user_agencies", "catalog_url")


def mofcompliance_plan_update(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    """Set an organisation's plan (Focus Area, issue, intended use, expected users) and
    catalog URL; ``owner`` is the organisation id or name ("" for the whole site)."""
    owner = _owner(data_dict)
    tk.check_access("mofcompliance_plan_update", context, dict(data_dict, owner=owner))
    return _update_plan(context, dict(data_dict, owner=owner))


@validate(schema.plan_update_schema)
def _update_plan(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    """The plan update once allowed: who may not write is refused before the input is read."""
    row = {k: data_dict[k] for k in PLAN_FIELDS}
    row.update(owner=data_dict["owner"], modified=datetime.utcnow())
    before = reads.plan_of(row["owner"])
    statement = insert(plan_table).values(row)
    model.Session.execute(statement.on_conflict_do_update(
        index_elements=["owner"], set_={k: statement.excluded[k] for k in row if k != "owner"}))
    evidence_activity.plan_changed(context, row["owner"], PLAN_FIELDS, before, row)
    kpi_cache.invalidate([row["owner"]])
    commit_unless_deferred(context)
    return reads.plan_of(row["owner"])


def _owner(data_dict: dict[str, Any]) -> str:
    owner = data_dict.get("owner") or ""
    if not owner:
        return ""
    return organization_of(owner)["id"]


USE_CASE_FIELDS = ("dataset", "link", "change", "result")


def mofcompliance_use_case_create(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    """Record a concrete use of open data: the dataset, the report or dashboard link,
    what changed and the measured result (FY2565's 5 points)."""
    owner = _owner(data_dict)
    tk.check_access("mofcompliance_use_case_create", context, dict(data_dict, owner=owner))
    return _create_use_case(context, dict(data_dict, owner=owner))


@validate(schema.use_case_create_schema)
def _create_use_case(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    """The use case once allowed: who may not write is refused before the input is read."""
    row = {k: data_dict[k] for k in USE_CASE_FIELDS}
    row.update(id=str(uuid.uuid4()), owner=data_dict["owner"], created=datetime.utcnow())
    model.Session.execute(use_case_table.insert().values(row))
    evidence_activity.use_case_changed(context, row, added=True)
    kpi_cache.invalidate([row["owner"]])
    commit_unless_deferred(context)
    return dict(row, created=row["created"].isoformat())


@validate(schema.use_case_delete_schema)
def mofcompliance_use_case_delete(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    table = use_case_table
    row = model.Session.execute(sa.select(table).where(table.c.id == data_dict.get("id"))).first()
    if row is None:
        raise tk.ObjectNotFound("ไม่พบหลักฐานการใช้ประโยชน์ / use case not found")
    tk.check_access("mofcompliance_use_case_delete", context, {"owner": row.owner})
    model.Session.execute(table.delete().where(table.c.id == row.id))
    evidence_activity.use_case_changed(context, dict(row._mapping), added=False)
    kpi_cache.invalidate([row.owner])
    commit_unless_deferred(context)
    return {"id": row.id}


@validate(schema.rescore_schema)
def mofcompliance_rescore(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    """Rebuild the score store (``org``: one organisation). ``background`` queues it as a
    CKAN job on Redis; otherwise it runs now and returns the number of datasets."""
    tk.check_access("mofcompliance_rescore", context, data_dict)
    org_id = _owner({"owner": data_dict["org"]}) or None
    if data_dict["background"]:
        try:
            job = tk.enqueue_job(rebuild.rescore_job, [org_id], title="mofcompliance rescore")
            return {"job_id": job.id}
        except redis.exceptions.RedisError:
            log.warning("Redis is unreachable: rescoring now instead of in the background")
    count = rebuild.rescore(org_id, processes=1)  # a web process is never forked
    commit_unless_deferred(context)
    return {"datasets": count}
