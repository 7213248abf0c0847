"""Two fiscal-year profiles side by side on the dashboards (``?profile=fy2567&compare=fy2565``).

The two KPI answers come from the same actions as the page itself, so each side is what the
page shows under that profile. Criteria are matched by id; one that only one profile has is
shown with nothing on the other side.
"""
from __future__ import annotations

from typing import Any, Mapping

from ..kpi import evaluation as kpi


def _side(answer: Mapping[str, Any], result: Mapping[str, Any]) -> dict[str, Any]:
    profile = kpi.load_profile(answer["profile"])
    return {"id": profile.id, "version": answer["profile_version"],
            "fiscal_year": profile.fiscal_year, "site_profile": answer["site_profile"],
            "score": result["score"], "level": result["level"]}


def _cell(criterion: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if criterion is None:
        return None
    return {k: criterion[k] for k in ("level", "met", "points", "max_points")}


def side_by_side(answer: Mapping[str, Any], result: Mapping[str, Any],
                 other_answer: Mapping[str, Any], other: Mapping[str, Any]) -> dict[str, Any]:
    """``answer``/``other_answer``: the KPI actions' answers (profile, version); ``result`` and
    ``other``: the KPI shown (score, level, criteria) under each."""
    mine = {c["id"]: c for c in result["criteria"]}
    theirs = {c["id"]: c for c in other["criteria"]}
    order = [*mine, *(i for i in theirs if i not in mine)]
    rows = []
    for criterion_id in order:
        named = mine.get(criterion_id) or theirs[criterion_id]
        rows.append({"id": criterion_id, "label_th": named["label_th"],
                     "label_en": named["label_en"], "left": _cell(mine.get(criterion_id)),
                     "right": _cell(theirs.get(criterion_id))})
    return {"left": _side(answer, result), "right": _side(other_answer, other), "rows": rows}
