"""A dataset's NSO QC grade as its score row keeps it (``scoring.store``), read back for an
organisation's and the site's grades, and when it would change by itself. Pure Python."""
from __future__ import annotations

from datetime import datetime, timedelta
from collections.abc import Mapping
from typing import Any

from ..standard.completeness import field_reader
from ..standard.fields import resources_of
from .check_inputs import parse_time
from .grading import DatasetGrade, LostPoint, first_filled
from .rules import Rules, default_rules


def changes_at(pkg: Mapping[str, Any], grade: DatasetGrade,
               rules: Rules | None = None) -> datetime | None:
    """When ``grade`` next changes by itself (no edit, no new check): the first moment one of
    its assessed resources crosses its frequency's warning or outdated day. None: never
    (ungraded, or no assessed resource whose modification time is known)."""
    if not grade.resources:
        return None
    rules = rules or default_rules()
    freq = rules.frequency(first_filled(field_reader(pkg), rules.frequency_fields))
    modified = {str(r.get("id") or ""): parse_time(r.get("metadata_modified"))
                for r in resources_of(pkg)}
    moments = []
    for res in grade.resources:
        since = modified.get(res.resource_id)
        if since is None or res.days is None or res.days > freq.outdated:
            continue
        crossed = freq.warning if res.days <= freq.warning else freq.outdated
        moments.append(since + timedelta(days=crossed + 1))
    return min(moments, default=None)


def stored_form(grade: DatasetGrade) -> dict[str, Any]:
    """What the organisation's and the site's grades read of a dataset's grade (JSON): its
    score, letter, dimensions, the dimension, code and points of each lost point, the
    resources waiting for a check and why it is ungraded."""
    return {"score": grade.score, "letter": grade.letter, "dimensions": dict(grade.dimensions),
            "lost": [[p.dimension, p.code, p.points] for p in grade.lost],
            "not_checked": list(grade.not_checked), "ungraded_reason": grade.ungraded_reason,
            "frequency": grade.frequency}


def from_stored(stored: Mapping[str, Any], dataset_id: str, name: str,
                organisation: str | None) -> DatasetGrade:
    """The grade ``stored_form`` kept, for ``grade_catalog``: its lost points without their
    wording's parameters and without the per-resource assessments (a dataset's own answer
    is graded afresh)."""
    return DatasetGrade(
        dataset_id=dataset_id, name=name, organisation=organisation,
        dimensions=dict(stored["dimensions"]), score=stored["score"], letter=stored["letter"],
        lost=tuple(LostPoint(dim, code, points, {}) for dim, code, points in stored["lost"]),
        not_checked=tuple(stored["not_checked"]), ungraded_reason=stored["ungraded_reason"],
        frequency=stored["frequency"])
