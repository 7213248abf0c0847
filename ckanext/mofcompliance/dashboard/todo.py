"""A steward's to-do list: the datasets they can edit that miss items, the most
rewarding fix first (how much completing it raises its organisation's KPI score)."""
from __future__ import annotations

from typing import Any

from ..scoring import reads
from ..access.scope import member_organizations
from ..quality import store as checks
from ..standard import definition as std
from ..kpi import evaluation as kpi

MAX_ROWS = 200


def _completed(result: kpi.DatasetResult) -> kpi.DatasetResult:
    done = result.completeness._replace(complete=True, missing_items=(),
                                        filled=result.completeness.total)
    return result._replace(completeness=done)


def _gains(owner: str, profile_id: str, results: list[kpi.DatasetResult]) -> list[tuple]:
    inputs = reads.kpi_inputs([owner])[owner]
    registrations = reads.registrations_for(r.name for r in results)

    def score(candidates: list[kpi.DatasetResult]) -> float:
        return reads.evaluate(owner, profile_id, candidates, registrations=registrations,
                                inputs=inputs, next_steps=False).score

    base = score(results)
    gains = []
    for index, result in enumerate(results):
        if result.completeness.complete:
            continue
        fixed = results[:index] + [_completed(result)] + results[index + 1:]
        gains.append((round(score(fixed) - base, 2), result))
    return gains


def todo_for(user_name: str, profile_id: str) -> list[dict[str, Any]]:
    orgs = member_organizations(user_name, "update_dataset")
    titles = {p.field: (p.number, p.label_th, p.label_en)
              for item in std.items() for p in item.parts}
    by_org = reads.dataset_results(profile_id, [o["id"] for o in orgs])
    rows = []
    for org in orgs:
        for gain, result in _gains(org["id"], profile_id, by_org.get(org["id"], [])):
            rows.append({"organization": org["title"] or org["name"], "gain": gain,
                         "name": result.name, "title": result.title,
                         "missing": [dict(zip(("field", "number", "label_th", "label_en"),
                                              (f,) + titles.get(f, ("", f, f))))
                                     for f in result.completeness.missing_items]})
    rows.sort(key=lambda r: (-r["gain"], -len(r["missing"]), r["title"]))
    return rows[:MAX_ROWS]


def broken_links_for(user_name: str) -> list[dict[str, Any]]:
    """Links of the datasets the user can edit that answered before and no longer do."""
    orgs = member_organizations(user_name, "update_dataset")
    return checks.newly_broken([o["id"] for o in orgs])[:MAX_ROWS] if orgs else []
