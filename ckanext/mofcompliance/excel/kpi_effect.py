"""What an import does to its organisation's KPI, worked out inside the dry run.

The dry run writes every dataset in a transaction it then rolls back: before it does,
the datasets it wrote are scored the way the score store scores them (``score_row``,
with their resources' latest checks), and the organisation's KPI is evaluated with them
in place of their stored rows, under every profile the dashboard offers. Where the
category of a dataset the import creates private is the public one (which counts as
open level 0 while private), the KPI is also worked out as if those were published, so
that the steward chooses with both figures in front of them.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

import ckan.plugins.toolkit as tk

from .. import config
from ..scoring import store as score_store
from ..scoring import reads
from ..quality import store as check_store
from ..standard import definition as std
from ..kpi import evaluation as kpi

Results = dict[str, list[kpi.DatasetResult]]  # profile id → the organisation's results


def stored(org_id: str) -> Results:
    """The organisation's results as the dashboard counts them now, per profile."""
    return {profile: reads.dataset_results(profile, [org_id]).get(org_id, [])
            for profile in kpi.profile_ids()}


def publishable(package: Mapping[str, Any]) -> bool:
    """A private dataset of the public category: publishing it raises its open level."""
    return bool(package.get("private")) and std.is_public_category(package.get("data_category"))


def effect(org_id: str, before: Results, package_ids: Iterable[str],
           publish: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Per profile, the score and level before the import, after it, and after it with
    the datasets named in ``publish`` made public (only when there are such)."""
    packages = [tk.get_action("package_show")({"ignore_auth": True, "use_cache": False},
                                              {"id": package_id}) for package_id in package_ids]
    published = set(publish)
    checks = check_store.latest([p["id"] for p in packages])
    as_imported = [score_store.score_row(p, checks) for p in packages]
    as_published = [score_store.score_row(dict(p, private=False), checks)
                    if p["name"] in published else row for p, row in zip(packages, as_imported)]
    touched = {p["id"] for p in packages}
    figures = []
    for profile, results in before.items():
        kept = [r for r in results if r.id not in touched]
        entry = {"profile": profile, "before": _figures(org_id, profile, results),
                 "after": _figures(org_id, profile, kept + _counted(as_imported, profile))}
        if published:
            entry["published"] = _figures(org_id, profile,
                                          kept + _counted(as_published, profile))
        figures.append(entry)
    return figures


def _counted(rows: list[dict[str, Any]], profile: str) -> list[kpi.DatasetResult]:
    """The score rows' results under the profile's ruleset, as ``dataset_results`` reads
    them: with ``verify_openness``, the verified open level in place of the declared one."""
    ruleset = score_store.ruleset_of(profile)
    results = [row["results"][ruleset] for row in rows]
    if config.verify_openness():
        results = [r._replace(openness=score_store.verified_under(row, ruleset))
                   for r, row in zip(results, rows)]
    return results


def _figures(org_id: str, profile: str, results: list[kpi.DatasetResult]) -> dict[str, Any]:
    answer = reads.evaluate(org_id, profile, results, next_steps=False)
    return {"score": answer.score, "level": answer.level}
