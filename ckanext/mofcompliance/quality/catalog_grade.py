"""An organisation's or the site's NSO QC grade from its datasets' grades (NSO's dashboard:
mean, distribution, the problems that cost the most datasets). Pure Python, as ``grading``."""
from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple, cast

from .grading import DatasetGrade
from .rules import DIMENSIONS, Rules, default_rules


class Problem(NamedTuple):
    """A lost-point code across a catalog: how many datasets it hits and what it costs them."""
    code: str
    dimension: str
    datasets: int
    points: float           # overall points lost, summed over the datasets


@dataclass(frozen=True)
class CatalogGrade:
    """An organisation's or the site's NSO QC grade (NSO's dashboard: mean and distribution)."""
    datasets: int
    graded: int
    score: float | None                       # mean of the graded datasets' scores
    letter: str | None                        # the mean's letter, by the same thresholds
    dimensions: Mapping[str, float | None]    # mean per dimension over the graded datasets
    distribution: Mapping[str, int]           # A-F, and "ungraded"
    problems: tuple[Problem, ...]             # most datasets hit first

    def to_dict(self) -> dict[str, Any]:
        return {"datasets": self.datasets, "graded": self.graded, "score": self.score,
                "letter": self.letter, "dimensions": dict(self.dimensions),
                "distribution": dict(self.distribution),
                "problems": [p._asdict() for p in self.problems]}


def _mean(values: list[float], decimals: int) -> float | None:
    return round(sum(values) / len(values), decimals) if values else None


def _add_hits(hits: dict[tuple[str, str], list[float]], grade: DatasetGrade) -> None:
    """The points a dataset lost per (code, dimension): a dataset counts once per code."""
    per_dataset: dict[tuple[str, str], float] = {}
    for point in grade.lost:
        key = (point.code, point.dimension)
        per_dataset[key] = per_dataset.get(key, 0.0) + point.points
    for key, points in per_dataset.items():
        hits.setdefault(key, []).append(points)


def _problems(hits: dict[tuple[str, str], list[float]], decimals: int) -> tuple[Problem, ...]:
    """Lost-point codes by the number of datasets they hit."""
    ranked = sorted(hits.items(), key=lambda kv: (-len(kv[1]), -sum(kv[1]), kv[0]))
    return tuple(Problem(code, dim, len(pts), round(sum(pts), decimals))
                 for (code, dim), pts in ranked)


def grade_catalog(grades: Iterable[DatasetGrade], rules: Rules | None = None) -> CatalogGrade:
    """The aggregate of an organisation's (or the site's) dataset grades, read in one pass
    keeping only numbers (``grades`` may be a stream: the audit's comes from disk)."""
    rules = rules or default_rules()
    distribution = {letter: 0 for letter, _ in rules.grades} | {"ungraded": 0}
    scores: list[float] = []
    dimensions: dict[str, list[float]] = {dim: [] for dim in DIMENSIONS}
    hits: dict[tuple[str, str], list[float]] = {}   # points lost by graded datasets only
    for grade in grades:
        distribution[grade.letter or "ungraded"] += 1
        if grade.score is not None:
            scores.append(grade.score)
            for dim in DIMENSIONS:
                dimensions[dim].append(cast(float, grade.dimensions[dim]))
            _add_hits(hits, grade)
    score = _mean(scores, rules.decimals)
    return CatalogGrade(
        datasets=sum(distribution.values()), graded=len(scores), score=score,
        letter=None if score is None else rules.letter(score),
        dimensions={dim: _mean(values, rules.decimals) for dim, values in dimensions.items()},
        distribution=distribution, problems=_problems(hits, rules.decimals),
    )


def grade_by_organisation(grades: Iterable[DatasetGrade], rules: Rules | None = None
                          ) -> dict[str | None, CatalogGrade]:
    """One aggregate per organisation (key: the organisation's name, else its id)."""
    groups: dict[str | None, list[DatasetGrade]] = {}
    for grade in grades:
        groups.setdefault(grade.organisation, []).append(grade)
    return {org: grade_catalog(members, rules) for org, members in groups.items()}
